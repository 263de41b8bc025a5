"""Every rule kind against its own inverse: what value reaches N points, checked by scoring it.

For each scored indicator of the catalogue (every kind appears), random valid values and
references: the inverse of an input reaches the points asked for, and it is the smallest such
value (the largest, for an input the score falls with) to the input's resolution; the changes a
rule asks for (``requirement``) reach the points when made; ``measure_requirement`` reaches the
measured value asked for.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dti_cli.methodology.model import unusable
from dti_cli.methodology.rules import KINDS, NeedsReference
from dti_cli.methodology.steps import apply_needs

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _value(draw, inp):
    if inp.type == "yes_no":
        return draw(st.booleans())
    if inp.type == "choice":
        return draw(st.sampled_from([c.value for c in inp.choices]))
    if inp.type == "count":
        return float(draw(st.integers(min_value=0, max_value=5000)))
    if inp.type == "percent":
        return draw(st.integers(min_value=0, max_value=10000)) / 10000
    return draw(st.integers(min_value=0, max_value=2_000_000)) / 1000


@st.composite
def case(draw, ind):
    values = {i.id: _value(draw, i) for i in ind.inputs}
    refs = {}
    for k in ind.rule.reference_keys():
        refs[k] = draw(st.integers(min_value=1, max_value=5000)) / 1000
    if {"min", "max"} <= set(refs) and refs["min"] >= refs["max"]:
        refs["min"], refs["max"] = refs["max"] / 2, refs["max"]
    return values, refs


def _scorable(ind, values):
    return not any(unusable(ind.input_map.get(i), values.get(i)) for i in ind.rule.needed(values))


def _points(ind, values, refs):
    try:
        return ind.rule.earned(ind, values, refs)
    except NeedsReference:
        return None


def leaves(ctx):
    return [i for i in ctx.catalogue.scored_leaves()]


def test_every_kind_is_exercised(ctx):
    kinds = {p.kind for i in leaves(ctx) for p in (i.rule, *i.rule.components())}
    assert kinds == {k for k, c in KINDS.items() if c.__module__.startswith("dti_cli.")} - {"sum_children"}


@pytest.mark.parametrize("code", ["1.1", "1.3", "1.5", "1.6", "3.6", "4.11", "5.5", "5.12.1", "5.12.3", "6.3", "6.8", "6.11", "6.12", "6.21",
                                  "7.10", "8.6", "8.8.2.3", "1.2", "6.22", "4.5"])
@SETTINGS
@given(data=st.data())
def test_inverse_reaches_the_points_and_is_the_least(ctx, code, data):
    ind = ctx.catalogue.indicators[code]
    values, refs = data.draw(case(ind))
    rule, mx = ind.rule, ind.max_points
    points = data.draw(st.sampled_from([*rule.breakpoints(ind, mx, refs), round(mx * data.draw(st.floats(0.01, 1.0)), 4)]))
    for inp in ind.inputs:
        sign = rule.direction(inp.id)
        v = rule.inverse(ind, inp.id, points, values, refs, mx)
        if sign == 0 or v is None:
            continue
        trial = {**values, inp.id: v}
        assume(_scorable(ind, trial))
        got = _points(ind, trial, refs)
        assert got is not None and got >= points - 1e-6, (code, inp.id, v, got, points)
        if inp.type in ("yes_no", "choice"):
            cheaper = [c for c in ([False] if inp.type == "yes_no" and v is True else
                                   [x.value for x in inp.choices if rule.earned(ind, {**values, inp.id: x.value}, refs) <
                                    rule.earned(ind, trial, refs) - 1e-9] if inp.type == "choice" else [])]
            for c in cheaper:
                below = _points(ind, {**values, inp.id: c}, refs)
                assert below is None or below < points - 1e-9 or below >= got - 1e-9, (code, inp.id, c)
            continue
        step = inp.step
        nearer = v - sign * step
        if sign > 0 and nearer < 0:
            continue
        if sign < 0 and nearer + sum(float(values[t]) for t in getattr(rule, "denominator", ()) if isinstance(t, str) and t != inp.id) <= 0:
            continue
        below = _points(ind, {**values, inp.id: round(nearer, 10)}, refs)
        assert below is None or below < points - 1e-9, (code, inp.id, v, nearer, below, points)


@pytest.mark.parametrize("code", ["1.1", "1.2", "1.5", "3.6", "3.5", "6.1", "6.3", "6.11", "6.12", "6.21", "7.1", "5.12.1", "5.12.4", "7.10",
                                  "4.5", "6.4", "6.17", "8.5"])
@SETTINGS
@given(data=st.data())
def test_requirement_reaches_every_level(ctx, code, data):
    ind = ctx.catalogue.indicators[code]
    values, refs = data.draw(case(ind))
    rule, mx = ind.rule, ind.max_points
    for points in rule.breakpoints(ind, mx, refs):
        needs = rule.requirement(ind, points, values, refs, mx)
        if needs is None:
            continue
        after = apply_needs(values, needs)
        got = _points(ind, after, refs)
        assert got is not None and got >= points - 1e-6, (code, points, needs, got)
        if not needs:
            assert _points(ind, values, refs) >= points - 1e-6


@pytest.mark.parametrize("code", ["3.1", "4.7", "6.12", "7.1", "7.9", "8.2", "6.11", "4.5"])
@SETTINGS
@given(data=st.data())
def test_measure_requirement_reaches_the_target_ratio(ctx, code, data):
    ind = ctx.catalogue.indicators[code]
    values, refs = data.draw(case(ind))
    t = ind.target
    needs = ind.rule.measure_requirement(ind, t.value, t.op, values)
    assume(needs is not None)
    m = ind.rule.measured(apply_needs(values, needs))
    assert m != "zero" and (m > t.value if t.op == ">" else m >= t.value - 1e-9), (code, needs, m)


def test_hand_cases_of_the_inverse(ctx):
    """Written out: 6.12 = (b + c)/a, full at 80%; 1.5 needs the section and 20 articles; 6.21 one point per activity."""
    cat = ctx.catalogue
    i612 = cat.indicators["6.12"]
    v = {"6.12.a": 17000.0, "6.12.b": 5000.0, "6.12.c": 5512.0}
    # full points: (b + c) ≥ 80% × 17 000 = 13 600, so c ≥ 13 600 − 5 000 = 8 600
    assert i612.rule.inverse(i612, "6.12.c", 20, v, {}) == 8600
    # 15 points: ratio ≥ 0.8 × 15/20 = 0.6 → b + c ≥ 10 200 → c ≥ 5 200
    assert i612.rule.inverse(i612, "6.12.c", 15, v, {}) == 5200
    # the denominator: (b + c)/a ≥ 0.8 with b + c = 10 512 → a ≤ 13 140
    assert i612.rule.inverse(i612, "6.12.a", 20, v, {}) == 13140
    need = i612.rule.requirement(i612, 20, v, {})
    assert [(n.inputs, n.value, n.now) for n in need] == [(("6.12.b", "6.12.c"), 13600, 10512)]
    i15 = cat.indicators["1.5"]
    assert [(n.inputs, n.value) for n in i15.rule.requirement(i15, 10, {"1.5.a": False, "1.5.b": 12.0}, {})] == \
        [(("1.5.a",), True), (("1.5.b",), 20)]
    i621 = cat.indicators["6.21"]
    assert i621.rule.inverse(i621, "6.21.a", 7, {"6.21.a": 2.0}, {}) == 7
    assert i621.rule.inverse(i621, "6.21.a", 11, {"6.21.a": 2.0}, {}) is None  # the cap is 10
    i710 = cat.indicators["7.10"]
    # share of the best: a/b ÷ best × 10; best 0.5, b = 10 000 → 8 points need a/b ≥ 0.4 → a ≥ 4 000
    assert i710.rule.inverse(i710, "7.10.a", 8, {"7.10.a": 100.0, "7.10.b": 10000.0}, {"best": 0.5}) == 4000
    assert math.isclose(i710.rule.points_for(i710, {"7.10.a": 12000.0, "7.10.b": 10000.0}, {"best": 1.5}), 8.0)  # issue 12: a > b is fine
