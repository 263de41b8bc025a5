"""Each indicator short of its max, in its own units, on the sample round: the values needed and the
points they bring, checked against the arithmetic of the rule written out here (one indicator of
each kind the sample leaves short, and a second threshold whose target is "above" a ratio)."""

from __future__ import annotations

import math

import pytest


@pytest.fixture(scope="module")
def plans(sample_plan):
    return {p.code: p for p in sample_plan.plans}


def need(step, *inputs):
    n = next(n for n in step.needs if n.inputs == tuple(inputs))
    return n.value, n.now


def test_ratio_1_3_documents_signed_by_the_chairman(plans):
    # a/b × 10 with a = 9 documents of b = 12: 7,5 points; full points need a = 12, three more.
    p = plans["1.3"]
    assert p.points == pytest.approx(9 / 12 * 10)
    assert p.full.gain == pytest.approx(10 - 7.5)
    assert need(p.full, "1.3.a") == (12.0, 9.0)
    # One point is 12/10 = 1,2 documents (the rate, taken over the whole way to full points; the plan speaks Vietnamese).
    assert " 1,2 " in p.rate


def test_threshold_6_12_online_dossiers(plans):
    # (b + c)/a ≥ 80 %: full; else ratio/80 % × 20. b + c = 120.000 + 210.000 = 330.000, a = 820.000.
    p = plans["6.12"]
    ratio = 330_000 / 820_000
    assert p.points == pytest.approx(ratio / 0.8 * 20)
    # 80 % of 820.000 = 656.000 dossiers online: 326.000 more, the rest of the 20 points.
    assert need(p.full, "6.12.b", "6.12.c") == (656_000.0, 330_000.0)
    assert p.full.gain == pytest.approx(20 - ratio / 0.8 * 20)
    # The plan's target (80 %) is the same change.
    assert need(p.target, "6.12.b", "6.12.c") == (656_000.0, 330_000.0)
    # The rate: 656.000 − 330.000 dossiers for 9,94 points, 32.800 a point (= 820.000 × 80 % / 20).
    assert " 32.800 " in p.rate


def test_yes_no_1_9_a_section_on_local_radio(plans):
    p = plans["1.9"]
    assert p.points == 0
    assert need(p.full, "1.9.a") == (True, False)
    assert p.full.gain == 10


def test_choice_1_10_broadcast_every_week(plans):
    # monthly = 1/2 × 10, weekly = 10.
    p = plans["1.10"]
    assert p.points == 5
    assert need(p.full, "1.10.a") == ("hang_tuan", "hang_thang")
    assert p.full.gain == 5


def test_parts_3_6_two_ratios_sharing_an_input(plans):
    # part 1: a/7 × 10 = 5/7 × 10; part 2: c/a × 10 = 3/5 × 10. Full: a = 7 and c = 7 (c/a then 7/7).
    p = plans["3.6"]
    assert p.points == pytest.approx(5 / 7 * 10 + 3 / 5 * 10)
    assert need(p.full, "3.6.a") == (7.0, 5.0)
    assert need(p.full, "3.6.c") == (7.0, 3.0)
    assert p.full.points == pytest.approx(20)


def test_minmax_4_5_staff_against_the_national_lowest_and_highest(plans):
    # (a+b+c+d)/(e+f) = 367/28.775; lowest 0,21 %, highest 6,22 % (the sample's references, an assumption).
    p = plans["4.5"]
    r = 367 / 28_775
    assert p.points == pytest.approx((r - 0.0021) / (0.0622 - 0.0021) * 10)
    # Full: 6,22 % of 28.775 = 1.789,8 → 1.790 people.
    assert need(p.full, "4.5.a", "4.5.b", "4.5.c", "4.5.d") == (1790.0, 367.0)
    # The target "above 5 %": 5 % of 28.775 = 1.438,75 → 1.439, worth (1.439/28.775 − 0,21 %)/(6,01 %) × 10.
    assert need(p.target, "4.5.a", "4.5.b", "4.5.c", "4.5.d") == (1439.0, 367.0)
    assert p.target.points == pytest.approx((1439 / 28_775 - 0.0021) / 0.0601 * 10)
    assert "= 0,21%" in p.assumption and "= 6,22%" in p.assumption


def test_stepped_5_12_5_training_budget(plans):
    # ≥ 2 billion: 2 points; ≥ 1: 70 %; ≥ 0,5: 30 %; now 0,4: nothing.
    p = plans["5.12.5"]
    assert p.points == 0
    assert [(s.key, s.points) for s in p.levels] == [("next", pytest.approx(0.6)), ("step", pytest.approx(1.4)), ("full", 2.0)]
    assert [need(s, "5.12.5.a")[0] for s in p.levels] == [0.5, 1.0, 2.0]


def test_per_item_6_21_ai_activities(plans):
    # one point an activity, at most 10; now 2.
    p = plans["6.21"]
    assert p.points == 2
    assert need(p.next, "6.21.a") == (3.0, 2.0) and p.next.gain == 1
    assert need(p.full, "6.21.a") == (10.0, 2.0) and p.full.gain == 8


def test_share_of_best_8_6_budget_for_the_digital_society(plans):
    # 8,2 billion against the best province's 250 (the sample's reference): 8,2/250 × 20.
    p = plans["8.6"]
    assert p.points == pytest.approx(8.2 / 250 * 20)
    assert need(p.full, "8.6.a") == (250.0, 8.2)
    assert "= 250 tỷ đồng" in p.assumption


def test_threshold_8_3_target_strictly_above_a_ratio(plans):
    # a/b = 95.000/905.000 against a 50 % threshold; the target "above 20 %": 20 % of 905.000 is exactly 181.000,
    # so "above" needs one more person: 181.001, worth 181.001/905.000/50 % × 20.
    p = plans["8.3"]
    assert p.points == pytest.approx(95_000 / 905_000 / 0.5 * 20)
    assert need(p.target, "8.3.a") == (181_001.0, 95_000.0)
    assert p.target.points == pytest.approx(181_001 / 905_000 / 0.5 * 20)
    assert need(p.full, "8.3.a") == (452_500.0, 95_000.0)


def test_the_next_step_of_a_choice_with_two_tiers_and_a_repeated_level_kept_once(plans):
    # 6.20: none → deployed (1/2) → personalised (full).
    p = plans["6.20"]
    assert [(s.key, need(s, "6.20.a")[0], s.points) for s in p.levels] == [("next", "chua_ca_the_hoa", 5), ("full", "ca_the_hoa", 10)]
    # 3.5: its half-way breakpoint is reached only by the change that gives full points: one level.
    assert [s.key for s in plans["3.5"].levels] == ["full"]


def test_what_is_missing_is_said_not_guessed(plans, sample_plan):
    p = plans["7.9"]
    assert p.state == "missing" and set(p.missing) == {"7.9.a", "7.9.b"}
    assert not p.levels and p.target is None
    from dti_cli.plan.actions import missing_sentence

    assert "(7.9.a)" in missing_sentence(p) and "(7.9.b)" in missing_sentence(p)


def test_value_now_in_own_units(plans):
    assert plans["6.12"].now_words == "330.000 / 820.000 hồ sơ = 40,24%"
    assert plans["8.6"].now_words == "8,2 tỷ đồng"


def test_levels_are_the_rescored_points(plans, plan_ctx, sample_values, sample_refs):
    """Every level's points are those the score stage gives the values it asks (not the rule's nominal breakpoint)."""
    from dti_cli.methodology.steps import apply_needs
    from dti_cli.score import evaluate

    refs = {}
    for (c, k), v in sample_refs.items():
        refs.setdefault(c, {})[k] = v
    for p in plans.values():
        for s in [*p.levels, *([p.target] if p.target else [])]:
            after = apply_needs(sample_values, list(s.needs))
            oc = evaluate(p.ind, after, refs.get(p.code, {}))
            assert math.isclose(oc.fraction * p.max_points, s.points, abs_tol=1e-9), (p.code, s.key)
