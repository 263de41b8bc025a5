"""`dti report --history`: the total and the pillars round by round, beside the baseline's published years.

The earlier round is one agency's returned workbook scored alone (`dti score FILE -o earlier.json`),
the current one the demo round; the expected figures are the plan's published 2021 and 2022 results
(2021 = 2022 less its published change) and the two scores files' own totals.
"""

from __future__ import annotations

import json
import math
import shutil

import openpyxl
import pytest
from demo_round import demo_round, returned
from report_round import speak_vi  # noqa: F401  (each test starts in Vietnamese, as each run of dti does)
from typer.testing import CliRunner

from dti_cli.cli import app
from dti_cli.methodology.context import load_context

PUBLISHED_2022 = 468.9
PUBLISHED_2021 = 468.9 - 114.2  # the plan: 468.9 points, +114.2 against 2021
PILLAR_1 = (81.67 - 26.67, 81.67)  # pillar 1 in 2021 and 2022


@pytest.fixture(scope="module")
def round_dir(tmp_path_factory):
    src = demo_round(load_context())
    d = tmp_path_factory.mktemp("history")
    for name in ("scores.xlsx", "merged.xlsx"):
        shutil.copy(src / name, d / name)
    first = sorted(returned(src).glob("*.xlsx"))[0]
    shutil.copy(first, d / "one-agency.xlsx")
    r = CliRunner().invoke(app, ["score", str(d / "one-agency.xlsx"), "-o", str(d / "earlier.json")])
    assert r.exit_code == 0, r.output
    return d


def _report(d, *args):
    r = CliRunner().invoke(app, ["report", str(d / "scores.xlsx"), "--history", str(d / "earlier.json"), *args])
    assert r.exit_code == 0, r.output
    return r


def test_the_history_lines_up_the_published_years_the_earlier_round_and_this_one(round_dir):
    d = round_dir
    _report(d, "-o", str(d / "r.json"))
    rep = json.loads((d / "r.json").read_text(encoding="utf-8"))
    earlier = json.loads((d / "earlier.json").read_text(encoding="utf-8"))["total"]["estimated"]
    now = rep["headline"]["total_estimated"]
    h = rep["history"]
    assert [(r["year"], r["kind"]) for r in h["rounds"]] == [(2021, "baseline"), (2022, "baseline"), (2023, "scores"), (2023, "scores")]
    assert [r["label"] for r in h["rounds"][2:]] == ["earlier.json", "scores.xlsx"]
    total = h["lines"][0]
    assert total["code"] == "total"
    assert total["points"][0] == pytest.approx(PUBLISHED_2021) and total["points"][1] == pytest.approx(PUBLISHED_2022)
    assert total["points"][2] == pytest.approx(earlier) and total["points"][3] == pytest.approx(now)
    assert total["change"] == pytest.approx(now - PUBLISHED_2021)
    pillars = [ln for ln in h["lines"] if ln["level"] == "pillar"]
    assert [p["code"] for p in pillars] == [str(k) for k in range(1, 9)]
    assert pillars[0]["points"][:2] == pytest.approx(list(PILLAR_1))
    for k in (2, 3):  # a round's pillars add up to its total
        assert math.fsum(p["points"][k] for p in pillars) == pytest.approx(total["points"][k])
    assert not [ln for ln in h["lines"] if ln["level"] == "indicator"]  # the indicators are dti history's and dti export's


def test_the_history_is_a_sheet_of_numbers_and_a_section_of_the_page(round_dir):
    d = round_dir
    _report(d, "-o", str(d / "r.xlsx"), "-o", str(d / "r.html"), "-o", str(d / "r.md"))
    ws = openpyxl.load_workbook(d / "r.xlsx", read_only=True)["Theo năm"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if r[0] == "Chỉ số chính")
    assert list(rows[head][1:3]) == ["Năm 2021 (công bố)", "Năm 2022 (công bố)"]
    total = rows[head + 1]
    assert total[0] == "Tổng điểm" and isinstance(total[1], float) and total[1] == pytest.approx(PUBLISHED_2021)
    html = (d / "r.html").read_text(encoding="utf-8")
    assert 'id="history"' in html and "Điểm qua các đợt và các năm" in html
    assert "Điểm qua các đợt và các năm" in (d / "r.md").read_text(encoding="utf-8")


def test_the_history_in_the_terminal_and_in_english(round_dir):
    d = round_dir
    r = _report(d)
    assert "Điểm qua các đợt và các năm" in r.output and "354,70" in r.output
    r = _report(d, "--lang", "en")
    assert "Rounds and years" in r.output and "2021 (published)" in r.output and "354.70" in r.output


def test_a_missing_history_file_is_named_and_nothing_is_written(round_dir):
    d = round_dir
    r = CliRunner().invoke(app, ["report", str(d / "scores.xlsx"), "--history", str(d / "nope.json"), "-o", str(d / "x.html")])
    assert r.exit_code != 0 and "nope.json" in r.output
    assert not (d / "x.html").exists()


def test_an_output_never_replaces_a_history_file(round_dir):
    d = round_dir
    before = (d / "earlier.json").read_bytes()
    r = CliRunner().invoke(app, ["report", str(d / "scores.xlsx"), "--history", str(d / "earlier.json"), "-o", str(d / "earlier.json"),
                                 "--force"])
    assert r.exit_code != 0
    assert (d / "earlier.json").read_bytes() == before
