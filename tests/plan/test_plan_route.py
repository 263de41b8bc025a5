"""The route to a goal on the sample round's own levels, against brute force on small generated cases:
it reaches the goal, no cheaper choice of levels does under the effort given (and the caps), fixed
indicators never move, and an unreachable goal is said so, with by how much. Then --rank with
national totals."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("numpy", reason="the route solver needs numpy")

RES = 0.01


def units_down(x: float) -> int:
    q = x / RES
    return math.floor(q + 1e-9 + abs(q) * 1e-15)


def units_up(x: float) -> int:
    q = x / RES
    return math.ceil(q - 1e-9 - abs(q) * 1e-15)


@pytest.fixture(scope="module")
def movable(sample_plan):
    """Codes of the sample's indicators that offer at least one level."""
    return [p.code for p in sample_plan.plans if p.options()]


def fresh(plan_ctx, sample_scores, codes, efforts, fixed):
    """The plans of ``codes`` priced with the efforts given (None: the defaults), some fixed."""
    from dti_cli.formats.effort import EffortRow
    from dti_cli.plan.actions import all_values, indicator_plan, references_by_indicator
    from dti_cli.plan.effort import price

    values, refs = all_values(sample_scores), references_by_indicator(sample_scores)
    plans = []
    for code, e, f in zip(codes, efforts, fixed, strict=True):
        row = EffortRow(code, e, None, f) if (e is not None or f) else None
        plans.append(indicator_plan(plan_ctx.catalogue.indicators[code], values, refs.get(code, {}), row))
    price(plans, {c: e for c, e in zip(codes, efforts, strict=True) if e is not None})
    return plans


def brute(plans, goal_gain, caps):
    """(least effort reaching the goal or None, the most gain any choice reaches, at the solver's resolution)."""
    choices = [[None] + ([] if p.fixed else p.options()) for p in plans]
    goal = units_up(goal_gain) if goal_gain > 0 else 0
    best, most = None, 0
    for combo in itertools.product(*choices):
        spent: dict[str, float] = {}
        for p, s in zip(plans, combo, strict=True):
            if s is not None:
                spent[p.ind.lead[0]] = spent.get(p.ind.lead[0], 0.0) + s.effort
        if any(spent.get(a, 0.0) > cap + 1e-9 for a, cap in caps.items()):
            continue
        gain = sum(units_down(s.points - p.points) for p, s in zip(plans, combo, strict=True) if s is not None and units_down(s.points - p.points) > 0)
        effort = sum(s.effort for s in combo if s is not None)
        most = max(most, gain)
        if gain >= goal and (best is None or effort < best - 1e-9):
            best = effort
    return best, most * RES


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_route_against_brute_force(data, plan_ctx, sample_scores, movable):
    from dti_cli.plan.goal import Goal, find_route

    n = data.draw(st.integers(2, 5), label="indicators")
    codes = data.draw(st.lists(st.sampled_from(movable), min_size=n, max_size=n, unique=True), label="codes")
    efforts = data.draw(st.lists(st.one_of(st.none(), st.integers(1, 80).map(lambda k: k / 10)), min_size=n, max_size=n), label="efforts")
    fixed = data.draw(st.lists(st.booleans().map(lambda b: b and data.draw(st.booleans())), min_size=n, max_size=n), label="fixed")
    plans = fresh(plan_ctx, sample_scores, codes, efforts, fixed)
    top = sum(max((s.points - p.points for s in p.options()), default=0.0) for p in plans)
    goal_gain = data.draw(st.integers(1, int(top * 100) + 1500).map(lambda k: k / 100), label="goal gain")
    caps = {}
    if data.draw(st.booleans(), label="cap"):
        caps[plans[0].ind.lead[0]] = data.draw(st.integers(0, 60).map(lambda k: k / 10), label="cap value")
    now = 500.0
    out = find_route(plans, Goal(now, now + goal_gain), caps)
    best, most = brute(plans, goal_gain, caps)
    moved = {r.code for route in (*out.routes, out.closest) for r in route}
    assert not moved & {p.code for p in plans if p.fixed}, "a fixed indicator moved"
    if best is None:
        assert not out.reachable and not out.routes
        assert out.shortfall == pytest.approx(goal_gain - most, abs=1e-6)
        assert sum(r.step.gain for r in out.closest) == pytest.approx(out.max_gain, abs=RES * len(plans) + 1e-9)
        return
    assert out.reachable
    assert out.efforts[0] == pytest.approx(best, abs=1e-6), "a cheaper choice of levels reaches the goal"
    for route, effort in zip(out.routes, out.efforts, strict=True):
        assert sum(r.step.gain for r in route) >= goal_gain - 1e-9
        assert effort >= out.efforts[0] - 1e-9
        assert route[-1].total == pytest.approx(now + sum(r.step.gain for r in route)) if route else True
        for agency, cap in caps.items():
            assert sum(r.step.effort for r in route if r.agency == agency) <= cap + 1e-9
    assert len({tuple((r.code, r.step.key, r.step.points) for r in route) for route in out.routes}) == len(out.routes)
    assert all(a <= b + 1e-9 for a, b in itertools.pairwise(out.efforts))


def test_an_unreachable_goal_says_by_how_much(sample_plan):
    from dti_cli.plan.goal import Goal, find_route

    now = sample_plan.scores.total_estimated
    out = find_route(sample_plan.plans, Goal(now, 1000.0))
    assert not out.reachable and out.routes == []
    # Every indicator that can move, moved to its highest level: what the route can add at most.
    most = sum(max(s.gain for s in p.options()) for p in sample_plan.plans if p.options())
    assert out.max_gain == pytest.approx(most, abs=0.01 * len(sample_plan.plans))
    assert out.shortfall == pytest.approx(1000 - now - out.max_gain)
    assert ("7.9", "missing") in out.held


def test_a_goal_already_reached_needs_no_step(sample_plan):
    from dti_cli.plan.goal import Goal, find_route

    now = sample_plan.scores.total_estimated
    out = find_route(sample_plan.plans, Goal(now, 500.0))
    assert out.reachable and out.routes == [[]]


def test_rank_needs_the_total_of_that_rank_with_the_others_held(tmp_path, plan_ctx):
    from dti_cli.formats.national import read_national
    from dti_cli.plan.goal import goal_of

    rows = ["province,total", "Tỉnh Cà Mau,468.9"] + [f"Tỉnh số {k},{700 - 4 * k}" for k in range(1, 63)]
    (tmp_path / "n.csv").write_text("\n".join(rows), encoding="utf-8")
    nat = read_national(tmp_path / "n.csv", plan_ctx.profile)
    assert nat.own_row_left_out and nat.provinces == 63
    g = goal_of(583.31, rank=40, national=nat)
    # The 40th of the others has 700 − 4 × 40 = 540; the 39th, 544: 4 points to the next rank.
    assert g.total == 540 and g.next_rank_total == 544 and g.margin_next == pytest.approx(4)
    # 583,31 ranks after those above it: 700 − 4k > 583,31 for k ≤ 29 → rank 30.
    assert g.rank_now == 30
    from dti_cli.core.errors import UsageError

    with pytest.raises(UsageError):
        goal_of(583.31, rank=64, national=nat)
    with pytest.raises(UsageError):
        goal_of(583.31, rank=3)
