"""open_workbook: the checks made before any parse, the reader a file's bytes call for, an .xlsx
assembled from its parts (lazily or not); and ensure_defused, for what openpyxl reads.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.errors import DtiError
from ..core.i18n import N_, _
from .legacy import _open_with_calamine
from .model import PASSWORD, RESEND, SAVE_AS, TRUNCATED, Limits, RawWorkbook, Sheet, _fail, _LazySheets, damaged
from .sniff import _MAGIC, _ole_stream_names, _sniff_text
from .stream import _check_part, _defined_names, _rels, _rels_name, _shared_defined_names, _workbook_part
from .tree import _read_date_styles, _read_worksheet, _shared_strings
from .zipread import _by_content, _Zip


def open_workbook(path: str | os.PathLike, limits: Limits = Limits(), *, lazy: bool = False) -> RawWorkbook:  # noqa: B008
    """Open a returned workbook; raise :class:`IntakeError` with a code and a message (in the run's language) if it cannot be used.

    With ``lazy=True`` (an .xlsx) each worksheet is parsed when ``wb.sheets[title]`` first asks for
    it, and the caller calls ``wb.finish()`` when it has read what it needs: the sheets it never
    asked for are then checked (a refusal is raised there). Every other check is made here.
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise _fail("file.not_found", p, _("file not found. Check the name and the folder.")) from None
    except OSError as e:
        raise _fail("file.unreadable", p, _("cannot read the file ({reason}). Check the access permissions.").format(
            reason=e.strerror or e)) from None
    if not p.is_file():
        raise _fail("file.unreadable", p, _("not a file (a folder, perhaps)."))
    lock_name = p.name.startswith("~$")
    if st.st_size == 0:
        if lock_name:
            raise _fail("file.lock_file", p, _(LOCK))
        raise _fail("file.empty", p, _("the file is empty (0 bytes): it may have been sent wrongly or not fully downloaded."), _(RESEND))
    if st.st_size > limits.max_file_bytes:
        raise _fail("file.too_large", p, _(
            "the file is too large ({size} MB; the limit is {limit} MB). A data-collection template weighs only a few hundred KB: "
            "check that this is the right file, delete pictures and extra sheets, then save it again as .xlsx.").format(
            size=i18n.num(st.st_size / 1048576, 1), limit=i18n.integer(limits.max_file_bytes / 1048576)))
    try:
        with open(p, "rb") as f:
            data = f.read(limits.max_file_bytes + 1)
    except OSError as e:
        raise _fail("file.unreadable", p, _("cannot read the file ({reason}). If it is open in Excel, close it.").format(
            reason=e.strerror or e)) from None
    if len(data) > limits.max_file_bytes:  # grew since stat
        raise _fail("file.too_large", p, _("the file is too large (the limit is {limit} MB).").format(
            limit=i18n.integer(limits.max_file_bytes / 1048576)))
    sha = hashlib.sha256(data).hexdigest()
    meta = {"path": str(p), "sha256": sha, "size": len(data), "mtime": st.st_mtime}

    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _open_zip(p, data, meta, limits, lazy)
    if lock_name and len(data) < 4096:
        raise _fail("file.lock_file", p, _(LOCK))
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        names = _ole_stream_names(data)
        if names is None:
            names = {n for n in ("EncryptedPackage", "Workbook", "Book") if n.encode("utf-16-le") in data}
        if "EncryptedPackage" in names or "EncryptionInfo" in names:
            raise _fail("file.encrypted", p, _(PASSWORD))
        if "Workbook" in names or "Book" in names:
            return _open_with_calamine(p, "xls", meta, limits)
        raise _fail("file.not_xlsx", p, _("an old Office file, but not a spreadsheet (a .doc or .ppt, perhaps)."), _(RESEND))
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _fail("file.not_xlsx", p, _("not an Excel workbook but {what}.").format(what=_(what)), _(RESEND))
    if data.startswith(b"PK"):
        raise _fail("file.truncated", p, _(TRUNCATED))
    kind = _sniff_text(data[:8192])
    if kind == "html":
        raise _fail("file.html", p, _("a web page (HTML) renamed as a spreadsheet, not an .xlsx file."), _(SAVE_AS))
    if kind == "xml_spreadsheet":
        raise _fail("file.xml_spreadsheet", p, _("an XML 2003 spreadsheet, not an .xlsx file."), _(SAVE_AS))
    if kind == "csv":
        raise _fail("file.csv", p, _("a CSV text file renamed, not an .xlsx file, so the template's formats and named cells are lost. "
                                     "Please fill in the figures in the .xlsx template that was sent, and send it again."))
    if kind == "text":
        raise _fail("file.not_xlsx", p, _("a text file, not an Excel workbook."), _(RESEND))
    raise _fail("file.not_xlsx", p, _("not an Excel workbook (.xlsx), and its format is not recognised. The file may be damaged."), _(RESEND))


LOCK = N_("a temporary lock file that Excel makes while a file is open (its name starts with ~$); it holds no figures. "
          "Ignore or delete it; the real file has the same name, without ~$.")


def _open_zip(p: Path, data: bytes, meta: dict[str, Any], limits: Limits, lazy: bool = False) -> RawWorkbook:
    z = _Zip(p, data, limits)
    if z.find("mimetype") is not None and z.find("xl/workbook.xml") is None:
        mime = z.read(z.find("mimetype") or "mimetype")[:200].decode("ascii", "replace").strip()
        if mime == "application/vnd.oasis.opendocument.spreadsheet":
            return _open_with_calamine(p, "ods", meta, limits)
        raise _fail("file.not_xlsx", p, _("an OpenDocument file ({mime}), not a spreadsheet.").format(mime=mime), _(RESEND))
    if z.find("xl/workbook.bin") is not None:
        raise _fail("file.xlsb", p, _("an Excel binary workbook (.xlsb), which cannot be read."), _(SAVE_AS))
    # The workbook part: from the package relationships, else the usual name.
    wb_part = None
    for typ, target in _rels(z, "_rels/.rels", "").values():
        if typ.endswith("/officeDocument") and z.find(target):
            wb_part = z.find(target)
    wb_part = wb_part or z.find("xl/workbook.xml")
    if wb_part is None:
        if z.find("word/document.xml"):
            raise _fail("file.not_xlsx", p, _("a Word document (.docx), not a spreadsheet."), _(RESEND))
        if z.find("ppt/presentation.xml"):
            raise _fail("file.not_xlsx", p, _("a PowerPoint presentation, not a spreadsheet."), _(RESEND))
        if z.find("[Content_Types].xml") or any(k.startswith("xl/") for k in z.members):
            raise damaged(p, _("the workbook's part workbook.xml is missing"))
        raise _fail("file.not_xlsx", p, _("a .zip archive, not an .xlsx workbook. Extract it and send the .xlsx file inside."))
    base = wb_part.rpartition("/")[0]

    sheets_decl, names_raw, date1904 = _by_content(z, wb_part, ("workbook", limits.max_sheets), lambda: _workbook_part(z, wb_part, limits))
    rels = _rels(z, _rels_name(wb_part), base)

    shared: list[str] = []
    for typ, target in rels.values():
        if typ.endswith("/sharedStrings"):
            member = z.find(target)
            if member:
                shared = _shared_strings(z, member, limits)
    if not shared and not any(t.endswith("/sharedStrings") for t, _ in rels.values()):
        member = z.find(f"{base}/sharedStrings.xml" if base else "sharedStrings.xml")
        if member:
            shared = _shared_strings(z, member, limits)
    styles_member = next((z.find(t) for typ, t in rels.values() if typ.endswith("/styles") and z.find(t)), None)
    styles_member = styles_member or z.find(f"{base}/styles.xml" if base else "styles.xml")
    date_xf_cache: list[frozenset[int]] = []

    def date_styles() -> frozenset[int]:
        if not date_xf_cache:
            date_xf_cache.append(_by_content(z, styles_member, ("styles",), lambda: frozenset(_read_date_styles(z, styles_member)))
                                 if styles_member else frozenset())
        return date_xf_cache[0]

    lazy_sheets = _LazySheets() if lazy else None
    if lazy_sheets is not None:
        lazy_sheets.styles = date_styles
    wb = RawWorkbook(format="xlsx", sheets=lazy_sheets if lazy_sheets is not None else {}, sheet_order=[], date1904=date1904, **meta)
    total_cells = [0]

    def load(member: str, sheet: Sheet) -> None:
        _read_worksheet(z, member, sheet, shared, date_styles, date1904, limits)
        total_cells[0] += sum(len(r) for r in sheet._rows.values())
        if total_cells[0] > limits.max_total_cells:  # so reading costs at most max_total_cells + max_cells
            raise _fail("file.too_many_cells", p, _(
                "the sheets hold too many cells (more than {n} in all). Delete the sheets and data that are not part of the template, "
                "save it again as .xlsx and send it.").format(n=i18n.integer(limits.max_total_cells)))

    for title, state, rid in sheets_decl:
        typ, target = rels.get(rid, ("", ""))
        member = z.find(target) if target else None
        if member is None:
            raise damaged(p, _("the content of the sheet '{sheet}' is missing").format(sheet=title))
        kind = "chartsheet" if "chartsheet" in typ else "dialogsheet" if "dialogsheet" in typ else "worksheet"
        sheet = Sheet(title, kind)
        if lazy_sheets is not None:
            if kind == "worksheet":
                lazy_sheets.add(sheet, functools.partial(load, member, sheet), functools.partial(_check_part, z, member), z.members[member].file_size)
            else:
                lazy_sheets.add(sheet, None, None)
        else:
            if kind == "worksheet":
                load(member, sheet)
            wb.sheets[title] = sheet  # type: ignore[index]
        wb.sheet_order.append(title)
        if state in ("hidden", "veryHidden"):
            wb.hidden.add(title)
    wb.defined_names = dict(_shared_defined_names(names_raw) if len(names_raw) <= 1000 else _defined_names(names_raw))
    return wb


def ensure_defused() -> None:
    """Check that openpyxl parses XML through defusedxml (refusing entities); raise DtiError if not.

    openpyxl decides once, when ``openpyxl.xml`` is first imported: defusedxml importable and
    ``OPENPYXL_DEFUSEDXML`` not set to anything but "True". When openpyxl is already loaded its
    decision is read; otherwise the same conditions are checked without importing it (importing
    openpyxl costs more than reading a hundred returned workbooks, and merge may not need it).
    """
    import importlib.util
    import sys

    try:
        import defusedxml  # noqa: F401
    except ImportError as e:  # pragma: no cover - a dependency
        raise DtiError(_(MISSING_LIBRARY).format(name=e.name)) from None
    oxml = sys.modules.get("openpyxl.xml")
    if oxml is not None:
        defused = getattr(oxml, "DEFUSEDXML", False)
    elif importlib.util.find_spec("openpyxl") is None:  # pragma: no cover - a dependency
        raise DtiError(_(MISSING_LIBRARY).format(name="openpyxl"))
    else:
        defused = os.environ.get("OPENPYXL_DEFUSEDXML", "True") == "True"  # as openpyxl.xml.defusedxml_env_set
    if not defused:
        raise DtiError(_("openpyxl does not use defusedxml, so it could read a malicious XML file. Install it again: "
                         "pip install defusedxml, and do not set the environment variable OPENPYXL_DEFUSEDXML=False."))


MISSING_LIBRARY = N_("The library {name} is missing: install dti again (pip install -e .).")
