"""Print-ready tables as .xlsx, through XlsxWriter: the shared writer of the workbooks dti creates.

A :class:`Sheet` is a table — typed :class:`Column` s and rows of values — with an optional title
line; :func:`write_workbook` writes sheets to a new workbook that officials can open in Excel,
LibreOffice or WPS and print on A4 as it is:

- A4, landscape when the table is wide, fitted to one page wide and as many pages tall as it
  needs, the header row repeated on every page, cell borders on the table and no printed
  gridlines, margins of about 1 cm, a page header and footer (:class:`PageText`) with an optional
  banner such as "SỐ LIỆU MẪU" on every printed page;
- a bold, coloured header row, frozen with the title lines above it, with an auto-filter;
- columns as wide as their header and their first 500 values; wrapped columns get rows tall
  enough to show their text. Row heights are written, not left to the program that opens the
  file: LibreOffice (7.4, converting headless here) keeps a row with no stored height at one
  line and draws its wrapped text over the rows below. Excel, as its users and other writers'
  issue trackers report (no Excel here to check), grows such a row when it opens the file, but
  keeps a height that was written. So a height is estimated (:func:`row_lines`) and written for
  every row that needs more than one line, at Excel's 15 points a line: LibreOffice draws a
  line in about 13, so its rows show a little spare room rather than cut text.

Values are written by their Python type, never guessed from text:

- ``str`` is ALWAYS a text cell, through ``write_string`` (and the workbook's options turn
  off XlsxWriter's conversions of strings to numbers, formulas and links): "=1+1", "+84 290",
  "-5", "@SUM" or "https://…" are shown as typed. Characters an .xlsx cell cannot hold (control
  characters, lone surrogates, U+FFFE/U+FFFF) are shown as U+FFFD. Text longer than the 32,767
  UTF-16 units a cell holds is cut, and every cut is listed in :attr:`WriteReport.truncated`.
- ``int``, ``float`` and other real numbers stay numbers, with the number format of their
  column's kind (:data:`NUMBER_FORMATS`). The thousands and decimal separators on screen are
  the reader's: an .xlsx stores the number and a format code, and Excel, LibreOffice and WPS
  show "1.234,5" or "1,234.5" by the locale of the computer that opens it. NaN and infinities
  are refused (ValueError naming the cell): a cell holds neither, XlsxWriter could only write
  them as formulas (=1/0), and whether such a value is empty, "no data" or an error is the
  caller's call.
- ``datetime.date`` / ``datetime`` are dates (dd/mm/yyyy); a timezone-aware datetime is written
  as its wall-clock time in its own zone (a spreadsheet has no time zones).
- ``None`` is an empty (bordered) cell.
- ``bool`` is refused (TypeError naming the sheet, column and cell): what a yes or a no is
  called ("Có", "Đạt", "Yes") is the caller's words, in the caller's language; the writer does
  not choose them. Any other type is refused the same way.

XlsxWriter is imported inside :func:`write_workbook`: importing this module costs nothing more
than its dataclasses.

Why one module of ~600 lines: print-readiness is one job (page setup, widths, heights, formats,
banners and the checks that keep text as text) and every workbook dti writes goes through it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from itertools import chain, islice
from typing import Any

#: The kinds of column and the number format each gives to the numbers (and dates) in it.
#: ``number`` shows up to three decimals; a whole number in it is shown without a decimal
#: separator ("#,##0.###" would show 5 as "5." in Excel and LibreOffice).
NUMBER_FORMATS: dict[str, str] = {
    "text": "General",
    "id": "General",
    "bool_text": "General",
    "int": "#,##0",
    "number": "#,##0.###",
    "points": "0.00",
    "percent": "0.0%",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
}
KINDS = frozenset(NUMBER_FORMATS)

#: What one cell can hold, in UTF-16 units (Excel's limit; LibreOffice and WPS keep to it).
CELL_LIMIT = 32_767
#: The most rows a sheet can have.
MAX_ROWS = 1_048_576
#: Excel refuses these in a sheet name.
_BAD_NAME_CHARS = frozenset("[]:*?/\\")
#: Rows whose values decide the column widths; a streamed sheet buffers this many.
WIDTH_SAMPLE = 500
MIN_WIDTH, MAX_WIDTH = 8.0, 60.0
#: Above this summed width (in characters) a table does not fit A4 portrait at a readable size.
LANDSCAPE_ABOVE = 95.0
#: A row of one line of 11-point Calibri, and Excel's highest row, in points.
LINE_HEIGHT, MAX_ROW_HEIGHT = 15.0, 409.0
#: Excel's limit on a page header or footer, in UTF-16 units, escape codes included.
HEADER_LIMIT = 255
STAMP_SHEET = "_dti"

#: Characters an .xlsx cell cannot hold: C0 controls but tab, newline and carriage return;
#: lone surrogates (a file name decoded with surrogateescape) and the non-characters U+FFFE/U+FFFF.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Column:
    """One column of a table: its key, its header text (already translated) and what it holds."""

    key: str
    title: str
    kind: str = "text"  # one of KINDS
    width: float | None = None  # None: from the header and the first 500 values, clamped 8..60
    wrap: bool = False  # long text wraps (row heights then grow to show it)


@dataclass
class Sheet:
    """One worksheet: a table under an optional title line (and subtitle)."""

    name: str  # at most 31 characters, none of []:*?/\
    columns: list[Column]
    rows: Iterable[Sequence[Any]]  # one value per column, in column order; may be a generator
    title: str | None = None
    subtitle: str | None = None
    hidden: bool = False
    landscape: bool | None = None  # None: landscape when the columns add up to more than 95 characters
    autofilter: bool = True
    freeze: bool = True  # freeze the rows down to the header (and the first column of a wide table, when it is an id)
    #: Called as ``decorate(workbook, worksheet, placement)`` once the table and its print setup are written: what a
    #: caller adds to the sheet through XlsxWriter itself (a native chart of the table's cells, say).
    decorate: Callable[[Any, Any, Placement], None] | None = None


@dataclass(frozen=True)
class Placement:
    """Where a sheet's table landed, 0-based as XlsxWriter counts: the header row, the data rows, the column widths."""

    sheet: str
    header_row: int
    first_row: int  # the first data row (header_row + 1)
    last_row: int  # the last data row; header_row when the table has no rows
    widths: tuple[float, ...]


@dataclass(frozen=True)
class PageText:
    """What is printed at the top and bottom of every page (already translated)."""

    header: str = ""  # left of the page header, plain text
    footer: str = "Trang &P/&N"  # centre of the footer; "&P" is the page number and "&N" the number of pages, any other "&" is text
    banner: str | None = None  # e.g. "SỐ LIỆU MẪU": bold in the centre of every page header, and in the title line of every sheet


@dataclass(frozen=True)
class Truncation:
    """A text cut to what a cell (or a page header) can hold."""

    sheet: str
    cell: str  # "B12", or "header" / "footer" for the page header and footer
    length: int  # the original length, in characters


@dataclass
class WriteReport:
    """What :func:`write_workbook` wrote: rows per sheet (header and title lines not counted), and every cut."""

    path: str
    rows: dict[str, int] = field(default_factory=dict)
    truncated: list[Truncation] = field(default_factory=list)


#: From this many cells on (when the rows are known in advance), a workbook goes to the fast engine. Measured on the
#: merged workbook of a 1,000-file round (110,000 cells): XlsxWriter 0.65 s, the fast engine 0.15 s; below 20,000
#: cells (the demo's merged workbook has 4,000) XlsxWriter's time is under 0.1 s and it writes them.
FAST_FROM = 20_000


def write_workbook(path: Any, sheets: Sequence[Sheet], *, page: PageText = PageText(), stamp: Mapping[str, str] | None = None,
                   stream: bool = False, engine: str = "auto") -> WriteReport:
    """Write ``sheets`` (and a hidden ``_dti`` sheet from ``stamp``, last) as a new .xlsx at ``path``.

    A workbook of :data:`FAST_FROM` cells or more (``engine="auto"``) none of whose sheets has a
    ``decorate``, or any with ``engine="fast"``, is written by :mod:`.fastxlsx` (the same workbook as text, about six times faster: the merged
    workbook of a 10,000-file round); ``engine="xlsxwriter"`` never does.

    ``stream=True`` writes each sheet row by row with XlsxWriter's ``constant_memory`` mode: memory
    stays flat however many rows there are (only the first 500 rows of a sheet are held, for its
    column widths), at the cost of inline rather than shared strings (a larger file). Callers
    write to a temporary path (:func:`dti_cli.safety.atomic_output`).

    Raises ValueError for a sheet name Excel refuses (or a repeated one, or no visible sheet), a
    row with more or fewer values than its columns, a sheet of more rows than a spreadsheet holds, a NaN or infinite
    number; TypeError for a
    value of a type that has no cell (a bool included: the caller writes its own words).
    """
    _check_sheets(sheets, stamp)
    decorated = any(s.decorate is not None for s in sheets)  # what a caller adds goes through XlsxWriter's own API
    if engine == "fast" and decorated:
        raise ValueError("a sheet with decorate= is written by XlsxWriter: engine='fast' cannot run its decorate")
    if engine == "fast" or (engine == "auto" and not decorated and _cells(sheets) >= FAST_FROM):
        from . import fastxlsx

        return fastxlsx.write(path, sheets, page=page, stamp=stamp)
    import xlsxwriter

    report = WriteReport(path=str(path))
    wb = xlsxwriter.Workbook(path, {
        "constant_memory": stream,
        # Each part assembled in memory, not in a temporary file: creating and removing 30-40 temporary files cost more
        # than writing the sheets (130 ms of a report's 270 ms here). A streamed sheet needs its temporary file.
        "in_memory": not stream,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "remove_timezone": True,
    })
    try:
        fmts = _Formats(wb)
        visible = [s for s in sheets if not s.hidden]
        for sh in sheets:
            ws = wb.add_worksheet(sh.name)
            report.rows[sh.name] = _write_sheet(ws, sh, fmts, page, report)
            if sh is visible[0]:
                ws.activate()
        if stamp is not None:
            _write_stamp(wb.add_worksheet(STAMP_SHEET), stamp, fmts, report)
    finally:
        wb.close()
    return report


def _cells(sheets: Sequence[Sheet]) -> int:
    """How many cells the sheets hold, when their rows are lists (0 for a generator: not known in advance)."""
    n = 0
    for s in sheets:
        if not hasattr(s.rows, "__len__"):
            return 0
        n += len(s.rows) * len(s.columns)  # type: ignore[arg-type]
    return n


# -- checks --------------------------------------------------------------------------------------


def check_sheet_name(name: str) -> None:
    """Raise ValueError, naming the sheet, if Excel would refuse ``name``."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"sheet name {name!r}: a sheet needs a name that is not empty")
    if len(name) > 31:
        raise ValueError(f"sheet name {name!r}: {len(name)} characters, Excel allows at most 31")
    bad = sorted(set(name) & _BAD_NAME_CHARS)
    if bad:
        raise ValueError(f"sheet name {name!r}: Excel does not allow {' '.join(bad)} in a sheet name")
    if name.startswith("'") or name.endswith("'"):
        raise ValueError(f"sheet name {name!r}: Excel does not allow an apostrophe at the start or end of a sheet name")
    if name.casefold() == "history":
        raise ValueError(f"sheet name {name!r}: Excel keeps this name for itself")
    if _UNSTORABLE.search(name):
        raise ValueError(f"sheet name {name!r}: holds a control character")


def _check_sheets(sheets: Sequence[Sheet], stamp: Mapping[str, str] | None) -> None:
    seen: dict[str, str] = {}
    names = [s.name for s in sheets] + ([STAMP_SHEET] if stamp is not None else [])
    for name in names:
        check_sheet_name(name)
        key = name.casefold()
        if key in seen:
            raise ValueError(f"sheet name {name!r}: the workbook already has a sheet {seen[key]!r} (Excel ignores case in sheet names)")
        seen[key] = name
    if not any(not s.hidden for s in sheets):
        raise ValueError("a workbook needs at least one sheet that is not hidden")
    for s in sheets:
        if not s.columns:
            raise ValueError(f"sheet {s.name!r}: no columns")
        for c in s.columns:
            if c.kind not in KINDS:
                raise ValueError(f"sheet {s.name!r}, column {c.key!r}: unknown kind {c.kind!r} (one of {', '.join(sorted(KINDS))})")


# -- text ----------------------------------------------------------------------------------------


def storable(text: str) -> str:
    """``text`` with every character a cell cannot hold shown as U+FFFD."""
    return text if text.isprintable() else _UNSTORABLE.sub("\ufffd", text)


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def cut_to_cell(text: str, limit: int = CELL_LIMIT) -> str:
    """``text`` cut to ``limit`` UTF-16 units, never between the two halves of a character."""
    if len(text) <= limit // 2 or _utf16_len(text) <= limit:
        return text
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return text[:i]
    return text


#: Widths in a column's unit (the digit "0" of 11-point Calibri, or Carlito, its metric twin in
#: LibreOffice): a lower-case letter or a space is about 1/1.2 of it, counted as 1/1.15 to be
#: safe; a capital or a digit about one, counted as 1.05 ("Đ", "M", "W" are wider). Measured
#: against LibreOffice's PDF of Vietnamese text at widths 8 to 60; tests/test_sheetwriter.py keeps
#: a check of it.
_NARROW, _WIDE = 1 / 1.15, 1.05


def _units(word: str) -> float:
    n = len(word)
    if word.islower() or not word:
        return n * _NARROW
    wide = sum(1 for ch in word if ch.isupper() or ch.isdigit())
    return (n - wide) * _NARROW + wide * _WIDE


def row_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` units wide.

    Lines are broken at spaces, as spreadsheets do: a word that does not fit moves to the next
    line, and a word longer than a line is broken where it overflows. The estimate errs on the
    side of one line too many: an extra line is blank paper, a missing one is text cut off.
    """
    room = max(1.0, width - 0.5)  # the cell's own padding
    lines = 0
    for para in text.split("\n"):
        if len(para) * _WIDE <= room:
            lines += 1
            continue
        n, used = 1, 0.0
        space = _NARROW
        for word in para.split(" "):
            w = len(word) * _NARROW if word.islower() else _units(word)
            if used and used + space + w <= room:
                used += space + w
            elif not used and w <= room:
                used = w
            else:
                if used:
                    n += 1
                while w > room:
                    n += 1
                    w -= room
                used = w
        lines += n
    return lines


def _height(lines: int) -> float:
    return min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 2)


def header_code_text(text: str) -> str:
    """Caller text for a page header or footer: "&" is doubled, so it is printed, not read as a code."""
    return text.replace("&", "&&")


def footer_code_text(text: str) -> str:
    """A footer: "&P" and "&N" stay the page number and page count; every other "&" is printed."""
    return re.sub(r"&(?![PN])", "&&", text)


def _page_codes(page: PageText) -> tuple[str, str, list[str]]:
    """The header and footer codes, cut to Excel's 255 units if need be, and which of them were cut."""
    cut: list[str] = []
    banner = f"&C&B{header_code_text(page.banner)}" if page.banner else ""

    def fit(prefix: str, raw: str, suffix: str, encode: Any, what: str) -> str:
        text = prefix + encode(raw) + suffix
        if _utf16_len(text) <= HEADER_LIMIT:
            return text
        cut.append(what)
        keep = len(raw)
        while keep and _utf16_len(text) > HEADER_LIMIT:
            keep -= 1
            raw_part = raw[:keep].rstrip("&")  # never leave half of an "&&" or of a code
            text = prefix + encode(raw_part) + "…" + suffix
        return text if _utf16_len(text) <= HEADER_LIMIT else ""

    header = fit("&L", storable(page.header), banner, header_code_text, "header") if page.header else banner
    if _utf16_len(header) > HEADER_LIMIT:  # a banner alone longer than a page header
        header = fit("&C&B", storable(page.banner or ""), "", header_code_text, "header")
    footer = fit("&C", storable(page.footer), "", footer_code_text, "footer") if page.footer else ""
    return header, footer, cut


# -- widths --------------------------------------------------------------------------------------


def _shown_length(value: Any, kind: str) -> int:
    """About how many characters ``value`` shows in a column of ``kind``."""
    t = type(value)
    if t is str or isinstance(value, str):
        return max(len(line) for line in value.split("\n")) if "\n" in value else len(value)
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16 if kind == "datetime" else 10
    if isinstance(value, date):
        return 10
    if isinstance(value, (int, float, Decimal, Fraction)) and not isinstance(value, bool):
        v = float(value)
        if not math.isfinite(v):
            return 7
        if kind == "percent":
            return len(f"{v * 100:.1f}%")
        if kind == "points":
            return len(f"{v:.2f}")
        if kind == "int" or v.is_integer():
            return len(f"{v:,.0f}")
        return len(f"{v:,.3f}".rstrip("0"))
    return len(str(value))


def _title_need(title: str) -> int:
    """Width a header needs: it wraps, so its longest word, or half of it when it is long."""
    words = title.split()
    longest = max((len(w) for w in words), default=0)
    return max(longest, -(-len(title) // 2)) if len(title) > 12 else len(title)


def column_widths(columns: Sequence[Column], sample: Sequence[Sequence[Any]]) -> list[float]:
    """Each column's width: its own, or from its header and ``sample`` rows, from 8 to 60 characters."""
    widths = []
    for j, c in enumerate(columns):
        if c.width is not None:
            widths.append(float(c.width))
            continue
        need = max([_title_need(c.title)] + [_shown_length(r[j], c.kind) for r in sample if j < len(r)])
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, need + 2.0)))
    return widths


# -- writing -------------------------------------------------------------------------------------


def cell_name(row: int, col: int) -> str:
    """A1-style name of the 0-based (row, col)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


class _Formats:
    """The workbook's cell formats, made once: header, title lines, and per kind × wrapped."""

    BORDER = {"border": 1, "border_color": "#808080"}

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.header = wb.add_format({**self.BORDER, "bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"})
        self.title = wb.add_format({"bold": True, "font_size": 13, "text_wrap": True, "valign": "top"})
        self.subtitle = wb.add_format({"italic": True, "text_wrap": True, "valign": "top"})
        self.banner = wb.add_format({"bold": True, "font_size": 13, "font_color": "#C00000"})
        self.plain = wb.add_format()
        self._cells: dict[tuple[str, bool], Any] = {}

    def cell(self, kind: str, wrap: bool) -> Any:
        key = (kind, wrap)
        f = self._cells.get(key)
        if f is None:
            props: dict[str, Any] = {**self.BORDER, "valign": "top", "num_format": NUMBER_FORMATS[kind]}
            if wrap:
                props["text_wrap"] = True
            if kind == "bool_text":
                props["align"] = "center"
            f = self._cells[key] = self.wb.add_format(props)
        return f


def _title_lines(ws: Any, sh: Sheet, fmts: _Formats, page: PageText, widths: list[float]) -> int:
    """Write the title line (the banner joins it) and the subtitle, across the table; return the header's row."""
    r = 0
    last = len(widths) - 1
    title = storable(sh.title) if sh.title else ""
    banner = storable(page.banner) if page.banner else ""
    if title or banner:
        # 13-point letters: fewer to a line, and taller lines
        ws.set_row(r, 1.2 * _height(row_lines("   ".join(x for x in (title, banner) if x), sum(widths) * 0.85)))
        if last > 0:
            ws.merge_range(r, 0, r, last, "", fmts.title)
        if title and banner:
            ws.write_rich_string(r, 0, title + "   ", fmts.banner, banner, fmts.title)
        else:
            ws.write_string(r, 0, title or banner, fmts.title if title else fmts.banner)
        r += 1
    if sh.subtitle:
        subtitle = storable(sh.subtitle)
        ws.set_row(r, _height(row_lines(subtitle, sum(widths))))
        if last > 0:
            ws.merge_range(r, 0, r, last, "", fmts.subtitle)
        ws.write_string(r, 0, subtitle, fmts.subtitle)
        r += 1
    return r


def _write_sheet(ws: Any, sh: Sheet, fmts: _Formats, page: PageText, report: WriteReport) -> int:
    columns = sh.columns
    ncols = len(columns)
    rows: Iterator[Sequence[Any]] = iter(sh.rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    widths = column_widths(columns, sample)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    total = sum(widths)
    wide = total > LANDSCAPE_ABOVE
    landscape = sh.landscape if sh.landscape is not None else wide

    head = _title_lines(ws, sh, fmts, page, widths)
    hlines = max(row_lines(storable(c.title), w) for c, w in zip(columns, widths, strict=True))
    if hlines > 1:
        ws.set_row(head, _height(hlines))
    for j, c in enumerate(columns):
        ws.write_string(head, j, storable(c.title), fmts.header)

    truncated = report.truncated
    cell_fmt = [fmts.cell(c.kind, c.wrap) for c in columns]
    as_text = [c.kind == "id" for c in columns]  # an id is text even when it is given as a number
    whole_fmt = [fmts.cell("int", c.wrap) if c.kind == "number" else None for c in columns]
    wrapped = [j for j, c in enumerate(columns) if c.wrap]
    write_string, write_number, write_blank, write_datetime = ws.write_string, ws.write_number, ws.write_blank, ws.write_datetime
    r = head
    name = sh.name
    for r, row in enumerate(chain(sample, rows), head + 1):
        if len(row) != ncols:  # a short row is as likely a mistake as a long one: no silent padding
            raise ValueError(f"sheet {name!r}, row {r + 1}: {len(row)} values for {ncols} columns")
        if r >= MAX_ROWS:
            raise ValueError(f"sheet {name!r}: more than {MAX_ROWS:,} rows, the most a spreadsheet holds")
        if wrapped:
            lines = 1
            for j in wrapped:
                v = row[j] if j < len(row) else None
                if isinstance(v, str) and v:
                    lines = max(lines, row_lines(v, widths[j]))
            if lines > 1:
                ws.set_row(r, _height(lines))
        for j, v in enumerate(row):
            t = type(v)
            if t is str or isinstance(v, str):
                v = str(v)
                if not v.isprintable():
                    v = _UNSTORABLE.sub("\ufffd", v)
                if len(v) > CELL_LIMIT // 2:
                    cut = cut_to_cell(v)
                    if cut is not v:
                        truncated.append(Truncation(name, cell_name(r, j), len(v)))
                        v = cut
                write_string(r, j, v, cell_fmt[j])
            elif v is None:
                write_blank(r, j, None, cell_fmt[j])
            elif t is bool:
                raise TypeError(f"sheet {name!r}, column {columns[j].key!r}, cell {cell_name(r, j)}: a bool has no cell; "
                                f"write the words for yes and no (e.g. 'Có' / 'Không')")
            elif t is int or t is float or isinstance(v, (int, float, Decimal, Fraction)):
                if not math.isfinite(v):
                    raise ValueError(f"sheet {name!r}, column {columns[j].key!r}, cell {cell_name(r, j)}: {v} is not a number a cell holds; "
                                     "write None (an empty cell) or words")
                if as_text[j]:
                    write_string(r, j, str(v), cell_fmt[j])
                elif whole_fmt[j] is not None and float(v).is_integer():
                    write_number(r, j, float(v), whole_fmt[j])
                else:
                    write_number(r, j, float(v), cell_fmt[j])
            elif isinstance(v, (date, time)):  # datetime is a date
                write_datetime(r, j, v, cell_fmt[j])
            else:
                raise TypeError(f"sheet {name!r}, column {columns[j].key!r}, cell {cell_name(r, j)}: "
                                f"a {type(v).__name__} value has no cell; convert it to text or a number")

    last_row = r
    if sh.autofilter:
        ws.autofilter(head, 0, last_row, ncols - 1)
    if sh.freeze:
        wide_id = wide and columns[0].kind == "id" and widths[0] <= 20 and ncols > 1
        ws.freeze_panes(head + 1, 1 if wide_id else 0)
    if last_row > head:  # "number stored as text": text such as "0123" or "-5" is text on purpose
        ws.ignore_errors({"number_stored_as_text": f"{cell_name(head + 1, 0)}:{cell_name(last_row, ncols - 1)}"})
    _print_setup(ws, sh, page, landscape, head, report)
    if sh.decorate is not None:
        sh.decorate(fmts.wb, ws, Placement(name, head, head + 1, last_row, tuple(widths)))
    if sh.hidden:
        ws.hide()
    return last_row - head


def _print_setup(ws: Any, sh: Sheet, page: PageText, landscape: bool, head: int, report: WriteReport) -> None:
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(head)
    ws.hide_gridlines(1)  # shown on screen, not printed: the table has its own borders
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    header, footer, cut = _page_codes(page)
    for what in cut:
        report.truncated.append(Truncation(sh.name, what, len(page.header if what == "header" else page.footer)))
    if header:
        ws.set_header(header, {"margin": 0.25})
    if footer:
        ws.set_footer(footer, {"margin": 0.25})


def _write_stamp(ws: Any, stamp: Mapping[str, str], fmts: _Formats, report: WriteReport) -> None:
    """Key in column A, value in column B, all text; hidden."""
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 60)
    for r, (k, v) in enumerate(stamp.items()):
        for j, text in enumerate((storable(str(k)), storable(str(v)))):
            cut = cut_to_cell(text)
            if cut is not text:
                report.truncated.append(Truncation(STAMP_SHEET, cell_name(r, j), len(text)))
            ws.write_string(r, j, cut, fmts.plain)
    ws.hide()
