"""`dti report`: what the report says, checked through the CLI as a user runs it and against arithmetic written out here.

The round is the package's sample figures scored with the API (tests/report_round.py), written
to scores.xlsx as `dti score` leaves it. Expected numbers come from the sample figures and the
seed's rules by hand, and from the 2022 baseline as the plan publishes it.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest
from report_round import sample_scores, speak_vi, write_round  # noqa: F401  (speak_vi: each test starts in Vietnamese)

from dti_cli.core import i18n
from dti_cli.formats.scores import PillarScore, read_scores, write_scores
from dti_cli.report import build_report

#: The 2022 sub-indicator scores of each pillar, added up from the plan's note column (tests/data/seed_appendix.csv),
#: against the published pillar scores (the plan's summary table). Pillars 6 and 7 differ (DOMAIN.md).
BY_INDICATORS_2022 = {"1": 81.67, "2": 60.0, "3": 51.164, "4": 65.72, "5": 44.68, "6": 72.78, "7": 60.90, "8": 27.15}
PUBLISHED_2022 = {"1": 81.67, "2": 60.0, "3": 51.16, "4": 65.73, "5": 44.68, "6": 77.76, "7": 60.735, "8": 27.135}
TOTAL_BY_INDICATORS_2022 = 81.67 + 60.0 + 51.164 + 65.72 + 44.68 + 72.78 + 60.90 + 27.15  # 464.064
SO_TC = "Sở Tài chính"


@pytest.fixture(scope="module")
def scores(ctx):
    return sample_scores(ctx)


@pytest.fixture
def work(tmp_path, monkeypatch, scores):
    """A folder with scores.xlsx as `dti score` leaves it, as the current directory."""
    write_round(scores, tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def report_json(invoke, *args) -> dict:
    out = Path("out.json")
    if out.exists():
        out.unlink()
    r = invoke("report", *args, "-o", out)
    assert r.exit_code == 0, r.output
    return json.loads(out.read_text(encoding="utf-8"))


def by_code(d: dict) -> dict:
    return {g["code"]: g for g in d["gaps"]}


# ---------------------------------------------------------------------------------------------
# The ranked gaps and the concrete step


def test_every_leaf_short_of_its_max_is_ranked_by_points_at_stake(invoke, work, ctx, scores):
    d = report_json(invoke)
    short = {i.code for i in ctx.catalogue.scored_leaves() if scores.indicators[i.code].estimated_points < i.max_points - 1e-9}
    assert {g["code"] for g in d["gaps"]} == short and "5.12" not in short and "8.8" not in short
    assert [g["rank"] for g in d["gaps"]] == list(range(1, len(d["gaps"]) + 1))
    keys = [(-g["at_stake"], tuple(int(x) for x in g["code"].split("."))) for g in d["gaps"]]
    assert keys == sorted(keys)
    # The file's JSON is the library's report of the same scores file.
    again = build_report(ctx, read_scores(work / "scores.xlsx"), source=work / "scores.xlsx")
    assert d == json.loads(json.dumps(again.to_dict()))


def test_the_step_is_in_the_indicators_own_units(invoke, work):
    g = by_code(report_json(invoke))
    # 6.12: (b + c) / a = (120,000 + 210,000) / 820,000 = 40.24 % against a threshold of 80 %:
    # 20 × 0.40244 / 0.8 = 10.06 points; full points at b + c = 0.8 × 820,000 = 656,000, 326,000 more dossiers;
    # linear below the threshold: 656,000 / 20 = 32,800 more for each point.
    x = g["6.12"]
    assert x["now"] == pytest.approx(20 * (330_000 / 820_000) / 0.8) and x["at_stake"] == pytest.approx(20 - 20 * (330_000 / 820_000) / 0.8)
    assert x["action"]["kind"] == "step"
    text = x["action"]["text"]
    assert "330.000 → 656.000" in text and "326.000" in text and "32.800" in text and "+9,94" in text
    # 1.3: 9 of 12 documents = 7.50 of 10; three more documents bring the 2.50 left.
    x = g["1.3"]
    assert x["now"] == pytest.approx(7.5) and x["change"] == pytest.approx(7.5 - 6.67) and x["status"] == "improved"
    assert "9 → 12" in x["action"]["text"] and "+2,50" in x["action"]["text"]
    for y in g.values():  # never "improve the result"
        assert "improve" not in y["action"]["text"].lower() and "cải thiện kết quả" not in y["action"]["text"].lower()


def test_quick_wins_name_the_document_or_platform(invoke, work, ctx):
    d = report_json(invoke)
    quick = {q["code"]: q for q in d["quick_wins"]}
    assert set(quick) == {"2.8", "2.10", "6.15", "6.18"}  # yes/no indicators answered "Không" in the samples
    for code, q in quick.items():
        ind = ctx.catalogue.indicators[code]
        assert all(i.type == "yes_no" for i in ind.inputs) and q["at_stake"] == ind.max_points == 10
        assert ind.inputs[0].label_vi in q["action"]["short"] and "+10,00" in q["action"]["short"]
    # First in "what to do first", and the first page says what they bring together: 4 × 10 points.
    assert [p["code"] for p in d["priorities"][:4]] == ["2.8", "2.10", "6.15", "6.18"]  # equal points: in code order
    assert any("40,00" in s and "2.8" in s for s in d["summary"])


def test_no_data_says_which_figures_are_missing_and_who_supplies_them(invoke, work):
    d = report_json(invoke)
    x = by_code(d)["7.9"]
    assert x["status"] == "no_data" and x["now"] == 0 and x["action"]["kind"] == "no_data"
    missing = {m["input"]: m for m in x["action"]["missing"]}
    assert set(missing) == {"7.9.a", "7.9.b"} and all(m["supplier_names"] == ["Sở Công Thương"] for m in missing.values())
    assert "Sở CT" in x["action"]["short"]
    assert [p["code"] for p in d["problems"]["no_data"]] == ["7.9"]


def test_targets_met_or_not(invoke, work):
    g = by_code(report_json(invoke))
    assert g["3.1"]["target_met"] is False  # 1,010,000 / 1,207,500 = 83.6 %, the target is "above 85 %"
    assert g["3.1"]["status"] == "declined" and g["3.1"]["now"] == pytest.approx(10 * 1_010_000 / 1_207_500)  # 8.36 < 8.5 in 2022
    assert g["8.1"]["target_met"] is True  # 620,000 / 1,207,500 = 51.3 % ≥ 45 %
    assert g["6.12"]["target_met"] is False and g["1.3"]["target_met"] is False  # "full" targets short of the max
    assert g["7.9"]["target_met"] is None  # nothing to measure


# ---------------------------------------------------------------------------------------------
# Which baseline each line uses (issue 12, item 9)


def test_pillars_are_compared_with_their_indicators_and_the_published_figures_are_kept(invoke, work, ctx, scores):
    d = report_json(invoke, "--compare", str(ctx.baseline.year))
    for p in d["pillars"]:
        c = p["code"]
        assert p["basis"] == "indicators" and p["previous"] == pytest.approx(BY_INDICATORS_2022[c])
        assert p["previous_published"] == pytest.approx(PUBLISHED_2022[c])
        assert p["baseline_differs"] == (c in ("6", "7"))
        assert p["change"] == pytest.approx(scores.pillars[c].estimated_points - BY_INDICATORS_2022[c])
    six = next(p for p in d["pillars"] if p["code"] == "6")
    assert six["baseline_difference"] == pytest.approx(72.78 - 77.76)
    h = d["headline"]
    assert h["previous_total"] == pytest.approx(TOTAL_BY_INDICATORS_2022) and h["previous_published"] == 468.9
    assert h["change"] == pytest.approx(scores.total_estimated - TOTAL_BY_INDICATORS_2022)
    assert (h["previous_rank"], h["previous_of"]) == (58, 63)
    # The bridge starts at the published total, steps through the difference, then each pillar, and adds up.
    b = d["bridge"]
    assert b["start"] == 468.9 and b["steps"][0]["key"] == "baseline_difference"
    assert b["steps"][0]["delta"] == pytest.approx(TOTAL_BY_INDICATORS_2022 - 468.9)
    assert b["end"] == pytest.approx(b["start"] + math.fsum(s["delta"] for s in b["steps"])) and b["end"] == pytest.approx(scores.total_estimated)
    for g in d["gaps"]:
        assert g["previous"] == ctx.baseline.score(g["code"])


def test_the_page_explains_the_difference(invoke, work):
    r = invoke("report", "--lang", "en")
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "pillar 6: published 77.76, its indicators add up to 72.78 (-4.98)" in text
    assert "pillar 7: published 60.73, its indicators add up to 60.90 (+0.16)" in text  # 60.735 and 0.165 to two decimals
    assert "72.78 *" in r.output


def test_a_year_repeating_every_baseline_score_moves_no_pillar(ctx, scores):
    s = copy.deepcopy(scores)
    for ind in ctx.catalogue.scored_leaves():
        x = s.indicators[ind.code]
        x.points = x.estimated_points = ctx.baseline.score(ind.code)
        x.status = "scored"
    for code, p in s.pillars.items():
        pts = math.fsum(s.indicators[i.code].points for i in ctx.catalogue.scored_leaves() if i.pillar == code)
        s.pillars[code] = PillarScore(code, p.name, pts, p.max_points, pts)
    s.total_confirmed = s.total_estimated = math.fsum(p.points for p in s.pillars.values())
    rep = build_report(ctx, s)
    assert all(abs(p["change"]) < 1e-9 for p in rep.pillars)
    assert abs(rep.headline["change"]) < 1e-9
    assert [st["delta"] for st in rep.bridge["steps"][1:]] == pytest.approx([0.0] * 8, abs=1e-9)
    with i18n.using("en"):
        assert "No pillar moved against 2022." in build_report(ctx, s).summary


def test_compare_with_the_year_before_the_baseline_is_by_pillar(invoke, work, ctx, scores):
    before = ctx.baseline.previous_year
    d = report_json(invoke, "--compare", str(before))
    assert d["compare"] == {"kind": "baseline_previous", "year": before, "label": str(before), "indicators_against": str(ctx.baseline.year),
                            "file": None}
    h = d["headline"]
    assert h["previous_total"] == pytest.approx(468.9 - 114.2) and h["previous_rank"] == 58 - 20  # +114.2 points and 20 places down
    one = next(p for p in d["pillars"] if p["code"] == "1")
    assert one["basis"] == "published" and one["previous"] == pytest.approx(ctx.baseline.pillars["1"].score_prev)
    assert by_code(d)["1.3"]["previous"] == 6.67  # indicators still against the baseline's


def test_compare_with_an_earlier_scores_file(invoke, work, ctx):
    earlier = sample_scores(ctx, {"1.3.a": "6", "2.8.a": "Có"})  # 6/12 × 10 = 5 points then; 2.8 at 10 then
    write_scores(earlier, work / "scores_before.json")
    d = report_json(invoke, "--compare", "scores_before.json")
    assert d["compare"]["kind"] == "file" and d["compare"]["file"] == "scores_before.json"
    g = by_code(d)
    assert g["1.3"]["previous"] == pytest.approx(5.0) and g["1.3"]["change"] == pytest.approx(2.5) and g["1.3"]["status"] == "improved"
    assert g["2.8"]["previous"] == 10 and g["2.8"]["status"] == "declined"
    assert d["headline"]["previous_total"] == pytest.approx(earlier.total_estimated)
    assert d["headline"]["change"] == pytest.approx(2.5 - 10)


def test_compare_something_else_exits_2_naming_the_years(invoke, work, ctx):
    r = invoke("report", "--compare", "2019", "--lang", "en")
    assert r.exit_code == 2
    assert str(ctx.baseline.year) in r.output and str(ctx.baseline.previous_year) in r.output


# ---------------------------------------------------------------------------------------------
# By agency (issue 12, item 10)


def test_points_at_stake_by_agency_count_each_point_once(invoke, work):
    d = report_json(invoke)
    total = d["headline"]["points_at_stake"]
    assert math.fsum(a["at_stake"] for a in d["agencies"]) == pytest.approx(total) == pytest.approx(math.fsum(g["at_stake"] for g in d["gaps"]))
    rows_of = {}
    for a in d["agencies"]:
        for c in a["indicators"]:
            rows_of.setdefault(c, []).append(a["id"])
    assert all(len(v) == 1 for v in rows_of.values())
    joint = next(a for a in d["agencies"] if a["id"] == "cac-so-nganh+ubnd-huyen+ubnd-xa")
    assert joint["joint"] and set(joint["indicators"]) == {"4.5", "4.6"}
    g = by_code(d)
    assert joint["at_stake"] == pytest.approx(g["4.5"]["at_stake"] + g["4.6"]["at_stake"])
    assert not any(a["id"] in ("cac-so-nganh", "ubnd-huyen", "ubnd-xa") for a in d["agencies"])  # never the groups one by one


def test_an_agency_page_lists_what_it_shares_marked_shared(invoke, work):
    d = report_json(invoke)
    page = report_json(invoke, "--agency", "so tai chinh")
    a = page["agency"]
    assert a["name"] == SO_TC
    g = by_code(page)
    assert {"4.5", "4.6"} <= set(g) and g["4.5"]["shared"] and g["4.6"]["shared"]  # Sở Tài chính is one of "Các sở, ban, ngành tỉnh"
    assert set(a["shared"]) == {"4.5", "4.6"}
    own = next(x for x in d["agencies"] if x["id"] == "so-tc")
    assert set(a["indicators"]) == set(own["indicators"]) and not any(g[c]["shared"] for c in a["indicators"])
    assert a["own_at_stake"] == pytest.approx(own["at_stake"])
    assert a["at_stake"] == pytest.approx(a["own_at_stake"] + a["shared_at_stake"])
    r = invoke("report", "--agency", "STC", "--lang", "en")
    assert r.exit_code == 0 and "(shared)" in r.output


def test_unknown_agency_exits_2_with_suggestions(invoke, work):
    r = invoke("report", "--agency", "So Tai Chin")
    assert r.exit_code == 2 and SO_TC in r.output


# ---------------------------------------------------------------------------------------------
# First run (issue 14)


def test_first_run_prints_the_headline_the_pillars_15_gaps_and_how_to_see_more(invoke, work, scores):
    r = invoke("report", "--lang", "en")
    assert r.exit_code == 0, r.output
    out = r.output
    assert f"{scores.total_estimated:,.2f}/1,000" in out  # the total, two decimals
    assert "Points by pillar" in out and "Digital government" in out
    d = report_json(invoke)
    shown = [g["code"] for g in d["gaps"] if f" {g['code']} " in out]
    assert [g["code"] for g in d["gaps"][:15]] == shown[:15]
    assert f"15 of {len(d['gaps'])} indicators" in out and "--top 0" in out and "-o " in out
    assert str(work) not in out  # no path, only file names
    r = invoke("report", "--top", "0", "--lang", "en")
    assert "--top 0" not in r.output and all(f" {g['code']} " in r.output for g in d["gaps"])


def test_fewer_than_half_of_the_inputs_is_said_first(invoke, tmp_path, monkeypatch, ctx):
    keep = {"1.1.a", "1.2.a", "1.2.b", "1.3.a", "1.3.b"}
    thin = sample_scores(ctx, drop=tuple(i for i in ctx.catalogue.inputs if i not in keep))
    write_round(thin, tmp_path)
    monkeypatch.chdir(tmp_path)
    r = invoke("report", "--lang", "en")
    assert r.exit_code == 0
    first = r.output.strip().splitlines()[0]
    assert first.startswith("Only 5 of the 196 inputs have arrived")
    d = report_json(invoke)
    assert d["headline"]["few_inputs"] and d["headline"]["inputs_received"] == 5


def test_numbers_follow_the_language(invoke, work, scores):
    vi = invoke("report", "--lang", "vi").output
    en = invoke("report", "--lang", "en").output
    total = f"{scores.total_estimated:.2f}"
    assert total.replace(".", ",") in vi and total in en
    assert "hạng 58/63 năm 2022" in report_json(invoke)["summary"][0] or "rank 58/63 in 2022" in report_json(invoke, "--lang", "en")["summary"][0]


def test_no_scores_found_says_run_dti_score(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("report", "--lang", "en")
    assert r.exit_code == 1
    assert "scores.xlsx" in r.output and "merged.xlsx" in r.output and "dti score" in r.output


def test_national_rank_from_a_table(invoke, work, scores):
    t = scores.total_estimated
    Path("national.csv").write_text(f"province,total\nTỉnh A,{t + 50}\nTỉnh B,{t + 1}\nTỉnh C,{t - 1}\nCà Mau,468.9\nTỉnh D,400\n",
                                    encoding="utf-8-sig")
    d = report_json(invoke, "--national", "national.csv")
    n = d["national"]
    # Among A, B, C, D (its own row set aside): A and B above the new total → 3rd of 5; A, B and C above 468.9 → it stood 4th.
    assert (n["rank"], n["of"], n["own_row_left_out"], n["own_total"]) == (3, 5, True, 468.9)
    assert n["own_rank"] == 4 and n["file"] == "national.csv"
    assert any("3/5" in s and "national.csv" in s for s in d["summary"])
    Path("bad.csv").write_text("tinh,diem\nA,x\n", encoding="utf-8")
    r = invoke("report", "--national", "bad.csv", "--lang", "en")
    assert r.exit_code == 1 and "bad.csv, row 2" in r.output


def test_outputs_are_never_replaced_without_force_and_folders_are_made(invoke, work):
    Path("r.md").write_text("mine", encoding="utf-8")
    r = invoke("report", "-o", "r.html", "-o", "r.md", "--lang", "en")
    assert r.exit_code == 1 and "--force" in r.output
    assert not Path("r.html").exists() and Path("r.md").read_text(encoding="utf-8") == "mine"
    r = invoke("report", "-o", "r.md", "--force")
    assert r.exit_code == 0 and Path("r.md").read_text(encoding="utf-8").startswith("# ")
    r = invoke("report", "-o", "new/folder/r.json")
    assert r.exit_code == 0 and Path("new/folder/r.json").is_file()
    r = invoke("report", "-o", "r.pdf")
    assert r.exit_code == 2
    r = invoke("report", "-o", "scores.xlsx", "--force")
    assert r.exit_code == 1 and read_scores("scores.xlsx").total_estimated > 0  # the input is never written over


def test_help_has_an_example(invoke):
    r = invoke("report", "--help")
    assert r.exit_code == 0 and "dti report -o" in r.output


# ---------------------------------------------------------------------------------------------
# From a merged workbook: its findings in words, what was replaced, and the scores beside it


def write_merged_round(ctx, path: Path) -> None:
    from report_round import sample_references, sample_values

    from dti_cli.core.findings import Finding
    from dti_cli.formats.merged import encode_value, write_merged
    from dti_cli.values import parse_value

    cat = ctx.catalogue
    data = []
    for iid, raw in sample_values(ctx).items():
        v = parse_value(raw, cat.inputs[iid]).value
        data.append({"input_id": iid, "indicator": cat.inputs[iid].indicator, "value": encode_value(v), "status": "ok"})
    findings = [Finding("merge.evidence_missing", "no evidence", file="so-tc.xlsx", input="2.8.a"),
                Finding("merge.evidence_missing", "no evidence", file="so-tc.xlsx", input="8.7.a"),
                Finding("value.not_number", "not a number", file="so-tc-old.xlsx", cell="E7")]
    submissions = [{"unit_id": "so-tc", "unit_name": "Sở Tài chính", "file": "so-tc-old.xlsx", "verdict": "superseded"},
                   {"unit_id": "so-tc", "unit_name": "Sở Tài chính", "file": "so-tc.xlsx", "verdict": "accepted"},
                   {"unit_id": "so-ct", "unit_name": "Sở Công Thương", "file": "", "verdict": "not_received"}]
    refs = [{"indicator": i, "key": k, "value": v, "source": "demo"} for (i, k), v in sample_references().items()]
    write_merged(path, {"data": data, "findings": findings, "submissions": submissions, "references": refs},
                 {"catalogue_sha256": ctx.catalogue.sha256, "province_id": "ca-mau", "year": str(ctx.year)})


def test_a_merged_workbook_is_scored_now_and_its_findings_said_in_words(invoke, tmp_path, monkeypatch, ctx, scores):
    write_merged_round(ctx, tmp_path / "my_round.xlsx")
    monkeypatch.chdir(tmp_path)
    d = report_json(invoke, "my_round.xlsx", "--lang", "en")
    assert d["headline"]["total_estimated"] == pytest.approx(scores.total_estimated)
    f = d["problems"]["findings"]
    # The error sits in a file replaced by a newer one: listed in the merged workbook, not counted here.
    assert (f["total"], f["errors"], f["warnings"], f["in_replaced_files"]) == (2, 0, 2, 1)
    assert f["by_code"] == [{"code": "merge.evidence_missing", "title": "Evidence missing", "severity": "warning", "count": 2}]
    assert f["file"] == "my_round.xlsx"
    assert any("merging found 0 errors and 2 warnings: Evidence missing (2)" in s for s in d["summary"])
    assert d["problems"]["submissions"]["not_received"] == 1


def test_score_then_report_finds_the_merged_workbook_beside_the_scores(invoke, tmp_path, monkeypatch, ctx):
    write_merged_round(ctx, tmp_path / "merged.xlsx")
    monkeypatch.chdir(tmp_path)
    r = invoke("score", "--format", "json")
    assert r.exit_code == 0, r.output
    assert Path("scores.xlsx").is_file()
    d = report_json(invoke)
    assert d["source"]["file"] == "scores.xlsx" and d["problems"]["findings"]["file"] == "merged.xlsx"
    g = by_code(d)
    assert g["8.1"]["target_met"] is True and g["3.1"]["target_met"] is False  # inputs read back exactly from scores.xlsx


def test_without_national_references_the_relative_indicators_carry_their_baseline_score(invoke, tmp_path, monkeypatch, ctx):
    s = sample_scores(ctx, references=False)
    write_round(s, tmp_path)
    monkeypatch.chdir(tmp_path)
    d = report_json(invoke, "--lang", "en")
    waiting = {x["code"] for x in d["problems"]["needs_reference"]}
    assert waiting == {"4.5", "4.6", "4.11", "5.1", "5.9", "5.10", "7.10", "8.6", "8.7"}  # min-max and share-of-the-best rules
    g = by_code(d)
    x = g["4.5"]  # 0.49 of 10 in 2022, carried: 9.51 at stake, nothing "now"
    assert x["status"] == "needs_reference" and x["now"] is None and x["estimate"] == 0.49 and x["at_stake"] == pytest.approx(10 - 0.49)
    assert x["action"]["kind"] == "needs_reference" and "References" in x["action"]["text"]
    h = d["headline"]
    assert h["needs_reference"] == 9 and h["carried_points"] == pytest.approx(sum(ctx.baseline.score(c) for c in waiting))
    assert h["total_confirmed"] < h["total_estimated"]
    assert any("9 indicators without national reference values count at their 2022 score" in s for s in d["summary"])


def test_a_round_at_every_max_has_nothing_to_do(ctx, scores):
    s = copy.deepcopy(scores)
    for ind in ctx.catalogue.scored_leaves():
        x = s.indicators[ind.code]
        x.points = x.estimated_points = ind.max_points
        x.status = "scored"
    for code, p in s.pillars.items():
        s.pillars[code] = PillarScore(code, p.name, p.max_points, p.max_points, p.max_points)
    s.total_confirmed = s.total_estimated = 1000.0
    with i18n.using("en"):
        rep = build_report(ctx, s)
        from dti_cli.report.pictures import agencies_svg

        assert rep.gaps == [] and rep.agencies == [] and rep.priorities == [] and rep.headline["points_at_stake"] == 0
        assert "Every indicator is at its max." in rep.summary
        assert "Every indicator is at its max." in agencies_svg(rep)


def test_a_banner_of_ones_own(invoke, work):
    r = invoke("report", "--banner", "BẢN NHÁP", "-o", "r.md", "-o", "r.csv")
    assert r.exit_code == 0, r.output
    assert Path("r.md").read_text(encoding="utf-8").startswith("**BẢN NHÁP**")
    r = invoke("report", "--banner", "BẢN NHÁP")
    assert r.output.splitlines()[0] == "BẢN NHÁP"
    assert "SỐ LIỆU MẪU" not in r.output  # the round's source is not the demo's


def _catalogue_texts(ctx) -> list[str]:
    """Every text of the data files the report may show as it is (names, units, targets, choices), longest first."""
    texts = {ctx.profile.name, ctx.profile.name_full}
    for u in ctx.profile.units:
        texts |= set(u.names())
    for p in ctx.catalogue.pillars.values():
        texts |= {p.name_vi, p.name_en}
    for ind in ctx.catalogue.indicators.values():
        texts |= {ind.name_vi, ind.name_en, ind.target.text}
        for i in ind.inputs:
            texts |= {i.label_vi, i.label_en, i.unit, *(c.label_vi for c in i.choices), *(c.label_en for c in i.choices)}
    return sorted((t for t in texts if t and t.strip()), key=len, reverse=True)


@pytest.mark.parametrize("args", [["report", "--help"], ["report"], ["report", "--agency", "STC"]], ids=" ".join)
def test_one_language_per_run(runner, work, ctx, args):
    from test_i18n import ENGLISH, VIETNAMESE, _found, _run

    vi = _run(runner, "vi", args)
    assert _found(vi, ENGLISH) == [], vi
    en = _run(runner, "en", args, width=3000)
    for text in _catalogue_texts(ctx):
        en = en.replace(text, " ")
    assert _found(en, VIETNAMESE) == [], en
