"""What to do about one gap, in the indicator's own units: the report's "what to do" column.

The steps come from the methodology (:func:`dti_cli.methodology.steps.gap`, the analysis the plan
uses too): the next level and full points as input values, the round's target as values, the
rate of a linear rule. A yes/no indicator at 0 names the document or platform that brings its
points at once; an indicator without data names the missing figures and who supplies them; a
relative indicator without national references says so. Never "improve the result".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core import i18n
from ..core.i18n import _
from ..methodology.context import Context
from ..methodology.model import Indicator, Input
from ..methodology.steps import Gap, Level, gap, need_words, rate_words

#: Kinds of action (JSON keys): what the "what to do" column asks.
KINDS = ("quick_win", "step", "no_data", "needs_reference", "out_of_reach", "none")


@dataclass
class Action:
    """The concrete step for one indicator: its kind, the text a person reads, and the numbers behind it."""

    kind: str
    text: str  # everything: the next step, full points, the target, the rate
    short: str  # the first step only (the terminal, the first page)
    gain: float = 0.0  # points the first step brings
    missing: list[dict[str, Any]] = field(default_factory=list)  # {"input", "label", "suppliers": [unit ids]}
    gap: dict[str, Any] | None = None  # steps.Gap.to_dict()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "short": self.short, "gain": self.gain, "missing": self.missing, "gap": self.gap}


def is_yes_no_only(ind: Indicator) -> bool:
    """Every input is a yes/no answer: the indicator is a decision (issue, deploy), not a figure to raise."""
    return bool(ind.inputs) and all(i.type == "yes_no" for i in ind.inputs)


def suppliers(ctx: Context, ind: Indicator, inp: Input) -> list[str]:
    """The unit ids asked for an input: the unit groups for a per-unit figure, else the first lead (as the templates go out)."""
    if inp.per_unit:
        out = []
        for group in inp.per_unit:
            first = next((u.id for u in ctx.profile.agencies if u.is_group and u.members == group), None)
            if first:
                out.append(first)
        return out
    return list(ind.lead[:1])


def _steps(ind: Indicator, level: Level) -> str:
    return "; ".join(need_words(ind, n) for n in level.needs)


def _piece(label: str, ind: Indicator, level: Level) -> str:
    return _("{label} (+{points} points): {steps}").format(label=label, points=i18n.pts(level.gain), steps=_steps(ind, level))


def action_for(ctx: Context, ind: Indicator, values: Mapping[str, Any], refs: Mapping[str, float], *, status: str) -> Action:
    """The step for an indicator short of its max, from its inputs now and its national references."""
    g = gap(ind, values, refs)
    missing = []
    for iid in g.missing:
        inp = ind.input_map.get(iid)
        who = suppliers(ctx, ind, inp) if inp else []
        missing.append({"input": iid, "label": inp.label(i18n.language()) if inp else iid, "suppliers": who,
                        "supplier_names": [ctx.profile.name_of(u) for u in who]})
    data = g.to_dict()
    if status == "needs_reference" or g.state == "needs_reference":
        keys = ", ".join(g.needs_references or ind.rule.reference_keys())
        text = _("Enter the national reference values ({keys}) in the References sheet of merged.xlsx or with --references; "
                 "until then the indicator counts at its {year} score.").format(keys=keys, year=ctx.baseline.year)
        return Action("needs_reference", text, text, missing=missing, gap=data)
    pieces, first_gain = _level_pieces(ind, g, ctx.year)
    if missing:
        names = "; ".join(_("{label} ({id}), from {who}").format(
            label=m["label"], id=m["input"], who=", ".join(ctx.profile.short_of(u) for u in m["suppliers"]) or "—") for m in missing)
        first = _("Supply the missing figures: {items}").format(items=names)
        return Action("no_data", "; ".join([first, *pieces]), first, gain=0.0, missing=missing, gap=data)
    if g.state == "out_of_reach" or not g.levels:
        text = _("No single figure raises this score further; see how it is scored: dti catalog show {code}").format(code=ind.code)
        return Action("out_of_reach" if g.state == "out_of_reach" else "none", text, text, gap=data)
    if is_yes_no_only(ind) and g.points <= 1e-9 and g.full is not None:
        short = _("{steps}: full points at once (+{points} points)").format(steps=_steps(ind, g.full), points=i18n.pts(g.full.gain))
        return Action("quick_win", short, short, gain=g.full.gain, gap=data)
    return Action("step", "; ".join(pieces), pieces[0], gain=first_gain, gap=data)


def _level_pieces(ind: Indicator, g: Gap, year: int) -> tuple[list[str], float]:
    """The next step, full points (when it is another step), the target (when it asks something else), the rate;
    and the points the first of them brings."""
    out: list[str] = []
    gains: list[float] = []
    shown: list[tuple[Any, ...]] = []
    full = g.full
    for level in g.levels:
        if level.key not in ("next", "full") or (level is not full and full is not None and level.needs == full.needs):
            continue  # a step that asks the same as full points is full points
        out.append(_piece(_("full points") if level.key == "full" else _("next step"), ind, level))
        gains.append(level.gain)
        shown.append(level.needs)
    t = g.target
    if t is not None and g.target_met is False and t.needs and t.needs not in shown:
        out.append(_piece(_("target {year}").format(year=year), ind, t))
        gains.append(t.gain)
    if g.rate is not None:
        out.append(rate_words(ind, g.rate))
    return out, (gains[0] if gains else 0.0)

