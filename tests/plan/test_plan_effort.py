"""Effort: the defaults each rule kind names, an effort file over them (CSV or xlsx, headers in either
language; a bad row is a finding naming the row), fixed indicators, the most reachable, agency caps."""

from __future__ import annotations

import pytest

from dti_cli.methodology.rules import KINDS

EFFORT_CSV = """code,effort,most,fixed,agency,cap
6.12,8,,,,
6.15,,,Có,,
7.1,,18%,,,
7.2,abc,,,,
5.12,1,,,,
9.9,1,,,,
6.12,3,,,,
1.9,,50%,,,
,,,,Sở TT&TT,3
,,,,Sở Không Có,2
3.1,,,,,
"""


def test_every_kind_names_its_effort_class_and_the_plan_prices_each():
    from dti_cli.plan.effort import CLASSES

    for name, cls in KINDS.items():
        if name in ("parts", "sum_children"):
            assert cls.effort_class is None  # moved through its parts, or not at all
        else:
            assert cls.effort_class in CLASSES, name


def test_a_parts_rule_answers_for_the_part_that_reads_the_input(plan_ctx):
    rule = plan_ctx.catalogue.indicators["3.5"].rule
    assert rule.effort_class_of("3.5.a") == "tier" and rule.effort_class_of("3.5.b") == "document"


def test_default_efforts_in_proportion_of_what_remains(sample_plan):
    from dti_cli.plan.effort import CLASSES

    plans = {p.code: p for p in sample_plan.plans}
    share = CLASSES["share"][0]
    # 4.7: the target (140 more of the 4.400 that full points need) costs 140/4.400 of a figure's effort.
    assert plans["4.7"].target.effort == pytest.approx(share * 140 / 4400)
    assert plans["4.7"].full.effort == pytest.approx(share)
    # 6.20: a choice up one tier of two costs half the tier's effort.
    assert [s.effort for s in plans["6.20"].levels] == pytest.approx([CLASSES["tier"][0] / 2, CLASSES["tier"][0]])
    # 3.6: two figures raised, each all the way: twice a figure's effort.
    assert plans["3.6"].full.effort == pytest.approx(2 * share)
    # a yes/no: a document.
    assert plans["2.8"].full.effort == CLASSES["document"][0]


@pytest.fixture
def effort_file(tmp_path):
    p = tmp_path / "effort.csv"
    p.write_text(EFFORT_CSV, encoding="utf-8")
    return p


def test_bad_rows_are_findings_naming_the_row(plan_ctx, effort_file):
    from dti_cli.formats.effort import read_effort

    t = read_effort(plan_ctx, effort_file)
    bad = {f.data["row"]: f.message for f in t.findings}
    assert {f.code for f in t.findings} == {"plan.effort_bad_row"}
    assert set(bad) == {5, 6, 7, 8, 9, 11, 12}
    for row, message in bad.items():
        assert f"effort.csv, row {row}" in message or f"effort.csv, dòng {row}" in message
    assert set(t.indicators) == {"6.12", "6.15", "7.1"}
    assert t.indicators["7.1"].most == pytest.approx(0.18)
    assert t.indicators["6.15"].fixed
    assert t.caps == {"so-tttt": 3.0}


def test_an_effort_workbook_with_vietnamese_headers(plan_ctx, tmp_path):
    import xlsxwriter

    from dti_cli.formats.effort import read_effort

    path = tmp_path / "cong-suc.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Công sức")
    for r, row in enumerate([["Mã chỉ số", "Công sức", "Mức cao nhất đạt được", "Cố định"], ["6.12", 8, "70%", None], ["7.9", None, None, "x"]]):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    wb.close()
    t = read_effort(plan_ctx, path)
    assert not t.findings
    assert t.indicators["6.12"].effort == 8 and t.indicators["6.12"].most == pytest.approx(0.7)
    assert t.indicators["7.9"].fixed


def test_the_effort_file_in_the_plan(plan_ctx, sample_scores, rescore, effort_file):
    from dti_cli.formats.effort import read_effort
    from dti_cli.plan import PlanRequest, build_plan

    t = read_effort(plan_ctx, effort_file)
    plan = build_plan(plan_ctx, sample_scores, rescore, PlanRequest(goal=650, effort=t))
    plans = {p.code: p for p in plan.plans}
    # 6.12's own effort is its top level's; the target is the same change.
    assert plans["6.12"].full.effort == pytest.approx(8)
    # fixed: offers nothing, never moves, and is said so.
    assert plans["6.15"].options() == [] and ("6.15", "fixed") in plan.route.held
    # 7.1 can reach 18 % at most: a level there (18/20 × 20 points), full points beyond it.
    p = plans["7.1"]
    assert p.cap is not None and p.cap.points == pytest.approx(18, abs=0.01)
    assert p.full.beyond_most and not p.target.beyond_most
    assert all(s.key != "full" for s in p.options())
    # Sở TT&TT's steps take at most 3 of effort together.
    route = plan.route.routes[0]
    assert sum(r.step.effort for r in route if r.agency == "so-tttt") <= 3 + 1e-9
    assert plan.findings and all(f.code == "plan.effort_bad_row" for f in plan.findings)
