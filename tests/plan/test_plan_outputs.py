"""The plan's files as people meet them: the xlsx read back (a print-ready sheet per agency), the HTML's
route chart read back against the route, the HTML printed by Chromium and the workbooks by
LibreOffice, the csv and md from the same rows."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.fixture(scope="module")
def plan(plan_ctx, sample_scores, rescore):
    from datetime import date

    from dti_cli.plan import PlanRequest, build_plan

    return build_plan(plan_ctx, sample_scores, rescore, PlanRequest(goal=650, today=date(2023, 9, 1)))


@pytest.fixture(scope="module")
def files(tmp_path_factory, plan):
    from dti_cli.plan.outputs import write_plan

    d = tmp_path_factory.mktemp("out")
    return {ext: write_plan(plan, d / f"plan{ext}") for ext in (".html", ".xlsx", ".md", ".json", ".csv")}


def test_xlsx_a_sheet_per_agency_read_back(files, plan):
    from dti_cli.formats.stamp import read_stamp
    from dti_cli.intake import open_workbook
    from dti_cli.plan.tables import action_rows

    wb = open_workbook(files[".xlsx"])
    assert read_stamp(wb)["format"] == "dti-plan"
    visible = [t for t in wb.sheet_order if t not in wb.hidden]
    pages = plan.agencies()
    assert len(visible) == 3 + len(pages)  # summary, indicators, route, one per agency
    for title, page in zip(visible[3:], pages, strict=True):
        rows = [v for _n, v in wb.sheets[title].rows()]
        assert page.name in rows[0][0]  # the title line names the agency
        body = rows[3:]  # title, subtitle, header
        expected = list(action_rows(plan, page))
        assert [r[0] for r in body] == [r.values["code"] for r in expected]
        # numbers stay numbers
        assert all(isinstance(r[3], (int, float)) and not isinstance(r[3], bool) for r in body)
    # every indicator under every scenario: 6.12 now and with the targets met (80 %: full points)
    inds = {r[0]: r for r in [v for _n, v in wb.sheets[visible[1]].rows()][2:]}
    assert inds["6.12"][3] == pytest.approx(plan.scenarios["now"].indicators["6.12"]) and inds["6.12"][4] == pytest.approx(20)
    summary = [v for _n, v in wb.sheets[visible[0]].rows()]
    assert summary[-1][1] == pytest.approx(plan.scenarios["targets"].total)
    assert summary[-1][3:11] == pytest.approx([plan.scenarios["targets"].pillars[c] for c in plan.scores.pillars])
    route = [v for _n, v in wb.sheets[visible[2]].rows()][3:]
    assert [r[1] for r in route] == [x.code for x in plan.route.routes[0]]
    assert route[-1][7] == pytest.approx(plan.route.routes[0][-1].total)


def test_html_route_chart_is_the_route(files, plan):
    from dti_cli.core.charts import read_values

    html = files[".html"].read_text(encoding="utf-8")
    svg = re.search(r"<svg[^>]*dti-chart-route.*?</svg>", html, re.S).group(0)
    marks = read_values(svg)
    route = plan.route.routes[0]
    assert marks[0][1] == pytest.approx(plan.route.goal.now)  # the start bar
    assert [v for _l, v in marks[1:-1]] == pytest.approx([r.step.gain for r in route])
    assert marks[-1][1] == pytest.approx(650)  # the goal line
    assert not re.search(r"""(src|href)=["']https?:""", html)  # nothing fetched


def test_csv_and_md_from_the_same_rows(files, plan):
    import csv

    from dti_cli.plan.outputs import CSV_COLUMNS, csv_rows

    with files[".csv"].open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == CSV_COLUMNS and len(rows) - 1 == len(csv_rows(plan))
    md = files[".md"].read_text(encoding="utf-8")
    assert md.count("\n## ") >= len(plan.agencies())


@pytest.mark.chromium
@pytest.mark.skipif(not CHROMIUM, reason="chromium is not on PATH: the HTML is not printed")
def test_html_printed_by_chromium(files, tmp_path):
    pdf = tmp_path / "plan.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                    files[".html"].as_uri()], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "583,31" in text and "650,00" in text
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "595.92 x 842.88" in info or "595 x 842" in info or "594.96 x 841.92" in info  # A4


@pytest.mark.libreoffice
def test_workbooks_printed_by_libreoffice(files, tmp_path, soffice, plan):
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(files[".xlsx"])],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "plan.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for page in plan.agencies():
        assert page.name in text
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout).group(1))
    # fit to the page width: a sheet per agency takes a page or two, never a column per page
    assert pages <= 6 + 2 * len(plan.agencies())


@pytest.mark.libreoffice
def test_a_commitment_workbook_prints_on_one_page_wide(tmp_path, soffice, plan):
    from dti_cli.api import commitment_templates

    (path,) = commitment_templates(plan.ctx, plan, tmp_path, unit="so-tttt")
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)], check=True, capture_output=True,
                   timeout=180)
    pdf = path.with_suffix(".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "Sở Thông tin và Truyền thông" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) <= 4
    assert re.search(r"Page size:\s+84[12]", info)  # A4 landscape
