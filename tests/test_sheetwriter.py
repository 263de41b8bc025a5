"""dti_cli.core.sheetwriter: workbooks as a user meets them — read back with openpyxl, and printed by LibreOffice."""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dti_cli.core.sheetwriter import (
    CELL_LIMIT,
    Column,
    PageText,
    Sheet,
    cut_to_cell,
    row_lines,
    write_workbook,
)

FORMULA_LIKE = ["=1+1", "+84 290", "-5", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")", "https://dti.camau.gov.vn", "mailto:a@b.vn", "0123",
                "1.234,5", "15/10/2023", " lề ", "a & b < c", "emoji 🎉"]

COLUMNS = [
    Column("id", "Mã", "id"),
    Column("text", "Nội dung"),
    Column("n", "Số lượng", "int"),
    Column("x", "Giá trị", "number"),
    Column("pts", "Điểm", "points"),
    Column("pct", "Tỷ lệ", "percent"),
    Column("day", "Ngày nhận", "date"),
    Column("at", "Lúc", "datetime"),
    Column("yes", "Đạt", "bool_text"),
]


def _rows():
    yield ["U1", "Sở Tài chính", 1234, 1.5, 7.25, 0.853, dt.date(2023, 10, 15), dt.datetime(2023, 10, 15, 8, 30), "Có"]
    yield ["U2", None, 0, 5, 0.0, 1, None, None, "Không"]
    for i, text in enumerate(FORMULA_LIKE):
        yield [f"F{i}", text, None, None, None, None, None, None, None]
    yield [7, "id as a number"] + [None] * 7  # an id given as a number stays text


@pytest.fixture(params=[False, True], ids=["normal", "stream"])
def book(request, tmp_path):
    path = tmp_path / "b.xlsx"
    report = write_workbook(path, [Sheet("Dữ liệu", COLUMNS, _rows())], page=PageText(header="Tỉnh Cà Mau · DTI 2023 & Sở TT&TT"),
                            stamp={"format": "dti-test", "round": "2023"}, stream=request.param)
    return path, report


def _cells(ws):
    return {c.coordinate: c for row in ws.iter_rows() for c in row}


def test_values_keep_their_types_and_formats(book):
    path, report = book
    wb = load_workbook(path)
    ws = wb["Dữ liệu"]
    assert [c.value for c in ws[1]] == [c.title for c in COLUMNS]
    assert report.rows == {"Dữ liệu": 2 + len(FORMULA_LIKE) + 1} and report.truncated == []
    a, b = ws[2], ws[3]
    assert [c.value for c in a] == ["U1", "Sở Tài chính", 1234, 1.5, 7.25, 0.853, dt.datetime(2023, 10, 15), dt.datetime(2023, 10, 15, 8, 30), "Có"]
    assert [c.number_format for c in a] == ["General", "General", "#,##0", "#,##0.###", "0.00", "0.0%", "dd/mm/yyyy", "dd/mm/yyyy hh:mm", "General"]
    assert [c.data_type for c in a[2:6]] == ["n"] * 4
    # a whole number in a "number" column shows no decimal separator ("5." with #,##0.###)
    assert b[3].value == 5 and b[3].number_format == "#,##0"
    assert b[1].value is None and b[6].value is None


def test_text_is_always_a_string_cell(book):
    path, _ = book
    ws = load_workbook(path)["Dữ liệu"]
    got = {ws.cell(r, 2).value: ws.cell(r, 2) for r in range(4, 4 + len(FORMULA_LIKE))}
    assert list(got) == FORMULA_LIKE
    for text, cell in got.items():
        assert cell.data_type == "s", text
        assert cell.hyperlink is None, text
    assert not ws._hyperlinks
    last = ws.max_row
    assert ws.cell(last, 1).value == "7" and ws.cell(last, 1).data_type == "s"
    assert [ws.cell(last, j).value for j in range(3, 10)] == [None] * 7


def test_cells_get_borders_and_the_header_its_style(book):
    path, _ = book
    ws = load_workbook(path)["Dữ liệu"]
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("DDEBF7") and ws["A1"].alignment.wrap_text
    empty = ws.cell(ws.max_row, 9)  # a missing value is still a bordered cell of the table
    assert empty.value is None and empty.border.left.style == "thin"
    assert ws["I2"].alignment.horizontal == "center"


def test_stamp_is_a_hidden_last_sheet_of_text(book):
    path, _ = book
    wb = load_workbook(path)
    assert wb.sheetnames == ["Dữ liệu", "_dti"]
    st = wb["_dti"]
    assert st.sheet_state == "hidden"
    assert [[c.value for c in r] for r in st.iter_rows()] == [["format", "dti-test"], ["round", "2023"]]
    assert all(c.data_type == "s" for r in st.iter_rows() for c in r)
    assert wb.active.title == "Dữ liệu"


def test_view_and_print_setup(book):
    path, _ = book
    ws = load_workbook(path)["Dữ liệu"]
    assert ws.freeze_panes == "B2"  # wider than a portrait page: the id column stays in view too
    assert ws.auto_filter.ref == f"A1:I{ws.max_row}"
    ps = ws.page_setup
    assert ps.paperSize == 9 and ps.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ps.fitToWidth in (None, 1) and ps.fitToHeight == 0  # fitToWidth 1 is the default and may be left out
    assert ws.print_title_rows == "$1:$1"
    assert not ws.print_options.gridLines
    assert ws.page_margins.left == pytest.approx(0.4) and ws.page_margins.top == pytest.approx(0.6)
    assert ws.oddHeader.left.text == "Tỉnh Cà Mau · DTI 2023 && Sở TT&&TT"  # '&' doubled: printed, not an Excel code
    assert ws.oddFooter.center.text == "Trang &P/&N"


@pytest.mark.parametrize("stream", [False, True], ids=["normal", "stream"])
def test_title_banner_and_a_wide_sheet(tmp_path, stream):
    cols = [Column("unit", "Đơn vị", "id")] + [Column(f"c{i}", f"Cột số {i}", "number") for i in range(12)] + [Column("note", "Ghi chú", wrap=True)]
    rows = [[f"U{i}"] + [i * 1.5] * 12 + ["Ghi chú rất dài " * (i % 9)] for i in range(40)]
    path = tmp_path / "w.xlsx"
    write_workbook(path, [Sheet("Tổng hợp", cols, rows, title="Bảng tổng hợp", subtitle="Tỉnh Cà Mau, năm 2023"),
                          Sheet("Ẩn", [Column("a", "A")], [["x"]], hidden=True, autofilter=False, freeze=False)],
                   page=PageText(header="Cà Mau", footer="Trang &P / &N — R&D", banner="SỐ LIỆU MẪU"), stream=stream)
    wb = load_workbook(path)
    ws = wb["Tổng hợp"]
    assert ws["A1"].value == "Bảng tổng hợp   SỐ LIỆU MẪU" and ws["A2"].value == "Tỉnh Cà Mau, năm 2023"
    assert "A1:N1" in {str(m) for m in ws.merged_cells.ranges}
    assert ws["A3"].value == "Đơn vị" and ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == "B4"  # a wide table keeps its id column in view
    assert ws.auto_filter.ref == "A3:N43"
    assert ws.page_setup.orientation == "landscape"
    assert ws.oddHeader.center.text == "&BSỐ LIỆU MẪU" and ws.oddHeader.left.text == "Cà Mau"
    assert ws.oddFooter.center.text == "Trang &P / &N — R&&D"
    tall = [r for r in range(4, 44) if (ws.row_dimensions[r].height or 15) > 20]
    assert tall and all(len(ws.cell(r, 14).value) > 60 for r in tall)
    hidden = wb["Ẩn"]
    assert hidden.sheet_state == "hidden" and hidden.freeze_panes is None and hidden.auto_filter.ref is None
    assert wb.active.title == "Tổng hợp"


def test_a_long_text_is_cut_and_reported(tmp_path):
    path = tmp_path / "t.xlsx"
    rows = [["a", "x" * 40_000], ["b", "🎉" * 20_000], ["c", "ngắn"]]
    report = write_workbook(path, [Sheet("Ghi chú", [Column("k", "Mã"), Column("v", "Nội dung", wrap=True)], rows)],
                            stamp={"note": "y" * 33_000})
    assert [(t.sheet, t.cell, t.length) for t in report.truncated] == [("Ghi chú", "B2", 40_000), ("Ghi chú", "B3", 20_000), ("_dti", "B1", 33_000)]
    wb = load_workbook(path)
    ws = wb["Ghi chú"]
    assert ws["B2"].value == "x" * CELL_LIMIT
    assert ws["B3"].value == "🎉" * (CELL_LIMIT // 2)  # cut between characters, never inside one
    assert ws["B4"].value == "ngắn"
    assert ws.row_dimensions[2].height == pytest.approx(409, abs=1)  # the highest row a spreadsheet has
    assert len(wb["_dti"]["B1"].value) == CELL_LIMIT


def test_unstorable_characters_are_shown_as_replacement(tmp_path):
    path = tmp_path / "c.xlsx"
    bad = "tệp\x01\x1f\ud800\ufffe.xlsx"  # a control character, a lone surrogate from a file name, a non-character
    write_workbook(path, [Sheet("S", [Column("f", "Tệp")], [[bad], ["dòng 1\ndòng 2\tcó tab"]])])
    ws = load_workbook(path)["S"]
    assert ws.page_setup.orientation == "portrait" and ws.freeze_panes == "A2"  # a narrow table
    assert ws["A2"].value == "tệp\ufffd\ufffd\ufffd\ufffd.xlsx"
    assert ws["A3"].value == "dòng 1\ndòng 2\tcó tab"


def test_text_that_looks_like_an_ooxml_escape_stays_as_typed(tmp_path):
    path = tmp_path / "e.xlsx"
    write_workbook(path, [Sheet("S", [Column("f", "Tệp")], [["_x0041_"], ["bao_cao_x00e9_.xlsx"]])])
    ws = load_workbook(path)["S"]
    assert (ws["A2"].value, ws["A3"].value) == ("_x0041_", "bao_cao_x00e9_.xlsx")
    # stream=True writes the same escape (_x005F_x0041_) in an inline string: LibreOffice reads it
    # as typed (test below), openpyxl does not undo escapes in inline strings.


def test_a_long_page_header_is_cut_and_reported(tmp_path):
    path = tmp_path / "h.xlsx"
    report = write_workbook(path, [Sheet("S", [Column("a", "A")], [])], page=PageText(header="Tỉnh & " * 60, banner="MẪU"))
    assert [(t.sheet, t.cell) for t in report.truncated] == [("S", "header")]
    ws = load_workbook(path)["S"]
    assert ws.oddHeader.left.text.endswith("…") and ws.oddHeader.center.text == "&BMẪU"


@pytest.mark.parametrize("name, words", [
    ("Dữ liệu: 2023", ":"), ("a/b", "/"), ("x" * 32, "32 characters"), ("", "not empty"), ("'quoted'", "apostrophe"), ("History", "keeps"),
])
def test_a_sheet_name_excel_refuses_is_named(tmp_path, name, words):
    with pytest.raises(ValueError, match=re.escape(repr(name))) as e:
        write_workbook(tmp_path / "n.xlsx", [Sheet(name, [Column("a", "A")], [])])
    assert words in str(e.value)
    assert not (tmp_path / "n.xlsx").exists()


def test_repeated_names_and_bad_values_are_refused(tmp_path):
    with pytest.raises(ValueError, match="already has a sheet 'Data'"):
        write_workbook(tmp_path / "a.xlsx", [Sheet("Data", [Column("a", "A")], []), Sheet("DATA", [Column("a", "A")], [])])
    with pytest.raises(ValueError, match="'_dti'"):
        write_workbook(tmp_path / "b.xlsx", [Sheet("_dti", [Column("a", "A")], [])], stamp={})
    with pytest.raises(TypeError, match=r"sheet 'S', column 'ok', cell B2: a bool has no cell"):
        write_workbook(tmp_path / "c.xlsx", [Sheet("S", [Column("id", "Mã"), Column("ok", "Đạt", "bool_text")], [["a", True]])])
    with pytest.raises(TypeError, match=r"cell A2: a dict value"):
        write_workbook(tmp_path / "d.xlsx", [Sheet("S", [Column("v", "V")], [[{}]])])
    with pytest.raises(ValueError, match=r"row 2: 2 values for 1 columns"):
        write_workbook(tmp_path / "e.xlsx", [Sheet("S", [Column("v", "V")], [[1, 2]])])
    with pytest.raises(ValueError, match=r"row 3: 1 values for 2 columns"):
        write_workbook(tmp_path / "e.xlsx", [Sheet("S", [Column("v", "V"), Column("w", "W")], [[1, 2], [1]])])
    with pytest.raises(ValueError, match="not hidden"):
        write_workbook(tmp_path / "f.xlsx", [Sheet("S", [Column("v", "V")], [], hidden=True)])


@pytest.mark.parametrize("v", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused(tmp_path, v):
    with pytest.raises(ValueError, match=r"sheet 'S', column 'v', cell A3: .* is not a number a cell holds"):
        write_workbook(tmp_path / "n.xlsx", [Sheet("S", [Column("v", "V", "points")], [[1.5], [v]])])


def test_importing_the_module_does_not_import_xlsxwriter():
    code = "import sys, dti_cli.core.sheetwriter; print('xlsxwriter' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_cut_and_row_lines():
    assert cut_to_cell("ab🎉c", 3) == "ab" and cut_to_cell("abc", 3) == "abc"
    assert row_lines("", 20) == 1 and row_lines("ngắn", 20) == 1
    assert row_lines("a\nb\nc", 20) == 3
    assert row_lines("x" * 100, 20) >= 5  # a word longer than the line is broken
    assert row_lines("Sở Thông tin và Truyền thông " * 10, 60) in (4, 5)


# -- printed by LibreOffice ----------------------------------------------------------------------------


PROSE = ("Sở Thông tin và Truyền thông đã triển khai hệ thống quản lý văn bản và điều hành liên thông bốn cấp chính quyền; "
         "Ủy ban nhân dân huyện Năm Căn ĐẠT CHUẨN kết nối dịch vụ công trực tuyến toàn trình, theo Kế hoạch 213/KH-UBND. ")


def _pdf(soffice: str, xlsx: Path) -> Path:
    """xlsx → pdf with a private LibreOffice profile (parallel runs must not share one)."""
    profile = Path("/tmp") / f"dti-lo-{uuid.uuid4().hex}"
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "pdf",
                        "--outdir", str(xlsx.parent), str(xlsx)], check=True, capture_output=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = xlsx.with_suffix(".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


def _poppler():
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.skip("poppler-utils (pdftotext, pdfinfo) are not installed")


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.mark.libreoffice
def test_a_wide_wrapped_sheet_prints_one_page_wide_with_header_banner_and_page_numbers(soffice, tmp_path):
    _poppler()
    cols = [Column("unit", "Mã đơn vị", "id"), Column("name", "Tên cơ quan, đơn vị"), Column("note", "Nội dung rà soát", wrap=True),
            *(Column(f"v{i}", f"Chỉ tiêu {i}", "number") for i in range(1, 9)),
            Column("ev", "Minh chứng", wrap=True), Column("file", "Tệp nguồn")]
    rows = [[f"U{i:03d}", f"Phòng Văn hóa và Thông tin huyện {i}", PROSE * (1 + i % 4), *(i * 10.25 + k for k in range(8)),
             PROSE[: (i * 37) % 220], f"DTI2023_don-vi-{i:03d}.xlsx"] for i in range(300)]
    path = tmp_path / "wide.xlsx"
    write_workbook(path, [Sheet("Rà soát", cols, rows, title="Kết quả rà soát DTI 2023")],
                   page=PageText(header="Tỉnh Cà Mau · DTI 2023", footer="Trang &P/&N", banner="SỐ LIỆU MẪU"))
    ws = load_workbook(path)["Rà soát"]
    assert ws.page_setup.orientation == "landscape"

    pdf = _pdf(soffice, path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    n = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(w), round(h)) == (842, 595), "A4 landscape"

    # The pages the rows need when the table is scaled to one page wide, plus one row's worth of
    # slack per page (a row is not split across pages): a column spilling onto its own pages
    # would double the count.
    widths = [ws.column_dimensions[chr(65 + j)].width for j in range(len(cols))]
    table_pt = sum(7 * wd + 5 for wd in widths) * 0.75
    scale = min(1.0, (w - 2 * 0.4 * 72) / table_pt)
    heights = [ws.row_dimensions[r].height or 15 for r in range(3, 3 + len(rows))]
    room = (h - 2 * 0.6 * 72) / scale - (ws.row_dimensions[2].height or 15) - max(heights)
    limit = math.ceil((sum(heights) + 40) / room) + 1
    assert n <= limit, f"{n} pages, at most {limit} expected"

    pages = _pages(pdf)
    assert len(pages) == n
    for i, page in enumerate(pages, 1):
        assert "Mã đơn vị" in page and "Tệp nguồn" in page, f"page {i}: the header row, first to last column"
        assert "SỐ LIỆU MẪU" in page, f"page {i}: the banner"
        assert f"Trang {i}/{n}" in page, f"page {i}: the page number"
        assert "Tỉnh Cà Mau · DTI 2023" in page
    assert "U000" in pages[0] and "U299" in pages[-1]


@pytest.mark.libreoffice
def test_libreoffice_reads_escape_like_text_as_typed_in_both_modes(soffice, tmp_path):
    texts = ["_x0041_", "bao_cao_x00e9_.xlsx", "=1+1", "+84 290"]
    files = []
    for stream in (False, True):
        files.append(tmp_path / f"s{int(stream)}.xlsx")
        write_workbook(files[-1], [Sheet("S", [Column("f", "Tệp")], [[t] for t in texts])], stream=stream)
    profile = Path("/tmp") / f"dti-lo-{uuid.uuid4().hex}"
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to",
                        "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), *map(str, files)],
                       check=True, capture_output=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    for f in files:
        assert f.with_suffix(".csv").read_text(encoding="utf-8").splitlines() == ["Tệp", *texts], f.name


@pytest.mark.libreoffice
def test_row_heights_hold_the_lines_libreoffice_draws(soffice, tmp_path):
    """Each estimate is at least what LibreOffice wraps Vietnamese prose into, at widths from 10 to 60."""
    _poppler()
    import random

    rnd = random.Random(7)
    words = PROSE.split()
    cases = [(width, " ".join(rnd.choice(words) for _ in range(rnd.randint(2, 60)))) for width in (10, 18, 30, 45, 60) for _ in range(6)]
    # one case per page: a row far taller than its text, in a column of the case's width
    from xlsxwriter import Workbook

    path = tmp_path / "lines.xlsx"
    wb = Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    for k, (width, text) in enumerate(cases):
        ws = wb.add_worksheet(f"S{k}")
        ws.set_column(0, 0, width)
        ws.set_row(0, 400)
        ws.write_string(0, 0, text, wrap)
    wb.close()
    pdf = _pdf(soffice, path)
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = bbox.split("<page ")[1:]
    assert len(pages) == len(cases)
    for (width, text), page in zip(cases, pages, strict=True):
        drawn = len({round(float(y)) for y in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"', page)})
        assert row_lines(text, width) >= drawn, f"width {width}: {text!r}"


# -- the fast engine (very large workbooks) writes the same workbook --------------------------------


def _both(tmp_path, sheets, **kw):
    from dti_cli.core.sheetwriter import write_workbook

    out = {}
    for engine in ("xlsxwriter", "fast"):
        p = tmp_path / f"{engine}.xlsx"
        out[engine] = (p, write_workbook(p, sheets(), engine=engine, **kw))
    return out


def test_the_fast_engine_writes_the_same_workbook(tmp_path):
    import datetime

    from openpyxl import load_workbook

    from dti_cli.core.sheetwriter import Column, PageText, Sheet

    def sheets():
        cols = [Column("id", "Mã số liệu", "id"), Column("label", "Nội dung số liệu", wrap=True), Column("n", "Giá trị", "number"),
                Column("p", "Điểm", "points"), Column("r", "Tỷ lệ", "percent"), Column("d", "Ngày", "date"), Column("k", "Số lượng", "int")]
        rows = [["7.1.a", "Giá trị tăng thêm của kinh tế số " * (i % 5 + 1), 1234.5 + i, i / 7, 0.25, datetime.date(2023, 10, 1 + i % 28),
                 i * 1000] for i in range(60)]
        rows += [["=1+1", "+84 290 3800", "-5", None, None, None, None], [12, "x" * 40000, 5.0, 10.0, 1.0, None, 7]]
        return [Sheet("Số liệu", cols, rows, title="Bảng tổng hợp DTI 2023", subtitle="Số liệu mẫu"),
                Sheet("Ẩn", cols[:2], [["a", "b"]], hidden=True)]

    out = _both(tmp_path, sheets, page=PageText(header="Tỉnh Cà Mau · DTI 2023 & 2024", footer="Trang &P/&N", banner="SỐ LIỆU MẪU"),
                stamp={"format": "dti-merged", "year": "2023"})
    books = {e: load_workbook(p) for e, (p, _r) in out.items()}
    a, b = books["xlsxwriter"], books["fast"]
    assert a.sheetnames == b.sheetnames == ["Số liệu", "Ẩn", "_dti"]
    for name in a.sheetnames:
        wa, wb_ = a[name], b[name]
        assert wa.sheet_state == wb_.sheet_state
        def cells(ws):
            # the fast engine writes a float exactly (repr); XlsxWriter to 16 significant digits
            return {(c.coordinate, round(c.value, 12) if isinstance(c.value, float) else c.value, c.data_type, c.number_format)
                    for row in ws.iter_rows() for c in row if c.value is not None}

        assert cells(wa) == cells(wb_), name
    wa, wb_ = a["Số liệu"], b["Số liệu"]
    for attr in ("freeze_panes", "print_title_rows"):
        assert getattr(wa, attr) == getattr(wb_, attr), attr
    assert wa.auto_filter.ref == wb_.auto_filter.ref
    setup = lambda ws: (ws.page_setup.orientation, ws.page_setup.paperSize, int(ws.page_setup.fitToWidth or 1),  # noqa: E731
                        int(ws.page_setup.fitToHeight or 0), ws.sheet_properties.pageSetUpPr.fitToPage)  # 1 is the default width
    assert setup(wa) == setup(wb_)
    assert wa.oddHeader.center.text == wb_.oddHeader.center.text and wa.oddFooter.center.text == wb_.oddFooter.center.text
    heights = lambda ws: {r: d.height for r, d in ws.row_dimensions.items() if d.height}  # noqa: E731
    assert heights(wa) == heights(wb_)
    assert [(t.sheet, t.cell, t.length) for t in out["xlsxwriter"][1].truncated] == [(t.sheet, t.cell, t.length) for t in out["fast"][1].truncated]
    assert wb_["C4"].font.b is False and wb_["A3"].font.b is True and wb_["A3"].fill.fgColor.rgb.endswith("DDEBF7")


def test_a_large_workbook_goes_to_the_fast_engine_and_opens_in_libreoffice(tmp_path, soffice):
    import subprocess

    from dti_cli.core.sheetwriter import FAST_FROM, Column, Sheet, write_workbook

    cols = [Column(k, k.upper(), kind) for k, kind in (("a", "id"), ("b", "text"), ("c", "number"))]
    rows = [[f"u{i}", f"Đơn vị {i}", float(i)] for i in range(FAST_FROM // 3 + 10)]
    p = tmp_path / "big.xlsx"
    write_workbook(p, [Sheet("Lớn", cols, rows)])
    with __import__("zipfile").ZipFile(p) as z:
        assert "xl/sharedStrings.xml" not in z.namelist()  # the fast engine writes inline text
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(p)],
                   check=True, capture_output=True, timeout=300)
    lines = (tmp_path / "big.csv").read_text(encoding="utf-8", errors="replace").splitlines()
    assert lines[0].startswith("A,B,C") and lines[-1].startswith(f"u{len(rows) - 1},")
