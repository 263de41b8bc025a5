"""From points to actions: what each indicator's gap means in its own units.

For an indicator, its values now and the national references: the points now; every level above
(each breakpoint of its rule, and full points) with the input values that reach it; the round's
target as values and what it brings; for a linear rule, the rate (one point for every N more
dossiers). Where an input has no value, the gap says what is missing instead of guessing; where
a relative rule's references are missing, it says that they are. The report takes its "what to
do" from here, and the plan its levels, routes and commitments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core import i18n
from ..core.i18n import N_, _
from .model import Indicator, NoData, unusable
from .rules.base import Need, NeedsReference, Rule, Values, clamp01, is_num
from .rules.ratios import apply_needs

__all__ = ["REFERENCE_WORDS", "Gap", "Level", "Rate", "apply_needs", "figure_words", "gap", "need_words", "now_words", "points",
           "rate_words", "reference_words", "target_level"]

#: The national reference values of the relative kinds, in words.
REFERENCE_WORDS = {"min": N_("national lowest"), "max": N_("national highest"), "best": N_("best province")}


@dataclass(frozen=True)
class Level:
    """One level an indicator can reach: its points, the gain over now, and what it asks of the inputs."""

    key: str  # "next", "step", "full", "target"
    points: float
    gain: float
    needs: tuple[Need, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "points": self.points, "gain": self.gain, "needs": [n.to_dict() for n in self.needs]}


@dataclass(frozen=True)
class Rate:
    """A linear rule's price of a point: ``per`` more of the sum of ``inputs`` for one point."""

    inputs: tuple[str, ...]
    per: float

    def to_dict(self) -> dict[str, Any]:
        return {"inputs": list(self.inputs), "per_point": self.per}


@dataclass
class Gap:
    code: str
    max_points: float
    points: float
    state: str  # "full", "open", "missing" (inputs without a value), "needs_reference", "out_of_reach"
    missing: list[str] = field(default_factory=list)
    needs_references: list[str] = field(default_factory=list)
    measured: float | str | None = None
    levels: list[Level] = field(default_factory=list)
    target: Level | None = None
    target_met: bool | None = None
    rate: Rate | None = None
    references: dict[str, float] = field(default_factory=dict)

    @property
    def next(self) -> Level | None:
        return self.levels[0] if self.levels else None

    @property
    def full(self) -> Level | None:
        return self.levels[-1] if self.levels and abs(self.levels[-1].points - self.max_points) < 1e-9 else None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "max_points": self.max_points, "points": self.points, "state": self.state, "missing": self.missing,
                "needs_references": self.needs_references, "measured": self.measured, "levels": [x.to_dict() for x in self.levels],
                "target": self.target.to_dict() if self.target else None, "target_met": self.target_met,
                "rate": self.rate.to_dict() if self.rate else None, "references": self.references}


def _missing(ind: Indicator, values: Mapping[str, Any]) -> list[str]:
    return [i for i in ind.rule.needed(values) if unusable(ind.input_map.get(i), values.get(i))]


def gap(ind: Indicator, values: Mapping[str, Any], refs: Mapping[str, float]) -> Gap:
    """What stands between the indicator's points now and its max, in its own units."""
    rule, mx = ind.rule, ind.max_points
    g = Gap(ind.code, mx, 0.0, "open", references=dict(refs))
    missing = _missing(ind, values)
    if missing:
        g.state, g.missing = "missing", missing
        # Parts can still be planned where their own inputs are there; a whole rule cannot.
        if len(rule.components()) == 1:
            return g
    keys = [k for k in rule.reference_keys() if k not in refs]
    if keys:
        g.state, g.needs_references = "needs_reference", keys
        return g
    # As the score counts them: the parts whose inputs are there still earn when another's are missing.
    g.points = points(ind, values, refs)
    g.measured = rule.measured(values)
    g.target, g.target_met = target_level(ind, values, refs, g.points)
    if g.points >= mx - 1e-9:
        g.state = "full"
        return g
    seen: set[float] = set()
    for bp in sorted(rule.breakpoints(ind, mx, refs)):
        if bp <= g.points + 1e-9 or round(bp, 9) in seen:
            continue
        needs = rule.requirement(ind, bp, values, refs, mx)
        if needs is None:
            continue
        seen.add(round(bp, 9))
        g.levels.append(Level("full" if abs(bp - mx) < 1e-9 else "step", bp, bp - g.points, tuple(needs)))
    if g.levels:
        first = g.levels[0]
        g.levels[0] = Level("next" if first.key != "full" else "full", first.points, first.gain, first.needs)
    elif not missing:
        g.state = "out_of_reach"
    g.rate = _rate(ind, values, refs, g.points)
    return g


def target_level(ind: Indicator, values: Mapping[str, Any], refs: Mapping[str, float], now: float) -> tuple[Level | None, bool | None]:
    """The round's target as input values and the points it brings; and whether it is met now."""
    t, rule, mx = ind.target, ind.rule, ind.max_points
    if t.kind == "full":
        needs = rule.requirement(ind, mx, values, refs, mx)
        met = now >= mx - 1e-9
        return (Level("target", mx, mx - now, tuple(needs)) if needs is not None else None), met
    if t.kind == "ratio" and t.value is not None:
        measure = getattr(rule, "measure_requirement", None)
        if measure is None:
            return None, None
        m = rule.measured(values)
        if m == "zero":
            return None, rule.zero_denominator == "full" if hasattr(rule, "zero_denominator") else None
        needs = measure(ind, float(t.value), t.op, values)
        if needs is None:
            return None, None
        met = not needs
        try:
            pts = rule.points_for(ind, apply_needs(values, needs), refs, mx) if needs else now
        except NeedsReference:
            return Level("target", now, 0.0, tuple(needs)), met
        return Level("target", max(pts, now), max(0.0, pts - now), tuple(needs)), met
    return None, None


def _rate(ind: Indicator, values: Mapping[str, Any], refs: Mapping[str, float], now: float) -> Rate | None:
    """For a rule linear around now: how much more of its driving figure buys one point.

    Linearity is checked one and two points above now; the price is then taken over the whole
    way to full points (where that is one change of the same figure), so that rounding to whole
    dossiers does not distort it (1.3: 3 more documents for 2.5 points is 1.2 a point, not 1.5).
    """
    rule, mx = ind.rule, ind.max_points
    if len(rule.breakpoints(ind, mx, refs)) != 1 or now + 2 > mx + 1e-9:
        return None
    one, two = rule.requirement(ind, now + 1, values, refs, mx), rule.requirement(ind, now + 2, values, refs, mx)
    if not one or not two or len(one) != 1 or len(two) != 1 or one[0].inputs != two[0].inputs:
        return None
    a, b = one[0], two[0]
    if not (is_num(a.value) and is_num(b.value) and is_num(a.now)) or a.op != ">=":
        return None
    d1, d2 = float(a.value) - float(a.now), float(b.value) - float(a.now)
    step = min((ind.input_map[i].step for i in a.inputs if i in ind.input_map), default=0.01)
    if d1 <= 0 or abs(d2 - 2 * d1) > 2 * step + 1e-9:  # not linear here (a threshold just above, rounding)
        return None
    full = rule.requirement(ind, mx, values, refs, mx)
    if full and len(full) == 1 and full[0].inputs == a.inputs and is_num(full[0].value) and mx - now >= 1:
        return Rate(a.inputs, (float(full[0].value) - float(a.now)) / (mx - now))
    return Rate(a.inputs, d2 / 2)


def _value(ind: Indicator, iid: str, v: Any) -> str:
    if v is None:
        return _("(empty)")
    if isinstance(v, NoData):
        return _("No data")
    if isinstance(v, bool):
        return i18n.yes_no(v)
    inp = ind.input_map.get(iid)
    if isinstance(v, str):
        c = inp.choice(v) if inp else None
        return c.label(i18n.language()) if c else v
    if inp is not None and inp.type == "percent":
        return i18n.pct(float(v), 2)
    return i18n.num(float(v), 3)


def need_words(ind: Indicator, need: Need) -> str:
    """A need as an official reads it: 'b + c (hồ sơ): 330.000 → 656.000 (thêm 326.000)'; 'c: Không → Có'."""
    lang = i18n.language()
    first = ind.input_map.get(need.inputs[0])
    if len(need.inputs) == 1 and first is not None:
        what = f"{first.label(lang)} ({first.id})"
    else:
        what = " + ".join(need.inputs)
    unit = first.unit_in(lang) if first is not None and first.numeric and first.type != "percent" else ""
    now, value = _value(ind, need.inputs[0], need.now), _value(ind, need.inputs[0], need.value)
    text = f"{what}: {now} → {value}" + (f" {unit}" if unit else "")
    if need.delta is not None and need.op in (">=", "<="):
        delta = need.delta
        if first is not None and first.type == "percent":
            more = i18n.pct(abs(delta), 2)
        else:
            more = i18n.num(abs(delta), 3)
        text += " (" + (_("{n} more") if delta >= 0 else _("{n} fewer")).format(n=more) + ")"
    return text


def rate_words(ind: Indicator, rate: Rate) -> str:
    """'+1 point for every 32.800 more (6.12.b + 6.12.c)'."""
    first = ind.input_map.get(rate.inputs[0])
    unit = first.unit_in(i18n.language()) if first is not None and first.type != "percent" else ""
    per = i18n.pct(rate.per, 2) if first is not None and first.type == "percent" else i18n.num(rate.per, 3)
    return _("+1 point for every {per} more {unit} ({inputs})").format(per=per, unit=unit, inputs=" + ".join(rate.inputs)).replace("  ", " ")


def points(ind: Indicator, values: Mapping[str, Any], refs: Mapping[str, float]) -> float:
    """The points these values earn, counted as the score stage counts them.

    A piece (a part of a ``parts`` rule, or the whole rule) that reads a missing input, or one
    declared "no data", earns 0 and the other parts still count; a rule without its national
    reference values earns 0 (and a ``parts`` rule then too, unless an input is also missing).
    The plan prices every level with this, so that a route's gains are the rescored gains.
    """
    rule, mx = ind.rule, ind.max_points
    pieces = rule.components()
    several = len(pieces) > 1
    v = Values(ind, values)
    total, missing, needs = 0.0, False, False
    for piece in pieces:
        if any(unusable(ind.input_map.get(i), values.get(i)) for i in piece.needed(values)):
            missing = True
            continue
        try:
            f, _trace = piece.score(v, piece.weight * mx if several else mx, refs)
        except NeedsReference:
            needs = True
            continue
        total += (piece.weight if several else 1.0) * clamp01(f)
    if (needs and not missing) or (not several and (missing or needs)):
        return 0.0
    return min(max(clamp01(total) * mx, 0.0), mx)


def _unit(ind: Indicator, iid: str) -> str:
    inp = ind.input_map.get(iid)
    return inp.unit_in(i18n.language()) if inp is not None and inp.numeric and inp.type != "percent" else ""


def figure_words(ind: Indicator, inputs: tuple[str, ...], value: Any) -> str:
    """A value of an input (or of the sum of several) with its unit: '13.600 hồ sơ', 'Có', '61,8%'."""
    unit = _unit(ind, inputs[0]) if is_num(value) else ""
    return _value(ind, inputs[0], value) + (f" {unit}" if unit else "")


def _sum(values: Mapping[str, Any], ids: list[str]) -> float | None:
    vals = [values.get(i) for i in ids]
    return sum(float(x) for x in vals) if ids and all(is_num(x) for x in vals) else None


def _piece_now(ind: Indicator, piece: Rule, values: Mapping[str, Any]) -> str:
    ids = piece.input_ids()
    numeric = [i for i in ids if (inp := ind.input_map.get(i)) is not None and inp.numeric]
    words = [_value(ind, i, values.get(i)) for i in ids if i not in numeric]
    if numeric:
        up = [i for i in numeric if piece.direction(i) > 0]
        down = [i for i in numeric if piece.direction(i) < 0]
        n, d = _sum(values, up), _sum(values, down)
        if n is None or (down and d is None):
            words += [figure_words(ind, (i,), values.get(i)) for i in numeric]
        else:
            measured = piece.measured(values)
            unit = _unit(ind, up[0]) if up else ""
            if down:
                text = f"{i18n.num(n, 3)} / {i18n.num(d, 3)}" + (f" {unit}" if unit else "")
            else:
                text = figure_words(ind, (up[0],), n) if up else ""
            if isinstance(measured, float) and (down or abs(measured - n) > 1e-9):
                text += f" = {i18n.pct(measured, 2)}"
            elif measured == "zero":
                text += " (" + _("the denominator is 0") + ")"
            words.append(text)
    return "; ".join(w for w in words if w)


def now_words(ind: Indicator, values: Mapping[str, Any]) -> str:
    """The value now in the indicator's own units: '10.512 / 17.000 hồ sơ = 61,8%'; 'Có'; '1,2 tỷ đồng'.

    A ratio shows its numerator and denominator (each the sum of its inputs) and the ratio; an
    amount its sum; a yes/no or a choice its answer; a ``parts`` rule each part, separated by ';'.
    An input without a value shows as '(empty)' or 'No data'.
    """
    return "; ".join(w for w in (_piece_now(ind, piece, values) for piece in ind.rule.components()) if w)


def reference_words(ind: Indicator, refs: Mapping[str, float]) -> str:
    """The national reference values a relative rule was planned with, said as an assumption; '' for other rules."""
    keys = [k for k in ind.rule.reference_keys() if k in refs]
    if not keys:
        return ""
    ratio = any(p.direction(i) < 0 for p in ind.rule.components() for i in p.input_ids())
    unit = "" if ratio else next((_unit(ind, i) for i in ind.rule.input_ids()), "")

    def show(x: float) -> str:
        return i18n.pct(x, 2) if ratio else i18n.num(x, 4) + (f" {unit}" if unit else "")

    items = ", ".join(f"{_(REFERENCE_WORDS.get(k, k))} = {show(refs[k])}" for k in keys)
    return _("assumes {items} (national reference values: an assumption until the Ministry publishes them)").format(items=items)
