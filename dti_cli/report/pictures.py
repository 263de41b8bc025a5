"""The report's pictures as inline SVG (:mod:`dti_cli.core.charts`), drawn from the report's own numbers and words.

Every value a chart draws is the value of the report's JSON at the same place (the pillars'
``index`` and ``previous_index``, the bridge's steps, the agencies' ``at_stake``, the national
totals), so a test reads the SVG back with :func:`dti_cli.core.charts.read_values` and compares.
"""

from __future__ import annotations

from ..core import charts, i18n
from ..core.i18n import _
from .firstpage import rank_words
from .model import Report


def _index(x: float) -> str:
    """An index (0-1) with two decimals, as points are: 0,58."""
    return i18n.pts(x)


def pillars_svg(rep: Report) -> str:
    cmp = rep.compare
    items = [{"code": p["code"], "name": f"{p['code']}. {p['name']}", "previous": p["previous_index"], "now": p["index"]} for p in rep.pillars]
    return charts.pillar_index(items, title=_("Pillars as an index (0–1): {label} and {year}").format(label=cmp["label"], year=rep.meta["year"]),
                               legend_prev=cmp["label"], legend_now=_("{year} (self-assessed)").format(year=rep.meta["year"]), fmt=_index,
                               no_data=_("No data"))


def bridge_svg(rep: Report) -> str:
    b = rep.bridge
    title = _("From the {label} total to {year}: what each pillar gained or lost").format(label=rep.compare["label"], year=rep.meta["year"])
    if b["start"] is None:
        return charts.bridge(b["end"], [], b["end"], title=title, start_label=_("now"), end_label=_("now"), fmt=i18n.pts)
    return charts.bridge(b["start"], [{"label": s["label"], "delta": s["delta"]} for s in b["steps"]], b["end"], title=title,
                         start_label=f"{b['start_label']}", end_label=b["end_label"], fmt=i18n.pts, no_data=_("No data"))


def agencies_svg(rep: Report) -> str:
    items = [{"name": a["short"] + (" (" + _("joint lead") + ")" if a["joint"] else ""), "points": a["at_stake"]} for a in rep.agencies]
    return charts.agency_stake(items, title=_("Points at stake by lead agency"), fmt=i18n.pts, others_label=_("Other agencies"),
                               max_items=12, no_data=_("Every indicator is at its max."))


def rank_svg(rep: Report) -> str | None:
    """The other provinces' totals as dots, the province's published baseline total and the rank the new total would have."""
    n = rep.national
    if not n:
        return None
    own_label = _("{province} {year} (published)").format(province=rep.meta["province"], year=n["own_year"])
    own_label += f" ({rank_words(n['own_rank'], n['of'], None)})"
    new_label = _("{year} self-assessed ({rank})").format(year=rep.meta["year"], rank=rank_words(n["rank"], n["of"], None))
    totals = [(str(name), float(t)) for name, t in n["totals"]]
    return charts.rank_strip(totals, own=rep.meta["province"], own_total=n["own_total"], own_rank=n["own_rank"], of=n["of"],
                             title=_("Among the provinces of {file}").format(file=n["file"]), fmt=i18n.pts, own_label=own_label,
                             new_label=new_label, new_total=rep.headline["total_estimated"], new_rank=n["rank"])
