"""The route to a goal: the levels that reach a total (or a rank) for the least effort.

A goal is a total out of 1,000 (``--goal 650``) or a rank among the provinces (``--rank 40``
with their totals, ``--national``): the total the province ranked 40th had, every other
province held where it was — an assumption the plan says, with the margin in points to the
next rank up. Each indicator offers its levels (:meth:`.actions.IndicatorPlan.options`: now,
each breakpoint of its rule, the target, the most reachable) with their points and effort;
:func:`dti_cli.plan.route.solve` picks one level per indicator so that the gains reach the goal
for the least effort (exactly: a multiple-choice knapsack), under the agencies' effort caps,
with up to two alternative routes (not merely the best route and one more step). Fixed indicators, and those whose inputs or national
references are missing, offer no level and never move. When no choice reaches the goal, the
plan says by how much it falls short and shows the route that comes closest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import UsageError
from ..core.i18n import _
from ..formats.national import National
from .actions import IndicatorPlan, Step

#: Routes offered: the best and up to this many alternatives.
ALTERNATIVES = 2
#: Routes asked of the solver to find them: the next routes by effort are often the best with a step more or a
#: step further, which is no alternative (it costs more and changes nothing); those are skipped.
CANDIDATES = 12


@dataclass(frozen=True)
class Goal:
    """The total to reach, and where it comes from (a number given, or a rank among the provinces)."""

    now: float
    total: float
    rank: int | None = None
    provinces: int | None = None
    rank_now: int | None = None
    next_rank_total: float | None = None  # what the next rank up needs (rank − 1)
    national_file: str = ""

    @property
    def gain(self) -> float:
        return self.total - self.now

    @property
    def margin_next(self) -> float | None:
        """Points between the goal and the next rank up."""
        return None if self.next_rank_total is None else self.next_rank_total - self.total

    def to_dict(self) -> dict[str, Any]:
        return {"now": self.now, "total": self.total, "gain": self.gain, "rank": self.rank, "provinces": self.provinces,
                "rank_now": self.rank_now, "next_rank_total": self.next_rank_total, "margin_next": self.margin_next,
                "national_file": self.national_file, "others_held": self.rank is not None}


def goal_of(now: float, *, points: float | None = None, rank: int | None = None, national: National | None = None) -> Goal:
    """The goal from ``--goal`` or from ``--rank`` with the national totals; UsageError for one that makes no sense."""
    if points is not None:
        if not 0 <= points <= 1000:
            raise UsageError(_("--goal {goal}: a total out of 1,000 is between 0 and 1,000.").format(goal=points))
        return Goal(now, float(points))
    if rank is None:
        raise UsageError(_("Give a goal: --goal POINTS, or --rank N with --national FILE."))
    if national is None:
        raise UsageError(_("--rank needs the national totals (--national FILE: each province and its total)."))
    if not 1 <= rank <= national.provinces:
        raise UsageError(_("--rank {rank}: the table ranks {n} provinces; give a rank from 1 to {n}.").format(rank=rank, n=national.provinces))
    total = national.needed_for(rank)
    nxt = national.needed_for(rank - 1) if rank > 1 else None
    return Goal(now, total, rank, national.provinces, national.rank_of(now), nxt, national.file)


@dataclass
class RouteRow:
    """One indicator a route moves, with the totals after it."""

    code: str
    agency: str
    step: Step
    before: float  # the indicator's points now
    total: float  # the DTI total after this step (running)
    effort_total: float  # the effort so far (running)

    def to_dict(self, words: Sequence[str], name: str) -> dict[str, Any]:
        return {"code": self.code, "name": name, "agency": self.agency, "level": self.step.key, "points_from": self.before,
                "points_to": self.step.points, "gain": self.step.gain, "effort": self.step.effort, "running_total": self.total,
                "running_effort": self.effort_total, "needs": list(words)}


@dataclass
class RouteOutcome:
    """The routes found (best first), or the closest one and the shortfall when the goal is out of reach."""

    goal: Goal
    reachable: bool
    routes: list[list[RouteRow]] = field(default_factory=list)
    efforts: list[float] = field(default_factory=list)
    gains: list[float] = field(default_factory=list)
    shortfall: float = 0.0
    max_gain: float = 0.0
    closest: list[RouteRow] = field(default_factory=list)
    caps: dict[str, float] = field(default_factory=dict)
    held: list[tuple[str, str]] = field(default_factory=list)  # (code, why it does not move)


def _rows(route: Any, plans: Mapping[str, IndicatorPlan], start: float) -> list[RouteRow]:
    rows, total, effort = [], start, 0.0
    for s in route.steps:
        p = plans[s.code]
        step = p.options()[s.level.data["i"]]
        total += step.gain
        effort += step.effort
        rows.append(RouteRow(s.code, s.agency, step, p.points, total, effort))
    return rows


def held_back(plans: Sequence[IndicatorPlan]) -> list[tuple[str, str]]:
    """The indicators short of their max that the route cannot move, and why (a key: fixed, missing, needs_reference, …)."""
    out = []
    for p in plans:
        if p.fixed:
            out.append((p.code, "fixed"))
        elif p.state in ("missing", "needs_reference", "out_of_reach") and not p.options():
            out.append((p.code, p.state))
        elif p.most is not None and not p.options():
            out.append((p.code, "most"))
    return out


def find_route(plans: Sequence[IndicatorPlan], goal: Goal, caps: Mapping[str, float] | None = None) -> RouteOutcome:
    """The cheapest route to ``goal`` over the indicators' levels (and up to two alternatives)."""
    from .route import Level, Option, solve

    by_code = {p.code: p for p in plans}
    options = []
    for p in plans:
        levels = [Level("now", p.points)] + [Level(f"{s.key}:{i}", s.points, s.effort, data={"i": i}) for i, s in enumerate(p.options())]
        options.append(Option(p.code, tuple(levels), agency=p.ind.lead[0] if p.ind.lead else "", fixed=p.fixed))
    out = RouteOutcome(goal, True, caps=dict(caps or {}), held=held_back(plans))
    if goal.gain <= 0:
        out.routes, out.efforts, out.gains = [[]], [0.0], [0.0]
        return out
    try:
        result = solve(options, goal.gain, caps=caps or {}, alternatives=CANDIDATES)
    except ModuleNotFoundError as e:  # numpy: the solver's tables
        from ..core.errors import DtiError

        raise DtiError(_("The route to a goal needs numpy ({error}): pip install numpy.").format(error=e)) from None
    out.reachable, out.max_gain, out.shortfall = result.reachable, result.max_gain, result.shortfall
    if result.reachable:
        kept: list[dict[str, float]] = []
        for r in (result.best, *result.alternatives):
            reached = {s.code: s.level.points for s in r.steps}
            if len(kept) > ALTERNATIVES or any(all(reached.get(c, -math.inf) >= x - 1e-9 for c, x in k.items()) for k in kept):
                continue  # an earlier route with more on top (a step more, or a step further): no alternative
            kept.append(reached)
            out.routes.append(_rows(r, by_code, goal.now))
            out.efforts.append(r.effort)
            out.gains.append(r.gain)
    elif result.closest is not None:
        out.closest = _rows(result.closest, by_code, goal.now)
    return out
