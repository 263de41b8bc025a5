"""What a file is by its bytes, never by its name: the magic numbers of formats that are not workbooks,
the stream names of an OLE container (.xls, or an encrypted .xlsx), the kind of a text file.
"""

from __future__ import annotations

import struct

from ..core.i18n import N_

#: Formats that are not workbooks, by their first bytes → what the file is, in words (a message id).
_MAGIC = (
    (b"%PDF", N_("a PDF file")),
    (b"\x89PNG", N_("a PNG picture")),
    (b"\xff\xd8\xff", N_("a JPEG picture")),
    (b"Rar!", N_("a RAR archive: extract it and send the .xlsx file inside")),
    (b"7z\xbc\xaf", N_("a 7z archive: extract it and send the .xlsx file inside")),
    (b"\x1f\x8b", N_("a gzip archive")),
    (b"{\\rtf", N_("an RTF document")),
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
