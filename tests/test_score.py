"""Scoring as a library: every rule kind against the seed's own formulas, roll-up, properties, files."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dti_cli.formats.scores import read_scores, write_scores, written_by_dti
from dti_cli.methodology.model import NO_DATA
from dti_cli.score import score_values as score_all


def one(ctx, code, values, refs=None, adjustments=()):
    return score_all(ctx, values, refs, adjustments).indicators[code]


def pts(ctx, code, values, refs=None):
    s = one(ctx, code, values, refs)
    assert s.status == "scored", s.trace
    return s.points


# --- hand-computed from the seed's formulas, at each boundary and just below it -------------------

@pytest.mark.parametrize(("a", "b", "expected"), [(800, 1000, 5.0), (799, 1000, 5 * 0.799 / 0.8), (1000, 1000, 5.0), (0, 1000, 0.0)])
def test_threshold_4_12_at_and_below_80_percent(ctx, a, b, expected):
    assert pts(ctx, "4.12", {"4.12.a": a, "4.12.b": b}) == pytest.approx(expected)


def test_threshold_trace_says_the_arithmetic(ctx):
    s = one(ctx, "4.12", {"4.12.a": 799.0, "4.12.b": 1000.0})
    assert s.trace == "a/b = 799/1.000 = 79,9% < 80% → 79,9%/80% × 5 = 4,99"


def test_threshold_7_9_exactly_5_percent_is_full(ctx):
    assert pts(ctx, "7.9", {"7.9.a": 5, "7.9.b": 100}) == 10


@pytest.mark.parametrize(("a", "b", "c", "expected"), [
    (0.06, 0.04, 1.0, 5.0), (0.05, 0.0499, 1.0, 3.5),   # 10% and 9.99%
    (0.3, 0.4, 10.0, 3.5), (0.03, 0.039, 1.0, 1.5),     # 7% ((0.3 + 0.4)/10 lands a hair below 0.07) and 6.9%
    (0.01, 0.02, 1.0, 1.5), (0.01, 0.019, 1.0, 0.0),    # 3% and 2.9%
])
def test_stepped_5_12_1_share_levels(ctx, a, b, c, expected):
    assert pts(ctx, "5.12.1", {"5.12.1.a": a, "5.12.1.b": b, "5.12.1.c": c}) == pytest.approx(expected)


@pytest.mark.parametrize(("amount", "expected"), [(2.0, 2.0), (1.99, 1.4), (1.0, 1.4), (0.99, 0.6), (0.5, 0.6), (0.49, 0.0), (0.0, 0.0), (50.0, 2.0)])
def test_stepped_5_12_2_amount_levels_in_billion_vnd(ctx, amount, expected):
    assert pts(ctx, "5.12.2", {"5.12.2.a": amount}) == pytest.approx(expected)


@pytest.mark.parametrize(("a", "expected"), [(100, 10.0), (99.9, 0.0), (0, 0.0)])
def test_all_or_nothing_6_8(ctx, a, expected):
    assert pts(ctx, "6.8", {"6.8.a": a, "6.8.b": 100}) == expected


@pytest.mark.parametrize(("n", "expected"), [(0, 0.0), (3, 3.0), (10, 10.0), (11, 10.0), (-4, 0.0)])
def test_per_item_6_21_one_point_each_capped_at_10(ctx, n, expected):
    assert pts(ctx, "6.21", {"6.21.a": n}) == expected


@pytest.mark.parametrize(("section", "articles", "expected"), [
    (True, 20, 10.0), (True, 19, 5.0), (True, 10, 5.0), (True, 9, 2.5), (True, 0, 2.5), (False, 25, 0.0),
])
def test_counted_tiers_1_5(ctx, section, articles, expected):
    assert pts(ctx, "1.5", {"1.5.a": section, "1.5.b": articles}) == expected


def test_counted_tiers_without_a_section_needs_no_count(ctx):
    s = one(ctx, "1.5", {"1.5.a": False})
    assert (s.status, s.points) == ("scored", 0.0)
    assert one(ctx, "1.5", {"1.5.a": True}).status == "no_data"


def test_zero_denominator_follows_each_rule(ctx):
    full = one(ctx, "5.5", {"5.5.a": 0, "5.5.b": 0})
    zero = one(ctx, "8.8.2.3", {"8.8.2.3.a": 0, "8.8.2.3.b": 0})
    assert (full.points, zero.points) == (5.0, 0.0)
    assert "mẫu số bằng 0" in full.trace and "mẫu số bằng 0" in zero.trace


def test_ratio_above_100_percent_counts_as_100_and_negative_as_0(ctx):
    over = one(ctx, "1.3", {"1.3.a": 5, "1.3.b": 3})
    assert over.points == 10 and "trên 100%" in over.trace
    assert pts(ctx, "1.3", {"1.3.a": -1, "1.3.b": 3}) == 0
    assert pts(ctx, "1.3", {"1.3.a": 2, "1.3.b": 3}) == pytest.approx(20 / 3)


def test_ratio_of_sums_6_11(ctx):
    assert pts(ctx, "6.11", {"6.11.a": 10, "6.11.b": 30, "6.11.c": 5, "6.11.d": 15}) == pytest.approx(5.0)


def test_yes_no_and_choice(ctx):
    assert pts(ctx, "1.6", {"1.6.a": True}) == 10
    assert pts(ctx, "1.6", {"1.6.a": False}) == 0
    assert pts(ctx, "1.1", {"1.1.a": "pho"}) == 5
    assert pts(ctx, "6.19", {"6.19.a": "ca_the_hoa"}) == 10


# --- the 2022 readings ---------------------------------------------------------------------------

def test_2022_reading_3_6_three_platforms_none_central(ctx):
    s = one(ctx, "3.6", {"3.6.a": 3, "3.6.c": 0})
    assert round(s.points, 2) == 4.29 == ctx.baseline.score("3.6")
    assert "a/7 = 3/7" in s.trace  # the seed's constant 7, shown as a number


def test_2022_readings_parts(ctx):
    assert pts(ctx, "3.5", {"3.5.a": "dat_chuan", "3.5.b": False}) == 15
    assert pts(ctx, "3.5", {"3.5.a": "chua_dat_chuan", "3.5.b": False}) == 7.5  # the seed's 1/4 of the max
    assert pts(ctx, "6.1", {"6.1.a": False, "6.1.b": True}) == pytest.approx(2)
    assert pts(ctx, "6.3", {"6.3.a": True, "6.3.b": True, "6.3.c": False}) == pytest.approx(8)


def test_2022_reading_7_10_share_of_best(ctx):
    s = one(ctx, "7.10", {"7.10.a": 2013, "7.10.b": 10000}, {("7.10", "best"): 0.9196})
    assert round(s.points, 2) == 2.19 == ctx.baseline.score("7.10")


# --- relative rules and references ---------------------------------------------------------------

def test_minmax_against_references(ctx):
    v = {"4.11.a": 3, "4.11.b": 100}
    refs = {("4.11", "min"): 0.01, ("4.11", "max"): 0.05}
    assert pts(ctx, "4.11", v, refs) == pytest.approx(2.5)
    assert pts(ctx, "4.11", {"4.11.a": 9, "4.11.b": 100}, refs) == 5
    assert pts(ctx, "4.11", {"4.11.a": 0, "4.11.b": 100}, refs) == 0
    assert pts(ctx, "4.11", v, {("4.11", "min"): 0.05, ("4.11", "max"): 0.03}) == 5  # max ≤ min: full if ≥ max
    assert pts(ctx, "4.11", {"4.11.a": 1, "4.11.b": 100}, {("4.11", "min"): 0.05, ("4.11", "max"): 0.03}) == 0
    assert pts(ctx, "5.1", {"5.1.a": 30}, {("5.1", "min"): 10, ("5.1", "max"): 50}) == pytest.approx(5)


def test_without_references_a_relative_indicator_is_estimated_from_2022(ctx):
    s = score_all(ctx, {"4.11.a": 3, "4.11.b": 100, "1.6.a": True})
    x = s.indicators["4.11"]
    assert (x.status, x.points, x.estimated_points, x.estimated_from_baseline) == ("needs_reference", 0.0, ctx.baseline.score("4.11"), True)
    assert "min, max" in x.trace and "2022" in x.trace
    assert s.total_confirmed == pytest.approx(10)
    assert s.total_estimated == pytest.approx(10 + ctx.baseline.score("4.11"))
    assert s.pillars["4"].points == 0 and s.pillars["4"].estimated_points == pytest.approx(ctx.baseline.score("4.11"))


def test_a_best_reference_of_zero_is_not_used(ctx):
    s = one(ctx, "7.10", {"7.10.a": 1, "7.10.b": 10}, {("7.10", "best"): 0})
    assert s.status == "needs_reference" and "không hợp lệ" in s.trace


# --- missing data --------------------------------------------------------------------------------

def test_missing_input_is_no_data_not_a_measured_zero(ctx):
    s = score_all(ctx, {"1.3.a": 2, "6.21.a": 0})
    assert (s.indicators["1.3"].status, s.indicators["1.3"].points) == ("no_data", 0.0)
    assert "b (1.3.b)" in s.indicators["1.3"].trace
    assert (s.indicators["6.21"].status, s.indicators["6.21"].points) == ("scored", 0.0)


def test_declared_no_data_says_so(ctx):
    s = one(ctx, "1.6", {"1.6.a": NO_DATA})
    assert s.status == "no_data" and "Không có số liệu" in s.trace and s.to_dict()["inputs"][0] == {"id": "1.6.a", "value": "no_data", "status": "no_data"}


def test_parts_with_one_part_missing_keep_the_other(ctx):
    s = one(ctx, "1.2", {"1.2.a": True})
    assert (s.status, s.points) == ("no_data", 5.0)


def test_wrong_types_are_not_scored(ctx):
    assert one(ctx, "1.1", {"1.1.a": "chairman?"}).status == "no_data"
    assert one(ctx, "1.3", {"1.3.a": True, "1.3.b": 3}).status == "no_data"
    assert one(ctx, "1.3", {"1.3.a": math.nan, "1.3.b": 3}).status == "no_data"


# --- adjustments ---------------------------------------------------------------------------------

def test_adjustments_override_and_are_listed(ctx):
    adj = [{"input_id": "1.6.a", "new_value": "Có", "reason": "Có chuyên mục từ 3/2023", "by": "Sở TT&TT", "date": "2023-10-02", "row": 2},
           {"input_id": "1.3.b", "new_value": "1.234", "reason": "số đúng", "row": 3},
           {"input_id": "1.1.a", "new_value": "Phó Bí thư/Phó Chủ tịch tỉnh", "row": 4}]
    s = score_all(ctx, {"1.6.a": False, "1.3.a": 617}, adjustments=adj)
    assert s.indicators["1.6"].points == 10 and s.indicators["1.6"].adjusted == ("1.6.a",)
    assert s.indicators["1.3"].points == pytest.approx(10 * 617 / 1234)
    assert s.indicators["1.1"].points == 5
    assert [a["input_id"] for a in s.adjustments] == ["1.6.a", "1.3.b", "1.1.a"]
    assert s.adjustments[0]["old_value"] is False and s.adjustments[0]["reason"] == "Có chuyên mục từ 3/2023"
    assert [p for p in s.problems if p.is_error] == []


def test_a_bad_adjustment_is_a_problem_naming_its_cell(ctx):
    adj = [{"input_id": "1.3.a", "new_value": "mười", "row": 7}, {"input_id": "9.9.z", "new_value": 1, "row": 8}]
    s = score_all(ctx, {"1.3.a": 1, "1.3.b": 2}, adjustments=adj)
    assert s.indicators["1.3"].points == 5 and not s.adjustments
    problems = [p for p in s.problems if p.code.startswith("score.adjustment")]
    assert [(p.code, p.cell) for p in problems] == [("score.adjustment_bad_value", "B7"), ("score.adjustment_unknown_input", "A8")]
    assert "Điều chỉnh!B7" in problems[0].message and "KHÔNG được áp dụng" in problems[0].message


def test_fewer_than_half_the_inputs_is_said_first(ctx):
    """Issue 14: a round where almost nothing arrived says so before any figure."""
    s = score_all(ctx, {"1.6.a": True})
    assert s.problems[0].code == "score.few_inputs" and s.problems[0].severity == "warning"
    assert s.problems[0].data["expected"] == sum(len(i.inputs) for i in ctx.catalogue.scored_leaves())


# --- roll-up and properties ----------------------------------------------------------------------

def test_roll_up_through_5_12_and_8_8(ctx):
    v = {"5.12.2.a": 2.0, "5.12.3.a": 1.0, "8.8.1.1.a": True, "8.8.1.2.a": True, "8.8.2.1.a": 1, "8.8.2.1.b": 2}
    s = score_all(ctx, v)
    assert s.indicators["5.12"].points == pytest.approx(2 + 1.4) and s.indicators["5.12"].status == "sum"
    assert s.indicators["8.8.1"].points == 2 and s.indicators["8.8.2"].points == pytest.approx(1)
    assert s.indicators["8.8"].points == pytest.approx(3)
    assert (s.pillars["8"].points, s.pillars["8"].max_points, s.pillars["8"].index) == (pytest.approx(3), 150, pytest.approx(3 / 150))
    assert s.total_confirmed == pytest.approx(6.4) and s.max_total == 1000
    assert "9" not in s.pillars


def _value_for(inp, draw):
    kind = draw(st.sampled_from(["value", "value", "value", "no_data", "missing", "junk"]))
    if kind == "no_data":
        return NO_DATA
    if kind == "missing":
        return None
    if kind == "junk":
        return draw(st.one_of(st.text(max_size=5), st.booleans(), st.floats(allow_nan=True)))
    if inp.type == "yes_no":
        return draw(st.booleans())
    if inp.type == "choice":
        return draw(st.sampled_from([c.value for c in inp.choices]))
    return draw(st.one_of(st.just(0.0), st.floats(min_value=-1e6, max_value=1e6), st.floats(min_value=-1e300, max_value=1e300),
                          st.integers(min_value=0, max_value=100).map(float)))


@st.composite
def all_values(draw, cat):
    out = {}
    for inp in cat.inputs.values():
        v = _value_for(inp, draw)
        if v is not None:
            out[inp.id] = v
    refs = {}
    for ind in cat.indicators.values():
        if ind.rule.is_relative and draw(st.booleans()):
            for k in ("min", "max", "best"):
                refs[(ind.code, k)] = draw(st.floats(min_value=-10, max_value=1e6))
    return out, refs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_property_points_within_bounds_and_sums_hold(ctx, data):
    values, refs = data.draw(all_values(ctx.catalogue))
    s = score_all(ctx, values, refs)
    cat = ctx.catalogue
    for code, x in s.indicators.items():
        assert 0 <= x.points <= x.max_points + 1e-9, (code, x.trace)
        assert 0 <= x.estimated_points <= x.max_points + 1e-9
        assert x.status in ("scored", "no_data", "needs_reference", "sum")
        if x.status == "needs_reference":
            assert x.points == 0
        if cat.indicators[code].is_aggregate:
            assert x.points == pytest.approx(sum(s.indicators[k.code].points for k in cat.children(code)))
    for code, p in s.pillars.items():
        assert p.points == pytest.approx(sum(s.indicators[k.code].points for k in cat.children(code)))
        assert 0 <= p.index <= 1
    assert s.total_confirmed == pytest.approx(sum(p.points for p in s.pillars.values()))
    assert s.total_confirmed <= s.total_estimated + 1e-9 <= 1000 + 1e-6
    json.dumps(s.to_dict())


# --- the scores file -----------------------------------------------------------------------------

@pytest.fixture
def sample_scores(ctx):
    return score_all(ctx, {"3.6.a": 3, "3.6.c": 0, "1.6.a": NO_DATA, "4.11.a": 3, "4.11.b": 100, "6.12.a": 1234567.0,
                           "6.12.b": 1234.5, "6.12.c": 2.0, "1.1.a": "pho", "7.1.a": 1000.25, "7.1.b": 12345678.0},
                     adjustments=[{"input_id": "1.1.a", "new_value": "Phó Bí thư/Phó Chủ tịch tỉnh", "reason": "r", "row": 2}])


def _write(scores, path):
    write_scores(scores, path, names={"so-tttt": "Sở Thông tin và Truyền thông"})
    return path


def test_json_file_round_trip(tmp_path, sample_scores):
    p = _write(sample_scores, tmp_path / "s.json")
    back = read_scores(p)
    assert json.loads(json.dumps(back.to_dict())) == json.loads(json.dumps(sample_scores.to_dict()))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_xlsx_file_round_trip_keeps_every_input_exactly(tmp_path, sample_scores, lang):
    """Issue 12: inputs of 1,000 and more, in either number style, come back as the numbers they were."""
    from dti_cli.core import i18n

    with i18n.using(lang):
        p = _write(sample_scores, tmp_path / "scores.xlsx")
    assert written_by_dti(p)
    back = read_scores(p)
    for code, x in sample_scores.indicators.items():
        y = back.indicators[code]
        assert y.points == pytest.approx(x.points) and y.status == x.status, code
        assert y.inputs == x.inputs, code  # 1234567.0 stays 1234567.0, "pho" stays the choice code, NO_DATA stays NO_DATA
    assert back.indicators["6.12"].inputs["6.12.a"] == 1234567.0 and back.indicators["7.1"].inputs["7.1.a"] == 1000.25
    assert back.indicators["1.6"].inputs["1.6.a"] is NO_DATA
    assert back.indicators["4.11"].status == "needs_reference" and back.indicators["4.11"].estimated_from_baseline
    assert back.indicators["1.1"].adjusted == ("1.1.a",) and back.indicators["1.1"].lead == ("so-tttt",)
    assert back.total_confirmed == pytest.approx(sample_scores.total_confirmed)
    assert back.total_estimated == pytest.approx(sample_scores.total_estimated)
    assert list(back.pillars) == list(sample_scores.pillars)
    assert back.adjustments[0]["input_id"] == "1.1.a"


def test_xlsx_text_never_becomes_a_formula(tmp_path, ctx):
    from openpyxl import load_workbook

    s = score_all(ctx, {}, adjustments=[{"input_id": "1.6.a", "new_value": "Có", "reason": "=HYPERLINK(\"x\")", "row": 2}])
    p = _write(s, tmp_path / "scores.xlsx")
    ws = load_workbook(p)["Điều chỉnh"]
    c = next(cell for row in ws.iter_rows() for cell in row if cell.value == '=HYPERLINK("x")')
    assert c.data_type == "s"
