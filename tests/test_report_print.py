"""The report printed as a person prints it: the HTML page by headless Chromium, the workbook by LibreOffice, read back
from the PDF (page count and size, the words and the headline figures, the banner on every page)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from report_round import speak_vi  # noqa: F401  (speak_vi: each test starts in Vietnamese)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PDFTOTEXT, PDFINFO = shutil.which("pdftotext"), shutil.which("pdfinfo")
SAMPLE = "SỐ LIỆU MẪU"
A4_PORTRAIT, A4_LANDSCAPE = "portrait", "landscape"

needs_poppler = pytest.mark.skipif(not (PDFTOTEXT and PDFINFO), reason="pdftotext/pdfinfo (poppler-utils) are not on PATH: a PDF cannot be read back")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, ctx):
    """`dti demo` (the sample round, SỐ LIỆU MẪU on every page), then `dti report` of it written as HTML and xlsx."""
    from typer.testing import CliRunner

    from dti_cli.cli import app
    from dti_cli.commands.base import set_language
    from dti_cli.formats.scores import read_scores

    set_language("vi")
    folder = tmp_path_factory.mktemp("demo") / "round"
    r = CliRunner().invoke(app, ["demo", str(folder)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["report", str(folder / "scores.xlsx"), "-o", str(folder / "bao-cao.html"), "-o", str(folder / "bao-cao.xlsx")],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return folder, read_scores(folder / "scores.xlsx")


def pages(pdf: Path) -> list[str]:
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run([PDFINFO, str(pdf)], capture_output=True, text=True, check=True).stdout).group(1))
    return [subprocess.run([PDFTOTEXT, "-layout", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            for i in range(1, n + 1)]


def sizes(pdf: Path) -> list[str]:
    """Each page as "portrait" or "landscape" when it is A4 (595 × 842 points, within a point), else its size."""
    info = subprocess.run([PDFINFO, "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True).stdout
    out = []
    for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info):
        w, h = float(w), float(h)
        if abs(min(w, h) - 595.3) < 1 and abs(max(w, h) - 841.9) < 1:
            out.append(A4_PORTRAIT if w < h else A4_LANDSCAPE)
        else:
            out.append(f"{w} x {h}")
    return out


def flat(text: str) -> str:
    return " ".join(text.split())


@needs_poppler
@pytest.mark.chromium
@pytest.mark.skipif(not CHROMIUM, reason="headless Chromium is not installed: the HTML report is not printed")
def test_the_html_report_printed_by_chromium(demo, tmp_path):
    folder, scores = demo
    pdf = tmp_path / "bao-cao.pdf"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
           (folder / "bao-cao.html").as_uri()]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert pdf.is_file(), r.stderr[-800:]
    text = pages(pdf)
    # The first section (the report in words, the key figures, the charts, what to do first) fits on two A4 pages:
    # the next section, the pillars' table, starts on page 3 at the latest.
    second = next(i for i, t in enumerate(text, 1) if "Điểm theo chỉ số chính" in t)
    assert second <= 3 and sizes(pdf)[: second - 1] == [A4_PORTRAIT] * (second - 1)
    first = flat(" ".join(text[: second - 1]))
    total = f"{scores.total_estimated:.2f}".replace(".", ",")
    change = f"{scores.total_estimated - 464.064:.2f}".replace(".", ",")  # against the 2022 indicators added up (test_report.py)
    for words in (f"{total}/1.000 điểm", f"tăng {change} điểm", "468,90", "hạng 58/63 năm 2022", "Làm gì trước"):
        assert words in first, words
    # The charts are there: their titles, the pillars' names, the bridge's steps.
    for words in ("Chỉ số (0–1) của các chỉ số chính", "Từ tổng điểm 2022 đến năm 2023", "Hoạt động chính quyền số", "+38,63"):
        assert words in first, words
    # The ranked list prints in landscape; "SỐ LIỆU MẪU" is on every page.
    gaps_page = next(i for i, t in enumerate(text, 1) if "Các chỉ số chưa đạt điểm tối đa, xếp theo điểm còn thiếu" in t)
    assert sizes(pdf)[gaps_page - 1] == A4_LANDSCAPE
    assert all(SAMPLE in t for t in text)
    assert len(text) <= 20


@needs_poppler
@pytest.mark.libreoffice
def test_the_workbook_printed_by_libreoffice(demo, soffice, tmp_path):
    folder, scores = demo
    shutil.copy(folder / "bao-cao.xlsx", tmp_path / "bao-cao.xlsx")
    r = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to", "pdf", "--outdir", str(tmp_path),
                        str(tmp_path / "bao-cao.xlsx")], capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "bao-cao.pdf"
    assert pdf.is_file(), r.stderr[-800:]
    text = pages(pdf)
    assert len(text) <= 22  # 11 tables and 3 charts, the ranked list on 4 landscape pages
    assert all(s in (A4_PORTRAIT, A4_LANDSCAPE) for s in sizes(pdf))
    for i, t in enumerate(text, 1):  # the page header: province, round, banner; the footer: the page number
        assert "Tỉnh Cà Mau · DTI 2023 · Báo cáo" in t and SAMPLE in t and f"Trang {i}/{len(text)}" in t, i
    every = flat(" ".join(text))
    assert f"{scores.total_estimated:.2f}" in every  # LibreOffice shows the numbers in its own locale (en-US here)
    for title in ("Chỉ số (0–1) của các chỉ số chính", "Từ tổng điểm 2022 đến năm 2023", "Điểm còn thiếu theo cơ quan chủ trì"):
        assert title in every, title


def test_the_demos_report_says_sample_data_and_its_findings_in_words(demo, ctx):
    import json

    from typer.testing import CliRunner

    from dti_cli.cli import app
    from dti_cli.core.findings import CODES

    folder, scores = demo
    out = folder / "bao-cao.json"
    r = CliRunner().invoke(app, ["report", str(folder / "scores.xlsx"), "-o", str(out), "--force"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    d = json.loads(out.read_text(encoding="utf-8"))
    assert d["sample"] and d["banner"] == SAMPLE and d["source"]["merged"] == "merged.xlsx"
    f = d["problems"]["findings"]
    assert f["file"] == "merged.xlsx" and f["total"] >= 1
    assert all(x["title"] == CODES[x["code"]].title_text() != x["code"] for x in f["by_code"])  # words, with the code beside
    assert d["problems"]["scoring"]["by_code"] == []  # the demo's scores file reads back without a stray row
    assert d["headline"]["total_estimated"] == scores.total_estimated
    assert any(x["title"] in s and str(x["count"]) in s for s in d["summary"] for x in f["by_code"][:1])
    r = CliRunner().invoke(app, ["report", str(folder / "scores.xlsx")], catch_exceptions=False)
    assert r.output.splitlines()[0] == SAMPLE
