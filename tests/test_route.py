"""The cheapest route to a goal: hand cases, and random small cases against brute force."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dti_cli.plan.route import EFFORT_GRID, Level, Option, Route, levels_table, solve

# The solver imports numpy when it runs; numpy comes with pandas (only the 'bench' extra today).
pytest.importorskip("numpy", reason="dti_cli.plan.route needs numpy")


def yes_no(code, points=10.0, effort=1.0, **kw):
    return Option(code, (Level("now", 0.0), Level("yes", points, effort)), **kw)


def ratio(code, now, *steps, **kw):
    """An indicator with stepped levels: steps are (key, points, effort)."""
    return Option(code, (Level("now", now),) + tuple(Level(k, p, e) for k, p, e in steps), **kw)


def greedy(options, goal):
    """Take moves by points per effort, largest first, until the goal is reached (what we must beat)."""
    moves = sorted(((lv.points - o.levels[0].points) / lv.effort, o.code, lv) for o in options for lv in o.levels[1:])
    chosen: dict[str, Level] = {}
    now = {o.code: o.levels[0].points for o in options}
    gain = 0.0
    for _, code, lv in reversed(moves):
        if gain >= goal:
            break
        before = chosen[code].points if code in chosen else now[code]
        if lv.points > before:
            gain += lv.points - before
            chosen[code] = lv
    return gain, sum(lv.effort for lv in chosen.values())


# --- hand cases -----------------------------------------------------------------------------------

YES_NO_AND_RATIO = [
    yes_no("A"),
    ratio("B", 2.0, ("s1", 5.0, 0.4), ("s2", 8.0, 0.9), ("full", 10.0, 2.0)),
]


@pytest.mark.parametrize(("goal", "choice", "effort"), [
    (3, {"B": "s1"}, 0.4),
    (6, {"B": "s2"}, 0.9),                  # the ratio's second step is cheaper than the yes/no
    (7, {"A": "yes"}, 1.0),                 # past the ratio's step: the yes/no alone
    (11, {"A": "yes", "B": "s1"}, 1.4),
    (18, {"A": "yes", "B": "full"}, 3.0),
])
def test_yes_no_against_a_ratio_with_steps(goal, choice, effort):
    r = solve(YES_NO_AND_RATIO, goal)
    assert r.reachable and r.best.choice() == choice
    assert r.best.effort == pytest.approx(effort)
    assert r.best.gain >= goal


def test_thresholds_where_greedy_by_points_per_effort_fails():
    # Goal 10. Greedy takes X (6 points for 1: the best ratio), then Z (10 for 1.9: the next),
    # 2.9 in all; Z alone reaches the goal for 1.9. The ratio rule C is a threshold: its partial
    # step is poor value and its full step is never needed.
    options = [
        yes_no("X", 6.0, 1.0),
        yes_no("Y", 5.0, 1.0),
        yes_no("Z", 10.0, 1.9),
        ratio("C", 0.0, ("half", 2.0, 1.0), ("full", 10.0, 2.5)),
    ]
    g_gain, g_effort = greedy(options, 10)
    assert g_gain >= 10 and g_effort == pytest.approx(2.9)
    r = solve(options, 10)
    assert r.best.choice() == {"Z": "yes"}
    assert r.best.effort == pytest.approx(1.9) and r.best.effort < g_effort


def test_a_step_of_a_threshold_rule_that_pays_only_when_full():
    # The greedy ratio of P's first step (4 points for 0.5) beats Q (12 for 2), but the goal of 12
    # needs P to full (12 for 2.5) or Q; Q is cheaper, and P's step plus Q costs more.
    options = [ratio("P", 0.0, ("step", 4.0, 0.5), ("full", 12.0, 2.5)), yes_no("Q", 12.0, 2.0)]
    g_gain, g_effort = greedy(options, 12)
    assert g_effort == pytest.approx(2.5)
    r = solve(options, 12)
    assert r.best.choice() == {"Q": "yes"} and r.best.effort == 2.0


def test_fixed_indicators_never_move():
    options = [yes_no("F", 50.0, 0.0, fixed=True), yes_no("M", 10.0, 3.0)]
    r = solve(options, 5)
    assert r.best.choice() == {"M": "yes"}
    assert all(s.code != "F" for a in (r.best, *r.alternatives) for s in a.steps)
    r = solve(options, 20)
    assert not r.reachable and r.max_gain == pytest.approx(10.0)
    assert r.closest.choice() == {"M": "yes"}


def test_agency_caps_are_respected():
    options = [yes_no("A1", 10.0, 1.0, agency="a"), yes_no("A2", 10.0, 1.0, agency="a"), yes_no("B1", 10.0, 1.5, agency="b")]
    assert solve(options, 20).best.choice() == {"A1": "yes", "A2": "yes"}
    r = solve(options, 20, caps={"a": 1.5})
    assert r.best.choice() == {"A1": "yes", "B1": "yes"}
    assert r.best.effort == 2.5
    for route in (r.best, *r.alternatives):
        assert sum(s.level.effort for s in route.steps if s.agency == "a") <= 1.5
    r = solve(options, 30, caps={"a": 1.5})
    assert not r.reachable and r.max_gain == pytest.approx(20.0) and r.shortfall == pytest.approx(10.0)


def test_indicators_without_an_agency_are_not_limited():
    options = [yes_no("N1", 10.0, 1.0), yes_no("N2", 10.0, 1.0)]
    assert solve(options, 20, caps={"": 0.0}).best.choice() == {"N1": "yes", "N2": "yes"}


def test_a_cap_below_every_step_keeps_the_agency_still():
    options = [ratio("A1", 0.0, ("s", 5.0, 2.0), ("full", 10.0, 4.0), agency="a"), yes_no("B1", 10.0, 9.0, agency="b")]
    r = solve(options, 5, caps={"a": 1.0})
    assert r.best.choice() == {"B1": "yes"}
    r = solve(options, 5, caps={"a": 2.0})    # one indicator: its levels within the cap
    assert r.best.choice() == {"A1": "s"}


def test_a_cap_that_cannot_bind_changes_nothing():
    options = [yes_no("A1", 4.0, 1.0, agency="a"), ratio("A2", 1.0, ("s", 3.0, 0.5), ("f", 6.0, 1.5), agency="a"), yes_no("B", 5.0, 1.2)]
    for goal in (3, 7, 10, 14):
        a, b = solve(options, goal), solve(options, goal, caps={"a": 100.0, "c": 0.0})
        assert [x.choice() for x in (a.best, *a.alternatives)] == [x.choice() for x in (b.best, *b.alternatives)]


def test_unreachable_goal_reports_the_shortfall_and_the_closest_route():
    options = [yes_no("A", 10.0, 1.0), ratio("B", 2.0, ("s", 5.0, 0.5), ("full", 7.0, 4.0))]
    r = solve(options, 20)
    assert not r.reachable and r.best is None and r.alternatives == ()
    assert r.max_gain == pytest.approx(15.0) and r.shortfall == pytest.approx(5.0)
    assert r.closest.choice() == {"A": "yes", "B": "full"} and r.closest.gain == pytest.approx(15.0)


def test_nothing_can_move():
    r = solve([yes_no("F", fixed=True)], 1)
    assert not r.reachable and r.max_gain == 0 and r.shortfall == 1 and r.closest.steps == ()
    r = solve([], 0)
    assert r.reachable and r.best.steps == () and r.best.effort == 0


def test_goal_zero_is_the_empty_route():
    r = solve(YES_NO_AND_RATIO, 0)
    assert r.reachable and r.best.steps == () and r.best.gain == 0 and r.best.effort == 0
    assert r.shortfall == 0 and r.closest is None
    assert [a.choice() for a in r.alternatives] == [{"B": "s1"}, {"B": "s2"}]


def test_free_steps_are_taken_ties_go_to_the_larger_gain():
    r = solve([yes_no("A", 10.0, 1.0), yes_no("Free", 2.0, 0.0)], 5)
    assert r.best.choice() == {"A": "yes", "Free": "yes"} and r.best.effort == 1.0
    assert r.best.steps[0].code == "Free"     # infinite gain per effort comes first


def test_equal_efforts_break_to_larger_gain_then_fewer_steps_then_code_order():
    # Equal effort: the larger gain wins.
    r = solve([yes_no("S", 6.0, 2.0), yes_no("L", 9.0, 2.0)], 5)
    assert r.best.choice() == {"L": "yes"}
    # Equal effort and gain: fewer steps.
    r = solve([yes_no("A", 3.0, 1.0), yes_no("B", 3.0, 1.0), yes_no("C", 6.0, 2.0)], 5)
    assert r.best.choice() == {"C": "yes"}
    # All equal: the order given (the catalogue's, where 1.10 comes after 1.9).
    r = solve([yes_no("1.9", 5.0, 1.0), yes_no("1.10", 5.0, 1.0)], 5)
    assert r.best.choice() == {"1.9": "yes"} and r.alternatives[0].choice() == {"1.10": "yes"}
    # Decimal efforts that add up equal are equal (0.1 + 0.2 = 0.3 on the effort grid).
    r = solve([yes_no("A", 3.0, 0.1), yes_no("B", 3.0, 0.2), yes_no("C", 7.0, 0.3)], 6)
    assert r.best.choice() == {"C": "yes"}


def test_an_agency_with_a_cap_is_a_block_at_its_first_indicator():
    # Found by hypothesis: A0 cannot move, yet agency a's block sits at its place, before B.
    options = [Option("A0", (Level("now", 0.0), Level("same", 0.0)), agency="a"), yes_no("B", 0.01, 0.0, agency="b"),
               yes_no("A2", 0.01, 0.0, agency="a")]
    r = solve(options, 0, caps={"a": 0.0, "b": 0.0})
    assert [x.choice() for x in (r.best, *r.alternatives)] == [{"B": "yes", "A2": "yes"}, {"A2": "yes"}, {"B": "yes"}]
    r = solve(options, 0)                      # without caps, the order given
    assert [x.choice() for x in r.alternatives] == [{"B": "yes"}, {"A2": "yes"}]


def test_levels_of_one_indicator_tie_in_the_order_given():
    o = Option("A", (Level("now", 1.0), Level("target", 5.0, 1.0), Level("full", 5.0, 1.0)))
    r = solve([o], 4)
    assert r.best.choice() == {"A": "target"} and r.alternatives[0].choice() == {"A": "full"}


def test_gains_are_counted_down_to_the_resolution():
    o = ratio("R", 0.0, ("step", 30 / 7, 1.0))       # 4.2857… counts as 4.28
    assert solve([o], 4.28).reachable
    r = solve([o], 4.29)
    assert not r.reachable and r.max_gain == pytest.approx(4.28) and r.shortfall == pytest.approx(0.01)
    assert r.closest.gain == pytest.approx(30 / 7)
    assert solve([o], 4.285, resolution=0.001).reachable and not solve([o], 4.285).reachable
    assert not solve([ratio("T", 0.0, ("tiny", 0.004, 0.0))], 0.001).reachable


def test_levels_below_now_are_never_chosen_and_levels_need_not_be_sorted():
    o = Option("A", (Level("now", 5.0), Level("full", 10.0, 2.0), Level("worse", 3.0, 0.0), Level("step", 7.0, 1.0)))
    r = solve([o], 1)
    assert r.best.choice() == {"A": "step"}
    assert [a.choice() for a in r.alternatives] == [{"A": "full"}]


def test_route_steps_come_largest_gain_per_effort_first_then_code():
    options = [yes_no("A", 2.0, 1.0), yes_no("B", 8.0, 1.0), yes_no("C", 4.0, 0.5), yes_no("D", 1.0, 1.0)]
    r = solve(options, 15)
    assert [s.code for s in r.best.steps] == ["B", "C", "A", "D"]


def test_alternatives_are_the_next_cheapest_distinct_choices():
    r = solve(YES_NO_AND_RATIO, 8, alternatives=4)
    got = [(a.choice(), a.effort) for a in (r.best, *r.alternatives)]
    assert got == [({"A": "yes"}, 1.0), ({"A": "yes", "B": "s1"}, 1.4), ({"A": "yes", "B": "s2"}, 1.9),
                   ({"B": "full"}, 2.0), ({"A": "yes", "B": "full"}, 3.0)]
    assert solve(YES_NO_AND_RATIO, 8, alternatives=0).alternatives == ()
    assert len(solve(YES_NO_AND_RATIO, 18, alternatives=3).alternatives) == 0   # one route reaches 18


def test_levels_table_has_running_totals():
    r = solve(YES_NO_AND_RATIO, 11)
    rows = levels_table(r)
    assert [(x["code"], x["level"], x["gain"], x["effort"], x["running_gain"], x["running_effort"]) for x in rows] == [
        ("A", "yes", 10.0, 1.0, 10.0, 1.0), ("B", "s1", 3.0, 0.4, 13.0, 1.4)]
    assert rows[0]["points"] == 10.0 and rows[1]["points"] == 5.0
    alt = levels_table(r.alternatives[0])       # a route can be given alone
    assert [x["level"] for x in alt] == ["yes", "s2"] and alt[-1]["running_effort"] == r.alternatives[0].effort
    assert levels_table(solve(YES_NO_AND_RATIO, 30)) == levels_table(solve(YES_NO_AND_RATIO, 30).closest)


def test_labels_and_data_come_back_untouched():
    lv = Level("yes", 10.0, 1.0, label="Có hệ thống", data={"rule": "yes_no"})
    r = solve([Option("A", (Level("now", 0.0), lv), agency="stttt")], 1)
    (step,) = r.best.steps
    assert step.level is lv and step.agency == "stttt" and step.now.key == "now"
    assert levels_table(r)[0]["label"] == "Có hệ thống"


@pytest.mark.parametrize(("options", "kw", "message"), [
    ([yes_no("A"), yes_no("A")], {}, "two options have the code 'A'"),
    ([Option("A", ())], {}, "A: no levels"),
    ([yes_no("A", effort=-1.0)], {}, "efforts are ≥ 0"),
    ([yes_no("A", effort=math.nan)], {}, "efforts are ≥ 0"),
    ([Option("A", (Level("now", 0.0, 1.0),))], {}, "takes no effort"),
    ([yes_no("A", points=math.inf)], {}, "has points inf"),
    ([yes_no("A")], {"resolution": 0}, "resolution must be a positive number"),
    ([yes_no("A")], {"alternatives": -1}, "alternatives must be"),
    ([yes_no("A")], {"caps": {"a": -1.0}}, "caps are ≥ 0"),
])
def test_nonsense_is_refused(options, kw, message):
    with pytest.raises(ValueError, match=message):
        solve(options, 1, **kw)


def test_tables_too_large_are_refused_before_they_are_made():
    # Gains of 10.00001, 10.00002, …: at 1e-5 no common divisor shrinks the states (9e7 of them).
    options = [yes_no(f"{i}", 10.0 + i * 1e-5, 1.0, agency="a") for i in range(100)]
    with pytest.raises(ValueError, match=r"90,000,001 states × 100 decisions would take about .* use a coarser resolution"):
        solve(options, 900, resolution=1e-5)
    with pytest.raises(ValueError, match=r"the table of agency 'a'"):
        solve(options, 900, resolution=1e-5, caps={"a": 50.0})
    assert solve(options, 900, caps={"a": 95.0}).best.effort == 90.0


def test_an_infinite_effort_is_never_chosen():
    r = solve([yes_no("A", 10.0, math.inf), yes_no("B", 3.0, 1.0)], 5)
    assert not r.reachable and r.closest.choice() == {"B": "yes"}


# --- random small cases against every combination -------------------------------------------------

RES = 0.01


def brute(options, goal, caps, k):
    """Every choice of levels, ordered as the solver documents; the first k reaching the goal,
    or (when none does) the most any reaches and the first route reaching that."""
    goal_units = max(0, math.ceil(goal / RES - 1e-9))
    capped = {a: c for a, c in caps.items() if a and math.isfinite(c)}
    first: dict[str, int] = {}
    for i, o in enumerate(options):
        if o.agency in capped:
            first.setdefault(o.agency, i)
    order = sorted(range(len(options)), key=lambda i: (first.get(options[i].agency, i), i))
    per = []
    for i in order:
        o = options[i]
        now = round(o.levels[0].points / RES)
        usable = [0] + [j for j in range(1, len(o.levels))
                        if not o.fixed and round(o.levels[j].points / RES) > now and math.isfinite(o.levels[j].effort)]
        per.append(usable)
    rows = []
    for combo in itertools.product(*per):
        units, grid, steps, ranks, spent = 0, 0, 0, [], {}
        for i, j in zip(order, combo, strict=True):
            o = options[i]
            lv = o.levels[j]
            units += round(lv.points / RES) - round(o.levels[0].points / RES)
            grid += round(lv.effort / EFFORT_GRID)
            steps += j != 0
            ranks.append(j if j else len(o.levels))
            spent[o.agency] = spent.get(o.agency, 0) + round(lv.effort / EFFORT_GRID)
        if any(spent.get(a, 0) > round(c / EFFORT_GRID) for a, c in capped.items()):
            continue
        choice = {options[i].code: options[i].levels[j].key for i, j in zip(order, combo, strict=True) if j}
        rows.append((units, grid, steps, tuple(ranks), choice))
    reaching = sorted((g, -u, s, r, c) for u, g, s, r, c in rows if u >= goal_units)
    most = max(u for u, *_ in rows)
    closest = min((g, -u, s, r, c) for u, g, s, r, c in rows if u == most)
    return [c for *_, c in reaching[:k]], most, closest[-1]


def min_effort_all_levels(options, goal, caps):
    """The least real effort over every combination, levels that lose points included."""
    best = math.inf
    for combo in itertools.product(*[range(1) if o.fixed else range(len(o.levels)) for o in options]):
        gain = sum(o.levels[j].points - o.levels[0].points for o, j in zip(options, combo, strict=True))
        if gain < goal - 1e-9:
            continue
        spent: dict[str, float] = {}
        for o, j in zip(options, combo, strict=True):
            spent[o.agency] = spent.get(o.agency, 0.0) + o.levels[j].effort
        if any(spent.get(a, 0.0) > c + 1e-9 for a, c in caps.items() if a):
            continue
        best = min(best, sum(o.levels[j].effort for o, j in zip(options, combo, strict=True)))
    return best


def feasible(route: Route, options, goal, caps) -> bool:
    by_code = {o.code: o for o in options}
    spent: dict[str, float] = {}
    for s in route.steps:
        o = by_code[s.code]
        assert not o.fixed and s.level in o.levels[1:] and s.now is o.levels[0]
        spent[o.agency] = spent.get(o.agency, 0.0) + s.level.effort
    return route.gain >= goal - 1e-9 and all(spent.get(a, 0.0) <= c + 1e-9 for a, c in caps.items() if a)


points = st.integers(0, 1000).map(lambda x: x / 100)
moves = st.integers(-300, 1000).map(lambda x: x / 100)      # mostly up, sometimes down
efforts = st.one_of(st.sampled_from([0.0, 0.5, 1.0, 2.0]), st.integers(0, 3000).map(lambda x: x / 1000))


@st.composite
def instances(draw, capped=False):
    """≤ 6 indicators of ≤ 4 levels; with ``capped``, all led by two agencies that both have a cap."""
    agencies = ["a", "b"] if capped else ["", "a", "a", "a", "b"]
    options = []
    for i in range(draw(st.integers(1, 6))):
        now = draw(points)
        levels = tuple(Level(f"l{j}", now + draw(moves), draw(efforts)) for j in range(1, draw(st.integers(2, 4))))
        fixed = draw(st.sampled_from([False, False, False, False, True]))
        options.append(Option(f"{i}", (Level("now", now),) + levels, agency=draw(st.sampled_from(agencies)), fixed=fixed))
    caps = {a: draw(st.integers(0, 4000)) / 1000 for a in ("a", "b", "z") if capped or draw(st.integers(0, 2))}
    return options, draw(st.integers(0, 2500).map(lambda x: x / 100)), caps, draw(st.sampled_from([2, 3, 1, 0]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_small_cases_match_brute_force(case):
    check_against_brute_force(*case)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(capped=True))
def test_random_capped_agencies_match_brute_force(case):
    check_against_brute_force(*case)


def check_against_brute_force(options, goal, caps, alternatives):
    r = solve(options, goal, caps=caps, alternatives=alternatives)
    expected, most, closest = brute(options, goal, caps, alternatives + 1)
    assert r.max_gain == pytest.approx(most * RES)
    if not expected:
        assert not r.reachable and r.best is None and r.alternatives == ()
        assert r.shortfall == pytest.approx(goal - most * RES) and r.shortfall > 0
        assert r.closest.choice() == closest
        return
    assert r.reachable and r.shortfall == 0 and r.closest is None
    routes = [r.best, *r.alternatives]
    # The same least effort as every combination (levels that lose points included), reached.
    assert r.best.effort == pytest.approx(min_effort_all_levels(options, goal, caps), abs=1e-9)
    # Each route reaches the goal within the caps; distinct; in order of effort; brute force's.
    assert all(feasible(x, options, goal, caps) for x in routes)
    choices = [x.choice() for x in routes]
    assert all(a != b for a, b in itertools.combinations(choices, 2))
    assert all(a.effort <= b.effort + 1e-9 for a, b in itertools.pairwise(routes))
    assert choices == expected
