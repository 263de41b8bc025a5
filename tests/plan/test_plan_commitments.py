"""Commitment workbooks: written per lead agency, protected but for the columns the agency fills,
filled and saved by LibreOffice, read back through intake with the same safety as returned files;
a commitment below the value now or above what the rule can use is a finding; a later round shows
each commitment met, on track or behind."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

UNIT = "tt-gqtthc"  # Trung tâm GQTTHC: 6.12 (online dossiers) and yes/no indicators


@pytest.fixture(scope="module")
def workbook(tmp_path_factory, sample_plan):
    from dti_cli.api import commitment_templates

    d = tmp_path_factory.mktemp("commit")
    (path,) = commitment_templates(sample_plan.ctx, sample_plan, d, unit=UNIT)
    return path


def rows_by_key(ws):
    return {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value}


def fill(src, dst, values):
    """What an agency does: types into the yellow columns (openpyxl stands in for Excel here)."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    rows = rows_by_key(ws)
    for key, cells in values.items():
        for col, v in cells.items():
            ws.cell(rows[key], col, v)
    wb.save(dst)


def libreoffice(soffice, src, outdir):
    outdir.mkdir(exist_ok=True)
    subprocess.run([soffice, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)
    return outdir / src.name


def test_the_workbook_lists_the_agency_figures_protected_but_for_what_it_fills(workbook, sample_plan):
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    ws = wb.worksheets[0]
    assert wb["_dti"].sheet_state == "hidden" and ws.protection.sheet
    rows = rows_by_key(ws)
    # Every figure of the agency's indicators short of full; 6.12's as the sum the rule reads.
    codes = {p.code for p in sample_plan.plans if UNIT in p.ind.lead}
    assert {ws.cell(r, 2).value for r in rows.values()} == codes
    r = rows["6.12.b+6.12.c"]
    assert ws.cell(r, 6).value == 330_000  # the value now, a number
    assert "656.000" in ws.cell(r, 7).value  # full points (and the 80 % target)
    for col in range(1, 13):
        assert ws.cell(r, col).protection.locked == (col < 8), col
    assert ws.column_dimensions["A"].hidden  # the key column is for machines


@pytest.mark.libreoffice
def test_round_trip_through_libreoffice(workbook, tmp_path, soffice, plan_ctx):
    import openpyxl

    from dti_cli.formats.commitments import read_commitments

    filled = tmp_path / workbook.name
    fill(workbook, filled, {
        "6.12.b+6.12.c": {8: "700.000", 9: "15/12/2023", 10: "118/KH-UBND", 11: date(2023, 5, 15), 12: "Kế hoạch số hóa hồ sơ"},
        "2.10.a": {8: "Có", 9: date(2023, 11, 30)},
        "6.3.c": {8: "nhiều", 9: "không rõ"},
    })
    saved = libreoffice(soffice, filled, tmp_path / "lo")
    wb = openpyxl.load_workbook(saved)
    assert wb.worksheets[0].protection.sheet and wb["_dti"].sheet_state == "hidden"
    got = read_commitments(plan_ctx, saved)
    by = {c.inputs: c for c in got.commitments}
    assert got.unit_id == UNIT
    c = by[("6.12.b", "6.12.c")]
    assert (c.value, c.by, c.doc_no, c.doc_date, c.summary) == (700_000.0, date(2023, 12, 15), "118/KH-UBND", date(2023, 5, 15),
                                                                "Kế hoạch số hóa hồ sơ")
    assert c.then == 330_000
    assert by[("2.10.a",)].value is True and by[("2.10.a",)].by == date(2023, 11, 30)
    bad = [f for f in got.findings if f.code == "plan.commitment_bad_row"]
    assert len(bad) == 1 and bad[0].cell.startswith("H") and bad[0].file == workbook.name


@pytest.mark.libreoffice
def test_a_workbook_saved_unfilled_commits_to_nothing(workbook, tmp_path, soffice, plan_ctx):
    from dti_cli.formats.commitments import read_commitments

    got = read_commitments(plan_ctx, libreoffice(soffice, workbook, tmp_path / "lo"))
    assert got.commitments == [] and got.findings == []


def test_below_now_and_above_use_are_findings(workbook, tmp_path, sample_plan, plan_ctx):
    from dti_cli.formats.commitments import read_commitments
    from dti_cli.plan.actions import all_values, references_by_indicator
    from dti_cli.plan.commitments import assess

    low, high = tmp_path / "low.xlsx", tmp_path / "high.xlsx"
    fill(workbook, low, {"6.12.b+6.12.c": {8: 300_000}})  # below the 330.000 of now
    fill(workbook, high, {"6.12.b+6.12.c": {8: 700_000}})  # above the 656.000 (80 %) that gives full points
    plans = {p.code: p for p in sample_plan.plans}
    values, refs = all_values(sample_plan.scores), references_by_indicator(sample_plan.scores)
    for path, code in ((low, "plan.commitment_below_now"), (high, "plan.commitment_above_use")):
        _statuses, findings = assess(plan_ctx, [read_commitments(plan_ctx, path)], plans, values, refs, date(2023, 9, 1))
        assert [f.code for f in findings] == [code]
        assert findings[0].file == path.name and findings[0].input == "6.12.b"


def test_a_file_that_is_not_a_commitment_workbook(plan_ctx, sample_dir, tmp_path):
    from dti_cli.formats.commitments import read_commitments

    got = read_commitments(plan_ctx, sample_dir / "scores.xlsx")
    assert [f.code for f in got.findings] == ["plan.commitment_file"] and not got.commitments
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a workbook")
    assert [f.code for f in read_commitments(plan_ctx, fake).findings] == ["plan.commitment_file"]


def test_a_later_round_shows_met_on_track_and_behind(workbook, tmp_path, plan_ctx, sample_values, sample_refs, rescore):
    """Committed on 1/9/2023 (the workbook's date): 656.000 online dossiers by 31/12, Yes to 2.10 by 30/11."""
    from dti_cli.formats.commitments import read_commitments
    from dti_cli.plan import PlanRequest, build_plan
    from dti_cli.score import score_values

    filled = tmp_path / "filled.xlsx"
    fill(workbook, filled, {"6.12.b+6.12.c": {8: 656_000, 9: date(2023, 12, 31)}, "2.10.a": {8: "Có", 9: date(2023, 11, 30)}})
    got = read_commitments(plan_ctx, filled)
    got.written = date(2023, 9, 1)
    for c in got.commitments:
        c.written = date(2023, 9, 1)
    # The later round: 6.12.b up by 180.000 (510.000 online of the 656.000 committed; 180.000 of the 326.000 more: 55 %).
    later = score_values(plan_ctx, {**sample_values, "6.12.b": 300_000.0}, sample_refs, source={"kind": "sample"})

    def statuses(today):
        plan = build_plan(plan_ctx, later, rescore, PlanRequest(commitments=[got], today=today))
        return {c.code: c for c in plan.commitments}, plan

    s, plan = statuses(date(2023, 11, 1))  # 61 of the 121 days gone (50 %): 55 % of the way is on track
    assert s["6.12"].status == "on_track" and s["6.12"].progress == pytest.approx(180 / 326)
    assert s["6.12"].elapsed == pytest.approx(61 / 121)
    assert s["2.10"].status == "on_track"  # a decision, its date not reached
    s, _plan = statuses(date(2023, 12, 1))  # 91 of 121 days (75 %): 55 % is behind; 2.10's date has passed
    assert s["6.12"].status == "behind" and s["2.10"].status == "behind"
    done = score_values(plan_ctx, {**sample_values, "6.12.b": 446_000.0, "2.10.a": True}, sample_refs, source={"kind": "sample"})
    plan = build_plan(plan_ctx, done, rescore, PlanRequest(commitments=[got], today=date(2023, 12, 1)))
    assert {c.code: c.status for c in plan.commitments} == {"6.12": "met", "2.10": "met"}
    # Every commitment kept: 6.12 at 80 % (full) and 2.10 yes, from the later round.
    kept = plan.scenarios["commitments"]
    assert kept.indicators["6.12"] == pytest.approx(20) and kept.indicators["2.10"] == pytest.approx(10)


def test_the_same_figure_in_two_workbooks_counts_once(workbook, tmp_path, plan_ctx, sample_plan):
    from dti_cli.formats.commitments import read_commitments
    from dti_cli.plan.actions import all_values, references_by_indicator
    from dti_cli.plan.commitments import assess

    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    fill(workbook, a, {"6.12.b+6.12.c": {8: 400_000}})
    fill(workbook, b, {"6.12.b+6.12.c": {8: 500_000}})
    fa, fb = read_commitments(plan_ctx, a), read_commitments(plan_ctx, b)
    fa.written, fb.written = date(2023, 9, 1), date(2023, 9, 20)
    statuses, findings = assess(plan_ctx, [fb, fa], {p.code: p for p in sample_plan.plans}, all_values(sample_plan.scores),
                                references_by_indicator(sample_plan.scores), date(2023, 10, 1))
    assert [s.commitment.value for s in statuses] == [500_000.0]
    assert [f.code for f in findings] == ["plan.commitment_duplicate"]
