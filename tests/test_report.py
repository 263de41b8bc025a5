"""`dti report`: the ranked gap report, through the CLI and the library, every output read back."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dti_cli.report import ReportInput, ScoreRow, build_report, code_key, md_escape, measured_ratio, target_met, write_report
from dti_cli.score import score_all, write_scores

FORMULA_REASON = '=HYPERLINK("http://evil.example","click")'
FORMULA_BY = "+cmd|' /C calc'!A0"


def full_values(cat) -> dict:
    """Inputs that earn every indicator its max (relative ones still need references)."""
    v: dict = {}

    def best(rule, iid):
        if rule.kind == "choice" and rule.input == iid:
            return max(rule.points, key=lambda kv: kv[1])[0]
        for p in rule.parts:
            if (b := best(p, iid)) is not None:
                return b
        return None

    for i in cat.inputs.values():
        if i.type == "yes_no":
            v[i.id] = True
        elif i.type == "choice":
            v[i.id] = best(cat.indicators[i.indicator].rule, i.id)
        else:
            v[i.id] = 100.0
    return v


def round_values(cat) -> dict:
    """A round with known gaps: 2.1 and 6.2 (yes/no) at 0, 1.3 at 0 (a ratio), 3.1 at 85%, 8.1 at 45%, 7.1 without data."""
    v = full_values(cat)
    v["2.1.a"] = False  # 5 in 2022: a regression and a quick win
    v["6.2.a"] = v["6.2.b"] = False  # parts of yes/no, 0 in 2022: a quick win, not a regression
    v["1.3.a"] = 0.0  # a ratio at 0: not a quick win
    v["3.1.a"] = 85.0  # 8.5 as in 2022; target "> 85%" not met
    v["8.1.a"] = 45.0  # 9 of 20; target ">= 45%" met
    del v["7.1.a"]  # no data
    return v


ADJUSTMENT = {"row": 2, "input_id": "8.1.b", "new_value": 100, "reason": FORMULA_REASON, "by": FORMULA_BY, "date": "2023-10-06"}


@pytest.fixture(scope="module")
def scores(ctx):
    return score_all(ctx, round_values(ctx.catalogue), adjustments=[ADJUSTMENT])


@pytest.fixture
def work(tmp_path, monkeypatch, scores):
    """A folder with scores.xlsx as `dti score` leaves it, as the current directory."""
    write_scores(scores, tmp_path / "scores.xlsx")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def report_json(invoke, *args) -> dict:
    out = Path("out.json")
    if out.exists():
        out.unlink()
    r = invoke("report", *args, "-o", out)
    assert r.exit_code == 0, r.output
    return json.loads(out.read_text(encoding="utf-8"))


def leaves_short(ctx, scores) -> set[str]:
    out = set()
    for ind in ctx.catalogue.leaves():
        s = scores.indicators[ind.code]
        points = s.estimated_points if s.status == "needs_reference" else s.points
        if points < ind.max_points - 1e-9:
            out.add(ind.code)
    return out


# ---------------------------------------------------------------------------------------------
# The content


def test_json_ranks_every_leaf_short_of_max_by_points_at_stake(invoke, work, ctx, scores):
    d = report_json(invoke)
    gaps = d["gaps"]
    assert {g["code"] for g in gaps} == leaves_short(ctx, scores)
    assert "5.12" not in {g["code"] for g in gaps} and "8.8" not in {g["code"] for g in gaps}
    assert [g["rank"] for g in gaps] == list(range(1, len(gaps) + 1))
    keys = [(-g["at_stake"], code_key(g["code"])) for g in gaps]
    assert keys == sorted(keys)
    assert gaps[0]["code"] == "7.1" and gaps[0]["at_stake"] == 20 and gaps[0]["status"] == "no_data"
    by = {g["code"]: g for g in gaps}
    assert by["1.3"]["at_stake"] == 10 and by["1.3"]["lead"] == ["Sở Thông tin và Truyền thông"]
    # The JSON file is the library's result.
    inp = ReportInput.from_dict(__import__("dti_cli.score", fromlist=["read_scores"]).read_scores(work / "scores.xlsx"), source=str(work / "scores.xlsx"))
    assert d == json.loads(json.dumps(build_report(ctx, inp).to_dict()))


def test_previous_column_is_the_2022_baseline(invoke, work, ctx):
    d = report_json(invoke, "--compare", "2022")
    for g in d["gaps"]:
        assert g["previous"] == ctx.baseline.score(g["code"])
        assert g["score_2022"] == ctx.baseline.score(g["code"])
    for p in d["pillars"]:
        assert p["previous"] == ctx.baseline.pillars[p["code"]].score
        assert p["previous_rank"] == ctx.baseline.pillars[p["code"]].rank
    assert d["headline"]["previous_total"] == ctx.baseline.total == 468.9


def test_headline_totals_agree_with_scoring(invoke, work, scores):
    h = report_json(invoke)["headline"]
    assert h["total_confirmed"] == pytest.approx(scores.total_confirmed)
    assert h["total_estimated"] == pytest.approx(scores.total_estimated)
    assert h["change"] == pytest.approx(scores.total_estimated - 468.9, abs=1e-3)
    carried = [s for s in scores.indicators.values() if s.status == "needs_reference"]
    assert h["needs_reference"] == len(carried) > 0
    assert h["needs_reference_points_carried"] == pytest.approx(sum(s.score_2022 for s in carried))


def test_statuses_and_targets(invoke, work):
    by = {g["code"]: g for g in report_json(invoke)["gaps"]}
    assert by["1.3"]["status"] == "declined" and by["1.3"]["change"] == pytest.approx(-6.67)
    assert by["3.1"]["status"] == "unchanged" and by["3.1"]["target_met"] is False  # 85% is not "> 85%"
    assert by["8.1"]["status"] == "improved" and by["8.1"]["target_met"] is True  # 45% meets ">= 45%"
    assert by["7.1"]["status"] == "no_data" and by["7.1"]["target_met"] is None
    assert by["4.5"]["status"] == "needs_reference" and by["4.5"]["now"] is None
    assert by["2.1"]["target_met"] is False  # target "full", 0 of 5


def test_quick_wins_are_yes_no_indicators_at_zero(invoke, work, ctx, scores):
    d = report_json(invoke)
    got = {q["code"]: q["points"] for q in d["quick_wins"]}
    assert got == {"2.1": 5.0, "6.2": 5.0}
    for code in got:
        r = ctx.catalogue.indicators[code].rule
        assert r.kind == "yes_no" or all(p.kind == "yes_no" for p in r.parts)
        assert scores.indicators[code].points == 0
    assert scores.indicators["1.3"].points == 0 and "1.3" not in got  # at 0, but a ratio


def test_regressions_are_exactly_the_indicators_below_2022(invoke, work, ctx, scores):
    d = report_json(invoke)
    expected = {ind.code for ind in ctx.catalogue.leaves()
                if scores.indicators[ind.code].status != "needs_reference"
                and scores.indicators[ind.code].points < (ctx.baseline.score(ind.code) or 0) - 1e-9}
    assert {x["code"] for x in d["regressions"]} == expected == {"1.3", "2.1", "7.1"}


def test_by_agency_and_agency_page(invoke, work):
    d = report_json(invoke)
    ag = {a["agency"]: a for a in d["agencies"]}
    assert ag["Sở Kế hoạch và Đầu tư"]["indicators"][0] == "7.1"
    assert ag["Sở Thông tin và Truyền thông"]["at_stake"] == pytest.approx(sum(g["at_stake"] for g in d["gaps"] if "Sở Thông tin và Truyền thông" in g["lead"]), abs=1e-3)
    page = report_json(invoke, "--agency", "so ke hoach va dau tu")
    assert page["agency"]["name"] == "Sở Kế hoạch và Đầu tư"
    assert {g["code"] for g in page["gaps"] if "Sở Kế hoạch và Đầu tư" in g["lead"]} == set(ag["Sở Kế hoạch và Đầu tư"]["indicators"])
    # The rest it shares as one of "Các sở, ban, ngành tỉnh".
    assert all("Các sở, ban, ngành tỉnh" in g["lead"] for g in page["gaps"] if "Sở Kế hoạch và Đầu tư" not in g["lead"])
    assert {g["code"] for g in page["gaps"]} < {g["code"] for g in d["gaps"]}
    assert page["quick_wins"] == [] and [x["code"] for x in page["regressions"]] == ["7.1"]


def test_agency_page_includes_group_leads(invoke, work):
    """A department is one of "Các sở, ban, ngành tỉnh", which leads 4.5 and 4.6."""
    page = report_json(invoke, "--agency", "STC")
    codes = {g["code"] for g in page["gaps"]}
    assert {"4.5", "4.6"} <= codes


def test_unknown_agency_exits_2_with_suggestions(invoke, work):
    r = invoke("report", "--agency", "So Tai Chin")
    assert r.exit_code == 2
    assert "Unknown agency" in r.output and "Sở Tài chính" in r.output


def test_compare_2021_is_by_pillar(invoke, work, ctx):
    d = report_json(invoke, "--compare", "2021")
    assert d["compare"]["kind"] == "baseline_previous" and d["compare"]["indicators_against"] == "2022"
    assert d["headline"]["previous_total"] == ctx.baseline.total_prev == pytest.approx(354.7)
    assert d["headline"]["previous_rank"] == ctx.baseline.rank_prev == 38
    p1 = next(p for p in d["pillars"] if p["code"] == "1")
    assert p1["previous"] == ctx.baseline.pillars["1"].score_prev == pytest.approx(55.0)
    assert p1["previous_rank"] == 40
    assert p1["change"] == pytest.approx(p1["now"] - 55.0, abs=1e-3)


def test_compare_with_an_earlier_scores_file(invoke, work, ctx):
    earlier = full_values(ctx.catalogue)
    earlier["8.1.a"] = 10.0  # 2 points then, 9 now
    before = score_all(ctx, earlier)
    write_scores(before, work / "scores_2023.json")
    d = report_json(invoke, "--compare", "scores_2023.json")
    assert d["compare"]["kind"] == "file"
    assert d["headline"]["previous_total"] == pytest.approx(before.total_estimated, abs=1e-3)
    assert {p["code"]: p["previous"] for p in d["pillars"]} == pytest.approx({c: p.points for c, p in before.pillars_estimated.items()}, abs=1e-3)
    by = {g["code"]: g for g in d["gaps"]}
    assert by["8.1"]["previous"] == pytest.approx(2.0) and by["8.1"]["status"] == "improved"
    assert by["2.1"]["previous"] == 5.0 and by["2.1"]["change"] == -5.0
    assert by["3.1"]["previous"] == 10.0 and by["3.1"]["status"] == "declined"


def test_compare_bad_year_exits_2(invoke, work):
    r = invoke("report", "--compare", "2019")
    assert r.exit_code == 2 and "--compare" in r.output


def test_national_rank_from_a_provided_table(invoke, work, scores):
    total = scores.total_estimated
    Path("national.csv").write_text("province,total\n"
                                    f"Tỉnh A,{total + 50}\nTỉnh B,{total + 1}\nTỉnh C,{total - 1}\nCà Mau,468.9\n", encoding="utf-8-sig")
    d = report_json(invoke, "--national", "national.csv")
    assert d["national"]["rank"] == 3 and d["national"]["of"] == 4  # its own old row is replaced
    r = invoke("report", "--national", "national.csv")
    assert "thứ 3/4" in r.output
    Path("bad.csv").write_text("tinh,diem\nA,1\n", encoding="utf-8")
    r = invoke("report", "--national", "bad.csv")
    assert r.exit_code == 1 and "province" in r.output


def test_no_scores_found_says_run_dti_score(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("report")
    assert r.exit_code == 1
    assert "scores.xlsx" in r.output and "merged.xlsx" in r.output and "dti score" in r.output


def test_merged_workbook_is_scored_on_the_fly_with_findings(invoke, tmp_path, monkeypatch, ctx):
    from dti_cli.merged import encode_value, write_merged

    vals = round_values(ctx.catalogue)
    data = [{"input_id": i, "indicator": ctx.catalogue.inputs[i].indicator, "value": encode_value(v), "status": "ok"} for i, v in vals.items()]
    findings = [{"code": "late", "severity": "warning", "file": "x.xlsx", "message": "late"},
                {"code": "late", "severity": "warning", "file": "y.xlsx", "message": "late"},
                {"code": "bad_number", "severity": "error", "file": "y.xlsx", "message": "bad"}]
    adjustments = [{"input_id": "8.1.b", "new_value": 100, "reason": FORMULA_REASON, "by": FORMULA_BY, "date": "2023-10-06"}]
    write_merged(tmp_path / "my_round.xlsx", {"Data": data, "Findings": findings, "Adjustments": adjustments},
                 {"catalogue_sha256": ctx.catalogue.sha256, "province_id": "ca-mau", "year": "2023"})
    monkeypatch.chdir(tmp_path)
    d = report_json(invoke, "my_round.xlsx")
    f = d["problems"]["findings"]
    assert f["total"] == 3 and f["by_code"] == {"late": 2, "bad_number": 1} and f["by_severity"] == {"error": 1, "warning": 2}
    assert [a["reason"] for a in d["problems"]["adjustments"]] == [FORMULA_REASON]
    assert {g["code"] for g in d["gaps"]} >= {"7.1", "1.3", "2.1"}


def test_lang_en(invoke, work, ctx):
    d = report_json(invoke, "--lang", "en")
    by = {g["code"]: g for g in d["gaps"]}
    assert by["7.1"]["name"] == ctx.catalogue.indicators["7.1"].name_en
    r = invoke("report", "--lang", "en", "--top", "3")
    assert "Points at stake" in r.output and "Quick wins" in r.output


def test_top_limits_the_terminal_not_the_files(invoke, work):
    r = invoke("report", "--top", "2")
    assert r.exit_code == 0
    assert "7.1" in r.output and "Việc làm ngay" in r.output
    assert "… và" in r.output  # says how many more there are
    d = report_json(invoke, "--top", "2")
    assert len(d["gaps"]) > 2
    invoke("report", "--top", "2", "-o", "r.csv")
    with open("r.csv", encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == len(d["gaps"])


def test_existing_output_refused_before_anything_is_written(invoke, work):
    Path("r.md").write_text("mine", encoding="utf-8")
    r = invoke("report", "-o", "r.html", "-o", "r.md")
    assert r.exit_code == 1 and "--force" in r.output
    assert not Path("r.html").exists() and Path("r.md").read_text(encoding="utf-8") == "mine"
    r = invoke("report", "-o", "r.md", "--force")
    assert r.exit_code == 0 and Path("r.md").read_text(encoding="utf-8").startswith("# ")
    r = invoke("report", "-o", "r.pdf")
    assert r.exit_code == 2


# ---------------------------------------------------------------------------------------------
# Every format, read back


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.sections = 0
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self.style = ""
        self._in_style = False
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "section":
            self.sections += 1
        elif tag == "style":
            self._in_style = True
        elif tag in ("script", "link", "img"):
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        elif self._cell is not None:
            self._cell.append(data)
        self.text.append(data)


def test_every_format_is_written_and_reads_back(invoke, work, ctx):
    r = invoke("report", "--top", "5", "-o", "r.xlsx", "-o", "r.html", "-o", "r.md", "-o", "r.json", "-o", "r.csv")
    assert r.exit_code == 0, r.output
    assert r.output.count("r.") == 5  # one line per file
    d = json.loads(Path("r.json").read_text(encoding="utf-8"))

    from openpyxl import load_workbook

    wb = load_workbook("r.xlsx")
    assert wb.sheetnames[:2] == ["Tổng quan", "Điểm còn thiếu"]
    summary, gaps = wb["Tổng quan"], wb["Điểm còn thiếu"]
    assert len(summary._charts) == 1
    chart = summary._charts[0]
    assert chart.tagname == "barChart" and len(chart.series) == 2
    assert any(r.type == "cellIs" for cf in summary.conditional_formatting for r in cf.rules)
    rules = [(str(cf.sqref), r) for cf in gaps.conditional_formatting for r in cf.rules]
    assert any(ref.startswith("H2") and r.type == "cellIs" and r.operator == "lessThan" for ref, r in rules)  # change
    assert any(ref.startswith("J2") and r.type == "expression" and '"Giảm"' in r.formula[0] for ref, r in rules)  # status
    rows = list(gaps.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(d["gaps"])  # --top does not cut the workbook
    assert [(x[1], x[8]) for x in rows] == [(g["code"], g["at_stake"]) for g in d["gaps"]]
    assert rows[0][5] == ctx.baseline.score(rows[0][1])

    p = _Tables()
    p.feed(Path("r.html").read_text(encoding="utf-8"))
    assert "@page" in p.style and "A4" in p.style and "page-break-before" in p.style
    assert p.scripts == 0  # self-contained
    assert p.sections == 5  # summary, ranked list, quick wins + regressions, agencies, data problems: one page each
    gap_table = next(t for t in p.tables if t[0][:2] == ["TT", "Mã"])
    assert [row[1] for row in gap_table[1:]] == [g["code"] for g in d["gaps"][:5]]
    pillars = next(t for t in p.tables if t[0][0] == "Trụ cột")
    assert len(pillars) == 1 + 8 + 1

    md = Path("r.md").read_text(encoding="utf-8")
    assert "| TT | Mã | Chỉ số |" in md and "| Trụ cột | Chỉ số | Tối đa | 2022 |" in md
    assert "| 1 | 7.1 | " in md

    with open("r.csv", encoding="utf-8") as fh:
        assert fh.read(1) == "\ufeff"
    with open("r.csv", encoding="utf-8-sig", newline="") as fh:
        rows_csv = list(csv.DictReader(fh))
    assert [x["code"] for x in rows_csv] == [g["code"] for g in d["gaps"]]
    assert rows_csv[0]["status"] == "no_data"


def test_formula_like_text_is_text_in_every_format(tmp_path, ctx, scores):
    """An agency name "+cmd…", a target "-…" and an adjustment reason "=HYPERLINK(…)" never become formulas."""
    ind = ctx.catalogue.indicators["1.3"]
    evil = replace(ind, lead=(FORMULA_BY,), target=replace(ind.target, text="-1 văn bản"))
    cat = replace(ctx.catalogue, indicators={**ctx.catalogue.indicators, "1.3": evil})
    ctx2 = replace(ctx, catalogue=cat)
    rep = build_report(ctx2, ReportInput.from_scores(scores))
    assert rep.problems["adjustments"][0]["reason"] == FORMULA_REASON
    for ext in ("xlsx", "html", "md", "json", "csv"):
        write_report(rep, tmp_path / f"r.{ext}")

    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "r.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value in (FORMULA_BY, FORMULA_REASON, "-1 văn bản")]
    assert {c.value for c in risky} == {FORMULA_BY, FORMULA_REASON, "-1 văn bản"}
    assert all(c.data_type == "s" for c in risky)
    assert not any(c.data_type == "f" for c in cells)

    with open(tmp_path / "r.csv", encoding="utf-8-sig", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["code"] == "1.3")
    assert row["lead"] == "'" + FORMULA_BY and row["target"] == "'-1 văn bản"

    html_text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(&quot;http://evil.example&quot;" in html_text and '=HYPERLINK("' not in html_text
    p = _Tables()
    p.feed(html_text)
    assert FORMULA_REASON in p.text and FORMULA_BY in "".join(p.text)
    assert 'class="txt"' in html_text  # Excel's HTML import keeps it as text

    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "| \\+cmd\\|' /C calc'!A0 |" in md
    assert "\\=HYPERLINK(\"http://evil.example\",\"click\")" in md
    assert "| \\-1 văn bản |" in md

    d = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert next(g for g in d["gaps"] if g["code"] == "1.3")["lead"] == [FORMULA_BY]


def test_formula_text_from_the_scores_file_through_the_cli(invoke, work):
    invoke("report", "-o", "r.xlsx", "-o", "r.md")
    from openpyxl import load_workbook

    wb = load_workbook("r.xlsx")
    hits = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value in (FORMULA_REASON, FORMULA_BY)]
    assert len(hits) == 2 and all(c.data_type == "s" for c in hits)
    assert "\\=HYPERLINK" in Path("r.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Small pieces


def test_target_met_ratio_ops_and_zero_denominator(ctx):
    cat = ctx.catalogue
    row = lambda code, **inputs: ScoreRow(code, 0.0, cat.indicators[code].max_points, "scored", inputs)  # noqa: E731
    assert target_met(cat.indicators["3.1"], row("3.1", **{"3.1.a": 86.0, "3.1.b": 100.0}), 8.6) is True
    assert target_met(cat.indicators["3.1"], row("3.1", **{"3.1.a": 85.0, "3.1.b": 100.0}), 8.5) is False
    assert target_met(cat.indicators["3.1"], row("3.1", **{"3.1.a": None, "3.1.b": 100.0}), 0.0) is None
    # 5.5: no botnet IP found leaves nothing undone; 1.3-like rules with b = 0 earn nothing.
    assert measured_ratio(cat.indicators["5.5"].rule, {"5.5.a": 0.0, "5.5.b": 0.0}) == "zero"
    assert target_met(cat.indicators["5.5"], row("5.5", **{"5.5.a": 0.0, "5.5.b": 0.0}), 5.0) is True
    assert target_met(cat.indicators["6.8"], row("6.8", **{"6.8.a": 0.0, "6.8.b": 0.0}), 0.0) is False
    assert target_met(cat.indicators["2.1"], row("2.1"), 5.0) is True


def test_md_escape():
    assert md_escape("a|b*c_d`e<f>") == "a\\|b\\*c\\_d\\`e\\<f\\>"
    assert md_escape("=1+1") == "\\=1+1"
    assert md_escape("@SUM(A1)") == "\\@SUM(A1)"
    assert md_escape("-12.5") == "-12.5" and md_escape("+3") == "+3"  # numbers are numbers
    assert md_escape("line\nbreak") == "line break"


def test_help_has_an_example(invoke):
    r = invoke("report", "--help")
    assert r.exit_code == 0 and "Example: dti report" in r.output


def test_end_to_end_dti_score_then_dti_report(invoke, tmp_path, monkeypatch, ctx):
    """merged.xlsx → `dti score` (writes scores.xlsx beside it) → `dti report` finds both."""
    from dti_cli.merged import encode_value, write_merged

    vals = round_values(ctx.catalogue)
    data = [{"input_id": i, "indicator": ctx.catalogue.inputs[i].indicator, "value": encode_value(v), "status": "ok"} for i, v in vals.items()]
    write_merged(tmp_path / "merged.xlsx", {"Data": data, "Findings": [{"code": "late", "severity": "warning", "message": "late"}]},
                 {"catalogue_sha256": ctx.catalogue.sha256, "province_id": "ca-mau", "year": "2023"})
    monkeypatch.chdir(tmp_path)
    r = invoke("score", "--format", "json")
    assert r.exit_code == 0, r.output
    assert Path("scores.xlsx").is_file()
    scored = score_all(ctx, vals)
    d = report_json(invoke)
    assert d["source"].endswith("scores.xlsx")
    assert d["headline"]["total_confirmed"] == pytest.approx(scored.total_confirmed)
    assert d["headline"]["total_estimated"] == pytest.approx(scored.total_estimated)
    assert {g["code"] for g in d["gaps"]} == leaves_short(ctx, scored)
    assert d["problems"]["findings"]["total"] == 1  # merged.xlsx beside the scores file
    by = {g["code"]: g for g in d["gaps"]}
    assert by["8.1"]["target_met"] is True and by["3.1"]["target_met"] is False  # inputs read back from the scores workbook


def test_agency_page_in_the_terminal(invoke, work):
    r = invoke("report", "--agency", "Sở KH&ĐT", "--top", "3")
    assert r.exit_code == 0
    assert "Sở Kế hoạch và Đầu tư" in r.output and "7.1" in r.output
    ranked = r.output.split("Các chỉ số còn mất điểm")[1].split("Việc làm ngay")[0]
    assert "4.5" in ranked and "8.7" not in ranked  # 8.7 (Sở Tài chính) would be third without the filter


def test_no_output_written_when_one_of_them_is_the_merged_workbook(invoke, tmp_path):
    """-o a.html -o merged.xlsx --force: refused before a.html is written (merged.xlsx holds hand-typed adjustments)."""
    from typer.testing import CliRunner

    from dti_cli.cli import app

    d = tmp_path / "round"
    assert CliRunner().invoke(app, ["demo", str(d)]).exit_code == 0
    before = (d / "merged.xlsx").read_bytes()
    r = invoke("report", d / "scores.xlsx", "-o", tmp_path / "a.html", "-o", d / "merged.xlsx", "--force")
    assert r.exit_code == 1
    assert not (tmp_path / "a.html").exists()
    assert (d / "merged.xlsx").read_bytes() == before
