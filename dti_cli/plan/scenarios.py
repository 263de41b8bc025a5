"""Scenarios: the index now, with every target of the plan met, with every commitment kept, and what-if.

Each scenario is the round's values with some inputs changed, rescored in full: per indicator,
pillar and total, so that an aggregate (5.12, 8.8) or a pillar is rolled up exactly as the
score stage rolls it up. The plan does not score: the caller hands it the scorer
(:data:`Rescore`; :func:`dti_cli.api.plan` gives it the score stage's), so there is one way
of scoring in the tool. Totals are the estimated totals (an indicator that lacks its national
reference values carries its baseline score), which are the confirmed totals when every
reference is there.

``--set 6.12.a=13600`` (what-if) changes inputs typed as officials type them ("13.600",
"85%", "Có"), read as a returned workbook's values are read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import UsageError
from ..core.i18n import N_, _
from ..formats.scores import Scores, json_value
from ..methodology import steps
from ..methodology.context import Context
from .actions import IndicatorPlan

#: Rescoring the round with some values changed: every input's value → the scores.
Rescore = Callable[[Mapping[str, Any]], Scores]

TITLES = {"now": N_("Now"), "targets": N_("Every target of the plan met"), "commitments": N_("Every commitment kept"),
          "whatif": N_("What if")}


@dataclass
class Scenario:
    """The points of every indicator and pillar, and the total, under some changes of the inputs."""

    key: str  # now | targets | commitments | whatif
    total: float
    pillars: dict[str, float]
    indicators: dict[str, float]
    changes: dict[str, Any] = field(default_factory=dict)  # input id → the value the scenario gives it
    note: str = ""

    @property
    def title(self) -> str:
        return _(TITLES.get(self.key, self.key))

    def to_dict(self, base: Scenario | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {"key": self.key, "title": self.title, "total": self.total, "pillars": dict(self.pillars),
                             "indicators": dict(self.indicators), "changes": {k: json_value(v) for k, v in self.changes.items()},
                             "note": self.note}
        if base is not None:
            d["difference"] = difference(base, self)
        return d


def snapshot(key: str, scores: Scores, changes: Mapping[str, Any] | None = None, note: str = "") -> Scenario:
    return Scenario(key, scores.total_estimated, {c: p.estimated_points for c, p in scores.pillars.items()},
                    {c: s.estimated_points for c, s in scores.indicators.items()}, dict(changes or {}), note)


def changed(values: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    return {**values, **changes}


def run(key: str, base: Scores, values: Mapping[str, Any], changes: Mapping[str, Any], rescore: Rescore, note: str = "") -> Scenario:
    """The scenario ``key``: the values with ``changes``, rescored (no change: the scores as they are)."""
    if not changes:
        return snapshot(key, base, {}, note)
    return snapshot(key, rescore(changed(values, changes)), changes, note)


def target_changes(plans: Iterable[IndicatorPlan], values: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs that change when every target not yet met is met (its values, as the target asks them)."""
    out: dict[str, Any] = {}
    for p in plans:
        if p.target is None or p.target_met:
            continue
        after = steps.apply_needs(values, list(p.target.needs))
        out.update({k: v for k, v in after.items() if values.get(k) != v})
    return out


def difference(base: Scenario, other: Scenario) -> dict[str, Any]:
    """What ``other`` changes against ``base``: the total, each pillar and each indicator that moved."""
    def moved(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, float]:
        return {k: b.get(k, 0.0) - a.get(k, 0.0) for k in dict.fromkeys([*a, *b]) if abs(b.get(k, 0.0) - a.get(k, 0.0)) > 1e-9}

    return {"total": other.total - base.total, "pillars": moved(base.pillars, other.pillars),
            "indicators": moved(base.indicators, other.indicators)}


def parse_sets(ctx: Context, items: Sequence[str]) -> dict[str, Any]:
    """``--set ID=VALUE`` items read as a returned workbook's values are read; UsageError naming the first that cannot be."""
    from ..values import parse_value

    out: dict[str, Any] = {}
    for item in items:
        iid, sep, raw = item.partition("=")
        iid = iid.strip()
        if not sep or not iid:
            raise UsageError(_("--set {item!r}: write it as INPUT_ID=VALUE, e.g. --set 6.12.a=13600.").format(item=item))
        inp = ctx.catalogue.inputs.get(iid)
        if inp is None:
            import difflib

            from ..core.errors import UnknownNameError

            raise UnknownNameError("input id", iid, difflib.get_close_matches(iid, list(ctx.catalogue.inputs), n=3, cutoff=0.6))
        p = parse_value(raw.strip(), inp)
        if not p.ok or p.value is None:
            why = p.message or _("empty")
            raise UsageError(_("--set {id}={raw}: {why}").format(id=iid, raw=raw, why=why))
        if isinstance(p.value, float) and not math.isfinite(p.value):
            raise UsageError(_("--set {id}={raw}: not a finite number.").format(id=iid, raw=raw))
        out[iid] = p.value
    return out
