"""A corpus of damaged and hostile workbooks, built by code (no binary blobs in the repository).

    from badfiles import build_valid, build_corpus, CORPUS_LIMITS   # tests/ is on sys.path under pytest
    valid = build_valid(tmp / "valid.xlsx")
    for case in build_corpus(tmp / "bad", valid):
        case.name, case.path, case.expected_code, case.expected_verdict   # "refused" or "read"

``expected_code`` is the IntakeError code for a refused file, and the warning note's code (or None)
for a file that is read. Open the corpus with ``CORPUS_LIMITS`` (smaller than the defaults, so the
resource-exhaustion cases stay small and fast). Every file is a few MB at most.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dti_cli.intake import Limits

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

CORPUS_LIMITS = Limits(max_file_bytes=2 * 1024 * 1024, max_cells=100_000, max_rows=50_000, max_shared_strings=50_000)


@dataclass
class BadCase:
    name: str
    path: Path
    expected_code: str | None
    expected_verdict: str  # "refused" or "read"
    check: Callable[[Any], None] | None = None  # for "read": asserts on the RawWorkbook


# ---------------------------------------------------------------------------------------------
# Builders


def build_valid(path: Path) -> Path:
    """A small valid returned workbook: cover, data sheet, hidden `_dti` stamp, defined names, a formula."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    cover = wb.active
    cover.title = "Thông tin"
    cover["A7"], cover["B7"] = "Ngày", dt.datetime(2023, 12, 25)
    data = wb.create_sheet("Dữ liệu")
    data["A1"] = "PHIẾU THU THẬP SỐ LIỆU"
    for j, h in enumerate(["Mã số liệu", "Mã chỉ số", "Tên chỉ số", "Nội dung", "Đơn vị", "Giá trị"], 1):
        data.cell(4, j, h)
    rows = [("7.1.a", 12.5), ("7.2.a", 1234), ("7.3.a", "1.234,5"), ("2.1.a", True), ("7.4.a", "Không có số liệu"), ("2.2.a", "  Có\u200b ")]
    for i, (iid, v) in enumerate(rows, 5):
        data.cell(i, 1, iid)
        data.cell(i, 2, iid.rsplit(".", 1)[0])
        data.cell(i, 6, v)
    data["N5"] = "=IF(F5>0,10,0)"
    stamp = wb.create_sheet("_dti")
    for i, (k, v) in enumerate([("format", "dti-template"), ("format_version", "1"), ("data_sheet", "Dữ liệu")], 1):
        stamp.cell(i, 1, k)
        stamp.cell(i, 2, v)
    stamp.sheet_state = "hidden"
    wb.defined_names["DTI_7_1_a"] = DefinedName("DTI_7_1_a", attr_text="'Dữ liệu'!$F$5")
    wb.defined_names["DTI_COVER_DATE"] = DefinedName("DTI_COVER_DATE", attr_text="'Thông tin'!$B$7")
    wb.save(path)
    return path


def write_xlsx(
    path: Path,
    sheets: dict[str, str],
    *,
    shared: list[str] | None = None,
    dimension: str | None = None,
    prefix: str | None = None,
    absolute_targets: bool = False,
    hidden: tuple[str, ...] = (),
    workbook_extra: str = "",
    parts: dict[str, bytes | None] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
    strict: bool = False,
) -> Path:
    """A hand-made .xlsx: ``sheets`` maps titles to the XML inside <sheetData> (with ``prefix`` on elements when given).

    ``parts`` replaces members (bytes) or removes them (None); ``strict`` uses the ISO Strict namespaces.
    """
    main = "http://purl.oclc.org/ooxml/spreadsheetml/main" if strict else MAIN
    rel = "http://purl.oclc.org/ooxml/officeDocument/relationships" if strict else REL
    px = f"{prefix}:" if prefix else ""
    ns = f'xmlns{":" + prefix if prefix else ""}="{main}"'
    members: dict[str, bytes] = {}
    sheet_entries, rels = [], []
    for i, (title, body) in enumerate(sheets.items(), 1):
        state = ' state="hidden"' if title in hidden else ""
        sheet_entries.append(f'<{px}sheet name="{_xml_attr(title)}" sheetId="{i}"{state} r:id="rId{i}"/>')
        target = f"/xl/worksheets/sheet{i}.xml" if absolute_targets else f"worksheets/sheet{i}.xml"
        rels.append(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="{target}"/>')
        dim = f'<{px}dimension ref="{dimension}"/>' if dimension else ""
        members[f"xl/worksheets/sheet{i}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{px}worksheet {ns} xmlns:r="{rel}">{dim}'
            f"<{px}sheetData>{body}</{px}sheetData></{px}worksheet>"
        ).encode()
    n = len(sheets)
    if shared is not None:
        rels.append(f'<Relationship Id="rId{n + 1}" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>')
        members["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><{px}sst {ns} count="{len(shared)}" uniqueCount="{len(shared)}">'
            + "".join(s.replace("<", f"<{px}").replace(f"<{px}/", f"</{px}") for s in shared)
            + f"</{px}sst>"
        ).encode()
    members["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><{px}workbook {ns} xmlns:r="{rel}"><{px}sheets>{"".join(sheet_entries)}</{px}sheets>'
        f"{workbook_extra}</{px}workbook>"
    ).encode()
    members["xl/_rels/workbook.xml.rels"] = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">{"".join(rels)}</Relationships>'.encode()
    doc_target = "/xl/workbook.xml" if absolute_targets else "xl/workbook.xml"
    members["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="{doc_target}"/></Relationships>'
    ).encode()
    members["[Content_Types].xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/></Types>'
    )
    for name, content in (parts or {}).items():
        if content is None:
            members.pop(name, None)
        else:
            members[name] = content
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return path


def _xml_attr(s: str) -> str:
    return s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def rewrite_zip(src: Path, dst: Path, replace: dict[str, bytes | None] | None = None, compression: int | None = None,
                add: dict[str, bytes] | None = None) -> Path:
    """Copy a zip, replacing (bytes) or dropping (None) members, optionally adding new ones and changing the method."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED if compression is None else compression) as zout:
        for info in zin.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    zout.writestr(info.filename, replace[info.filename])
            else:
                zout.writestr(info.filename, zin.read(info.filename))
        present = set(zin.namelist())
        for name, content in {**{k: v for k, v in replace.items() if k not in present and v is not None}, **(add or {})}.items():
            zout.writestr(name, content)
    return Path(dst)


def _patch_central(data: bytearray, name: str, **fields: int) -> None:
    """Edit a central-directory entry in place: flag, method, csize, usize."""
    offs = {"flag": 8, "method": 10, "crc": 16, "csize": 20, "usize": 24}
    fmt = {"flag": "<H", "method": "<H", "crc": "<I", "csize": "<I", "usize": "<I"}
    key = name.encode()
    i = data.find(b"PK\x01\x02")
    while i != -1:
        nlen = struct.unpack_from("<H", data, i + 28)[0]
        if data[i + 46 : i + 46 + nlen] == key:
            for f, v in fields.items():
                struct.pack_into(fmt[f], data, i + offs[f], v)
            return
        i = data.find(b"PK\x01\x02", i + 4)
    raise KeyError(name)


def lying_member(src: Path, dst: Path, member: str, real_size: int) -> Path:
    """A zip whose ``member`` really inflates to ``real_size`` bytes but declares its old, small size."""
    with zipfile.ZipFile(src) as z:
        declared = z.getinfo(member).file_size
    filler = b'<?xml version="1.0"?><sst xmlns="' + MAIN.encode() + b'">' + b" " * real_size + b"</sst>"
    tmp = Path(str(dst) + ".tmp")
    rewrite_zip(src, tmp, {member: filler})
    data = bytearray(tmp.read_bytes())
    tmp.unlink()
    _patch_central(data, member, usize=declared)
    Path(dst).write_bytes(bytes(data))
    return Path(dst)


def _cfb(names: list[str]) -> bytes:
    """A minimal OLE compound file whose directory holds ``names`` (content is not a real stream)."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 0x2C, 1)  # one FAT sector
    struct.pack_into("<I", header, 0x30, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 0x38, 4096)
    struct.pack_into("<III", header, 0x3C, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    struct.pack_into("<I", header, 0x48, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))
    entries = b""
    for i, n in enumerate(["Root Entry", *names][:4]):
        e = bytearray(128)
        raw = n.encode("utf-16-le") + b"\x00\x00"
        e[: len(raw)] = raw
        struct.pack_into("<HBB", e, 64, len(raw), 5 if i == 0 else 2, 1)
        struct.pack_into("<III", e, 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        struct.pack_into("<II", e, 116, 0xFFFFFFFE, 64)
        entries += bytes(e)
    directory = entries.ljust(512, b"\x00")
    return bytes(header) + fat + directory + random.Random(1).randbytes(1024)


def _ods(path: Path, table_xml: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        f'office:version="1.2"><office:body><office:spreadsheet>{table_xml}</office:spreadsheet></office:body></office:document-content>'
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>"
)
XXE = '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _sheet_xml(body: str, head: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    return f'{head}<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'.encode()


# ---------------------------------------------------------------------------------------------
# The corpus


def build_corpus(directory: Path, valid: Path) -> list[BadCase]:
    """Write every bad file into ``directory``; return the cases with the verdict open_workbook must give."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    good = Path(valid).read_bytes()
    rng = random.Random(7)
    cases: list[BadCase] = []

    def raw(name: str, content: bytes, code: str) -> None:
        p = d / name
        p.write_bytes(content)
        cases.append(BadCase(p.stem if not p.name.startswith("~$") else "lock_file", p, code, "refused"))

    def refused(name: str, path: Path, code: str) -> None:
        cases.append(BadCase(name, path, code, "refused"))

    def read(name: str, path: Path, check: Callable[[Any], None] | None = None, note: str | None = None) -> None:
        cases.append(BadCase(name, path, note, "read", check))

    # -- not a workbook at all, recognised by the bytes
    raw("empty.xlsx", b"", "file.empty")
    for frac in (0.1, 0.5, 0.9, 0.999):
        raw(f"truncated_{int(frac * 1000)}.xlsx", good[: int(len(good) * frac)], "file.truncated")
    raw("truncated_header.xlsx", good[:30], "file.truncated")
    raw("random_bytes.xlsx", rng.randbytes(5000), "file.not_xlsx")
    raw("csv_renamed.xlsx", "Mã số liệu,Giá trị\n7.1.a,12\n7.2.a,\"1.234,5\"\n".encode(), "file.csv")
    raw("csv_semicolon_bom.xlsx", "\ufeffMã số liệu;Giá trị\r\n7.1.a;12\r\n".encode(), "file.csv")
    raw("csv_utf16.xlsx", "Mã số liệu\tGiá trị\r\n7.1.a\t12\r\n".encode("utf-16"), "file.csv")
    raw("html_renamed.xlsx", b"<!DOCTYPE html><html><body><table><tr><td>7.1.a</td><td>12</td></tr></table></body></html>", "file.html")
    raw("html_excel_webpage.xls", b'<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
        b"<head><meta charset=utf-8></head><body><table><tr><td>1</td></tr></table></body></html>", "file.html")
    raw("spreadsheetml_2003.xlsx", b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook '
        b'xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S"/></Workbook>', "file.xml_spreadsheet")
    raw("plain_text.xlsx", "Báo cáo số liệu chuyển đổi số\nKhông có bảng\n".encode(), "file.not_xlsx")
    raw("pdf_renamed.xlsx", b"%PDF-1.7\n" + rng.randbytes(2000), "file.not_xlsx")
    raw("rar_renamed.xlsx", b"Rar!\x1a\x07\x01\x00" + rng.randbytes(500), "file.not_xlsx")
    raw("png_renamed.xlsx", b"\x89PNG\r\n\x1a\n" + rng.randbytes(500), "file.not_xlsx")
    raw("~$valid.xlsx", b"\x0bNguyen Van A" + b" " * 40 + b"\x00" * 100, "file.lock_file")
    raw("too_large.xlsx", good + rng.randbytes(CORPUS_LIMITS.max_file_bytes), "file.too_large")
    raw("empty_zip.xlsx", b"PK\x05\x06" + b"\x00" * 18, "file.not_xlsx")

    # -- OLE containers: legacy .xls, password-protected .xlsx, a Word document
    raw("encrypted_password.xlsx", _cfb(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]), "file.encrypted")
    raw("legacy_xls_broken.xls", _cfb(["Workbook", "\x05SummaryInformation"]), "file.legacy_xls")
    raw("word_document.xlsx", _cfb(["WordDocument", "1Table"]), "file.not_xlsx")

    # -- other zip packages
    refused("xlsb", rewrite_zip(valid, d / "binary.xlsx", {"xl/workbook.xml": None}, add={"xl/workbook.bin": b"\x83\x01\x00"}), "file.xlsb")
    with zipfile.ZipFile(d / "docx_renamed.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    refused("docx_renamed", d / "docx_renamed.xlsx", "file.not_xlsx")
    with zipfile.ZipFile(d / "plain_zip.xlsx", "w") as z:
        z.writestr("bao_cao/so_lieu.xlsx", good)
    refused("plain_zip", d / "plain_zip.xlsx", "file.not_xlsx")
    ods = _ods(d / "saved_as.ods", '<table:table table:name="Dữ liệu"><table:table-row><table:table-cell office:value-type="string">'
               '<text:p>7.1.a</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="12.5"><text:p>12,5</text:p>'
               "</table:table-cell></table:table-row></table:table>")

    def check_ods(wb: Any) -> None:
        assert wb.format == "ods" and wb.sheets["Dữ liệu"].cell("A1") == "7.1.a" and wb.sheets["Dữ liệu"].cell("B1") == 12.5

    read("ods", ods, check_ods, note="file.ods")
    ods_bomb = d / "ods_bomb.ods"
    with zipfile.ZipFile(ods_bomb, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("content.xml", b"<a>" + b" " * 20_000_000 + b"</a>", zipfile.ZIP_DEFLATED)
    refused("ods_bomb", ods_bomb, "file.zip_bomb")
    odt = d / "odt_renamed.xlsx"
    with zipfile.ZipFile(odt, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
    refused("odt_renamed", odt, "file.not_xlsx")

    # -- zip-level attacks and damage
    refused("bomb_ratio", rewrite_zip(valid, d / "bomb_ratio.xlsx", {"xl/sharedStrings.xml": b" " * 20_000_000}), "file.zip_bomb")
    big = bytearray(good)
    _patch_central(big, "xl/worksheets/sheet2.xml", usize=3_000_000_000)
    raw("bomb_declared_huge.xlsx", bytes(big), "file.zip_bomb")
    refused("bomb_lying_size", lying_member(valid, d / "bomb_lying_size.xlsx", "xl/worksheets/sheet2.xml", 3_000_000), "file.zip_bomb")
    many = d / "too_many_members.xlsx"
    rewrite_zip(valid, many, add={f"xl/media/x{i}.bin": b"" for i in range(CORPUS_LIMITS.max_members + 1)})
    refused("too_many_members", many, "file.zip_bomb")
    enc = bytearray(good)
    _patch_central(enc, "xl/workbook.xml", flag=0x1)
    raw("zip_encrypted_flag.xlsx", bytes(enc), "file.encrypted")
    refused("zip_bzip2", rewrite_zip(valid, d / "zip_bzip2.xlsx", compression=zipfile.ZIP_BZIP2), "file.zip_method")
    refused("zip_lzma", rewrite_zip(valid, d / "zip_lzma.xlsx", compression=zipfile.ZIP_LZMA), "file.zip_method")
    method = bytearray(good)
    _patch_central(method, "xl/workbook.xml", method=99)
    raw("zip_unknown_method.xlsx", bytes(method), "file.zip_method")
    crc = bytearray(good)
    _patch_central(crc, "xl/worksheets/sheet2.xml", crc=0x12345678)
    raw("zip_bad_crc.xlsx", bytes(crc), "file.corrupt")
    stored = rewrite_zip(valid, d / "stored.tmp", compression=zipfile.ZIP_STORED).read_bytes()
    flipped = bytearray(stored)
    at = flipped.find(b"7.1.a")
    assert at > 0
    flipped[at] = ord("8")
    raw("zip_flipped_byte.xlsx", bytes(flipped), "file.corrupt")
    (d / "stored.tmp").unlink()
    deflate_junk = bytearray(good)
    i = deflate_junk.find(b"xl/worksheets/sheet2.xml") + len("xl/worksheets/sheet2.xml")
    deflate_junk[i + 10 : i + 60] = b"\xff" * 50
    raw("zip_deflate_garbage.xlsx", bytes(deflate_junk), "file.corrupt")

    # -- XML attacks
    refused("laughs_shared_strings", rewrite_zip(valid, d / "laughs_sst.xlsx", {
        "xl/sharedStrings.xml": (LAUGHS + f'<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>').encode()}), "xml.entities")
    refused("laughs_sheet", rewrite_zip(valid, d / "laughs_sheet.xlsx", {
        "xl/worksheets/sheet2.xml": _sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', LAUGHS)}), "xml.entities")
    refused("xxe_sheet", rewrite_zip(valid, d / "xxe_sheet.xlsx", {
        "xl/worksheets/sheet2.xml": _sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>', XXE)}), "xml.entities")
    refused("xxe_workbook_rels", rewrite_zip(valid, d / "xxe_rels.xlsx", {
        "xl/_rels/workbook.xml.rels": (XXE + f'<Relationships xmlns="{PKG_REL}">&xxe;</Relationships>').encode()}), "xml.entities")
    refused("dtd_workbook", rewrite_zip(valid, d / "dtd_workbook.xlsx", {
        "xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE workbook SYSTEM "http://example.com/x.dtd"><workbook/>'}), "xml.entities")
    refused("parameter_entity_styles", rewrite_zip(valid, d / "pe_styles.xlsx", {
        "xl/styles.xml": b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY % pe SYSTEM "http://example.com/e.dtd"> %pe;]><styleSheet/>'}),
        "xml.entities")

    # -- structure damage
    refused("missing_workbook_xml", rewrite_zip(valid, d / "no_workbook.xlsx", {"xl/workbook.xml": None}), "file.corrupt")
    refused("missing_sheet_part", rewrite_zip(valid, d / "no_sheet.xlsx", {"xl/worksheets/sheet2.xml": None}), "file.corrupt")
    refused("broken_rels", rewrite_zip(valid, d / "broken_rels.xlsx", {"xl/_rels/workbook.xml.rels": b"<Relationships><Relat"}), "xml.invalid")
    refused("rels_without_sheets", rewrite_zip(valid, d / "rels_empty.xlsx", {
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG_REL}"/>'.encode()}), "file.corrupt")
    refused("invalid_utf8_sheet", rewrite_zip(valid, d / "bad_utf8.xlsx", {
        "xl/worksheets/sheet2.xml": _sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>XX</t></is></c></row>').replace(b"XX", b"\xc3\x28\xff")}),
        "xml.invalid")
    refused("malformed_sheet", rewrite_zip(valid, d / "malformed.xlsx", {"xl/worksheets/sheet2.xml": _sheet_xml("<row><c>")}), "xml.invalid")
    refused("shared_index_out_of_range", write_xlsx(d / "sst_range.xlsx", {"S": '<row r="1"><c r="A1" t="s"><v>7</v></c></row>'},
                                                    shared=["<si><t>a</t></si>"]), "file.corrupt")
    refused("row_beyond_excel", write_xlsx(d / "row_big.xlsx", {"S": '<row r="2000000"><c r="A2000000"><v>1</v></c></row>'}), "file.corrupt")
    refused("bad_cell_ref", write_xlsx(d / "bad_ref.xlsx", {"S": '<row r="1"><c r="1A"><v>1</v></c></row>'}), "file.corrupt")

    # -- resource exhaustion by real content (bounded by CORPUS_LIMITS, refused before the end)
    cells = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in "ABCDEFGHIJ") + "</row>" for r in range(1, 10_002))
    refused("too_many_cells", write_xlsx(d / "many_cells.xlsx", {"S": cells}), "file.too_many_cells")
    wide = "".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(1, 200))
    refused("too_many_cells_wide", write_xlsx(d / "wide.xlsx", {"S": wide}), "file.too_many_cells")
    refused("too_many_rows", write_xlsx(d / "many_rows.xlsx", {"S": "".join(f'<row r="{r}"/>' for r in range(1, 50_002))}), "file.too_many_cells")
    refused("too_many_sheets", write_xlsx(d / "many_sheets.xlsx", {f"S{i}": "" for i in range(CORPUS_LIMITS.max_sheets + 1)}), "file.too_many_sheets")
    refused("too_many_strings", write_xlsx(d / "many_strings.xlsx", {"S": ""}, shared=["<si><t>x</t></si>"] * 50_001), "file.too_many_strings")

    # -- odd but valid: must be read correctly
    def check_dimension(wb: Any) -> None:
        s = wb.sheets["S"]
        assert s.cell("A1") == "a" and s.cell("B3") == 2.5 and s.max_row == 3

    read("dimension_claims_million_rows", write_xlsx(d / "dimension.xlsx", {
        "S": '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="3"><c r="B3"><v>2.5</v></c></row>'},
        dimension="A1:XFD1048576"), check_dimension)

    def check_errors(wb: Any) -> None:
        s = wb.sheets["S"]
        assert [type(s.cell(r)).__name__ for r in ("A1", "B1", "C1")] == ["ErrorValue"] * 3
        assert (s.cell("A1"), s.cell("B1"), s.cell("C1")) == ("#DIV/0!", "#REF!", "#N/A")

    read("error_values", write_xlsx(d / "errors.xlsx", {"S": '<row r="1"><c r="A1" t="e"><v>#DIV/0!</v></c><c r="B1" t="e"><f>#REF!+1</f>'
                                                         '<v>#REF!</v></c><c r="C1" t="e"><v>#N/A</v></c></row>'}), check_errors)

    def check_uncached(wb: Any) -> None:
        s = wb.sheets["S"]
        assert s.cell("A1") is None and s.formulas == {"A1": "=SUM(B1:B3)", "B1": '="x"&C1'}
        assert s.cell("B1") is None

    read("formulas_without_cached_values", write_xlsx(d / "uncached.xlsx", {"S": '<row r="1"><c r="A1"><f>SUM(B1:B3)</f></c>'
                                                                              '<c r="B1" t="str"><f>"x"&amp;C1</f></c></row>'}), check_uncached)

    def check_wps(wb: Any) -> None:
        s = wb.sheets["Dữ liệu"]
        assert list(s.rows()) == [(1, ["7.1.a", 3]), (2, [None, "x"])]

    read("prefixed_no_refs_absolute_targets", write_xlsx(d / "wps_like.xlsx", {
        "Dữ liệu": '<x:row><x:c t="inlineStr"><x:is><x:t>7.1.a</x:t></x:is></x:c><x:c><x:v>3</x:v></x:c></x:row>'
                   '<x:row><x:c/><x:c t="str"><x:v>x</x:v></x:c></x:row>'}, prefix="x", absolute_targets=True), check_wps)

    def check_strict(wb: Any) -> None:
        assert wb.sheets["S"].cell("A1") == 1 and wb.hidden == {"S"}

    read("strict_ooxml", write_xlsx(d / "strict.xlsx", {"S": '<row r="1"><c r="A1"><v>1</v></c></row>'}, strict=True, hidden=("S",)), check_strict)

    def check_utf16(wb: Any) -> None:
        assert wb.sheets["S"].cell("A1") == "Có"

    utf16 = write_xlsx(d / "utf16.xlsx", {"S": ""}, parts={"xl/worksheets/sheet1.xml": (
        f'<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Có</t></is></c>'
        "</row></sheetData></worksheet>").encode("utf-16")})
    read("utf16_sheet", utf16, check_utf16)

    def check_no_sst(wb: Any) -> None:
        assert wb.sheets["S"].cell("A1") == "t" and wb.sheets["S"].cell("B1") is True

    read("no_shared_strings_part", write_xlsx(d / "no_sst.xlsx", {"S": '<row r="1"><c r="A1" t="str"><v>t</v></c><c r="B1" t="b"><v>1</v></c></row>'}),
         check_no_sst)

    def check_order(wb: Any) -> None:
        s = wb.sheets["S"]
        assert [n for n, _ in s.rows()] == [1, 5, 9] and s.cell("C5") == 2 and s.cell("A5") == 1

    read("rows_and_cells_out_of_order", write_xlsx(d / "order.xlsx", {"S": '<row r="9"><c r="A9"><v>9</v></c></row><row r="1"><c r="A1"><v>0</v></c></row>'
                                                                         '<row r="5"><c r="C5"><v>2</v></c><c r="A5"><v>1</v></c></row>'}), check_order)
    read("control_characters_escaped", write_xlsx(d / "escaped.xlsx", {"S": '<row r="1"><c r="A1" t="inlineStr"><is><t>a_x0009_b</t></is></c></row>'}),
         lambda wb: _eq(wb.sheets["S"].cell("A1"), "a\tb"))
    return cases


def _eq(a: Any, b: Any) -> None:
    assert a == b, (a, b)
