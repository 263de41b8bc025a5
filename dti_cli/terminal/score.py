"""``dti score`` on the terminal: one table per pillar, the totals, and one indicator explained."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.i18n import _
from ..core.text import inert
from ..formats.scores import INPUT_STATUS_WORDS, STATUS_WORDS, Scores
from ..methodology.context import Context
from ..methodology.model import NoData

_STYLE = {"no_data": "red", "needs_reference": "yellow", "sum": "bold", "scored": ""}


def show_value(v: Any) -> str:
    if v is None:
        return _("(empty)")
    if v == "no_data" or isinstance(v, NoData):
        return _("No data")
    if isinstance(v, bool):
        return i18n.yes_no(v)
    if isinstance(v, (int, float)):
        return i18n.num(float(v), 4)
    return inert(v)


def few_inputs_line(scores: Scores) -> Any:
    """The first thing to say when fewer than half of the inputs arrived."""
    from rich.text import Text

    for p in scores.problems:
        if p.code == "score.few_inputs":
            return Text(p.message, style="bold red")
    return None


def scores_view(ctx: Context, scores: Scores) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    cat = ctx.catalogue
    parts: list[Any] = []
    first = few_inputs_line(scores)
    if first is not None:
        parts.append(first)
    src = scores.source
    who = f" — {src.get('unit')}" if src.get("unit") else ""
    parts.append(Text(_("DTI {year}: self-assessment from {file}").format(year=cat.year, file=inert(Path(str(src.get("path", ""))).name)) + who,
                      style="bold"))
    code_w = max(len(i.code) + 2 * (i.depth - 1) for i in cat.indicators.values())
    status_w = max(len(s.status_words()) for s in scores.indicators.values())
    base = ctx.baseline.year
    for code, p in scores.pillars.items():
        extra = (", " + _("estimated {points}").format(points=i18n.pts(p.estimated_points))) if abs(p.estimated_points - p.points) > 1e-9 else ""
        t = Table(title=_("Pillar {code}: {name}: {points}/{max} (index {index}{extra})").format(
            code=code, name=p.name, points=i18n.pts(p.points), max=i18n.num(p.max_points), index=i18n.num(p.index, 3), extra=extra),
            title_justify="left", expand=True)
        # Only the name may shrink (to an ellipsis): codes, points and statuses keep fixed widths.
        t.add_column(_("Code"), no_wrap=True, width=code_w)
        t.add_column(_("Indicator"), no_wrap=True, overflow="ellipsis", ratio=1, min_width=12)
        t.add_column(_("Points"), justify="right", no_wrap=True, width=8)
        t.add_column(_("Max"), justify="right", no_wrap=True, width=6)
        t.add_column(_("Status"), no_wrap=True, width=status_w)
        t.add_column(str(base), justify="right", no_wrap=True, width=6)
        for ind in (i for i in cat.indicators.values() if i.pillar == code):
            s = scores.indicators[ind.code]
            pts = i18n.pts(s.points) if s.status != "needs_reference" else f"({i18n.pts(s.estimated_points)})"
            t.add_row("  " * (ind.depth - 1) + s.code, s.name, pts, i18n.num(s.max_points), Text(s.status_words(), style=_STYLE.get(s.status, "")),
                      i18n.num(s.score_baseline))
        parts.append(t)
    tot = Table(title=_("DTI total"), title_justify="left")
    for c in ("", _("Points"), _("Max"), _("Index (0-1)")):
        tot.add_column(c, justify="right" if c else "left")
    tot.add_row(_("Confirmed"), i18n.pts(scores.total_confirmed), i18n.num(scores.max_total), i18n.num(scores.index_confirmed, 4))
    tot.add_row(_("Estimated"), i18n.pts(scores.total_estimated), i18n.num(scores.max_total), i18n.num(scores.index_estimated, 4))
    tot.add_row(_("{year} (published)").format(year=base), i18n.pts(ctx.baseline.total), i18n.num(ctx.baseline.max_points),
                i18n.num(ctx.baseline.total / ctx.baseline.max_points, 4))
    parts.append(tot)
    n = scores.counts()
    parts.append(Text(_("{scored} indicators scored, {no_data} without data (0 points), {refs} need national reference values (the points in "
                        "brackets are their {year} score, counted only in the estimated total). How a score was reached: "
                        "dti score --explain CODE").format(scored=n["scored"], no_data=n["no_data"], refs=n["needs_reference"], year=base)))
    refs = [c for c, s in scores.indicators.items() if s.status == "needs_reference"]
    if refs:
        parts.append(Text(_("Reference values needed for: {codes}. Fill them in the References sheet of merged.xlsx or give --references FILE.").format(
            codes=", ".join(refs)), style="yellow"))
    if scores.adjustments:
        parts.append(Text(_("{n} adjustment(s) applied:").format(n=len(scores.adjustments)), style="bold"))
        for a in scores.adjustments:
            parts.append(Text("  " + adjustment_line(a)))
    return Group(*parts)


def adjustment_line(a: dict[str, Any]) -> str:
    who = f" ({a['by']}, {a['date']})" if a.get("by") or a.get("date") else ""
    sheet, reason = _("Adjustments"), inert(a["reason"]) or _("(no reason given)")
    return f"{sheet}!B{a['row']}: {a['input_id']} {show_value(a['old_value'])} → {show_value(a['new_value'])} — {reason}{inert(who)}"


def explain_view(ctx: Context, scores: Scores, d: dict[str, Any]) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    s = scores.indicators[d["code"]]
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold", no_wrap=True)
    head.add_column()
    head.add_row(_("Indicator"), f"{d['code']} {d['name']}")
    head.add_row(_("Lead"), "; ".join(d["lead_names"]) or "—")
    head.add_row(_("How it is scored (the plan)"), d["method_vi"] or "—")
    head.add_row(_("Rule"), d["rule"])
    if d.get("note"):
        head.add_row(_("Note"), d["note"])
    if d["references"]:
        head.add_row(_("References"), ", ".join(f"{k} = {i18n.num(v, 6)}" for k, v in d["references"].items()))
    head.add_row(_("Arithmetic"), s.trace)
    pts = f"{i18n.pts(s.points)} / {i18n.num(s.max_points)}"
    if s.status == "needs_reference":
        pts += "  " + _("(not scored; estimated at the {year} score: {points})").format(year=ctx.baseline.year, points=i18n.num(s.score_baseline))
    head.add_row(_("Points"), Text(pts, style="bold"))
    head.add_row(_("Status"), Text(s.status_words(), style=_STYLE.get(s.status, "")))
    head.add_row(_("Score {year}").format(year=ctx.baseline.year), i18n.num(s.score_baseline))
    parts: list[Any] = [head]
    if d["inputs"]:
        t = Table(title=_("Figures used"))
        for c in (_("Id"), _("What the figure is"), _("Value"), _("Status"), _("Supplied by"), _("File"), _("Cell")):
            t.add_column(c, overflow="fold")
        for item in d["inputs"]:
            src = item["source"]
            cell = f"{src.get('sheet', '')}!{src.get('cell', '')}" if src.get("cell") else ""
            status = _(INPUT_STATUS_WORDS.get(item["status"], item["status"]))
            t.add_row(item["id"], item["label"], show_value(item["value"]), status, inert(src.get("source_agency", "")),
                      inert(src.get("source_file", "")), inert(cell))
        parts.append(t)
    if d["children"]:
        t = Table(title=_("Children"))
        for c in (_("Code"), _("Points"), _("Max"), _("Status")):
            t.add_column(c)
        for k in d["children"]:
            t.add_row(k["code"], i18n.pts(k["points"]), i18n.num(k["max_points"]), _(STATUS_WORDS.get(k["status"], k["status"])))
        parts.append(t)
    for a in d["adjustments"]:
        parts.append(Text(adjustment_line(a)))
    return Group(*parts)
