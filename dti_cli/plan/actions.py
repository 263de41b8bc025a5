"""Each indicator short of its max, in its own units: the value now, the steps above it, the target.

For every scored indicator that is not at full points, :func:`indicator_plans` says, from the
methodology's :func:`~dti_cli.methodology.steps.gap`:

- the value now ("10.512 / 17.000 hồ sơ = 61,8%"), and what is missing where an input has no
  value (then no step is guessed), or which national reference values are needed;
- each level above now — the next breakpoint of its rule, the other breakpoints, full points —
  as the input values that reach it ("6.12.b + 6.12.c: 10.512 → 13.600 hồ sơ (thêm 3.088)"),
  the points the indicator then has (rescored with those values, not read off the rule's
  breakpoint) and what that brings;
- the round's target as values and what it brings (the catalogue's target, its text as the plan
  wrote it), whether it is met already;
- the most the effort file says its figure can reach by the deadline, as a level of its own
  ("cap"), and which levels lie beyond it;
- for a linear rule, the rate ("+1 point for every 680 more dossiers"); for a relative rule, the
  national reference values assumed, said as an assumption.

The effort of each level is added by :mod:`.effort`; the route chooses among the levels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core import i18n
from ..core.i18n import _
from ..formats.effort import EffortRow, measured_input
from ..formats.scores import Scores, json_value
from ..methodology import steps
from ..methodology.context import Context
from ..methodology.model import Indicator
from ..methodology.rules.base import Need, is_num

#: The order levels are kept in when two ask for the same values (the first name wins).
KEY_ORDER = ("full", "target", "cap", "next", "step")


@dataclass
class Step:
    """A level an indicator can reach: the changes it asks, the points it then has, what it brings, its effort."""

    key: str  # next | step | full | target | cap
    points: float
    gain: float
    needs: tuple[Need, ...]
    effort: float = 0.0
    beyond_most: bool = False  # asks more than the effort file says is reachable by the deadline

    def words(self, ind: Indicator) -> list[str]:
        return [steps.need_words(ind, n) for n in self.needs]

    def to_dict(self, ind: Indicator) -> dict[str, Any]:
        return {"key": self.key, "points": self.points, "gain": self.gain, "effort": self.effort, "beyond_most": self.beyond_most,
                "needs": [{**_need_dict(n), "words": steps.need_words(ind, n), "value_words": steps.figure_words(ind, n.inputs, n.value),
                           "now_words": steps.figure_words(ind, n.inputs, n.now)} for n in self.needs]}


def _need_dict(n: Need) -> dict[str, Any]:
    d = n.to_dict()
    d["value"], d["now"] = json_value(d["value"]), json_value(d["now"])
    return d


@dataclass
class IndicatorPlan:
    """One indicator short of its max, said in its own units."""

    ind: Indicator
    points: float
    state: str  # open | missing | needs_reference | out_of_reach (gap's states but full)
    now_words: str
    missing: list[str] = field(default_factory=list)
    needs_references: list[str] = field(default_factory=list)
    assumption: str = ""
    rate: str = ""
    levels: list[Step] = field(default_factory=list)  # next, steps, full: the rule's breakpoints above now
    target: Step | None = None
    target_met: bool | None = None
    cap: Step | None = None  # the most reachable by the deadline (effort file)
    most: float | None = None
    fixed: bool = False

    @property
    def code(self) -> str:
        return self.ind.code

    @property
    def max_points(self) -> float:
        return self.ind.max_points

    @property
    def at_stake(self) -> float:
        return self.ind.max_points - self.points

    @property
    def next(self) -> Step | None:
        return self.levels[0] if self.levels else None

    @property
    def full(self) -> Step | None:
        return next((s for s in self.levels if s.key == "full"), None)

    def options(self) -> list[Step]:
        """Every level the route may choose: the breakpoints, the target and the cap, each set of values once, within the most."""
        seen: dict[tuple[Any, ...], Step] = {}
        for s in [*self.levels, *(x for x in (self.target, self.cap) if x is not None)]:
            if s.beyond_most or s.gain <= 1e-9 or self.fixed:
                continue
            key = tuple((n.inputs, n.op, n.value) for n in s.needs)
            old = seen.get(key)
            if old is None or KEY_ORDER.index(s.key) < KEY_ORDER.index(old.key):
                seen[key] = s
        return sorted(seen.values(), key=lambda s: (s.points, s.effort))

    def to_dict(self, ctx: Context) -> dict[str, Any]:
        ind, lang = self.ind, i18n.language()
        return {
            "code": ind.code, "name": ind.name(lang), "pillar": ind.pillar, "parent": ind.parent, "lead": list(ind.lead),
            "lead_names": [ctx.profile.name_of(u) for u in ind.lead], "coordinating": [ctx.profile.name_of(u) for u in ind.coordinating_in(lang)],
            "deadline": ind.deadline(lang), "max_points": ind.max_points, "points": self.points, "at_stake": self.at_stake,
            "state": self.state, "now": self.now_words, "missing": self.missing,
            "missing_words": [_missing_words(ind, i) for i in self.missing], "needs_references": self.needs_references,
            "assumption": self.assumption, "rate": self.rate, "levels": [s.to_dict(ind) for s in self.levels],
            "target": self.target.to_dict(ind) if self.target else None, "target_text": ind.target_text(lang), "target_met": self.target_met,
            "cap": self.cap.to_dict(ind) if self.cap else None, "most": self.most, "fixed": self.fixed,
            "effort_classes": sorted({c for i in ind.rule.input_ids() if (c := ind.rule.effort_class_of(i))}),
        }


def _missing_words(ind: Indicator, iid: str) -> str:
    inp = ind.input_map.get(iid)
    return f"{inp.label(i18n.language())} ({iid})" if inp else iid


def all_values(scores: Scores) -> dict[str, Any]:
    """Every input's value the scores were computed from (exact: numbers, yes/no, choice codes, no data)."""
    return {iid: v for s in scores.indicators.values() for iid, v in s.inputs.items()}


def references_by_indicator(scores: Scores) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for (code, key), v in scores.references.items():
        out.setdefault(code, {})[key] = v
    return out


def _step(ind: Indicator, key: str, needs: tuple[Need, ...], values: Mapping[str, Any], refs: Mapping[str, float], now: float) -> Step:
    pts = steps.points(ind, steps.apply_needs(values, list(needs)), refs) if needs else now
    return Step(key, pts, pts - now, needs)


def _same(a: Step, b: Step) -> bool:
    return [(n.inputs, n.op, n.value) for n in a.needs] == [(n.inputs, n.op, n.value) for n in b.needs]


def _within(ind: Indicator, step: Step, values: Mapping[str, Any], most: float) -> bool:
    """Whether the figure the level asks stays at or below ``most``."""
    inp, ratio = measured_input(ind)
    if inp is None:
        return True
    after = steps.apply_needs(values, list(step.needs))
    m = ind.rule.components()[0].measured(after)
    if isinstance(m, float) and ratio:
        return m <= most + 1e-9
    x = after.get(inp.id)
    return not is_num(x) or float(x) <= most + 1e-9


def _cap(ind: Indicator, values: Mapping[str, Any], refs: Mapping[str, float], now: float, most: float) -> Step | None:
    """The level at the most reachable figure, when that is above now."""
    inp, ratio = measured_input(ind)
    if inp is None:
        return None
    rule = ind.rule.components()[0]
    measure = getattr(rule, "measure_requirement", None)
    if measure is not None and (ratio or rule.measured(values) is not None):
        needs = measure(ind, most, ">=", values) or []
        if needs and not _within(ind, Step("cap", 0.0, 0.0, tuple(needs)), values, most):
            # rounded up to a whole dossier, the figure steps past the most: one step less stays within it
            n = needs[0]
            unit = min((ind.input_map[i].step for i in n.inputs if i in ind.input_map), default=1.0)
            lower = round(float(n.value) - unit, 10)
            needs = [Need(n.inputs, n.op, lower, n.now)] if is_num(n.now) and lower > float(n.now) else []
    else:
        now_v = values.get(inp.id)
        needs = [] if is_num(now_v) and float(now_v) >= most else [Need((inp.id,), ">=", most, now_v)]
    if not needs:
        return None
    s = _step(ind, "cap", tuple(needs), values, refs, now)
    return s if s.gain > 1e-9 else None


def indicator_plan(ind: Indicator, values: Mapping[str, Any], refs: Mapping[str, float], effort: EffortRow | None = None) -> IndicatorPlan | None:
    """The plan of one indicator; None when it is at full points."""
    g = steps.gap(ind, values, refs)
    if g.state == "full":
        return None
    p = IndicatorPlan(ind, g.points, g.state, steps.now_words(ind, values), missing=list(g.missing),
                      needs_references=list(g.needs_references), assumption=steps.reference_words(ind, refs),
                      rate=steps.rate_words(ind, g.rate) if g.rate else "", target_met=g.target_met)
    levels = [_step(ind, lv.key, lv.needs, values, refs, g.points) for lv in g.levels]
    # Two breakpoints may ask the same values (3.5: the next step, 22.5, is reached only by the change that gives 30): keep the higher.
    p.levels = [s for k, s in enumerate(levels) if not any(_same(s, t) for t in levels[k + 1 :])]
    if p.levels and p.levels[0].key == "step":
        p.levels[0].key = "next"
    if g.target is not None and not g.target_met and g.target.needs:
        p.target = _step(ind, "target", g.target.needs, values, refs, g.points)
    if effort is not None:
        p.fixed, p.most = effort.fixed, effort.most
        if effort.most is not None and g.state != "needs_reference":
            p.cap = _cap(ind, values, refs, g.points, effort.most)
            for s in [*p.levels, *([p.target] if p.target else [])]:
                s.beyond_most = not _within(ind, s, values, effort.most)
    return p


def indicator_plans(ctx: Context, scores: Scores, efforts: Mapping[str, EffortRow] | None = None) -> list[IndicatorPlan]:
    """Every scored indicator short of its max, in catalogue order."""
    values = all_values(scores)
    refs = references_by_indicator(scores)
    out = []
    for ind in ctx.catalogue.scored_leaves():
        if ind.code not in scores.indicators:
            continue
        p = indicator_plan(ind, values, refs.get(ind.code, {}), (efforts or {}).get(ind.code))
        if p is not None:
            out.append(p)
    return out


def missing_sentence(p: IndicatorPlan) -> str:
    """What stops the plan from saying a step: the inputs without a value, or the reference values."""
    if p.missing:
        return _("no step can be worked out until these have a value: {inputs}").format(
            inputs="; ".join(_missing_words(p.ind, i) for i in p.missing))
    if p.needs_references:
        from ..methodology.steps import REFERENCE_WORDS

        return _("needs the national reference values ({keys}) to be planned").format(
            keys=", ".join(_(REFERENCE_WORDS.get(k, k)) for k in p.needs_references))
    if p.state == "out_of_reach":
        return _("no change of its inputs alone reaches more points")
    return ""
