"""The sheet writer's fast engine: the same print-ready tables, written as XML text, for very large workbooks.

XlsxWriter costs 8-10 µs a cell; the merged workbook of a 10,000-file round holds about a
million cells (8 s of a 12 s budget). This engine writes the same workbook :mod:`.sheetwriter`
describes — typed columns and number formats, bordered cells, a bold filled header, the title
line and banner, widths, row heights for wrapped text, frozen panes, an auto-filter, A4 print
setup fitted to the width with the header repeated, page header and footer, the hidden stamp —
at about 1.5 µs a cell, streaming each sheet into the zip. It serves only those plain tables
(no charts, validation or formulas: those workbooks are small and go through XlsxWriter), and
``tests/test_sheetwriter.py`` holds both engines to the same cells, formats and print setup.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from fractions import Fraction
from itertools import chain, islice
from typing import Any

from . import sheetwriter as sw

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

#: Number formats that are not built in, with their ids (built in: 0 General, 2 "0.00", 3 "#,##0").
_BUILTIN = {"General": 0, "0.00": 2, "#,##0": 3}
_CUSTOM = {"0.0%": 164, "#,##0.###": 165, "dd/mm/yyyy": 166, "dd/mm/yyyy hh:mm": 167}
_EPOCH = datetime(1899, 12, 30)
_HIDDEN = ' state="hidden"'


def _esc(s: str) -> str:
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    return s


def _attr(s: str) -> str:
    return _esc(s).replace('"', "&quot;")


def _t(s: str) -> str:
    return f'<t xml:space="preserve">{_esc(s)}</t>' if s[:1].isspace() or s[-1:].isspace() else f"<t>{_esc(s)}</t>"


class _Styles:
    """The cell formats: 0 plain, 1 header, 2 title, 3 subtitle, 4 banner, then one per (kind, wrap)."""

    def __init__(self) -> None:
        self.xfs = [
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
            '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">'
            '<alignment vertical="top" wrapText="1"/></xf>',
            '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>',
            '<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>',
            '<xf numFmtId="0" fontId="4" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
        ]
        self._cells: dict[tuple[str, bool], int] = {}

    def cell(self, kind: str, wrap: bool) -> int:
        key = (kind, wrap)
        if key not in self._cells:
            fmt = sw.NUMBER_FORMATS[kind]
            fid = _BUILTIN.get(fmt, _CUSTOM.get(fmt, 0))
            align = ' horizontal="center"' if kind == "bool_text" else ""
            wrapped = ' wrapText="1"' if wrap else ""
            self.xfs.append(f'<xf numFmtId="{fid}" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" '
                            f'applyAlignment="1"><alignment vertical="top"{align}{wrapped}/></xf>')
            self._cells[key] = len(self.xfs) - 1
        return self._cells[key]

    def xml(self) -> str:
        fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{_attr(c)}"/>' for c, i in _CUSTOM.items())
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
                f'<numFmts count="{len(_CUSTOM)}">{fmts}</numFmts>'
                '<fonts count="5"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
                '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
                '<font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font>'
                '<font><i/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
                '<font><b/><sz val="13"/><color rgb="FFC00000"/><name val="Calibri"/><family val="2"/></font></fonts>'
                '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
                '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>'
                '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
                '<border>' + "".join(f'<{s} style="thin"><color rgb="FF808080"/></{s}>' for s in ("left", "right", "top", "bottom"))
                + '<diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(self.xfs)}">{"".join(self.xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def _ht(points: float) -> str:
    """A row height as XlsxWriter stores it: on the 0.75-point grid of screen pixels."""
    return f"{int(points * 4 / 3 + 0.5) * 0.75:g}"


def _cols(widths: list[float]) -> str:
    return "<cols>" + "".join(f'<col min="{j}" max="{j}" width="{w + 0.71:.2f}" customWidth="1"/>' for j, w in enumerate(widths, 1)) + "</cols>"


def _serial(v: date | time) -> float:
    if isinstance(v, datetime):
        if v.tzinfo is not None:
            v = v.replace(tzinfo=None)
        return (v - _EPOCH).total_seconds() / 86400
    if isinstance(v, date):
        return float((v - _EPOCH.date()).days)
    return (v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6) / 86400


def _sheet(sh: sw.Sheet, idx: int, page: sw.PageText, styles: _Styles, report: sw.WriteReport, active: bool) -> tuple[Iterator[str], dict]:
    """The worksheet part as a stream of text, and what the workbook part needs of it (print titles, filter)."""
    columns = sh.columns
    ncols = len(columns)
    n_rows = len(sh.rows) if hasattr(sh.rows, "__len__") else None  # type: ignore[arg-type]
    rows = iter(sh.rows)
    sample = list(islice(rows, sw.WIDTH_SAMPLE))
    widths = sw.column_widths(columns, sample)
    total = sum(widths)
    wide = total > sw.LANDSCAPE_ABOVE
    landscape = sh.landscape if sh.landscape is not None else wide
    letters = [sw.cell_name(0, j)[:-1] for j in range(ncols)]
    last_col = letters[-1]
    info: dict[str, Any] = {}
    head_rows: list[str] = []
    merges: list[str] = []
    r = 0
    title = sw.storable(sh.title) if sh.title else ""
    banner = sw.storable(page.banner) if page.banner else ""
    if title or banner:
        ht = 1.2 * sw._height(sw.row_lines("   ".join(x for x in (title, banner) if x), total * 0.85))
        if title and banner:
            body = (f'<is><r><rPr><b/><sz val="13"/></rPr>{_t(title + "   ")}</r>'
                    f'<r><rPr><b/><sz val="13"/><color rgb="FFC00000"/></rPr>{_t(banner)}</r></is>')
            s = 2
        else:
            body, s = f"<is>{_t(title or banner)}</is>", 2 if title else 4
        head_rows.append(f'<row r="1" ht="{_ht(ht)}" customHeight="1"><c r="A1" s="{s}" t="inlineStr">{body}</c></row>')
        if ncols > 1:
            merges.append(f"A1:{last_col}1")
        r += 1
    if sh.subtitle:
        sub = sw.storable(sh.subtitle)
        ht = sw._height(sw.row_lines(sub, total))
        head_rows.append(f'<row r="{r + 1}" ht="{_ht(ht)}" customHeight="1"><c r="A{r + 1}" s="3" t="inlineStr"><is>{_t(sub)}</is></c></row>')
        if ncols > 1:
            merges.append(f"A{r + 1}:{last_col}{r + 1}")
        r += 1
    head = r
    hlines = max(sw.row_lines(sw.storable(c.title), w) for c, w in zip(columns, widths, strict=True))
    ht = f' ht="{_ht(sw._height(hlines))}" customHeight="1"' if hlines > 1 else ""
    head_rows.append(f'<row r="{head + 1}"{ht}>' + "".join(f'<c r="{letters[j]}{head + 1}" s="1" t="inlineStr"><is>{_t(sw.storable(c.title))}</is></c>'
                                                          for j, c in enumerate(columns)) + "</row>")
    xf = [styles.cell(c.kind, c.wrap) for c in columns]
    whole = [styles.cell("int", c.wrap) if c.kind == "number" else None for c in columns]
    as_text = [c.kind == "id" for c in columns]
    wrapped = [j for j, c in enumerate(columns) if c.wrap]
    name = sh.name
    state = {"last": head}

    def body() -> Iterator[str]:
        texts: dict[str, str] = {}
        out: list[str] = []
        for n, row in enumerate(chain(sample, rows), head + 2):
            if len(row) != ncols:
                raise ValueError(f"sheet {name!r}, row {n}: {len(row)} values for {ncols} columns")
            if n > sw.MAX_ROWS:
                raise ValueError(f"sheet {name!r}: more than {sw.MAX_ROWS:,} rows, the most a spreadsheet holds")
            lines = 1
            for j in wrapped:
                v = row[j]
                if isinstance(v, str) and v:
                    lines = max(lines, sw.row_lines(v, widths[j]))
            cells = []
            for j, v in enumerate(row):
                ref = f"{letters[j]}{n}"
                t = type(v)
                if t is str or isinstance(v, str):
                    v = str(v)
                    tail = texts.get(v)
                    if tail is None:
                        text = v if v.isprintable() else sw._UNSTORABLE.sub("\ufffd", v)
                        if len(text) > sw.CELL_LIMIT // 2:
                            cut = sw.cut_to_cell(text)
                            if cut is not text:
                                report.truncated.append(sw.Truncation(name, ref, len(text)))
                                text = cut
                        tail = f' t="inlineStr"><is>{_t(text)}</is></c>'
                        if len(texts) < 50_000:
                            texts[v] = tail
                    cells.append(f'<c r="{ref}" s="{xf[j]}"{tail}')
                elif v is None:
                    cells.append(f'<c r="{ref}" s="{xf[j]}"/>')
                elif t is bool:
                    raise TypeError(f"sheet {name!r}, column {columns[j].key!r}, cell {ref}: a bool has no cell; "
                                    "write the words for yes and no (e.g. 'Có' / 'Không')")
                elif t is int or t is float or isinstance(v, (int, float, Decimal, Fraction)):
                    if not math.isfinite(v):
                        raise ValueError(f"sheet {name!r}, column {columns[j].key!r}, cell {ref}: {v} is not a number a cell holds; "
                                         "write None (an empty cell) or words")
                    if as_text[j]:
                        cells.append(f'<c r="{ref}" s="{xf[j]}" t="inlineStr"><is>{_t(str(v))}</is></c>')
                    else:
                        f = float(v)
                        s = whole[j] if whole[j] is not None and f.is_integer() else xf[j]
                        cells.append(f'<c r="{ref}" s="{s}"><v>{f!r}</v></c>')
                elif isinstance(v, (date, time)):
                    cells.append(f'<c r="{ref}" s="{xf[j]}"><v>{_serial(v):.17g}</v></c>')
                else:
                    raise TypeError(f"sheet {name!r}, column {columns[j].key!r}, cell {ref}: "
                                    f"a {type(v).__name__} value has no cell; convert it to text or a number")
            ht = f' ht="{_ht(sw._height(lines))}" customHeight="1"' if lines > 1 else ""
            out.append(f'<row r="{n}"{ht}>{"".join(cells)}</row>')
            state["last"] = n - 1
            if len(out) >= 2000:
                yield "".join(out)
                out.clear()
        if out:
            yield "".join(out)

    # The used range: readers that trust it (openpyxl's read-only mode, and pandas through it) read no further. Rows
    # given as an iterator are not counted ahead: then there is none, and every reader reads the rows there are.
    dimension = f'<dimension ref="A1:{last_col}{head + 1 + n_rows}"/>' if n_rows is not None else ""

    def part() -> Iterator[str]:
        if sh.freeze:
            wide_id = wide and columns[0].kind == "id" and widths[0] <= 20 and ncols > 1
            x = 1 if wide_id else 0
            cell = f"{letters[x] if x else 'A'}{head + 2}"
            pane = ((f'<pane xSplit="{x}" ' if x else "<pane ") + f'ySplit="{head + 1}" topLeftCell="{cell}" '
                    f'activePane="{"bottomRight" if x else "bottomLeft"}" state="frozen"/>')
        else:
            pane = ""
        selected = ' tabSelected="1"' if active else ""
        yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
               f'<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>{dimension}'
               f'<sheetViews><sheetView{selected} workbookViewId="0">{pane}</sheetView></sheetViews>'
               f'<sheetFormatPr defaultRowHeight="15"/>{_cols(widths)}<sheetData>{"".join(head_rows)}')
        yield from body()
        last = state["last"]
        yield "</sheetData>"
        if sh.autofilter:
            ref = f"A{head + 1}:{last_col}{last + 1}"
            info["filter"] = ref
            yield f'<autoFilter ref="{ref}"/>'
        if merges:
            yield f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>"
        yield ('<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.25" footer="0.25"/>'
               f'<pageSetup paperSize="9" orientation="{"landscape" if landscape else "portrait"}" fitToWidth="1" fitToHeight="0"/>')
        header, footer, cut = sw._page_codes(page)
        for what in cut:
            report.truncated.append(sw.Truncation(name, what, len(page.header if what == "header" else page.footer)))
        if header or footer:
            yield ("<headerFooter>" + (f"<oddHeader>{_esc(header)}</oddHeader>" if header else "")
                   + (f"<oddFooter>{_esc(footer)}</oddFooter>" if footer else "") + "</headerFooter>")
        if last > head:
            yield f'<ignoredErrors><ignoredError sqref="A{head + 2}:{last_col}{last + 1}" numberStoredAsText="1"/></ignoredErrors>'
        yield "</worksheet>"
        report.rows[name] = last - head

    info["titles"] = f"${head + 1}:${head + 1}"
    return part(), info


def _stamp(stamp: Mapping[str, str], report: sw.WriteReport) -> str:
    rows = []
    for r, (k, v) in enumerate(stamp.items(), 1):
        cells = []
        for j, text in enumerate((sw.storable(str(k)), sw.storable(str(v)))):
            cut = sw.cut_to_cell(text)
            if cut is not text:
                report.truncated.append(sw.Truncation(sw.STAMP_SHEET, f"{'AB'[j]}{r}", len(text)))
            cells.append(f'<c r="{"AB"[j]}{r}" t="inlineStr"><is>{_t(cut)}</is></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}"><dimension ref="A1:B{max(1, len(rows))}"/>'
            '<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f'{_cols([24, 60])}<sheetData>{"".join(rows)}</sheetData></worksheet>')


def write(path: Any, sheets: Sequence[sw.Sheet], *, page: sw.PageText, stamp: Mapping[str, str] | None) -> sw.WriteReport:
    """Write the workbook :func:`dti_cli.core.sheetwriter.write_workbook` describes, as text (for very large tables)."""
    report = sw.WriteReport(path=str(path))
    styles = _Styles()
    visible = next(i for i, s in enumerate(sheets) if not s.hidden)
    names: list[str] = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as z:
        for i, sh in enumerate(sheets):
            stream, info = _sheet(sh, i, page, styles, report, active=i == visible)
            with z.open(f"xl/worksheets/sheet{i + 1}.xml", "w", force_zip64=True) as f:
                for chunk in stream:
                    f.write(chunk.encode("utf-8"))
            quoted = "'" + sh.name.replace("'", "''") + "'"
            if info.get("filter"):
                a, b = info["filter"].split(":")
                names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">{_attr(quoted)}!'
                             f'{_abs(a)}:{_abs(b)}</definedName>')
            names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{_attr(quoted)}!{info["titles"]}</definedName>')
        all_sheets = [(s.name, s.hidden) for s in sheets]
        if stamp is not None:
            z.writestr(f"xl/worksheets/sheet{len(sheets) + 1}.xml", _stamp(stamp, report))
            all_sheets.append((sw.STAMP_SHEET, True))
        n = len(all_sheets)
        z.writestr("xl/styles.xml", styles.xml())
        z.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            f'<bookViews><workbookView activeTab="{visible}" firstSheet="{visible}"/></bookViews><sheets>'
            + "".join(f'<sheet name="{_attr(nm)}" sheetId="{i}"{_HIDDEN if hidden else ""} r:id="rId{i}"/>'
                      for i, (nm, hidden) in enumerate(all_sheets, 1))
            + f'</sheets><definedNames>{"".join(names)}</definedNames><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
            + f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/></Relationships>'))
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        z.writestr("docProps/core.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>dti</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{now}'
            '</dcterms:modified></cp:coreProperties>'))
        z.writestr("docProps/app.xml", ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
                                        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                                        '<Application>dti</Application></Properties>'))
        z.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{PKG}/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>'))
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
            + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>"))
    return report


def _abs(ref: str) -> str:
    col = "".join(ch for ch in ref if ch.isalpha())
    row = "".join(ch for ch in ref if ch.isdigit())
    return f"${col}${row}"
