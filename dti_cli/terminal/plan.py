"""``dti plan`` on the terminal: the scenarios, the route to the goal with its running total, the
commitments, and each indicator's next step; with ``--agency``, that agency's page."""

from __future__ import annotations

from typing import Any

from ..core import i18n
from ..core.i18n import _
from ..core.text import inert
from ..plan import Plan
from ..plan.actions import missing_sentence
from ..plan.build import AgencyPage
from ..plan.tables import ACTION_COLUMNS, ROUTE_COLUMNS, action_rows, alternative_lines, route_rows, route_summary, scenario_rows


def _fmt(v: Any, kind: str) -> Any:
    """A cell as text that is never read as markup (names and notes may hold '[')."""
    from rich.text import Text

    if v is None:
        return Text("")
    if kind == "points":
        return Text(i18n.pts(v))
    if kind == "signed":
        return Text(i18n.signed(v))
    if kind in ("number", "int"):
        return Text(i18n.num(v, 2))
    return Text(inert(v))


#: How the width left by the short columns is shared among the long ones (what to do gets the most).
RATIO = {"todo": 6, "indicator": 3, "now": 2, "coordinating": 2, "commitment": 2}


def _table(columns: Any, rows: list[dict[str, Any]], title: str = "", keep: tuple[str, ...] | None = None) -> Any:
    from rich.table import Table

    t = Table(title=title or None, title_justify="left", expand=True, show_lines=True)
    cols = [c for c in columns if keep is None or c[0] in keep]
    for _key, head, kind, wrap in cols:
        num = kind in ("points", "signed", "number", "int")
        # a number never wraps (its column is as wide as the widest); a long header does, and so does text
        t.add_column(_(head), justify="right" if num else "left", ratio=RATIO.get(_key, 2) if wrap else None, min_width=12 if wrap else None,
                     max_width=None if wrap else 12, overflow="fold")
    for r in rows:
        t.add_row(*(_fmt(r.get(k), kind) for k, _h, kind, _w in cols))
    return t


def _head(plan: Plan) -> list[Any]:
    from rich.text import Text

    out: list[Any] = []
    if plan.sample:
        out.append(Text(_("SAMPLE DATA"), style="bold red"))
    ctx = plan.ctx
    out.append(Text(_("Plan to raise the DTI {year}: {province}").format(year=ctx.year, province=ctx.profile.name_full), style="bold"))
    out.append(Text(_("Scores: {file}; total now {total}/{max}.").format(file=inert(plan.source_name), total=i18n.pts(plan.scores.total_estimated),
                                                                       max=i18n.num(plan.scores.max_total))))
    out += [Text("• " + a, style="dim") for a in plan.assumptions()]
    return out


def _scenarios(plan: Plan) -> Any:
    from rich.table import Table

    t = Table(title=_("Scenarios"), title_justify="left")
    t.add_column(_("Scenario"))
    t.add_column(_("Total"), justify="right")
    t.add_column(_("Difference"), justify="right")
    for r in scenario_rows(plan):
        t.add_row(r["scenario"], i18n.pts(r["total"]), "" if r["difference"] is None else i18n.signed(r["difference"]))
    return t


def _route(plan: Plan) -> list[Any]:
    from rich.text import Text

    r = plan.route
    if r is None:
        return []
    out: list[Any] = [Text(_("Route to the goal"), style="bold")]
    out += [Text(s) for s in route_summary(plan)]
    rows = r.routes[0] if r.routes else r.closest
    if rows:
        out.append(_table(ROUTE_COLUMNS, route_rows(plan, rows), keep=("n", "code", "todo", "gain", "effort", "total")))
    out += [Text(x) for x in alternative_lines(plan)]
    return out


def _commitments(plan: Plan, codes: set[str] | None = None) -> list[Any]:
    from rich.table import Table
    from rich.text import Text

    from ..methodology import steps

    items = [c for c in plan.commitments if codes is None or c.code in codes]
    if not items:
        return []
    t = Table(title=_("Commitments"), title_justify="left", expand=True)
    for h in (_("Code"), _("Lead agency"), _("Value now"), _("Committed value"), _("By (date)"), _("Status")):
        t.add_column(h)
    style = {"met": "green", "on_track": "", "behind": "bold red"}
    for c in items:
        ind = plan.ctx.catalogue.indicators[c.code]
        t.add_row(*(Text(x) for x in (c.code, plan.ctx.profile.name_of(c.commitment.unit_id), steps.figure_words(ind, c.commitment.inputs, c.now),
                                      steps.figure_words(ind, c.commitment.inputs, c.commitment.value),
                                      i18n.day(c.due) + (" *" if c.due_assumed else ""))),
                  Text(c.status_words(), style=style[c.status]))
    return [t]


def _indicators(plan: Plan) -> Any:
    from rich.table import Table
    from rich.text import Text

    from ..methodology import steps

    t = Table(title=_("Indicators short of their max: the next step"), title_justify="left", expand=True)
    t.add_column(_("Code"), no_wrap=True)
    t.add_column(_("Lead agency"), ratio=2, min_width=8)
    t.add_column(_("Value now"), ratio=3, min_width=10)
    t.add_column(_("Points"), justify="right", no_wrap=True)
    t.add_column(_("What to do (values needed)"), ratio=4, min_width=14)
    t.add_column(_("Gain"), justify="right", no_wrap=True)
    prof = plan.ctx.profile
    for p in plan.plans:
        s = p.next
        # short: the input ids and their values (the agency pages and the files give each figure's name)
        todo = "; ".join(f"{' + '.join(n.inputs)}: {steps.figure_words(p.ind, n.inputs, n.now)} → {steps.figure_words(p.ind, n.inputs, n.value)}"
                         for n in s.needs) if s else missing_sentence(p)
        t.add_row(*(Text(x) for x in (p.code, ", ".join(prof.short_of(u) for u in p.ind.lead), inert(p.now_words),
                                      f"{i18n.pts(p.points)}/{i18n.num(p.max_points)}", inert(todo), i18n.signed(s.gain) if s else "")))
    return t


def plan_view(plan: Plan) -> Any:
    from rich.console import Group

    return Group(*_head(plan), _scenarios(plan), *_route(plan), *_commitments(plan), _indicators(plan))


def summary_view(plan: Plan) -> Any:
    """What the terminal shows when the plan is written to files: the headline, the scenarios and the route (the
    indicators' rows are in the files)."""
    from rich.console import Group

    return Group(*_head(plan), _scenarios(plan), *_route(plan))


def agency_view(plan: Plan, page: AgencyPage) -> Any:
    from rich.console import Group
    from rich.text import Text

    parts: list[Any] = [*_head(plan), Text(page.name, style="bold"),
                        Text(_("Points at stake: {points}.").format(points=i18n.pts(page.at_stake)))]
    if not page.plans:
        parts.append(Text(_("Every indicator this agency leads is at its max.")))
        return Group(*parts)
    keep = ("code", "now", "level", "todo", "points", "gain", "effort", "route", "deadline", "coordinating")
    parts.append(_table(ACTION_COLUMNS, [r.values for r in action_rows(plan, page)], keep=keep))
    parts += _commitments(plan, {p.code for p in page.plans})
    return Group(*parts)
