"""The plan's tables, one set of rows for every output (terminal, html, xlsx, md, csv): each
agency's steps, the scenarios, the route with its running total.

Values stay values (numbers are numbers; the writer formats them); words are in the run's
language. Each agency's table lists, for each of its indicators short of full, the next step,
full points, the target and the most reachable (the other breakpoints are in the JSON), or what
is missing when no step can be worked out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..core import i18n
from ..core.i18n import N_, _
from ..methodology import steps
from .actions import IndicatorPlan, Step, missing_sentence
from .build import AgencyPage, Plan
from .commitments import level_name
from .goal import RouteRow

#: The agency table's columns: key, header message id, column kind (the sheet writer's; "signed": points with their sign), wrapped.
ACTION_COLUMNS: tuple[tuple[str, str, str, bool], ...] = (
    ("code", N_("Code"), "id", False),
    ("indicator", N_("Indicator"), "text", True),
    ("now", N_("Value now"), "text", True),
    ("points", N_("Points now"), "points", False),
    ("max_points", N_("Max"), "points", False),
    ("level", N_("Level"), "text", False),
    ("todo", N_("What to do (values needed)"), "text", True),
    ("points_after", N_("Points then"), "points", False),
    ("gain", N_("Points it brings"), "points", False),
    ("effort", N_("Effort"), "number", False),
    ("route", N_("In the route"), "text", False),
    ("coordinating", N_("Coordinating agencies"), "text", True),
    ("deadline", N_("Due by"), "text", False),
    ("commitment", N_("Commitment"), "text", True),
)
ROUTE_COLUMNS: tuple[tuple[str, str, str, bool], ...] = (
    ("n", N_("No."), "int", False),
    ("code", N_("Code"), "id", False),
    ("indicator", N_("Indicator"), "text", True),
    ("agency", N_("Lead agency"), "text", True),
    ("todo", N_("What to do (values needed)"), "text", True),
    ("gain", N_("Points it brings"), "points", False),
    ("effort", N_("Effort"), "number", False),
    ("total", N_("Running total"), "points", False),
    ("effort_total", N_("Effort so far"), "number", False),
)
SCENARIO_COLUMNS: tuple[tuple[str, str, str, bool], ...] = (
    ("scenario", N_("Scenario"), "text", True),
    ("total", N_("Total"), "points", False),
    ("difference", N_("Difference"), "signed", False),
)


@dataclass(frozen=True)
class ActionRow:
    values: dict[str, Any]
    plan: IndicatorPlan
    step: Step | None


def shown_levels(p: IndicatorPlan) -> list[Step]:
    """The levels a person reads: the next step, full points, the target and the most reachable, each set of values once."""
    out: list[Step] = []
    seen: set[tuple[Any, ...]] = set()
    for s in (p.next, p.full, p.target, p.cap):
        if s is None:
            continue
        key = tuple((n.inputs, n.value) for n in s.needs)
        if key in seen:
            continue
        seen.add(key)
        out.append(s)
    return out


def _commitment_text(plan: Plan, code: str) -> str:
    items = [c for c in plan.commitments if c.code == code]
    ind = plan.ctx.catalogue.indicators[code]
    return "; ".join(f"{steps.figure_words(ind, c.commitment.inputs, c.commitment.value)} ({i18n.day(c.due)}): {c.status_words()}"
                     for c in items)


def action_rows(plan: Plan, page: AgencyPage) -> Iterator[ActionRow]:
    ctx = plan.ctx
    in_route = {(r.code, r.step.key) for r in page.route}
    lang = i18n.language()
    for p in page.plans:
        ind = p.ind
        base = {"code": p.code, "indicator": ind.name(lang), "now": p.now_words, "points": p.points, "max_points": p.max_points,
                "coordinating": "; ".join(ctx.profile.name_of(u) for u in ind.coordinating_in(lang)), "deadline": ind.deadline(lang),
                "commitment": _commitment_text(plan, p.code)}
        levels = shown_levels(p)
        if not levels:
            why = missing_sentence(p) or (_("fixed: the province cannot move it") if p.fixed else "")
            yield ActionRow({**base, "level": "", "todo": why, "points_after": None, "gain": None, "effort": None, "route": ""}, p, None)
            continue
        for s in levels:
            todo = "\n".join(s.words(ind))
            if s.key == "target" and ind.target_text(lang):
                todo = f"{ind.target_text(lang)}:\n{todo}"
            if s.beyond_most:
                todo += "\n" + _("(beyond the most reachable by the deadline)")
            yield ActionRow({**base, "level": level_name(s.key, ctx.year), "todo": todo, "points_after": s.points, "gain": s.gain,
                             "effort": s.effort, "route": i18n.yes_no(True) if (p.code, s.key) in in_route else ""}, p, s)


def route_rows(plan: Plan, rows: list[RouteRow]) -> list[dict[str, Any]]:
    ctx, lang = plan.ctx, i18n.language()
    out = []
    for n, r in enumerate(rows, 1):
        ind = ctx.catalogue.indicators[r.code]
        out.append({"n": n, "code": r.code, "indicator": ind.name(lang), "agency": ctx.profile.name_of(r.agency),
                    "todo": "\n".join(r.step.words(ind)), "gain": r.step.gain, "effort": r.step.effort, "total": r.total,
                    "effort_total": r.effort_total})
    return out


def scenario_rows(plan: Plan) -> list[dict[str, Any]]:
    now = plan.scenarios["now"]
    return [{"scenario": s.title, "total": s.total, "difference": None if k == "now" else s.total - now.total}
            for k, s in plan.scenarios.items()]


def pillar_rows(plan: Plan) -> list[dict[str, Any]]:
    """Each pillar under every scenario (columns: the scenarios' keys)."""
    out = []
    for code, p in plan.scores.pillars.items():
        row: dict[str, Any] = {"code": code, "name": p.name, "max_points": p.max_points}
        for k, s in plan.scenarios.items():
            row[k] = s.pillars.get(code)
        out.append(row)
    return out


def indicator_scenario_rows(plan: Plan) -> list[dict[str, Any]]:
    """Each indicator (aggregates included, catalogue order) under every scenario (columns: the scenarios' keys)."""
    lang = i18n.language()
    out = []
    for ind in plan.ctx.catalogue.indicators.values():
        if ind.code not in plan.scenarios["now"].indicators:
            continue
        row: dict[str, Any] = {"code": ind.code, "name": ind.name(lang), "max_points": ind.max_points}
        for k, s in plan.scenarios.items():
            row[k] = s.indicators.get(ind.code)
        out.append(row)
    return out


def route_summary(plan: Plan) -> list[str]:
    """The route to the goal in sentences: the goal, how it is reached or by how much it is not, the rank's margin."""
    r = plan.route
    if r is None:
        return []
    g = r.goal
    out = []
    if g.rank is not None:
        out.append(_("Rank {rank}/{of} needed {total} points in {file} (every other province held; a tie shares the rank); "
                     "the total now ({now}) would rank {rank_now}/{of}.").format(
            rank=g.rank, of=g.provinces, total=i18n.pts(g.total), file=g.national_file, now=i18n.pts(g.now), rank_now=g.rank_now))
        if g.margin_next is not None:
            out.append(_("Rank {rank} would need {more} points more ({total}).").format(
                rank=g.rank - 1, more=i18n.pts(g.margin_next), total=i18n.pts(g.next_rank_total)))
    if g.gain <= 0:
        out.append(_("The total now ({now}) already reaches the goal of {goal}.").format(now=i18n.pts(g.now), goal=i18n.pts(g.total)))
    elif r.reachable:
        out.append(_("Goal {goal}: {gain} points more than now ({now}); the route below reaches {total} for an effort of {effort}.").format(
            goal=i18n.pts(g.total), gain=i18n.pts(g.gain), now=i18n.pts(g.now), total=i18n.pts(g.now + r.gains[0]),
            effort=i18n.num(r.efforts[0], 2)))
    else:
        out.append(_("The goal of {goal} is out of reach: every level the indicators can reach adds {most} points, {short} short of it; "
                     "the route below comes closest.").format(goal=i18n.pts(g.total), most=i18n.pts(r.max_gain), short=i18n.pts(r.shortfall)))
    if r.held:
        out.append(_("Not moved: {items}.").format(items=", ".join(f"{c} ({_(HELD_WORDS.get(w, w))})" for c, w in r.held)))
    return out


def alternative_lines(plan: Plan) -> list[str]:
    """Each alternative route in one sentence, said against the best: what it takes instead, or as well."""
    r = plan.route
    if r is None or len(r.routes) < 2:
        return []
    best = {(x.code, round(x.step.points, 9)): x for x in r.routes[0]}
    out = []

    def items(rows: list[RouteRow]) -> str:
        return ", ".join(f"{x.code} ({i18n.signed(x.step.gain)})" for x in rows)

    for k, alt in enumerate(r.routes[1:], 1):
        mine = {(x.code, round(x.step.points, 9)) for x in alt}
        added = [x for x in alt if (x.code, round(x.step.points, 9)) not in best]
        removed = [x for key, x in best.items() if key not in mine]
        head = _("Alternative route {n}").format(n=k) + ": " + _("effort {effort}, total {total}").format(
            effort=i18n.num(r.efforts[k], 2), total=i18n.pts(r.goal.now + r.gains[k]))
        if removed:
            change = _("instead of {removed}: {added}").format(removed=items(removed), added=items(added) or "—")
        else:
            change = _("the route above and {added}").format(added=items(added))
        out.append(f"{head} — {change}.")
    return out


HELD_WORDS = {"fixed": N_("fixed"), "missing": N_("inputs missing"), "needs_reference": N_("national reference missing"),
              "out_of_reach": N_("out of reach"), "most": N_("at the most reachable")}
