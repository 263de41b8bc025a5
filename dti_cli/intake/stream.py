"""The streaming reader: a part through expat chunk by chunk, no DTD or entity, counts bounded as it goes.

It reads the relationships and the workbook part (sheets, defined names, the 1904 date system)
always, and the shared strings, the styles and the worksheets whenever the fast path (tree.py)
hands them back; every refusal of a part's content is decided here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any
from xml.parsers import expat

from ..core import i18n
from ..core.i18n import _
from .cells import _BUILTIN_DATES, _REF, MAX_COL, MAX_ROW, _cell_value, _record_formula, _unescape, col_index, col_letters, is_date_format
from .model import REPAIR, RESEND, IntakeError, Limits, Sheet, _fail, damaged
from .zipread import _by_content, _Zip


class _Refused(Exception):
    """Raised inside expat handlers; carries the IntakeError out of the parser."""

    def __init__(self, err: IntakeError):
        self.err = err


def _parse(z: _Zip, name: str, start: Callable | None, end: Callable | None = None, text: Callable | None = None) -> None:
    """Stream member ``name`` through expat with the given handlers; DTDs refused, errors mapped to codes."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16

    def no_dtd(*_a: Any) -> None:
        raise _Refused(_fail("xml.entities", z.p, _("the file's part {part} holds a DTD or XML entity declaration, which a real Excel file "
                                                    "never has; the file is refused to protect the computer.").format(part=name), _(RESEND)))

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.UnparsedEntityDeclHandler = no_dtd
    parser.ExternalEntityRefHandler = no_dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        for chunk in z.chunks(name):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Refused as e:
        raise e.err from None
    except expat.ExpatError as e:
        raise _fail("xml.invalid", z.p, _("the file is damaged: its part {part} is not valid XML (line {line}: {error}).").format(
            part=name, line=e.lineno, error=expat.ErrorString(e.code)), _(REPAIR)) from None


def _check_part(z: _Zip, name: str) -> None:
    """A part nobody reads: decompressed with its bounds and CRC, parsed by expat without handlers (well-formed, no DTD)."""
    _parse(z, name, None)


_LOCAL: dict[str, str] = {}


def _local(name: str) -> str:
    n = _LOCAL.get(name)
    if n is None:
        n = name.rpartition(":")[2]
        if len(_LOCAL) < 10_000:  # a hostile part may name a million elements: the cache stays bounded
            _LOCAL[name] = n
    return n


def _rels(z: _Zip, rels_name: str, base: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, resolved part name) of a .rels part; external targets skipped."""
    member = z.find(rels_name)
    if member is None:
        return {}
    return dict(_by_content(z, member, ("rels", base), lambda: _read_rels(z, member, base)))


def _read_rels(z: _Zip, member: str, base: str) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "").replace("\\", "/")
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                parts: list[str] = []
                for seg in PurePosixPath(base, target).parts:
                    if seg == "..":
                        if parts:
                            parts.pop()
                    elif seg not in (".", ""):
                        parts.append(seg)
                resolved = "/".join(parts)
            out[attrs.get("Id", "")] = (attrs.get("Type", ""), resolved)

    _parse(z, member, start)
    return out


def _rels_name(part: str) -> str:
    d, _, f = part.rpartition("/")
    return f"{d}/_rels/{f}.rels" if d else f"_rels/{f}.rels"


def _workbook_part(z: _Zip, wb_part: str, limits: Limits) -> tuple[tuple[tuple[str, str, str], ...], tuple[tuple[str, str | None, tuple[str, ...]], ...], bool]:
    """workbook.xml: sheets (name, state, relationship), defined names (name, local sheet id, text), the 1904 date system."""
    sheets_decl: list[tuple[str, str, str]] = []
    names_raw: list[tuple[str, str | None, list[str]]] = []
    wb_state: dict[str, Any] = {"date1904": False, "name": None}

    def wb_start(name: str, attrs: dict[str, str]) -> None:
        loc = _local(name)
        if loc == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id" and ":" in k), "")
            sheets_decl.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))
            if len(sheets_decl) > limits.max_sheets:
                raise _Refused(_fail("file.too_many_sheets", z.p, _("the file has too many sheets (more than {n}). Delete the extra sheets, "
                                                                    "save it again as .xlsx and send it.").format(n=i18n.integer(limits.max_sheets))))
        elif loc == "definedName":
            wb_state["name"] = [attrs.get("name", ""), attrs.get("localSheetId"), []]
            names_raw.append(tuple(wb_state["name"]))  # type: ignore[arg-type]
        elif loc == "workbookPr":
            wb_state["date1904"] = attrs.get("date1904", "0") in ("1", "true")

    def wb_end(name: str) -> None:
        if _local(name) == "definedName":
            wb_state["name"] = None

    def wb_text(t: str) -> None:
        if wb_state["name"] is not None:
            wb_state["name"][2].append(t)

    _parse(z, wb_part, wb_start, wb_end, wb_text)
    return tuple(sheets_decl), tuple((n, i, tuple(t)) for n, i, t in names_raw), bool(wb_state["date1904"])


def _defined_names(raw: tuple[tuple[str, str | None, tuple[str, ...]], ...]) -> dict[str, tuple[str, str]]:
    """Single-cell defined names as (sheet title, "F12"); workbook scope wins over sheet scope; ranges and #REF! skipped."""
    out: dict[str, tuple[str, str]] = {}
    scoped: dict[str, tuple[str, str]] = {}
    for name, local_id, parts in raw:
        if not name or name.startswith("_xlnm."):
            continue
        m = _NAME_TARGET.fullmatch("".join(parts).strip())
        if not m:
            continue
        sheet = m.group(1)[1:-1].replace("''", "'") if m.group(1) else m.group(2)
        ref = f"{m.group(3).upper()}{m.group(4)}"
        (scoped if local_id is not None else out)[name] = (sheet, ref)
    for name, target in scoped.items():
        out.setdefault(name, target)
    return out


#: The files of a round share a few workbook parts: their names are resolved once (small ones; the caller copies the dict).
_shared_defined_names = functools.lru_cache(maxsize=16)(_defined_names)

_NAME_TARGET = re.compile(r"=?(?:('(?:[^']|'')+')|([^'!:\s]+))!\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def _stream_shared_strings(z: _Zip, member: str, limits: Limits) -> list[str]:
    out: list[str] = []
    buf: list[str] = []
    st = {"t": False, "ph": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        loc = _local(name)
        if loc == "t":
            st["t"] = not st["ph"]
        elif loc == "si":
            buf.clear()
        elif loc == "rPh":
            st["ph"] = True

    def end(name: str) -> None:
        loc = _local(name)
        if loc == "t":
            st["t"] = False
        elif loc == "rPh":
            st["ph"] = False
        elif loc == "si":
            out.append(_unescape("".join(buf)))
            if len(out) > limits.max_shared_strings:
                raise _Refused(_fail("file.too_many_strings", z.p, _(
                    "the file has too many text strings (more than {n}). Delete the data that is not part of the template, save it again "
                    "as .xlsx and send it.").format(n=i18n.integer(limits.max_shared_strings))))

    def text(t: str) -> None:
        if st["t"]:
            buf.append(t)

    _parse(z, member, start, end, text)
    return out


def _date_styles(z: _Zip, member: str) -> set[int]:
    custom: dict[int, str] = {}
    xfs: list[int] = []
    st = {"in_xfs": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        loc = _local(name)
        if loc == "numFmt":
            fid = attrs.get("numFmtId", "")
            if fid.isdigit():
                custom[int(fid)] = attrs.get("formatCode", "")
        elif loc == "cellXfs":
            st["in_xfs"] = True
        elif loc == "xf" and st["in_xfs"]:
            try:
                xfs.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xfs.append(0)

    def end(name: str) -> None:
        if _local(name) == "cellXfs":
            st["in_xfs"] = False

    _parse(z, member, start, end)
    return {i for i, f in enumerate(xfs) if (is_date_format(custom[f]) if f in custom else f in _BUILTIN_DATES)}


def _read_sheet(z: _Zip, member: str, sheet: Sheet, shared: list[str], date_styles: Callable[[], frozenset[int]], date1904: bool, limits: Limits) -> None:
    """Fill ``sheet`` from its XML part. Every <c> is read, whatever <dimension> claims."""
    rows = sheet._rows
    formulas = sheet.formulas
    p = z.p
    nshared = len(shared)
    # Parser state, in closures for speed (this is the hot loop of `dti merge`).
    row_no = 0
    col_no = 0
    last_row = 0
    cur: list[Any] | None = None
    ctype = "n"
    cstyle: str | None = None
    ref: str | None = None
    capture = 0  # 0 nothing, 1 <v>, 2 <f>, 3 inline <t>
    in_is = False
    in_ph = False
    vbuf: list[str] = []
    fbuf: list[str] = []
    fattrs: dict[str, str] | None = None
    shared_f: dict[str, tuple[str, str]] = {}
    cells = 0
    nrows = 0

    def too_many() -> _Refused:
        return _Refused(_fail("file.too_many_cells", p, _(
            "the sheet '{sheet}' has too many cells (more than {n}). Delete the data that is not part of the template (rows and columns "
            "used down to the end of the sheet), save it again as .xlsx and send it.").format(sheet=sheet.title, n=i18n.integer(limits.max_cells))))

    def bad_ref(what: str) -> _Refused:
        return _Refused(damaged(p, _("sheet '{sheet}': {what}").format(sheet=sheet.title, what=what)))

    def set_row(n: int) -> None:
        nonlocal row_no, col_no, cur, last_row
        if n < 1 or n > MAX_ROW:
            raise bad_ref(_("row number {row} out of range").format(row=n))
        row_no, col_no = n, 0
        cur = rows.get(n)
        if n < last_row:
            sheet._sorted = False
        last_row = max(last_row, n)

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal ctype, cstyle, ref, capture, in_is, in_ph, fattrs, col_no, nrows
        loc = _LOCAL.get(name) or _local(name)
        if loc == "c":
            r = attrs.get("r")
            if r:
                m = _REF.fullmatch(r)
                if not m:
                    raise bad_ref(_("a cell with a wrong address {ref!r}").format(ref=r[:20]))
                rn = int(m.group(2))
                if rn != row_no:
                    set_row(rn)
                col_no = col_index(m.group(1))
                if col_no > MAX_COL:
                    raise bad_ref(_("a column out of range {ref!r}").format(ref=r[:20]))
                ref = r.replace("$", "").upper()
            else:
                if row_no == 0:
                    set_row(1)
                col_no += 1
                ref = None
            ctype = attrs.get("t", "n")
            cstyle = attrs.get("s")
            vbuf.clear()
            fattrs = None
        elif loc == "v":
            capture = 1
        elif loc == "row":
            nrows += 1
            if nrows > limits.max_rows:
                raise too_many()
            r = attrs.get("r")
            if r:
                try:
                    set_row(int(r))
                except ValueError:
                    raise bad_ref(_("a wrong row number {row!r}").format(row=r[:20])) from None
            else:
                set_row(row_no + 1)
        elif loc == "f":
            capture = 2
            fbuf.clear()
            fattrs = attrs
        elif loc == "is":
            in_is = True
        elif loc == "t" and in_is:
            capture = 0 if in_ph else 3
        elif loc == "rPh":
            in_ph = True

    def end(name: str) -> None:
        nonlocal capture, in_is, in_ph, cur, cells
        loc = _LOCAL.get(name) or _local(name)
        if loc == "c":
            text = "".join(vbuf) if vbuf else None
            t = ctype
            if t == "s":
                if text is None:
                    value: Any = None
                else:
                    try:
                        value = shared[int(text)]
                    except (ValueError, IndexError):
                        raise bad_ref(_("the cell {cell} points to the string {index!r}, which is not among the {n} strings").format(
                            cell=ref or col_letters(col_no) + str(row_no), index=text[:20], n=i18n.integer(nshared))) from None
            elif text is None:
                value = None
            else:
                value = _cell_value(t, text, cstyle, date_styles, date1904)
            if fattrs is not None:
                _record_formula(fattrs, "".join(fbuf), ref or f"{col_letters(col_no)}{row_no}", shared_f, formulas)
            if value is None and fattrs is None:
                return
            if cur is None:
                cur = rows[row_no] = []
            n = len(cur)
            if col_no > n:
                cells += col_no - n
                if cells > limits.max_cells:
                    raise too_many()
                cur.extend([None] * (col_no - n))
            cur[col_no - 1] = value
        elif loc == "v" or loc == "f":
            capture = 0
        elif loc == "t":
            if capture == 3:
                capture = 0
        elif loc == "is":
            in_is = False
        elif loc == "rPh":
            in_ph = False

    def text(t: str) -> None:
        if capture:
            if capture == 2:
                fbuf.append(t)
            else:
                vbuf.append(t)

    _parse(z, member, start, end, text)
