"""Every kind of workbook dti writes, printed by LibreOffice as an official would print it: the template, the merged
workbook, a feedback copy, the scores file, the report, the plan and a commitment workbook of the demo round.

Each visible sheet has its print setup (A4, fitted to one page wide, the header row repeated on every page, a page
number in the header or footer); each PDF has only A4 pages, no more pages than a limit per workbook, the demo's
banner SỐ LIỆU MẪU on every page of what the demo wrote, and the merged workbook's data sheet fits its width on one
page (its last column's header is on the first page, beside its first).
"""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest
from demo_round import demo_round, returned
from test_report_print import A4_LANDSCAPE, A4_PORTRAIT, needs_poppler, pages, sizes
from typer.testing import CliRunner

SAMPLE = "SỐ LIỆU MẪU"
#: The most pages each workbook may print on (the demo round prints on about two thirds of these).
LIMITS = {"phieu": 5, "merged": 22, "phan-hoi": 6, "scores": 18, "bao-cao": 26, "ke-hoach": 36, "cam-ket": 3}


@pytest.fixture(scope="module")
def printed(tmp_path_factory, ctx, soffice):
    src = demo_round(ctx)
    d = tmp_path_factory.mktemp("print")
    shutil.copy(sorted((src / "1-phieu-mau").glob("*.xlsx"))[0], d / "phieu.xlsx")
    shutil.copy(src / "merged.xlsx", d / "merged.xlsx")
    shutil.copy(src / "scores.xlsx", d / "scores.xlsx")
    shutil.copy(src / "bao-cao-dti.xlsx", d / "bao-cao.xlsx")
    shutil.copy(src / "ke-hoach.xlsx", d / "ke-hoach.xlsx")
    shutil.copy(sorted((src / "3-cam-ket").glob("*.xlsx"))[0], d / "cam-ket.xlsx")
    from dti_cli.cli import app
    from dti_cli.commands.base import set_language

    set_language("vi")
    r = CliRunner().invoke(app, ["merge", str(returned(src)), "-o", str(d / "m.xlsx"), "--feedback", str(d / "fb")])
    assert r.exit_code == 0, r.output
    shutil.copy(sorted((d / "fb").glob("*.xlsx"))[0], d / "phan-hoi.xlsx")
    books = [d / f"{k}.xlsx" for k in LIMITS]
    r = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{d / 'lo'}", "--convert-to", "pdf", "--outdir", str(d / "pdf"),
                        *map(str, books)], capture_output=True, text=True, timeout=600)
    return d, r


@pytest.mark.parametrize("name", list(LIMITS))
def test_every_sheet_has_its_print_setup(printed, name):
    d, _r = printed
    wb = openpyxl.load_workbook(d / f"{name}.xlsx")
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        ps, pr = ws.page_setup, ws.sheet_properties.pageSetUpPr
        assert str(ps.paperSize) == "9", (name, ws.title)  # A4
        assert pr is not None and pr.fitToPage and ps.fitToWidth in (None, 1, "1"), (name, ws.title)  # one page wide
        texts = [p.text or "" for h in (ws.oddHeader, ws.oddFooter) for p in (h.left, h.center, h.right)]
        assert any("&P" in t for t in texts), (name, ws.title)  # a page number
        if ws.max_row > 8 and ws.title not in ("Hướng dẫn", "Thông tin"):
            assert ws.print_title_rows, (name, ws.title)  # the header row on every page


@needs_poppler
@pytest.mark.parametrize("name", list(LIMITS))
def test_every_workbook_prints_on_a4_within_its_page_limit(printed, name):
    d, r = printed
    pdf = d / "pdf" / f"{name}.pdf"
    assert pdf.is_file(), r.stderr[-800:]
    text = pages(pdf)
    assert 1 <= len(text) <= LIMITS[name], (name, len(text))
    assert all(s in (A4_PORTRAIT, A4_LANDSCAPE) for s in sizes(pdf)), (name, sizes(pdf))
    if name != "phan-hoi":  # the feedback copy is made by merge of the sample files, not written by the demo itself
        assert all(SAMPLE in t for t in text), name


@needs_poppler
def test_the_merged_data_sheet_fits_its_width_on_one_page(printed):
    d, _r = printed
    first = pages(d / "pdf" / "merged.pdf")[0]
    assert "Mã số liệu" in first and "Mã kiểm tra tệp" in first  # the first and the last column's headers
    assert "Tỉnh Cà Mau · DTI 2023" in first  # the page header: province and round
