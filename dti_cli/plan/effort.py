"""Effort: what each level of an indicator costs, in one explicit unit (1 = issuing a document).

What varies by rule kind lives in the kind: each kind names its ``effort_class`` (a ``parts``
rule answers for the part that reads an input). This module holds each class's default effort
and its words, and turns them into the effort of a level:

- a decision (a yes/no answered yes) costs its class's effort; a choice moved up a tier costs
  the share of the indicator's remaining points it brings;
- a figure raised costs its class's effort times the share of what remains that the level
  closes: raising 6.12's online dossiers by 3.088 where full points need 6.176 more costs half
  of the class's effort (the effort of a ratio is that of closing all of its remaining gap);
- a level asking several changes costs their sum.

An effort file (:mod:`dti_cli.formats.effort`) gives an indicator its own effort, the effort of
its top level (full points, or the highest it can reach); its other levels cost that in the
proportion the defaults give them. It may also mark an indicator fixed (never moved) or give
the most its figure can reach by the deadline (a level of its own; nothing beyond it), and cap
the effort of an agency's indicators together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..core.i18n import N_
from ..methodology.model import Indicator
from ..methodology.rules.base import Need
from .actions import IndicatorPlan, Step

#: class → (default effort, what the work is, in words). The effort of a figure's class is that of closing all its remaining gap.
CLASSES: dict[str, tuple[float, str]] = {
    "document": (1.0, N_("issue a document or take a decision")),
    "tier": (2.0, N_("move a service up a tier")),
    "count": (2.0, N_("add items (articles, activities)")),
    "share": (4.0, N_("raise a figure")),
    "relative": (6.0, N_("raise a figure measured against the other provinces")),
}
#: A kind that names no class (one registered outside the package) costs this.
UNCLASSED = 4.0


def class_effort(cls: str | None) -> float:
    return CLASSES[cls][0] if cls in CLASSES else UNCLASSED


def _share(need: Need, top: Mapping[tuple[str, ...], Need], fraction: float) -> float:
    """The share of its class's effort one change costs."""
    if need.op == "=":
        return 1.0 if isinstance(need.value, bool) else fraction
    whole = top.get(need.inputs)
    d = need.delta
    if whole is None or d is None or whole.delta is None or abs(whole.delta) <= 1e-12:
        return 1.0
    return min(1.0, abs(d) / abs(whole.delta))


def default_effort(ind: Indicator, step: Step, top: Step, now: float) -> float:
    """The effort of ``step`` by the classes' defaults, ``top`` being the highest level (its changes are 'all that remains')."""
    by_inputs = {n.inputs: n for n in top.needs}
    span = top.points - now
    fraction = min(1.0, step.gain / span) if span > 1e-12 else 1.0
    return sum(class_effort(ind.rule.effort_class_of(n.inputs[0])) * _share(n, by_inputs, fraction) for n in step.needs)


def top_level(plan: IndicatorPlan) -> Step | None:
    """The level whose changes count as all that remains: full points, else the highest level there is."""
    candidates = [s for s in (*plan.levels, plan.target, plan.cap) if s is not None]
    if not candidates:
        return None
    return plan.full or max(candidates, key=lambda s: (s.points, len(s.needs)))


def price(plans: Iterable[IndicatorPlan], overrides: Mapping[str, float | None] | None = None) -> None:
    """Set every level's effort: the defaults, or an indicator's own effort (its top level's) in the defaults' proportions."""
    overrides = overrides or {}
    for p in plans:
        top = top_level(p)
        if top is None:
            continue
        whole = default_effort(p.ind, top, top, p.points)
        own = overrides.get(p.code)
        for s in (*p.levels, p.target, p.cap):
            if s is None:
                continue
            d = default_effort(p.ind, s, top, p.points)
            s.effort = d if own is None else (own * d / whole if whole > 1e-12 else own)


def effort_words(ind: Indicator) -> str:
    """The kinds of work an indicator's changes are, in words ('raise a figure')."""
    from ..core.i18n import _

    classes = dict.fromkeys(c for i in ind.rule.input_ids() if (c := ind.rule.effort_class_of(i)))
    return "; ".join(_(CLASSES[c][1]) for c in classes if c in CLASSES)

