"""The plan as one HTML file: nothing fetched, readable on a phone, printed on A4.

The route to the goal is drawn as a running total (:func:`dti_cli.core.charts.running_total`):
from the total now, each step's points on top of those before, the goal a dashed line. Each
lead agency's steps start on a new printed page; a table row is never split across pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from ..core import charts, i18n
from ..core.i18n import _
from .build import Plan
from .commitments import STATUS_WORDS
from .outputs import banner, title
from .tables import (
    ACTION_COLUMNS,
    ROUTE_COLUMNS,
    SCENARIO_COLUMNS,
    action_rows,
    alternative_lines,
    indicator_scenario_rows,
    pillar_rows,
    route_rows,
    route_summary,
    scenario_rows,
)

CSS = """
:root { font-family: 'Noto Sans', Roboto, 'Segoe UI', Arial, sans-serif; color: #111; }
body { margin: 0 auto; max-width: 1100px; padding: 12px; line-height: 1.4; font-size: 15px; }
h1 { font-size: 1.5em; margin: 0.2em 0; } h2 { font-size: 1.25em; margin-top: 1.4em; } h3 { font-size: 1.05em; }
.banner { color: #c00000; font-weight: bold; font-size: 1.2em; letter-spacing: 0.05em; }
.note { color: #444; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; font-size: 0.92em; }
th, td { border: 1px solid #999; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #ddebf7; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; }
.status-met { color: #1e6b34; font-weight: bold; } .status-behind { color: #b3261e; font-weight: bold; }
@page { size: A4; margin: 12mm 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .scroll { overflow: visible; }
  section.agency { break-before: page; page-break-before: always; }
  tr, .dti-chart { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
"""


def _h(tag: str, text: str) -> str:
    return f"<{tag}>{escape(text)}</{tag}>"


def _cell(v: Any, kind: str) -> str:
    if v is None:
        return "<td></td>"
    if kind == "points":
        return f'<td class="n">{escape(i18n.pts(v))}</td>'
    if kind == "signed":
        return f'<td class="n">{escape(i18n.signed(v))}</td>'
    if kind in ("number", "int"):
        return f'<td class="n">{escape(i18n.num(v, 2))}</td>'
    return "<td>" + escape(str(v)).replace("\n", "<br>") + "</td>"


def _table(columns: Sequence[tuple[str, str, str, bool]], rows: Sequence[dict[str, Any]], cls: str = "") -> str:
    head = "".join(f"<th>{escape(_(t))}</th>" for _k, t, _kind, _w in columns)
    body = "".join("<tr>" + "".join(_cell(r.get(k), kind) for k, _t, kind, _w in columns) + "</tr>" for r in rows)
    return f'<div class="scroll"><table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def short(text: str, n: int) -> str:
    """``text`` cut at a word to at most ``n`` characters, with an ellipsis when cut."""
    if len(text) <= n:
        return text
    return text[: n - 1].rsplit(" ", 1)[0] + "…"


def _route_chart(plan: Plan) -> str:
    r = plan.route
    if r is None:
        return ""
    rows = r.routes[0] if r.routes else r.closest
    ind = plan.ctx.catalogue.indicators
    lang = i18n.language()
    steps = [{"label": short(f"{x.code} {ind[x.code].name(lang)}", 80), "gain": x.step.gain} for x in rows]
    return charts.running_total(steps, start=r.goal.now, goal=r.goal.total, title=_("Route to the goal: the total after each step"),
                                fmt=i18n.pts, start_label=_("Total now"), goal_label=_("Goal"), no_data=_("no step"))


def _pillars(plan: Plan) -> str:
    keys = list(plan.scenarios)
    head = "".join(f"<th>{escape(h)}</th>" for h in (_("Pillar"), _("Max"), *(plan.scenarios[k].title for k in keys)))
    body = ""
    for r in pillar_rows(plan):
        body += (f"<tr><td>{escape(r['code'])}. {escape(r['name'])}</td>" + _cell(r["max_points"], "points")
                 + "".join(_cell(r[k], "points") for k in keys) + "</tr>")
    total = _("Total")
    body += (f'<tr class="total"><td>{escape(total)}</td>' + _cell(plan.scores.max_total, "points")
             + "".join(_cell(plan.scenarios[k].total, "points") for k in keys) + "</tr>")
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _indicators(plan: Plan) -> str:
    """Every indicator under every scenario, folded on screen (and in print: the agencies' pages say it)."""
    keys = list(plan.scenarios)
    head = "".join(f"<th>{escape(h)}</th>" for h in (_("Code"), _("Indicator"), _("Max"), *(plan.scenarios[k].title for k in keys)))
    body = "".join("<tr>" + _cell(r["code"], "text") + _cell(r["name"], "text") + _cell(r["max_points"], "points")
                   + "".join(_cell(r[k], "points") for k in keys) + "</tr>" for r in indicator_scenario_rows(plan))
    summary = _("Each indicator under each scenario")
    return (f"<details><summary>{escape(summary)}</summary><div class='scroll'><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div></details>")


def _commitments(plan: Plan) -> str:
    if not plan.commitments:
        return ""
    from ..methodology import steps

    rows = []
    for c in plan.commitments:
        ind = plan.ctx.catalogue.indicators[c.code]
        rows.append(f"<tr><td>{escape(c.code)}</td><td>{escape(plan.ctx.profile.name_of(c.commitment.unit_id))}</td>"
                    f"<td>{escape(steps.figure_words(ind, c.commitment.inputs, c.now))}</td>"
                    f"<td>{escape(steps.figure_words(ind, c.commitment.inputs, c.commitment.value))}</td>"
                    f"<td>{escape(i18n.day(c.due))}{' *' if c.due_assumed else ''}</td>"
                    f'<td class="status-{c.status.replace("_", "-")}">{escape(c.status_words())}</td>'
                    f"<td>{escape(c.commitment.doc_no)}</td></tr>")
    head = "".join(f"<th>{escape(h)}</th>" for h in (_("Code"), _("Lead agency"), _("Value now"), _("Committed value"), _("By (date)"),
                                                      _("Status"), _("Evidence: document no.")))
    note = _("* no date given: due at the end of {year}.").format(year=plan.ctx.year)
    legend = "; ".join(_(w) for w in STATUS_WORDS.values())
    heading = _("Commitments")
    return (f"<h2>{escape(heading)}</h2><p class='note'>{escape(legend)}. {escape(note)}</p>"
            f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def render_html(plan: Plan) -> str:
    ctx = plan.ctx
    parts = [f'<!DOCTYPE html><html lang="{i18n.language()}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{escape(title(plan))}</title><style>{CSS}</style></head><body>"]
    b = banner(plan)
    if b:
        parts.append(f'<p class="banner">{escape(b)}</p>')
    parts.append(f"<h1>{escape(title(plan))}</h1>")
    parts.append("<p>" + escape(_("Scores: {file}; total now {total}/{max}.").format(
        file=plan.source_name, total=i18n.pts(plan.scores.total_estimated), max=i18n.num(plan.scores.max_total))) + "</p>")
    if plan.assumptions():
        parts.append("<ul class='note'>" + "".join(f"<li>{escape(a)}</li>" for a in plan.assumptions()) + "</ul>")
    parts.append(_h("h2", _("Scenarios")) + _table(SCENARIO_COLUMNS, scenario_rows(plan)) + _pillars(plan) + _indicators(plan))
    if plan.route is not None:
        r = plan.route
        parts.append(_h("h2", _("Route to the goal")))
        parts.append("".join(f"<p>{escape(s)}</p>" for s in route_summary(plan)))
        parts.append(_route_chart(plan))
        rows = r.routes[0] if r.routes else r.closest
        parts.append(_table(ROUTE_COLUMNS, route_rows(plan, rows)))
        parts.append("".join(f"<p>{escape(x)}</p>" for x in alternative_lines(plan)))
    parts.append(_commitments(plan))
    for page in plan.agencies():
        parts.append(f'<section class="agency"><h2>{escape(page.name)}</h2>')
        parts.append("<p>" + escape(_("Points at stake: {points}.").format(points=i18n.pts(page.at_stake))) + "</p>")
        parts.append(_table(ACTION_COLUMNS, [r.values for r in action_rows(plan, page)]) + "</section>")
    if plan.findings:
        parts.append(_h("h2", _("Findings")) + "<ul>" + "".join(
            f"<li>{escape(f.message)} <code>{escape(f.code)}</code></li>" for f in plan.findings) + "</ul>")
    parts.append(f"<p class='note'>{escape(ctx.profile.name_full)} · DTI {ctx.year}</p></body></html>")
    return "".join(parts)
