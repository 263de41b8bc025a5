"""The fast path: parts of ordinary size and shape through ElementTree's C parser, read as the streaming reader reads them.

The streaming reader (stream.py) calls Python for every start tag, end tag and text of every
part: in a returned template (five sheets, styles) that is about 2,000 calls, most of the time
`dti merge` spends on a file. A part of ordinary size and shape is instead parsed into a tree by
ElementTree's C parser and its cells are read from the tree. The result is the same Sheet, value
for value (tests/test_intake_fast.py compares both readers on every workbook the tests build and
on generated sheets), because the fast path reads only what it can read exactly as the streaming
reader does and hands anything else back to it:

* parts over _TREE_MAX bytes (declared), so a tree never holds more than a few MB; larger parts
  are streamed with the bounds checked as they go;
* any "<!" or "<?" after the XML declaration (a DTD, an entity, a comment, CDATA, a processing
  instruction), any encoding but UTF-8, any XML error: the streaming reader then parses the part
  and refuses what it refuses, with the same code and message;
* rows and cells anywhere but <sheetData><row><c>, cell content other than <v>, <f> and <is>
  (<t>, <r>, <rPh>, <phoneticPr>), a cell outside its row, a refusal (bad reference, too many
  cells, a shared string that does not exist): the sheet is read again by the streaming reader.

The zip checks are unchanged: the part's bytes come from the same bounded, CRC-checked
decompression, chunk by chunk, and are fed to the parser as they come. ``_read_worksheet``,
``_shared_strings`` and ``_read_date_styles`` are the entry points: the tree when it can, else
the streaming reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET

from .cells import _BUILTIN_DATES, _REF, MAX_COL, MAX_ROW, _cell_value, _record_formula, _unescape, col_index, col_letters, is_date_format
from .model import Limits, Sheet
from .stream import _date_styles, _read_sheet, _stream_shared_strings
from .zipread import _Zip

#: Parts up to this declared size go through the tree (a template's sheets are 3-100 KB).
_TREE_MAX = 2 * 1024 * 1024
#: Local names the streaming sheet reader acts on wherever they are.
_SHEET_NAMES = frozenset(("c", "row", "v", "f", "is", "t", "rPh"))
_MARKUP_DECL = re.compile(rb"<[!?]")  # a DTD, entity, comment, CDATA section or processing instruction
_UTF8_DECL = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"'](?P<enc>[^\"']*)[\"'][^>]*\?>|<\?xml[^>]*\?>")


class _Fallback(Exception):
    """The fast path cannot read this part exactly as the streaming reader does: let it read it."""


_TAGS: dict[str, str] = {}


def _tag(tag: str) -> str:
    """The local name of an ElementTree tag ("{ns}c" → "c"); cached, with a bound (tags come from the file)."""
    n = _TAGS.get(tag)
    if n is None:
        n = tag.rpartition("}")[2]
        if len(_TAGS) < 10_000:
            _TAGS[tag] = n
    return n


def _tree(z: _Zip, member: str) -> ET.Element | None:
    """The part as a tree, or None when the streaming reader must read it (see this module's docstring)."""
    if z.members[member].file_size > _TREE_MAX:
        return None
    parser = ET.XMLParser()
    first, tail = True, b""
    try:
        for chunk in z.chunks(member):
            look = chunk
            if first:
                first = False
                look = chunk[3:] if chunk.startswith(b"\xef\xbb\xbf") else chunk
                if not look.startswith(b"<"):
                    return None  # UTF-16 (a BOM or NUL bytes), leading blanks, not XML: the streaming reader decides
                if look.startswith(b"<?xml"):
                    m = _UTF8_DECL.match(look)
                    if not m or (m.group("enc") is not None and m.group("enc").strip().lower() not in (b"utf-8", b"utf8")):
                        return None
                    look = look[m.end():]
            if _MARKUP_DECL.search(look) or (tail == b"<" and look[:1] in (b"!", b"?")):
                return None
            tail = look[-1:]
            parser.feed(chunk)
        return parser.close()
    except ET.ParseError:
        return None


def _read_worksheet(z: _Zip, member: str, sheet: Sheet, shared: list[str], date_styles: Callable[[], frozenset[int]], date1904: bool,
                    limits: Limits) -> None:
    """Fill ``sheet``: through the tree when the part allows it, else (or when in doubt) with the streaming reader."""
    root = _tree(z, member)
    if root is not None:
        try:
            _sheet_from_tree(root, sheet, shared, date_styles, date1904, limits)
            return
        except _Fallback:
            sheet._rows.clear()
            sheet.formulas.clear()
            sheet._sorted = True
    _read_sheet(z, member, sheet, shared, date_styles, date1904, limits)


def _shared_strings(z: _Zip, member: str, limits: Limits) -> list[str]:
    """The shared strings: through the tree when the part allows it (see this module's docstring), else streamed."""
    root = _tree(z, member)
    if root is not None:
        try:
            return _shared_from_tree(root, limits)
        except _Fallback:
            pass
    return _stream_shared_strings(z, member, limits)


def _no_sheet_names(el: ET.Element, names: frozenset[str] = _SHEET_NAMES) -> None:
    for t in {x.tag for x in el.iter()}:  # each tag once
        if (_TAGS.get(t) or _tag(t)) in names:
            raise _Fallback


#: Outside <sheetData> only rows and cells change what the streaming reader reads: <v>, <f>, <is>,
#: <t> and <rPh> elsewhere (Excel writes <xm:f> in the validation lists of <extLst>) only set state
#: that their own end tags reset and that the next cell clears.
_CELL_NAMES = frozenset(("c", "row"))


#: Cell references already read → (row, column, "F12"); bounded, as the file decides what is in it.
_REFS: dict[str, tuple[int, int, str]] = {}


def _sheet_from_tree(root: ET.Element, sheet: Sheet, shared: list[str], date_styles: Callable[[], frozenset[int]], date1904: bool,
                     limits: Limits) -> None:
    """What _read_sheet reads, from the tree of an ordinary sheet part; raises _Fallback for anything else.

    This loop runs for every cell of every returned sheet, so it avoids calls where it can: tags
    already seen are recognised by a set or dict lookup, and the common values (an empty cell, a
    whole number, text without escapes) are read inline.
    """
    tags, tag, refs = _TAGS, _tag, _REFS
    if (tags.get(root.tag) or tag(root.tag)) in _SHEET_NAMES:
        raise _Fallback
    sheet_data = None
    for child in root:
        if (tags.get(child.tag) or tag(child.tag)) == "sheetData" and sheet_data is None:
            sheet_data = child
        else:
            _no_sheet_names(child, _CELL_NAMES)
    if sheet_data is None:
        return
    if len(sheet_data) > limits.max_rows:
        raise _Fallback
    rows, formulas = sheet._rows, sheet.formulas
    max_cells = limits.max_cells
    row_no = last_row = cells = 0
    shared_f: dict[str, tuple[str, str]] = {}
    # Tags (full names, as the parser gives them) already known to be <row>, <c>; local names of the others.
    row_tags: set[str] = set()
    c_tags: set[str] = set()
    seen: dict[str, str] = {}
    for row in sheet_data:
        rt = row.tag
        if rt not in row_tags:
            if (tags.get(rt) or tag(rt)) != "row":
                raise _Fallback
            row_tags.add(rt)
        r = row.get("r")
        try:
            n = int(r) if r else row_no + 1
        except ValueError:
            raise _Fallback from None
        if n < 1 or n > MAX_ROW:
            raise _Fallback
        row_no, col_no = n, 0
        cur = rows.get(n)
        if n < last_row:
            sheet._sorted = False
        if n > last_row:
            last_row = n
        for c in row:
            ct = c.tag
            if ct not in c_tags:
                if (tags.get(ct) or tag(ct)) != "c":
                    raise _Fallback
                c_tags.add(ct)
            r = c.get("r")
            if r:
                hit = refs.get(r)
                if hit is None:
                    m = _REF.fullmatch(r)
                    if not m:
                        raise _Fallback
                    hit = (int(m.group(2)), col_index(m.group(1)), r.replace("$", "").upper())
                    if len(refs) < 100_000:
                        refs[r] = hit
                rn, col_no, ref = hit
                if rn != row_no or col_no > MAX_COL:
                    raise _Fallback
            else:
                col_no += 1
                ref = None
            fattrs: dict[str, str] | None = None
            ftext = ""
            kids = len(c)
            if not kids:
                continue  # no value, no formula: nothing to keep
            if kids == 1:  # the usual cell: one <v>, or one <is> with one <t>
                k = c[0]
                kt = k.tag
                try:
                    kl = seen[kt]
                except KeyError:
                    kl = seen[kt] = tags.get(kt) or tag(kt)
                if kl == "v" and not len(k):
                    text = k.text
                elif kl == "is" and len(k) == 1 and not len(k0 := k[0]):
                    kt = k0.tag
                    try:
                        kl = seen[kt]
                    except KeyError:
                        kl = seen[kt] = tags.get(kt) or tag(kt)
                    if kl == "t":
                        text = k0.text
                    else:
                        text, fattrs, ftext = _cell_content(c)
                else:
                    text, fattrs, ftext = _cell_content(c)
            else:
                text, fattrs, ftext = _cell_content(c)
            if text is None:
                value: Any = None
            else:
                t = c.get("t", "n")
                if t == "s":
                    try:
                        value = shared[int(text)]
                    except (ValueError, IndexError):
                        raise _Fallback from None
                else:
                    value = _cell_value(t, text, c.get("s"), date_styles, date1904)
            if fattrs is not None:
                _record_formula(fattrs, ftext, ref or f"{col_letters(col_no)}{row_no}", shared_f, formulas)
            elif value is None:
                continue
            if cur is None:
                cur = rows[row_no] = []
            have = len(cur)
            if col_no > have:
                cells += col_no - have
                if cells > max_cells:
                    raise _Fallback
                cur.extend([None] * (col_no - have))
            cur[col_no - 1] = value


def _cell_content(c: ET.Element) -> tuple[str | None, dict[str, str] | None, str]:
    """(text of the <v> and <is> in order, attributes of the last <f>, its text) of any ordinary cell."""
    parts: list[str] = []
    fattrs: dict[str, str] | None = None
    ftext = ""
    for k in c:
        kl = _TAGS.get(k.tag) or _tag(k.tag)
        if kl == "v":
            if len(k):
                raise _Fallback
            if k.text is not None:
                parts.append(k.text)
        elif kl == "is":
            _inline_text(k, parts)
        elif kl == "f":
            if len(k):
                raise _Fallback
            fattrs, ftext = k.attrib, k.text or ""
        else:
            raise _Fallback
    return ("".join(parts) if parts else None), fattrs, ftext


def _inline_text(el: ET.Element, parts: list[str], names: frozenset[str] = _SHEET_NAMES) -> None:
    """The texts of an <is> or a shared <si> (its <t>, the <t> of its <r> runs; not the phonetic <rPh>), as the streaming reader joins them.

    ``names``: the elements that must not appear inside a run's properties (they would change what the streaming reader reads).
    """
    for run in el:
        rl = _TAGS.get(run.tag) or _tag(run.tag)
        if rl == "t":
            if len(run):
                raise _Fallback
            if run.text is not None:
                parts.append(run.text)
        elif rl == "r":
            for x in run:
                xl = _TAGS.get(x.tag) or _tag(x.tag)
                if xl == "t":
                    if len(x):
                        raise _Fallback
                    if x.text is not None:
                        parts.append(x.text)
                elif xl == "rPr":
                    _no_sheet_names(x, names)
                else:
                    raise _Fallback
        elif rl == "rPh":
            for x in run:
                if (_TAGS.get(x.tag) or _tag(x.tag)) != "t" or len(x):
                    raise _Fallback
        elif rl == "phoneticPr":
            if len(run):
                raise _Fallback
        else:
            raise _Fallback


#: Elements that change what the streaming reader takes from a shared-strings part.
_SST_NAMES = frozenset(("si", "t", "rPh"))


def _shared_from_tree(root: ET.Element, limits: Limits) -> list[str]:
    """What _stream_shared_strings reads, from the tree of an ordinary part; raises _Fallback for anything else.

    Excel and LibreOffice save every text of a workbook here, so this runs for every returned file
    they saved: a string is its <t>, or the <t> of its <r> runs, joined; phonetic runs are not text.
    """
    tags, tag = _TAGS, _tag
    if (tags.get(root.tag) or tag(root.tag)) in _SST_NAMES:
        raise _Fallback
    out: list[str] = []
    append = out.append
    most = limits.max_shared_strings
    for si in root:
        if (tags.get(si.tag) or tag(si.tag)) != "si":
            _no_sheet_names(si, _SST_NAMES)
            continue
        if len(si) == 1 and not len(k := si[0]) and (tags.get(k.tag) or tag(k.tag)) == "t":  # the usual string: <si><t>…</t></si>
            text = k.text or ""
        else:
            parts: list[str] = []
            _inline_text(si, parts, _SST_NAMES)
            text = "".join(parts)
        append(_unescape(text) if "_x" in text else text)
        if len(out) > most:
            raise _Fallback  # the streaming reader refuses it, with its message
    return out


def _read_date_styles(z: _Zip, member: str) -> set[int]:
    """_date_styles, through the tree when the styles part allows it."""
    root = _tree(z, member)
    if root is not None:
        custom: dict[int, str] = {}
        xfs_parent: list[ET.Element] = []
        for el in root.iter():
            loc = _TAGS.get(el.tag) or _tag(el.tag)
            if loc == "numFmt":
                fid = el.get("numFmtId", "")
                if fid.isdigit():
                    custom[int(fid)] = el.get("formatCode", "")
            elif loc == "cellXfs":
                xfs_parent.append(el)
        if len(xfs_parent) <= 1:  # two <cellXfs> (never written by a spreadsheet program): the streaming reader decides
            xfs: list[int] = []
            for cx in xfs_parent:
                for el in cx.iter():
                    if el is not cx and (_TAGS.get(el.tag) or _tag(el.tag)) == "xf":
                        try:
                            xfs.append(int(el.get("numFmtId", "0")))
                        except ValueError:
                            xfs.append(0)
            return {i for i, f in enumerate(xfs) if (is_date_format(custom[f]) if f in custom else f in _BUILTIN_DATES)}
    return _date_styles(z, member)
