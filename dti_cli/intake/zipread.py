"""The zip container of an .xlsx: central directory checks before anything is decompressed, each
part decompressed in bounded chunks with its CRC checked, and the memo of what a part's bytes gave.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.i18n import _
from .model import PASSWORD, RESEND, SAVE_AS, TRUNCATED, IntakeError, Limits, _fail, damaged


class _Zip:
    """Reads members of an in-memory zip with bounds; never trusts a local header's sizes."""

    def __init__(self, p: Path, data: bytes, limits: Limits):
        self.p, self.data, self.limits = p, data, limits
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as e:
            if "multi-disk" in str(e).lower() or "spann" in str(e).lower():
                raise _fail("file.corrupt", p, _("an archive split into several parts, not an .xlsx file."), _(RESEND)) from None
            raise _fail("file.truncated", p, _(TRUNCATED)) from None
        except (OSError, ValueError, EOFError, struct.error, NotImplementedError):
            raise _fail("file.truncated", p, _(TRUNCATED)) from None
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise _fail("file.zip_bomb", p, _("the file has an abnormal compressed structure ({n} members) and is refused to protect the computer.")
                        .format(n=i18n.integer(len(infos))), _(RESEND))
        total = 0
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.flag_bits & 0x1:
                raise _fail("file.encrypted", p, _(PASSWORD))
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _fail("file.zip_method", p, _("the file is compressed in a way that is not supported (method {method}).").format(
                    method=info.compress_type), _(SAVE_AS))
            self._check_size(info)
            total += info.file_size
            name = info.filename.lstrip("/")
            if name in self.members:  # never in a real workbook: intake and openpyxl would each read a different copy
                raise _fail("file.corrupt", p, _("the file holds the part {part} twice, which no spreadsheet program writes; it is refused.")
                            .format(part=name), _(RESEND))
            self.members[name] = info
        if total > limits.max_total_bytes:
            raise _fail("file.zip_bomb", p, _("the file would be too large once decompressed ({size} MB) and is refused to protect the computer.")
                        .format(size=i18n.integer(total / 1048576)), _(RESEND))
        self._lower = {k.lower(): k for k in self.members}

    def _check_size(self, info: zipfile.ZipInfo) -> None:
        lim = self.limits
        if info.file_size > lim.max_member_bytes:
            raise _fail("file.zip_bomb", self.p, _("the file's part {part} would be too large once decompressed ({size} MB) and is refused "
                                                   "to protect the computer.").format(part=info.filename, size=i18n.integer(info.file_size / 1048576)),
                        _(RESEND))
        if info.file_size > lim.ratio_floor and info.file_size > lim.max_ratio * max(info.compress_size, 1):
            raise _fail("file.zip_bomb", self.p, _("the file's part {part} is compressed at an abnormal ratio ({ratio}:1) and is refused to "
                                                   "protect the computer.").format(
                part=info.filename, ratio=i18n.integer(info.file_size // max(info.compress_size, 1))), _(RESEND))

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
            raise _fail("file.corrupt", self.p, _("the file is damaged (its part {part} cannot be read). Please send it again.").format(part=name))
        nlen, xlen = struct.unpack_from("<HH", data, off + 26)
        start = off + 30 + nlen + xlen
        comp = memoryview(data)[start : start + info.compress_size]
        if len(comp) < info.compress_size:
            raise _fail("file.truncated", self.p, _(TRUNCATED))
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
                    raise damaged(self.p, _("its part {part} cannot be decompressed").format(part=name)) from None
                if piece:
                    produced += len(piece)
                    if produced > declared:
                        raise _fail("file.zip_bomb", self.p, _("the file's part {part} decompresses to more than its declared size "
                                                               "({size} bytes): an abnormal file, refused to protect the computer.").format(
                            part=name, size=i18n.integer(declared)), _(RESEND))
                    crc = zlib.crc32(piece, crc)
                    yield piece
                if d.eof:
                    break
        if produced != declared or (crc & 0xFFFFFFFF) != info.CRC:
            raise damaged(self.p, _("its part {part} fails the CRC check").format(part=name))

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
