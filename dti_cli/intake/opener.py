"""open_workbook: the checks made before any parse, the reader a file's bytes call for, an .xlsx
assembled from its parts (lazily or not); and ensure_defused, for what openpyxl reads.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Any

from ..core.errors import DtiError
from .legacy import _open_with_calamine
from .model import _PASSWORD_TEXT, _RESEND, _SAVE_AS, _TRUNCATED_TEXT, Limits, RawWorkbook, Sheet, _fail, _LazySheets
from .sniff import _MAGIC, _ole_stream_names, _sniff_text
from .stream import _check_part, _defined_names, _rels, _rels_name, _shared_defined_names, _workbook_part
from .tree import _read_date_styles, _read_worksheet, _shared_strings
from .zipread import _by_content, _Zip


def open_workbook(path: str | os.PathLike, limits: Limits = Limits(), *, lazy: bool = False) -> RawWorkbook:  # noqa: B008
    """Open a returned workbook; raise :class:`IntakeError` with a code and a Vietnamese message if it cannot be used.

    With ``lazy=True`` (an .xlsx) each worksheet is parsed when ``wb.sheets[title]`` first asks for
    it, and the caller calls ``wb.finish()`` when it has read what it needs: the sheets it never
    asked for are then checked (a refusal is raised there). Every other check is made here.
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise _fail("file.not_found", p, "không tìm thấy tệp. Kiểm tra lại tên và thư mục.") from None
    except OSError as e:
        raise _fail("file.unreadable", p, f"không đọc được tệp ({e.strerror or e}). Kiểm tra quyền truy cập.") from None
    if not p.is_file():
        raise _fail("file.unreadable", p, "không phải là tệp (có thể là thư mục).")
    lock_name = p.name.startswith("~$")
    if st.st_size == 0:
        if lock_name:
            raise _fail("file.lock_file", p, _LOCK_TEXT)
        raise _fail("file.empty", p, "tệp rỗng (0 byte), có thể gửi lỗi hoặc tải về chưa xong. " + _RESEND)
    if st.st_size > limits.max_file_bytes:
        raise _fail(
            "file.too_large",
            p,
            f"tệp quá lớn ({st.st_size / 1048576:.1f} MB; giới hạn {limits.max_file_bytes / 1048576:.0f} MB). "
            "Mẫu thu thập chỉ nặng vài trăm KB: kiểm tra có đúng tệp không, xoá ảnh và trang tính thừa rồi lưu lại dưới dạng .xlsx.",
        )
    try:
        with open(p, "rb") as f:
            data = f.read(limits.max_file_bytes + 1)
    except OSError as e:
        raise _fail("file.unreadable", p, f"không đọc được tệp ({e.strerror or e}). Nếu tệp đang mở trong Excel, hãy đóng lại.") from None
    if len(data) > limits.max_file_bytes:  # grew since stat
        raise _fail("file.too_large", p, f"tệp quá lớn (giới hạn {limits.max_file_bytes / 1048576:.0f} MB).")
    sha = hashlib.sha256(data).hexdigest()
    meta = {"path": str(p), "sha256": sha, "size": len(data), "mtime": st.st_mtime}

    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _open_zip(p, data, meta, limits, lazy)
    if lock_name and len(data) < 4096:
        raise _fail("file.lock_file", p, _LOCK_TEXT)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        names = _ole_stream_names(data)
        if names is None:
            names = {n for n in ("EncryptedPackage", "Workbook", "Book") if n.encode("utf-16-le") in data}
        if "EncryptedPackage" in names or "EncryptionInfo" in names:
            raise _fail("file.encrypted", p, _PASSWORD_TEXT)
        if "Workbook" in names or "Book" in names:
            return _open_with_calamine(p, "xls", meta, limits)
        raise _fail("file.not_xlsx", p, "là một tệp Office cũ nhưng không phải bảng tính (có thể là .doc hoặc .ppt). " + _RESEND)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _fail("file.not_xlsx", p, f"không phải bảng tính Excel mà là {what}. {_RESEND}")
    if data.startswith(b"PK"):
        raise _fail("file.truncated", p, _TRUNCATED_TEXT)
    kind = _sniff_text(data[:8192])
    if kind == "html":
        raise _fail("file.html", p, "là một trang web (HTML) đổi đuôi thành bảng tính, không phải tệp .xlsx. " + _SAVE_AS)
    if kind == "xml_spreadsheet":
        raise _fail("file.xml_spreadsheet", p, "là bảng tính dạng XML 2003, không phải .xlsx. " + _SAVE_AS)
    if kind == "csv":
        raise _fail("file.csv", p, "là tệp văn bản CSV đổi đuôi, không phải tệp .xlsx nên mất định dạng và tên vùng của mẫu. "
                    "Đề nghị điền số liệu vào đúng tệp mẫu .xlsx đã gửi và gửi lại.")
    if kind == "text":
        raise _fail("file.not_xlsx", p, "là tệp văn bản, không phải bảng tính Excel. " + _RESEND)
    raise _fail("file.not_xlsx", p, "không phải bảng tính Excel (.xlsx) và không nhận ra định dạng. Tệp có thể bị hỏng. " + _RESEND)


_LOCK_TEXT = ("là tệp khoá tạm Excel tạo ra khi một tệp đang mở (tên bắt đầu bằng ~$), không chứa số liệu. "
              "Bỏ qua hoặc xoá tệp này; tệp số liệu thật có cùng tên, không có ~$.")


def _open_zip(p: Path, data: bytes, meta: dict[str, Any], limits: Limits, lazy: bool = False) -> RawWorkbook:
    z = _Zip(p, data, limits)
    if z.find("mimetype") is not None and z.find("xl/workbook.xml") is None:
        mime = z.read(z.find("mimetype") or "mimetype")[:200].decode("ascii", "replace").strip()
        if mime == "application/vnd.oasis.opendocument.spreadsheet":
            return _open_with_calamine(p, "ods", meta, limits)
        raise _fail("file.not_xlsx", p, f"là tài liệu OpenDocument ({mime}), không phải bảng tính. " + _RESEND)
    if z.find("xl/workbook.bin") is not None:
        raise _fail("file.xlsb", p, "là bảng tính nhị phân Excel (.xlsb), không đọc được. " + _SAVE_AS)
    # The workbook part: from the package relationships, else the usual name.
    wb_part = None
    for typ, target in _rels(z, "_rels/.rels", "").values():
        if typ.endswith("/officeDocument") and z.find(target):
            wb_part = z.find(target)
    wb_part = wb_part or z.find("xl/workbook.xml")
    if wb_part is None:
        if z.find("word/document.xml"):
            raise _fail("file.not_xlsx", p, "là văn bản Word (.docx), không phải bảng tính. " + _RESEND)
        if z.find("ppt/presentation.xml"):
            raise _fail("file.not_xlsx", p, "là bản trình chiếu PowerPoint, không phải bảng tính. " + _RESEND)
        if z.find("[Content_Types].xml") or any(k.startswith("xl/") for k in z.members):
            raise _fail("file.corrupt", p, "tệp bị hỏng (thiếu phần workbook.xml của sổ làm việc). Đề nghị gửi lại; nếu tệp mở được trong Excel, "
                        "hãy lưu lại dưới dạng .xlsx rồi gửi.")
        raise _fail("file.not_xlsx", p, "là tệp nén .zip, không phải bảng tính .xlsx. Giải nén rồi gửi tệp .xlsx bên trong.")
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
            raise _fail("file.too_many_cells", p, f"các trang tính có quá nhiều ô (hơn {limits.max_total_cells:,} ô tất cả). "
                        "Xoá các trang và dữ liệu thừa ngoài mẫu, lưu lại dưới dạng .xlsx rồi gửi.")

    for title, state, rid in sheets_decl:
        typ, target = rels.get(rid, ("", ""))
        member = z.find(target) if target else None
        if member is None:
            raise _fail("file.corrupt", p, f"tệp bị hỏng (thiếu nội dung trang tính '{title}'). Đề nghị gửi lại; nếu tệp mở được trong Excel, "
                        "hãy lưu lại dưới dạng .xlsx rồi gửi.")
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
        raise DtiError(f"Thiếu thư viện {e.name}: cài lại dti (pip install -e .) để có defusedxml.") from None
    oxml = sys.modules.get("openpyxl.xml")
    if oxml is not None:
        defused = getattr(oxml, "DEFUSEDXML", False)
    elif importlib.util.find_spec("openpyxl") is None:  # pragma: no cover - a dependency
        raise DtiError("Thiếu thư viện openpyxl: cài lại dti (pip install -e .).")
    else:
        defused = os.environ.get("OPENPYXL_DEFUSEDXML", "True") == "True"  # as openpyxl.xml.defusedxml_env_set
    if not defused:
        raise DtiError(
            "openpyxl không dùng defusedxml nên có thể đọc tệp XML độc hại. Cài lại: pip install defusedxml, "
            "và không đặt biến môi trường OPENPYXL_DEFUSEDXML=False."
        )
