"""Scenarios on the sample round: "every target of the plan met" checked by hand for ten indicators,
what-if (--set) rescored per indicator, pillar and total, and the plan's levels priced as the score
stage scores them."""

from __future__ import annotations

import pytest

from dti_cli.core.errors import UnknownNameError, UsageError


@pytest.fixture(scope="module")
def targets(sample_plan):
    return sample_plan.scenarios["targets"]


@pytest.mark.parametrize(("code", "points"), [
    ("1.3", 10.0),                                   # "full": 12 documents of 12
    ("6.12", 20.0),                                  # 80 % of 820.000 dossiers online = the threshold: full points
    ("1.9", 10.0),                                   # yes/no answered yes
    ("1.10", 10.0),                                  # broadcast weekly
    ("3.6", 20.0),                                   # 7 platforms, all 7 in the data centre
    ("4.7", 0.7 * 10),                               # 70 % of 14.200 staff = 9.940 trained: 9.940/14.200 × 10
    ("4.5", (1439 / 28_775 - 0.0021) / 0.0601 * 10),  # above 5 % of 28.775 → 1.439, min-max 0,21 %…6,22 %
    ("8.3", 181_001 / 905_000 / 0.5 * 20),           # above 20 % of 905.000 → 181.001, threshold 50 %
    ("7.1", 13_175.297 / 82_345.6 / 0.2 * 20),       # above 16 % of 82.345,6 billion → 13.175,297 (a million's step)
    ("8.1", 620_000 / 1_207_500 * 20),               # target 45 % already met (51,3 %): unchanged
    ("3.2", 262_000 / 331_000 * 10),                 # target above 75 % already met (79,2 %): unchanged
    ("5.12.5", 0.0),                                 # no target in the plan: unchanged
    ("7.9", 0.0),                                    # inputs missing: nothing to meet a target with
])
def test_every_target_met_by_hand(targets, code, points):
    assert targets.indicators[code] == pytest.approx(points, abs=1e-9)


def test_targets_roll_up_to_the_pillars_and_the_total(targets, sample_plan, plan_ctx):
    now = sample_plan.scenarios["now"]
    cat = plan_ctx.catalogue
    for code, pts in targets.pillars.items():
        kids = [k.code for k in cat.children(code)]
        assert pts == pytest.approx(min(sum(targets.indicators[k] for k in kids), cat.pillars[code].max_points))
    assert targets.total == pytest.approx(sum(targets.pillars.values()))
    # Only indicators with a target not met moved, and none went down.
    for code, pts in targets.indicators.items():
        assert pts >= now.indicators[code] - 1e-9


def test_what_if_set_typed_as_officials_type_it(plan_ctx, sample_scores, rescore):
    from dti_cli.plan import PlanRequest, build_plan
    from dti_cli.plan.scenarios import parse_sets

    sets = parse_sets(plan_ctx, ["6.12.b=300.000", "1.9.a=Có"])
    assert sets == {"6.12.b": 300_000.0, "1.9.a": True}
    plan = build_plan(plan_ctx, sample_scores, rescore, PlanRequest(sets=sets))
    d = plan.scenarios["whatif"].to_dict(plan.scenarios["now"])["difference"]
    # 6.12: (300.000 + 210.000)/820.000 against 80 %, from (330.000)/820.000.
    gain_612 = (510_000 / 820_000 / 0.8 - 330_000 / 820_000 / 0.8) * 20
    assert d["indicators"]["6.12"] == pytest.approx(gain_612)
    assert d["indicators"]["1.9"] == pytest.approx(10)
    assert set(d["indicators"]) == {"6.12", "1.9"}
    assert d["pillars"] == pytest.approx({"6": gain_612, "1": 10})
    assert d["total"] == pytest.approx(gain_612 + 10)


@pytest.mark.parametrize(("item", "error"), [
    ("6.12.b", UsageError), ("6.12.z=3", UnknownNameError), ("6.12.b=nhiều", UsageError), ("1.9.a=maybe", UsageError),
])
def test_what_if_refuses_what_cannot_be_read(plan_ctx, item, error):
    from dti_cli.plan.scenarios import parse_sets

    with pytest.raises(error):
        parse_sets(plan_ctx, [item])


def test_every_level_is_priced_as_the_score_stage_scores_it(sample_plan, plan_ctx, sample_scores, rescore):
    """A level's points, worked out for one indicator, are what rescoring the whole round gives that indicator."""
    from dti_cli.methodology.steps import apply_needs
    from dti_cli.plan.actions import all_values

    values = all_values(sample_scores)
    for code in ("1.3", "3.6", "4.5", "5.12.5", "6.12", "8.6"):
        p = next(x for x in sample_plan.plans if x.code == code)
        s = p.levels[0]
        again = rescore(apply_needs(values, list(s.needs)))
        assert again.indicators[code].points == pytest.approx(s.points)


def test_rescoring_the_values_unchanged_gives_the_scores(sample_scores, rescore):
    from dti_cli.plan.actions import all_values

    again = rescore(all_values(sample_scores))
    assert again.total_estimated == pytest.approx(sample_scores.total_estimated)
    assert {c: s.points for c, s in again.indicators.items()} == pytest.approx({c: s.points for c, s in sample_scores.indicators.items()})
