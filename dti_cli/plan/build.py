"""The plan as data: every indicator short of its max in its own units, the scenarios, the route to
a goal, the commitments and how they stand, and a page per lead agency.

:func:`build_plan` takes the round's scores, a way to rescore changed values (the caller's:
the plan never imports the score stage) and what the user gave (a goal, an effort file,
returned commitment workbooks, what-if values), and returns a :class:`Plan`, whose
:meth:`Plan.to_dict` is the JSON output and the source every other output is drawn from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.errors import InputFileError
from ..core.findings import Finding
from ..core.i18n import _
from ..formats.commitments import CommitmentFile
from ..formats.effort import EffortTable
from ..formats.national import National
from ..formats.scores import Scores
from ..methodology.context import Context
from . import scenarios as sc
from .actions import IndicatorPlan, all_values, indicator_plans, references_by_indicator
from .commitments import CommitmentStatus, assess, changes_of
from .effort import CLASSES, price
from .goal import RouteOutcome, RouteRow, find_route, goal_of

FORMAT = "dti-plan"
FORMAT_VERSION = "1"


@dataclass
class PlanRequest:
    """What the user asked and gave, already read from their files."""

    goal: float | None = None
    rank: int | None = None
    national: National | None = None
    effort: EffortTable | None = None
    commitments: Sequence[CommitmentFile] = ()
    sets: dict[str, Any] = field(default_factory=dict)
    today: date | None = None
    source: str = ""  # the scores file's name, as the outputs name it


@dataclass
class AgencyPage:
    """One lead agency's part of the plan: its indicators short of full, its route steps, its commitments."""

    unit_id: str
    name: str
    plans: list[IndicatorPlan]
    route: list[RouteRow]
    commitments: list[CommitmentStatus]

    @property
    def at_stake(self) -> float:
        return sum(p.at_stake for p in self.plans)


@dataclass
class Plan:
    ctx: Context
    scores: Scores
    plans: list[IndicatorPlan]
    scenarios: dict[str, sc.Scenario]
    route: RouteOutcome | None = None
    commitments: list[CommitmentStatus] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    effort_file: str = ""
    today: date | None = None
    source: str = ""

    @property
    def source_name(self) -> str:
        """The scores file's name (never its path: a plan is sent around)."""
        return self.source or Path(str(self.scores.source.get("path") or "")).name

    @property
    def sample(self) -> bool:
        return bool(self.scores.source.get("sample")) or self.scores.source.get("kind") in ("sample", "demo")

    @property
    def carried(self) -> list[str]:
        """Indicators without their national references: the estimated totals carry their baseline score."""
        return [c for c, s in self.scores.indicators.items() if s.status == "needs_reference"]

    def assumptions(self) -> list[str]:
        """What the figures rest on, in sentences."""
        out = []
        if self.carried:
            out.append(_("Totals are estimated: {n} indicator(s) without national reference values ({codes}) carry their {year} score.").format(
                n=len(self.carried), codes=", ".join(self.carried), year=self.scores.baseline_year))
        if any(p.assumption for p in self.plans):
            out.append(_("Relative indicators (min-max, share of the best) are planned with the national reference values given; "
                         "the Ministry publishes the real ones after the round."))
        if self.route is not None and self.route.goal.rank is not None:
            out.append(_("The total rank {rank} needed is worked out with every other province held at its total in {file}.").format(
                rank=self.route.goal.rank, file=self.route.goal.national_file))
        if self.route is not None:
            out.append(_("Effort is in units where issuing a document is 1; a figure's effort is that of closing all its remaining gap, "
                         "a level short of it in proportion{file}.").format(
                file=(" " + _("(effort file: {file})").format(file=self.effort_file)) if self.effort_file else ""))
        return out

    def agencies(self) -> list[AgencyPage]:
        """A page per lead agency of an indicator short of full, the most points at stake first."""
        leads = dict.fromkeys(u for p in self.plans for u in p.ind.lead)
        pages = [self.agency(u) for u in leads]
        return sorted(pages, key=lambda a: (-a.at_stake, a.name))

    def agency(self, unit_id: str) -> AgencyPage:
        plans = [p for p in self.plans if unit_id in p.ind.lead]
        codes = {p.code for p in plans}
        route = [r for r in (self.route.routes[0] if self.route and self.route.routes else []) if r.code in codes]
        commits = [c for c in self.commitments if c.commitment.unit_id == unit_id or c.code in codes]
        return AgencyPage(unit_id, self.ctx.profile.name_of(unit_id), plans, route, commits)

    def to_dict(self) -> dict[str, Any]:
        from .tables import action_rows  # the agency pages' rows, as every other output shows them

        s, ctx = self.scores, self.ctx
        now = self.scenarios["now"]
        names = {c: x.name for c, x in s.indicators.items()}
        route: dict[str, Any] | None = None
        if self.route is not None:
            r = self.route

            def rows(rs: list[RouteRow]) -> list[dict[str, Any]]:
                return [x.to_dict(x.step.words(ctx.catalogue.indicators[x.code]), names.get(x.code, "")) for x in rs]

            route = {"goal": r.goal.to_dict(), "reachable": r.reachable, "routes": [
                {"effort": e, "gain": g, "total": r.goal.now + g, "steps": rows(rs)} for rs, e, g in zip(r.routes, r.efforts, r.gains, strict=True)],
                "shortfall": r.shortfall, "max_gain": r.max_gain, "closest": rows(r.closest), "caps": r.caps,
                "held": [{"code": c, "why": why} for c, why in r.held]}
        return {
            "format": FORMAT, "format_version": FORMAT_VERSION, "lang": i18n.language(), "year": ctx.year, "baseline_year": s.baseline_year,
            "province": ctx.profile.name_full, "source": self.source_name, "sample": self.sample,
            "today": self.today.isoformat() if self.today else None,
            "totals": {"confirmed": s.total_confirmed, "estimated": s.total_estimated, "max_points": s.max_total, "carried": self.carried},
            "assumptions": self.assumptions(),
            "indicators": [p.to_dict(ctx) for p in self.plans],
            "scenarios": [x.to_dict(now if k != "now" else None) for k, x in self.scenarios.items()],
            "route": route,
            "commitments": [c.to_dict() for c in self.commitments],
            "agencies": [{"unit": a.unit_id, "name": a.name, "at_stake": a.at_stake, "indicators": [p.code for p in a.plans],
                          "route": [x.code for x in a.route], "commitments": len(a.commitments),
                          "steps": [dict(r.values) for r in action_rows(self, a)]} for a in self.agencies()],
            "effort": {"classes": {k: {"effort": e, "words": _(w)} for k, (e, w) in CLASSES.items()}, "file": self.effort_file},
            "findings": [f.to_dict() for f in self.findings],
        }

    # -- pandas (imported by these methods only; the API's frames, docs/API.md) ------------------

    def to_frame(self) -> Any:
        """Each indicator short of its max, one row (``FRAME_COLUMNS``): points, what is at stake, its state,
        the target and full levels' points and effort (``NaN`` where there is none), the value now in words."""
        from ..core.frames import frame

        def rows() -> Any:
            for p in self.plans:
                full, target = p.full, p.target
                yield [self.ctx.year, p.code, p.ind.name(i18n.language()), p.ind.pillar, p.ind.parent, " ".join(p.ind.lead), p.max_points,
                       p.points, p.at_stake, p.state, p.target_met, target.points if target else None,
                       target.effort if target else None, full.points if full else None, full.effort if full else None,
                       " ".join(p.missing), p.now_words, p.rate]

        return frame(_frame_columns()[0], rows())

    def route_frame(self) -> Any:
        """The steps of the best route to the goal, in order (``ROUTE_FRAME_COLUMNS``); no row without a goal or a route."""
        from ..core.frames import frame

        names = {c: x.name for c, x in self.scores.indicators.items()}
        best = self.route.routes[0] if self.route is not None and self.route.routes else []
        return frame(_frame_columns()[1], ([k, r.code, names.get(r.code, ""), r.agency, r.step.key, r.before, r.step.points, r.step.gain,
                                            r.step.effort, r.total, r.effort_total] for k, r in enumerate(best, 1)))

    def scenarios_frame(self) -> Any:
        """Every scenario's points, long: one row per scenario and total, pillar or indicator, with the change from now."""
        from ..core.frames import frame

        now = self.scenarios["now"]

        def rows() -> Any:
            for key, x in self.scenarios.items():
                yield [key, "total", "total", x.total, x.total - now.total]
                for code, v in x.pillars.items():
                    yield [key, "pillar", code, v, v - now.pillars.get(code, 0.0)]
                for code, v in x.indicators.items():
                    yield [key, "indicator", code, v, v - now.indicators.get(code, 0.0)]

        return frame(_frame_columns()[2], rows())


def _frame_columns() -> tuple[list[Any], list[Any], list[Any]]:
    """The columns of :meth:`Plan.to_frame`, :meth:`Plan.route_frame` and :meth:`Plan.scenarios_frame`."""
    from ..core.frames import Col

    plans = [Col("year", "Int64"), Col("code", "string"), Col("name", "string"), Col("pillar", "string"), Col("parent", "string"),
             Col("lead", "string"), Col("max_points", "float64"), Col("points", "float64"), Col("at_stake", "float64"),
             Col("state", "category", ("open", "missing", "needs_reference", "out_of_reach")), Col("target_met", "boolean"),
             Col("target_points", "float64"), Col("target_effort", "float64"), Col("full_points", "float64"), Col("full_effort", "float64"),
             Col("missing", "string"), Col("now", "string"), Col("rate", "string")]
    route = [Col("step", "Int64"), Col("code", "string"), Col("name", "string"), Col("agency", "string"),
             Col("level", "category", ("next", "step", "full", "target", "cap")), Col("points_from", "float64"), Col("points_to", "float64"),
             Col("gain", "float64"), Col("effort", "float64"), Col("running_total", "float64"), Col("running_effort", "float64")]
    scen = [Col("scenario", "category", ("now", "targets", "commitments", "whatif")), Col("level", "category", ("total", "pillar", "indicator")),
            Col("code", "string"), Col("points", "float64"), Col("change", "float64")]
    return plans, route, scen


def _same_methodology(ctx: Context, scores: Scores, rescore: sc.Rescore) -> None:
    """The plan rescores the round with the methodology in use: the scores must be that methodology's.

    Scores from another methodology (id or version) are refused. Scores from an earlier edit of the same one (the
    file changed since, e.g. a translation) are used when the file in use gives every indicator the same points.
    """
    sha = scores.catalogue.get("sha256")
    if not sha or sha == ctx.catalogue.sha256:
        return
    found = scores.catalogue.get("version") or sha[:12]
    again = _("The scores were computed with another methodology ({found}); run `dti score` again with this one.").format(found=found)
    if (scores.catalogue.get("id"), scores.catalogue.get("version")) != (ctx.catalogue.id, ctx.catalogue.version):
        raise InputFileError(again)
    now = rescore(all_values(scores))
    for code, x in scores.indicators.items():
        y = now.indicators.get(code)
        if y is None or abs(y.points - x.points) > 1e-9 or y.status != x.status:
            raise InputFileError(again)


def build_plan(ctx: Context, scores: Scores, rescore: sc.Rescore, req: PlanRequest | None = None) -> Plan:
    """The plan for the round these scores are of; ``rescore`` scores the round's values with some changed."""
    req = req or PlanRequest()
    _same_methodology(ctx, scores, rescore)
    effort = req.effort or EffortTable()
    plans = indicator_plans(ctx, scores, effort.indicators)
    price(plans, {c: r.effort for c, r in effort.indicators.items()})
    values = all_values(scores)
    refs = references_by_indicator(scores)
    today = req.today or date.today()
    by_code = {p.code: p for p in plans}
    statuses, findings = assess(ctx, req.commitments, by_code, values, refs, today) if req.commitments else ([], [])
    scen = {"now": sc.snapshot("now", scores)}
    scen["targets"] = sc.run("targets", scores, values, sc.target_changes(plans, values), rescore)
    if req.commitments:
        scen["commitments"] = sc.run("commitments", scores, values, changes_of(statuses, values), rescore)
    if req.sets:
        scen["whatif"] = sc.run("whatif", scores, values, req.sets, rescore)
    plan = Plan(ctx, scores, plans, scen, commitments=statuses, findings=[*effort.findings, *findings], effort_file=effort.file, today=today,
                source=req.source)
    if req.goal is not None or req.rank is not None:
        goal = goal_of(scores.total_estimated, points=req.goal, rank=req.rank, national=req.national)
        plan.route = find_route(plans, goal, effort.caps)
    return plan
