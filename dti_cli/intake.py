"""Opening a returned workbook safely: format by its bytes, zip checks, a bounded parse → RawWorkbook.

Every file an agency sends back is treated as hostile until read. :func:`open_workbook`

1. refuses what is not a workbook, recognised by its bytes and never by its name: a zero-byte
   file, an Excel lock file (``~$…``), a file over the size limit, a legacy .xls or an encrypted
   .xlsx (both OLE containers; the stream names tell them apart), an .xlsb, CSV, HTML, PDF or
   other text renamed .xlsx, a truncated zip;
2. checks the zip central directory before anything is decompressed: member count, declared
   sizes, total declared size, compression ratio, the encrypted flag, the compression method;
3. decompresses each part it needs itself, in chunks, and stops as soon as a part yields more
   than it declared (a zip bomb that lies about its size), then checks the CRC;
4. parses the XML with expat in a streaming way: any DTD (so any entity, internal or external)
   is refused, and the cell, row, sheet and shared-string counts are bounded as it goes, so a
   sheet that really holds millions of cells is refused without being held in memory.
   The ``<dimension>`` a sheet claims is ignored: every real cell is read.

``open_workbook(path, lazy=True)`` (what merge uses) makes every check above but parses a
worksheet only when it is first asked for; ``wb.finish()`` then checks the sheets nobody asked
for (decompressed with their bounds and CRC, well-formed, no DTD) or, with ``full=True`` or when
they are large, reads them as an eager open does.

Values come back as the file stores them: ``int``/``float`` numbers, ``str`` text (shared,
inline and rich-text strings joined), ``bool``, ``datetime`` for numbers whose style is a date
format (and ``t="d"`` cells), :class:`~dti_cli.values.ErrorValue` (a ``str`` subclass, e.g.
``"#DIV/0!"``) for error cells, ``None`` for empty cells. A formula cell reads as its cached
value (``None`` when the file has none) and is listed in :attr:`Sheet.formulas`.

**.xls and .ods** (chosen: read them, with a warning). Officials still save as Excel 97-2003 or
from LibreOffice; refusing would only delay the answer by a round of e-mails. They are read with
python-calamine (values only: no defined names, no formulas, so merge finds inputs by the id in
column A) **in a separate process** with a time limit and a memory limit, so that a crash or an
abort in the Rust reader, or a file built to exhaust it, cannot take dti down. The workbook comes
back with a warning-level note (``file.legacy_xls`` or ``file.ods``) so merge can say "please
send .xlsx next time"; when the child fails, the same code is raised as an :class:`IntakeError`.

Refusal codes (``IntakeError.code``): ``file.not_found``, ``file.unreadable``, ``file.empty``,
``file.lock_file``, ``file.too_large``, ``file.legacy_xls``, ``file.ods``, ``file.encrypted``,
``file.xlsb``, ``file.csv``, ``file.html``, ``file.xml_spreadsheet``, ``file.not_xlsx``,
``file.truncated``, ``file.corrupt``, ``file.zip_bomb``, ``file.zip_method``, ``xml.entities``,
``xml.invalid``, ``file.too_many_sheets``, ``file.too_many_cells``, ``file.too_many_strings``.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree as ET
from xml.parsers import expat

from .core.errors import DtiError, InputFileError
from .values import ErrorValue, excel_serial_to_datetime

# ---------------------------------------------------------------------------------------------
# Public types


@dataclass(frozen=True)
class Limits:
    """Bounds on what a returned file may make dti do. A template is a few hundred KB and cells."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_members: int = 1000  # zip members
    max_member_bytes: int = 100 * 1024 * 1024  # declared uncompressed size of one member
    max_total_bytes: int = 300 * 1024 * 1024  # declared uncompressed size of all members
    max_ratio: int = 200  # uncompressed / compressed, for members over ratio_floor bytes
    ratio_floor: int = 1024 * 1024
    max_sheets: int = 255
    max_cells: int = 1_000_000  # per sheet, counting the empty slots to the left of a cell in its row
    max_total_cells: int = 2_000_000  # all sheets together (else 255 sheets of max_cells each would pass)
    max_rows: int = 1_048_576  # row elements per sheet (Excel's own maximum)
    max_shared_strings: int = 1_000_000
    child_timeout: float = 60.0  # seconds for the .xls/.ods reader process
    child_memory_bytes: int = 2 * 1024 * 1024 * 1024


class IntakeError(InputFileError):
    """A returned file that cannot be read; ``code`` is a stable finding code, ``message_vi`` says what to do."""

    def __init__(self, code: str, message_vi: str, path: str | os.PathLike = ""):
        self.code = code
        self.message_vi = message_vi
        self.path = str(path)
        super().__init__(message_vi)


@dataclass(frozen=True)
class IntakeNote:
    """A warning about a file that was read anyway (e.g. saved as .ods)."""

    code: str
    message_vi: str


class Sheet:
    """One sheet's cells. ``cell("F12")`` → raw value; ``rows()`` → (row number, values from column A)."""

    __slots__ = ("title", "kind", "formulas", "_rows", "_sorted")

    def __init__(self, title: str, kind: str = "worksheet"):
        self.title = title
        self.kind = kind
        self.formulas: dict[str, str] = {}
        self._rows: dict[int, list[Any]] = {}
        self._sorted = True

    def cell(self, ref: str) -> Any:
        """The raw value of a cell, e.g. ``"F12"`` or ``"$F$12"``; None when empty or absent."""
        row, col = split_ref(ref)
        return self.value(row, col)

    def value(self, row: int, col: int) -> Any:
        """The raw value at 1-based ``row``, ``col``."""
        r = self._rows.get(row)
        if r is None or col < 1 or col > len(r):
            return None
        return r[col - 1]

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Every row that holds at least one cell, in order, as (row number, values from column A)."""
        keys = self._rows if self._sorted else sorted(self._rows)
        for n in keys:
            yield n, self._rows[n]

    @property
    def max_row(self) -> int:
        return max(self._rows, default=0)

    @property
    def max_column(self) -> int:
        return max((len(r) for r in self._rows.values()), default=0)

    def __repr__(self) -> str:
        return f"Sheet({self.title!r}, rows={len(self._rows)}, formulas={len(self.formulas)})"


@dataclass
class RawWorkbook:
    """A returned workbook as read from disk, before any interpretation."""

    path: str
    sha256: str
    size: int
    mtime: float
    format: str  # "xlsx", or "xls" / "ods" when read through calamine
    sheets: dict[str, Sheet] | _LazySheets
    sheet_order: list[str]
    hidden: set[str] = field(default_factory=set)
    defined_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    notes: list[IntakeNote] = field(default_factory=list)
    date1904: bool = False

    def sheet(self, title: str) -> Sheet | None:
        return self.sheets.get(title)

    def finish(self, *, full: bool = False) -> None:
        """After a ``lazy=True`` open: check the sheets that were never read, and the styles.

        ``full=True`` reads them as an eager open would (every refusal of an eager open, in its
        order); otherwise small unread parts are only checked: well-formed XML, no DTD or entity,
        sizes and CRC. A sheet nobody reads then cannot refuse the file for, say, a cell address
        out of range; it still cannot harm the machine.
        """
        finish = getattr(self.sheets, "finish", None)
        if finish is not None:
            finish(full)


class _LazySheets(Mapping[str, Sheet]):
    """The sheets of a workbook opened with ``lazy=True``: each worksheet part is parsed when first asked for.

    ``finish()`` checks the parts nobody asked for (well-formed XML, no DTD or entity), so a lazy
    open refuses exactly the files an eager one does, without building the cells of sheets the
    caller does not read (a returned template's guide and lists).
    """

    def __init__(self) -> None:
        self._sheets: dict[str, Sheet] = {}
        self._unread: dict[str, tuple[Callable[[], None], Callable[[], None], int]] = {}  # title → (load, check, size)
        self.styles: Callable[[], Any] | None = None

    def add(self, sheet: Sheet, load: Callable[[], None] | None, check: Callable[[], None] | None, size: int = 0) -> None:
        self._sheets[sheet.title] = sheet
        if load is not None and check is not None:
            self._unread[sheet.title] = (load, check, size)

    def __getitem__(self, title: str) -> Sheet:
        sheet = self._sheets[title]
        todo = self._unread.pop(title, None)
        if todo is not None:
            todo[0]()
        return sheet

    def __contains__(self, title: object) -> bool:
        return title in self._sheets

    def __iter__(self) -> Iterator[str]:
        return iter(self._sheets)

    def __len__(self) -> int:
        return len(self._sheets)

    def finish(self, full: bool = False) -> None:
        # Small unread parts (a template's guide and lists) are only checked. Large ones are read as an
        # eager open reads them, so the cell limits bound their cost and refuse them as they would.
        small = not full and sum(size for _, _, size in self._unread.values()) <= _CHECK_ONLY_MAX
        if not full and self.styles is not None:
            self.styles()  # a filled template always has styled numbers: an eager open would have read the styles
        for title in list(self._unread):  # in the workbook's order
            load, check, _ = self._unread.pop(title)
            (check if small else load)()


#: Unread worksheet parts up to this many bytes in all (declared, decompressed) are only checked by finish().
_CHECK_ONLY_MAX = 256 * 1024


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


# ---------------------------------------------------------------------------------------------
# Cell references

_COLS: dict[str, int] = {}
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
MAX_ROW, MAX_COL = 1_048_576, 16_384


def col_index(letters: str) -> int:
    n = _COLS.get(letters)
    if n is None:
        n = 0
        for ch in letters.upper():
            n = n * 26 + (ord(ch) - 64)
        _COLS[letters] = n
    return n


def col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def split_ref(ref: str) -> tuple[int, int]:
    """``"$F$12"`` → (12, 6). Raises ValueError on anything else."""
    m = _REF.fullmatch(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), col_index(m.group(1))


# ---------------------------------------------------------------------------------------------
# Sniffing the format


def _fail(code: str, path: Path, text: str) -> IntakeError:
    return IntakeError(code, f"{path.name}: {text}", path)


_RESEND = "Đề nghị đơn vị gửi lại đúng tệp mẫu .xlsx."
_SAVE_AS = "Mở tệp bằng Excel (hoặc LibreOffice, WPS) rồi chọn Lưu thành > Sổ làm việc Excel (.xlsx) và gửi lại."
_MAGIC = (
    (b"%PDF", "tệp PDF"),
    (b"\x89PNG", "ảnh PNG"),
    (b"\xff\xd8\xff", "ảnh JPEG"),
    (b"Rar!", "tệp nén RAR: giải nén rồi gửi tệp .xlsx bên trong"),
    (b"7z\xbc\xaf", "tệp nén 7z: giải nén rồi gửi tệp .xlsx bên trong"),
    (b"\x1f\x8b", "tệp nén gzip"),
    (b"{\\rtf", "văn bản RTF"),
)


def _ole_stream_names(data: bytes) -> set[str] | None:
    """Names in an OLE compound file's directory (None if the directory cannot be walked)."""
    try:
        if len(data) < 512:
            return None
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if shift not in (9, 12):
            return None
        ssize = 1 << shift
        n_fat, first_dir = struct.unpack_from("<I", data, 0x2C)[0], struct.unpack_from("<I", data, 0x30)[0]
        difat = [x for x in struct.unpack_from("<109I", data, 0x4C)[: min(n_fat, 109)]]

        def sector(i: int) -> bytes:
            off = (i + 1) * ssize
            return data[off : off + ssize]

        fat: list[int] = []
        for s in difat:
            chunk = sector(s)
            fat.extend(struct.unpack(f"<{len(chunk) // 4}I", chunk[: len(chunk) // 4 * 4]))
        names: set[str] = set()
        s, seen = first_dir, set()
        while s < 0xFFFFFFFA and s not in seen and len(seen) < 10_000:
            seen.add(s)
            chunk = sector(s)
            for off in range(0, len(chunk) - 127, 128):
                nlen = struct.unpack_from("<H", chunk, off + 64)[0]
                if 2 <= nlen <= 64:
                    names.add(chunk[off : off + nlen - 2].decode("utf-16-le", "replace"))
            s = fat[s] if s < len(fat) else 0xFFFFFFFE
        return names
    except struct.error:
        return None


def _sniff_text(head: bytes) -> str | None:
    """'html', 'xml_spreadsheet', 'csv', 'text' for a text file; None for binary."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom) :].decode(enc, "ignore")
            break
    else:
        if b"\x00" in head:
            return None
        text = head.decode("utf-8", "ignore") or head.decode("latin-1")
        bad = sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t\f")
        if bad > len(text) // 50:
            return None
    low = text.lstrip().lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in low:
        return "xml_spreadsheet"
    if low.startswith(("<!doctype html", "<html", "<table", "<meta", "<head")) or "<html" in low[:2000] or "<table" in low[:2000]:
        return "html"
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    if lines and any(any(d in ln for d in (",", ";", "\t")) for ln in lines):
        return "csv"
    return "text"


# ---------------------------------------------------------------------------------------------
# Entry point


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
_PASSWORD_TEXT = ("tệp được đặt mật khẩu mở nên không đọc được. Đề nghị đơn vị gỡ mật khẩu (Excel: Tệp > Thông tin > Bảo vệ sổ làm việc > "
                  "Mã hoá bằng mật khẩu, xoá mật khẩu rồi lưu) và gửi lại.")
_TRUNCATED_TEXT = "tệp bị cắt cụt (gửi hoặc tải về chưa hết): tệp bị hỏng, đề nghị gửi lại."


# ---------------------------------------------------------------------------------------------
# The zip container


class _Zip:
    """Reads members of an in-memory zip with bounds; never trusts a local header's sizes."""

    def __init__(self, p: Path, data: bytes, limits: Limits):
        self.p, self.data, self.limits = p, data, limits
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as e:
            if "multi-disk" in str(e).lower() or "spann" in str(e).lower():
                raise _fail("file.corrupt", p, "là tệp nén chia nhiều phần, không phải .xlsx. " + _RESEND) from None
            raise _fail("file.truncated", p, _TRUNCATED_TEXT) from None
        except (OSError, ValueError, EOFError, struct.error, NotImplementedError):
            raise _fail("file.truncated", p, _TRUNCATED_TEXT) from None
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise _fail("file.zip_bomb", p, f"có cấu trúc nén bất thường ({len(infos)} thành phần) và bị từ chối để bảo vệ máy. " + _RESEND)
        total = 0
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.flag_bits & 0x1:
                raise _fail("file.encrypted", p, _PASSWORD_TEXT)
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _fail("file.zip_method", p, f"được nén theo cách không hỗ trợ (phương thức {info.compress_type}). " + _SAVE_AS)
            self._check_size(info)
            total += info.file_size
            self.members.setdefault(info.filename.lstrip("/"), info)
        if total > limits.max_total_bytes:
            raise _fail("file.zip_bomb", p, f"giải nén ra quá lớn ({total / 1048576:.0f} MB) và bị từ chối để bảo vệ máy. " + _RESEND)
        self._lower = {k.lower(): k for k in self.members}

    def _check_size(self, info: zipfile.ZipInfo) -> None:
        lim = self.limits
        if info.file_size > lim.max_member_bytes:
            raise _fail("file.zip_bomb", self.p, f"có phần {info.filename} giải nén ra quá lớn ({info.file_size / 1048576:.0f} MB) "
                        "và bị từ chối để bảo vệ máy. " + _RESEND)
        if info.file_size > lim.ratio_floor and info.file_size > lim.max_ratio * max(info.compress_size, 1):
            raise _fail("file.zip_bomb", self.p, f"có phần {info.filename} nén với tỉ lệ bất thường "
                        f"({info.file_size // max(info.compress_size, 1)}:1) và bị từ chối để bảo vệ máy. " + _RESEND)

    def find(self, name: str) -> str | None:
        name = name.lstrip("/")
        if name in self.members:
            return name
        return self._lower.get(name.lower())

    def chunks(self, name: str, size: int = 1 << 16) -> Iterator[bytes]:
        """The member's bytes in chunks, bounded by its declared size; CRC checked at the end."""
        info = self.members[name]
        data, off = self.data, info.header_offset
        if data[off : off + 4] != b"PK\x03\x04":
            raise _fail("file.corrupt", self.p, f"tệp bị hỏng (phần {name} không đọc được). Đề nghị gửi lại.")
        nlen, xlen = struct.unpack_from("<HH", data, off + 26)
        start = off + 30 + nlen + xlen
        comp = memoryview(data)[start : start + info.compress_size]
        if len(comp) < info.compress_size:
            raise _fail("file.truncated", self.p, _TRUNCATED_TEXT)
        declared, crc, produced = info.file_size, 0, 0
        if info.compress_type == zipfile.ZIP_STORED:
            for i in range(0, len(comp), size):
                piece = bytes(comp[i : i + size])
                crc = zlib.crc32(piece, crc)
                produced += len(piece)
                yield piece
        else:
            d = zlib.decompressobj(-15)
            pos, step = 0, size
            while True:
                try:
                    if d.unconsumed_tail:
                        piece = d.decompress(d.unconsumed_tail, size)
                    elif pos < len(comp):
                        piece = d.decompress(comp[pos : pos + step], size)
                        pos += step
                    else:
                        break
                except zlib.error:
                    raise _fail("file.corrupt", self.p, f"tệp bị hỏng (phần {name} không giải nén được). Đề nghị gửi lại; nếu tệp mở được "
                                "trong Excel, hãy lưu lại dưới dạng .xlsx rồi gửi.") from None
                if piece:
                    produced += len(piece)
                    if produced > declared:
                        raise _fail("file.zip_bomb", self.p, f"có phần {name} giải nén ra nhiều hơn kích thước khai báo "
                                    f"({declared} byte): tệp bất thường, bị từ chối để bảo vệ máy. " + _RESEND)
                    crc = zlib.crc32(piece, crc)
                    yield piece
                if d.eof:
                    break
        if produced != declared or (crc & 0xFFFFFFFF) != info.CRC:
            raise _fail("file.corrupt", self.p, f"tệp bị hỏng (phần {name} sai kiểm tra CRC). Đề nghị gửi lại; nếu tệp mở được trong Excel, "
                        "hãy lưu lại dưới dạng .xlsx rồi gửi.")

    def read(self, name: str) -> bytes:
        return b"".join(self.chunks(name))


#: What was read from a part, keyed by the part's bytes (and what else the reading depends on).
#: The files of a round are copies of a few templates: the parts nobody edits (styles, the
#: workbook and relationship parts) come back byte for byte the same, and reading them is a
#: function of their bytes alone. Each part is still decompressed with its bounds and CRC checked
#: in every file; only its parse is skipped when the same bytes were read before. Bounded: small
#: parts only, a fixed number of entries; refusals are never kept (they name the file).
_BY_CONTENT: dict[tuple[Any, bytes], Any] = {}
_BY_CONTENT_ENTRIES = 32
_BY_CONTENT_BYTES = 256 * 1024


def _by_content(z: _Zip, member: str, key: Any, read: Callable[[], Any]) -> Any:
    """``read()`` (which reads ``member`` itself), or what it gave for a part with the same bytes and key.

    The result is shared between files: callers copy what they change.
    """
    data = None
    if z.members[member].file_size <= _BY_CONTENT_BYTES:
        try:
            data = z.read(member)
        except IntakeError:
            data = None  # read() refuses it, in the order the reader meets the faults
    if data is not None:
        hit = _BY_CONTENT.get((key, data))
        if hit is not None:
            return hit
    result = read()
    if data is not None:
        if len(_BY_CONTENT) >= _BY_CONTENT_ENTRIES:
            del _BY_CONTENT[next(iter(_BY_CONTENT))]  # the oldest
        _BY_CONTENT[(key, data)] = result
    return result


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
        raise _Refused(_fail("xml.entities", z.p, f"có phần {name} chứa khai báo DTD/thực thể XML, điều không bao giờ có trong tệp Excel thật; "
                             "tệp bị từ chối để bảo vệ máy. " + _RESEND))

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
        raise _fail("xml.invalid", z.p, f"tệp bị hỏng: phần {name} không phải XML hợp lệ (dòng {e.lineno}: {expat.ErrorString(e.code)}). "
                    "Đề nghị gửi lại; nếu tệp mở được trong Excel, hãy lưu lại dưới dạng .xlsx rồi gửi.") from None


def _check_part(z: _Zip, name: str) -> None:
    """A part nobody reads: decompressed with its bounds and CRC, parsed by expat without handlers (well-formed, no DTD)."""
    _parse(z, name, None)


_LOCAL: dict[str, str] = {}


def _local(name: str) -> str:
    n = _LOCAL.get(name)
    if n is None:
        n = _LOCAL[name] = name.rpartition(":")[2]
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
                raise _Refused(_fail("file.too_many_sheets", z.p, f"có quá nhiều trang tính (hơn {limits.max_sheets}). "
                                     "Xoá các trang thừa, lưu lại dưới dạng .xlsx rồi gửi."))
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


def _unescape(s: str) -> str:
    """OOXML writes control characters as _xHHHH_ (and a literal '_x' as _x005F_x)."""
    if "_x" not in s:
        return s
    return _ESC.sub(lambda m: chr(int(m.group(1), 16)), s)


_ESC = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _shared_strings(z: _Zip, member: str, limits: Limits) -> list[str]:
    """The shared strings: through the tree when the part allows it (see the fast path below), else streamed."""
    root = _tree(z, member)
    if root is not None:
        try:
            return _shared_from_tree(root, limits)
        except _Fallback:
            pass
    return _stream_shared_strings(z, member, limits)


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
                raise _Refused(_fail("file.too_many_strings", z.p, f"có quá nhiều chuỗi văn bản (hơn {limits.max_shared_strings}). "
                                     "Xoá dữ liệu thừa ngoài mẫu, lưu lại dưới dạng .xlsx rồi gửi."))

    def text(t: str) -> None:
        if st["t"]:
            buf.append(t)

    _parse(z, member, start, end, text)
    return out


#: Built-in number formats that are dates or times.
_BUILTIN_DATES = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_FMT_STRIP = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def is_date_format(code: str) -> bool:
    """A custom number format shows a date or time (d, m, y, h, s outside quotes and brackets)."""
    code = _FMT_STRIP.sub("", code.split(";", 1)[0]).lower()
    return any(c in code for c in "dmyhs") and "general" not in code


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


def _number(v: str) -> int | float | ErrorValue:
    v = v.strip()
    try:
        if "." not in v and "e" not in v and "E" not in v:
            return int(v)
        x = float(v)
    except ValueError:
        return ErrorValue("#VALUE!")
    if x != x or x in (float("inf"), float("-inf")):
        return ErrorValue("#NUM!")
    return x


def _cell_value(t: str, text: str, cstyle: str | None, date_styles: Callable[[], Any], date1904: bool) -> Any:
    """The value of a cell that is not a shared string, from its type (``t``), text and style.

    Both sheet readers (streaming and tree) decode through here, so they cannot disagree.
    """
    if t == "n":
        value = _number(text)
        if cstyle is not None and cstyle != "0" and type(value) is not ErrorValue:
            try:
                is_date = int(cstyle) in date_styles()
            except ValueError:
                is_date = False
            if is_date:
                value = excel_serial_to_datetime(float(value), date1904) or value
        return value
    if t == "b":
        return text.strip() in ("1", "true")
    if t == "e":
        return ErrorValue(text.strip())
    if t == "d":
        return _iso_datetime(text)
    return _unescape(text)  # inlineStr, str, and any other type: text


def _record_formula(fattrs: Any, ftext: str, cell_ref: str, shared_f: dict[str, tuple[str, str]], formulas: dict[str, str]) -> None:
    """Keep a cell's formula text; a shared formula's followers are translated from its master."""
    if fattrs.get("t") == "shared":
        si = fattrs.get("si", "")
        if ftext:
            shared_f[si] = (cell_ref, ftext)
        elif si in shared_f:
            ftext = _translate(shared_f[si], cell_ref)
    formulas[cell_ref] = "=" + ftext if ftext else "="


def _iso_datetime(v: str) -> datetime | ErrorValue:
    try:
        return datetime.fromisoformat(v.strip().rstrip("Z"))
    except ValueError:
        return ErrorValue("#VALUE!")


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
    too_many = _fail("file.too_many_cells", p, f"trang tính '{sheet.title}' có quá nhiều ô (hơn {limits.max_cells:,}). "
                     "Xoá dữ liệu thừa ngoài mẫu (các hàng, cột đã dùng đến tận cuối trang), lưu lại dưới dạng .xlsx rồi gửi.")

    def bad_ref(what: str) -> _Refused:
        return _Refused(_fail("file.corrupt", p, f"tệp bị hỏng (trang tính '{sheet.title}': {what}). Đề nghị gửi lại; nếu tệp mở được "
                              "trong Excel, hãy lưu lại dưới dạng .xlsx rồi gửi."))

    def set_row(n: int) -> None:
        nonlocal row_no, col_no, cur, last_row
        if n < 1 or n > MAX_ROW:
            raise bad_ref(f"số hàng {n} ngoài giới hạn")
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
                    raise bad_ref(f"ô có địa chỉ sai {r[:20]!r}")
                rn = int(m.group(2))
                if rn != row_no:
                    set_row(rn)
                col_no = col_index(m.group(1))
                if col_no > MAX_COL:
                    raise bad_ref(f"cột ngoài giới hạn {r[:20]!r}")
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
                raise _Refused(too_many)
            r = attrs.get("r")
            if r:
                try:
                    set_row(int(r))
                except ValueError:
                    raise bad_ref(f"số hàng sai {r[:20]!r}") from None
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
                        raise bad_ref(f"ô {ref or col_letters(col_no) + str(row_no)} trỏ tới chuỗi {text[:20]!r} không có "
                                      f"trong {nshared} chuỗi") from None
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
                    raise _Refused(too_many)
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


# ---------------------------------------------------------------------------------------------
# The same parts through ElementTree's C parser: the fast path
#
# The streaming reader above calls Python for every start tag, end tag and text of every part: in
# a returned template (five sheets, styles) that is about 2,000 calls, most of the time `dti merge`
# spends on a file. A part of ordinary size and shape is instead parsed into a tree by
# ElementTree's C parser and its cells are read from the tree. The result is the same Sheet, value
# for value (tests/test_intake_fast.py compares both readers on every workbook the tests build and
# on generated sheets), because the fast path reads only what it can read exactly as the streaming
# reader does and hands anything else back to it:
#
# * parts over _TREE_MAX bytes (declared), so a tree never holds more than a few MB; larger parts
#   are streamed with the bounds checked as they go;
# * any "<!" or "<?" after the XML declaration (a DTD, an entity, a comment, CDATA, a processing
#   instruction), any encoding but UTF-8, any XML error: the streaming reader then parses the part
#   and refuses what it refuses, with the same code and message;
# * rows and cells anywhere but <sheetData><row><c>, cell content other than <v>, <f> and <is>
#   (<t>, <r>, <rPh>, <phoneticPr>), a cell outside its row, a refusal (bad reference, too many
#   cells, a shared string that does not exist): the sheet is read again by the streaming reader.
#
# The zip checks are unchanged: the part's bytes come from the same bounded, CRC-checked
# decompression, chunk by chunk, and are fed to the parser as they come.

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
    """The part as a tree, or None when the streaming reader must read it (see above)."""
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


def _translate(master: tuple[str, str], ref: str) -> str:
    """A shared formula's text as seen from ``ref`` (openpyxl's translator, imported only when needed)."""
    origin, text = master
    try:
        from openpyxl.formula.translate import Translator

        return Translator("=" + text, origin=origin).translate_formula(ref)[1:]
    except Exception:  # an unusual formula: keep the master's text rather than lose the fact there is one
        return text


# ---------------------------------------------------------------------------------------------
# .xls and .ods through python-calamine, in a child process


def _open_with_calamine(p: Path, fmt: str, meta: dict[str, Any], limits: Limits) -> RawWorkbook:
    code = "file.legacy_xls" if fmt == "xls" else "file.ods"
    what = "Excel 97-2003 (.xls)" if fmt == "xls" else "OpenDocument (.ods)"
    result = _run_child(p, limits, code, what)
    if not result.get("sheets"):
        raise _fail(code, p, f"là tệp {what} nhưng không đọc được trang tính nào (tệp bị hỏng). {_SAVE_AS}")
    wb = RawWorkbook(format=fmt, sheets={}, sheet_order=[], **meta)
    for sh in result["sheets"]:
        sheet = Sheet(sh["title"])
        for rn, values in sh["rows"]:
            sheet._rows[rn] = [_from_json(v) for v in values]
        wb.sheets[sheet.title] = sheet
        wb.sheet_order.append(sheet.title)
        if sh.get("hidden"):
            wb.hidden.add(sheet.title)
    wb.notes.append(IntakeNote(code, f"{p.name}: tệp lưu dưới dạng {what}; đã đọc các giá trị theo mã số liệu ở cột A (dạng này không giữ "
                                     "tên vùng và công thức của mẫu). Lần sau đề nghị đơn vị gửi đúng tệp mẫu .xlsx."))
    return wb


def _run_child(p: Path, limits: Limits, code: str, what: str) -> dict[str, Any]:
    import json
    import subprocess
    import sys

    def preexec() -> None:  # pragma: no cover - runs in the child
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limits.child_memory_bytes, limits.child_memory_bytes))
        except (ImportError, ValueError, OSError):
            pass

    cmd = [sys.executable, "-c", "from dti_cli.intake import _calamine_main; _calamine_main()", str(p), str(limits.max_cells), str(limits.max_sheets)]
    failed = _fail(code, p, f"là tệp {what} và không đọc được. {_SAVE_AS}")
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=limits.child_timeout, preexec_fn=preexec if os.name == "posix" else None,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise failed from None
    except OSError:
        raise failed from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace")
        if "PASSWORD" in err.upper() or "ENCRYPT" in err.upper():
            raise _fail("file.encrypted", p, _PASSWORD_TEXT)
        if "TOO_MANY_CELLS" in err:
            raise _fail("file.too_many_cells", p, f"có trang tính có quá nhiều ô (hơn {limits.max_cells:,}). Xoá dữ liệu thừa ngoài mẫu, "
                        "lưu lại dưới dạng .xlsx rồi gửi.")
        raise failed
    try:
        return json.loads(proc.stdout)
    except ValueError:
        raise failed from None


def _to_json(v: Any) -> Any:
    import datetime as dt

    if isinstance(v, dt.datetime | dt.date):
        return {"d": v.isoformat()}
    if isinstance(v, dt.time):
        return {"t": v.isoformat()}
    if isinstance(v, dt.timedelta):
        return v.total_seconds() / 86400
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return {"e": "#NUM!"}
    if v == "":
        return None
    return v


def _from_json(v: Any) -> Any:
    import datetime as dt

    if isinstance(v, dict):
        if "d" in v:
            d = dt.datetime.fromisoformat(v["d"]) if "T" in v["d"] else dt.datetime.combine(dt.date.fromisoformat(v["d"]), dt.time())
            return d
        if "t" in v:
            return dt.time.fromisoformat(v["t"])
        if "e" in v:
            return ErrorValue(v["e"])
        return None
    if isinstance(v, str) and v.startswith("#") and v in _ERRORS:
        return ErrorValue(v)
    return v


_ERRORS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


def _calamine_main() -> None:  # pragma: no cover - runs in the child process
    """Child process: read argv[1] with calamine, print JSON {sheets: [{title, hidden, rows: [[n, values]]}]}."""
    import json
    import sys

    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    path, max_cells, max_sheets = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    wb = CalamineWorkbook.from_path(path)
    out = []
    metas = wb.sheets_metadata
    if len(metas) > max_sheets:
        sys.stderr.write("TOO_MANY_SHEETS\n")
        sys.exit(3)
    for meta in metas:
        if meta.typ == SheetTypeEnum.ChartSheet:
            out.append({"title": meta.name, "hidden": meta.visible != SheetVisibleEnum.Visible, "rows": []})
            continue
        sheet = wb.get_sheet_by_name(meta.name)
        if sheet.total_height * max(sheet.total_width, 1) > max_cells * 4 and sheet.height * sheet.width > max_cells:
            sys.stderr.write("TOO_MANY_CELLS\n")
            sys.exit(3)
        rows = []
        cells = 0
        for i, r in enumerate(sheet.iter_rows()):
            vals = [_to_json(v) for v in r]
            while vals and vals[-1] is None:
                vals.pop()
            if not vals:
                continue
            cells += len(vals)
            if cells > max_cells:
                sys.stderr.write("TOO_MANY_CELLS\n")
                sys.exit(3)
            rows.append([i + 1, vals])  # iter_rows starts at A1 whatever the first used cell
        out.append({"title": meta.name, "hidden": meta.visible != SheetVisibleEnum.Visible, "rows": rows})
    json.dump({"sheets": out}, sys.stdout, ensure_ascii=False)
