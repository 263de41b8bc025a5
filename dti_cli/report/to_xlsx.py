"""The report as a workbook, print-ready (core.sheetwriter) with native charts (XlsxWriter's chart API).

Sheets: the summary (the first page in words and the key figures), what to do first, the pillars
(chart: the index of each pillar, the compared year beside now, the pillars' names on the axis),
the bridge from the previous total to now (chart), every gap with its concrete step, quick wins,
regressions, points at stake by lead agency (chart), missing figures and who supplies them, the
data's problems, adjustments. Every number is a number with the number format of its column
(points with two decimals); the charts read the cells of their sheet, so what they draw is what
the table says. Each sheet is A4, landscape where wide, fitted to the page width, its header row
repeated, with the province, the round and the page number in its header and footer.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.i18n import _
from ..core.safety import atomic_output
from ..core.sheetwriter import Column, PageText, Placement, Sheet, footer_code_text, header_code_text, write_workbook
from . import tables
from .model import FORMAT, FORMAT_VERSION, Report

#: Colours of the charts: the same as the HTML page's.
NOW, PREV, GAIN, LOSS = "#1F4E79", "#B9C7D6", "#1E6B34", "#B3261E"


def _col(key: str, title: str, kind: str = "text", *, wrap: bool = False, width: float | None = None) -> Column:
    return Column(key=key, title=title, kind=kind, wrap=wrap, width=width)


def _chartsheet(wb: Any, name: str, chart: Any, page: PageText) -> None:
    """The chart on a sheet of its own, right after its table: one landscape A4 page, never split, with the page header."""
    cs = wb.add_chartsheet(name)
    cs.set_chart(chart)
    cs.set_paper(9)
    cs.set_landscape()
    cs.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    head = "&L" + header_code_text(page.header) + (f"&C&B{header_code_text(page.banner)}" if page.banner else "")
    cs.set_header(head, {"margin": 0.25})
    cs.set_footer("&C" + footer_code_text(page.footer), {"margin": 0.25})


def _chart_text(wb: Any, chart: Any, title: str) -> None:
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    chart.set_legend({"position": "bottom"})


def summary_sheet(rep: Report) -> Sheet:
    h, cmp = rep.headline, rep.compare
    rows: list[list[Any]] = [[_("Self-assessed total"), h["total_estimated"], None, _("of {max}").format(max=i18n.num(h["max_points"]))]]
    if abs(h["total_confirmed"] - h["total_estimated"]) > 1e-9:
        rows.append([_("Confirmed total (without the indicators that lack a national reference)"), h["total_confirmed"], None, ""])
    if h["previous_total"] is not None:
        rows.append([_("Compared with: {label} ({basis})").format(label=cmp["label"], basis=tables.basis_words(rep, h["basis"])),
                     h["previous_total"], None, ""])
        rows.append([_("Change"), h["change"], None, ""])
    if h["previous_published"] is not None:
        from .firstpage import rank_words

        rows.append([_("Published {year} result").format(year=cmp["year"]), h["previous_published"], h["previous_rank"],
                     rank_words(h["previous_rank"], h["previous_of"], cmp["year"])])
    if rep.national:
        n = rep.national
        rows.append([_("Rank this total would have ({file})").format(file=n["file"]), None, n["rank"], f"{n['rank']}/{n['of']}"])
    rows.append([_("Points at stake (indicators short of their max)"), h["points_at_stake"], h["short_of_max"], ""])
    rows.append([_("Inputs received"), None, h["inputs_received"], _("of {n}").format(n=i18n.integer(h["inputs_expected"]))])
    rows.append([_("Indicators without data (0 points)"), None, h["no_data"], ", ".join(x["code"] for x in rep.problems["no_data"])])
    if h["needs_reference"]:
        rows.append([_("Indicators estimated at their {year} score (no national reference yet)").format(year=rep.meta["baseline_year"]),
                     h["carried_points"], h["needs_reference"], ""])
    cols = [_col("figure", _("Figure"), wrap=True, width=48), _col("points", _("Points"), "points", width=11),
            _col("count", _("Count"), "int", width=9), _col("note", _("Note"), wrap=True, width=24)]
    return Sheet(_("Summary"), cols, rows, title=tables.title(rep), subtitle="\n".join(rep.summary), autofilter=False, landscape=False)


def priorities_sheet(rep: Report) -> Sheet:
    cols = [_col("code", _("Code"), "id"), _col("name", _("Indicator"), wrap=True, width=40), _col("lead", _("Lead agency"), wrap=True, width=22),
            _col("at_stake", _("Points at stake"), "points", width=10), _col("action", _("What to do about it"), wrap=True, width=70)]
    rows = [[p["code"], p["name"], tables.leads(p), p["at_stake"], p["action"]["text"]] for p in rep.priorities]
    return Sheet(_("What to do first"), cols, rows, title=_("What to do first: the yes/no decisions and the largest gaps"))


def pillars_sheet(rep: Report, page: PageText) -> Sheet:
    cmp = rep.compare
    cols = [_col("code", _("Pillar"), "id", width=7), _col("name", _("Name"), wrap=True, width=30), _col("max", _("Max"), "points", width=8),
            _col("previous", cmp["label"], "points", width=10), _col("basis", _("Compared with"), wrap=True, width=24),
            _col("published", _("Published"), "points", width=10), _col("now", _("Now"), "points", width=10),
            _col("change", _("Change"), "points", width=10), _col("prev_index", _("Index {label}").format(label=cmp["label"]), "number", width=10),
            _col("index", _("Index now"), "number", width=10), _col("gap", _("Gap to max"), "points", width=10)]
    rows = [[p["code"], f"{p['code']}. {p['name']}", p["max_points"], p["previous"], tables.basis_words(rep, p["basis"]),
             p["previous_published"], p["now"], p["change"], p["previous_index"], p["index"], p["gap"]] for p in rep.pillars]
    n = len(rows)

    def chart(wb: Any, ws: Any, at: Placement) -> None:
        c = wb.add_chart({"type": "bar"})
        first, last = at.first_row, at.first_row + n - 1
        c.add_series({"name": [at.sheet, at.header_row, 8], "categories": [at.sheet, first, 1, last, 1], "values": [at.sheet, first, 8, last, 8],
                      "fill": {"color": PREV}, "border": {"color": "#3D4F63"}, "pattern": {"pattern": "wide_upward_diagonal",
                                                                                          "fg_color": "#3D4F63", "bg_color": PREV}})
        c.add_series({"name": [at.sheet, at.header_row, 9], "categories": [at.sheet, first, 1, last, 1], "values": [at.sheet, first, 9, last, 9],
                      "fill": {"color": NOW}, "data_labels": {"value": True, "num_format": "0.00"}})
        _chart_text(wb, c, _("Pillars as an index (0–1): {label} and {year}").format(label=cmp["label"], year=rep.meta["year"]))
        c.set_x_axis({"min": 0, "max": 1, "major_unit": 0.2, "num_format": "0.0", "major_gridlines": {"visible": True}})
        c.set_y_axis({"reverse": True, "num_font": {"size": 10}})
        _chartsheet(wb, _("Chart of the pillars"), c, page)

    return Sheet(_("Pillars"), cols, rows, title=_("Points by pillar"), subtitle=tables.pillar_note(rep), decorate=chart if n else None)


def bridge_sheet(rep: Report, page: PageText) -> Sheet:
    """The bridge as a table (each step, the running total before and after) and as a stacked chart: an invisible base,
    the gains, the losses, and the two totals."""
    b = rep.bridge
    cols = [_col("label", _("Step"), wrap=True, width=40), _col("delta", _("Change"), "points", width=11),
            _col("before", _("Total before"), "points", width=11), _col("after", _("Total after"), "points", width=11),
            _col("base", _("(chart) base"), "points", width=10), _col("gain", _("Gain"), "points", width=10),
            _col("loss", _("Loss"), "points", width=10), _col("total", _("Total"), "points", width=10)]
    rows: list[list[Any]] = []
    if b["start"] is not None:
        rows.append([b["start_label"], None, None, b["start"], 0.0, None, None, b["start"]])
        running = b["start"]
        for s in b["steps"]:
            after = running + s["delta"]
            rows.append([s["label"], s["delta"], running, after, min(running, after), s["delta"] if s["delta"] > 0 else None,
                         -s["delta"] if s["delta"] < 0 else None, None])
            running = after
    rows.append([b["end_label"], None, None, b["end"], 0.0, None, None, b["end"]])
    totals = [r[3] for r in rows]
    lo = _axis_min(totals)

    def chart(wb: Any, ws: Any, at: Placement) -> None:
        c = wb.add_chart({"type": "bar", "subtype": "stacked"})
        first, last = at.first_row, at.first_row + len(rows) - 1
        cats = [at.sheet, first, 0, last, 0]
        c.add_series({"name": [at.sheet, at.header_row, 4], "categories": cats, "values": [at.sheet, first, 4, last, 4],
                      "fill": {"none": True}, "border": {"none": True}})
        c.add_series({"name": [at.sheet, at.header_row, 7], "categories": cats, "values": [at.sheet, first, 7, last, 7],
                      "fill": {"color": NOW}, "data_labels": {"value": True, "num_format": "#,##0.00"}})
        c.add_series({"name": [at.sheet, at.header_row, 5], "categories": cats, "values": [at.sheet, first, 5, last, 5],
                      "fill": {"color": GAIN}, "data_labels": {"value": True, "num_format": "+#,##0.00"}})
        c.add_series({"name": [at.sheet, at.header_row, 6], "categories": cats, "values": [at.sheet, first, 6, last, 6],
                      "pattern": {"pattern": "wide_upward_diagonal", "fg_color": "#FFFFFF", "bg_color": LOSS},
                      "border": {"color": LOSS}, "data_labels": {"value": True, "num_format": "−#,##0.00"}, "gap": 40})
        _chart_text(wb, c, _("From the {label} total to {year}: what each pillar gained or lost").format(
            label=rep.compare["label"], year=rep.meta["year"]))
        c.set_x_axis({"min": lo, "num_format": "#,##0", "major_gridlines": {"visible": True}})
        c.set_y_axis({"reverse": True, "num_font": {"size": 9}})
        c.set_legend({"position": "bottom", "delete_series": [0]})
        _chartsheet(wb, _("Chart of the bridge"), c, page)

    return Sheet(_("Bridge"), cols, rows, title=_("From the {label} total to {year}").format(label=rep.compare["label"], year=rep.meta["year"]),
                 subtitle=tables.pillar_note(rep), decorate=chart)


def _axis_min(values: list[float]) -> float:
    """Where the bridge's axis starts: 0, or a round value below the smallest total when the steps would be slivers."""
    lo, hi = min(values), max(values)
    if lo <= 0 or lo <= 1.5 * (hi - lo):
        return 0.0
    step = 10 ** math.floor(math.log10(max(hi - lo, 1.0)))
    return max(0.0, math.floor((lo - 0.35 * (hi - lo)) / step) * step)


def gaps_sheet(rep: Report) -> Sheet:
    cmp = rep.compare
    cols = [_col("rank", _("#"), "int", width=5), _col("code", _("Code"), "id", width=8), _col("name", _("Indicator"), wrap=True, width=34),
            _col("lead", _("Lead agency"), wrap=True, width=20), _col("max", _("Max"), "points", width=8),
            _col("previous", cmp["indicators_against"], "points", width=9), _col("now", _("Now"), "points", width=9),
            _col("estimate", _("Counted as"), "points", width=9), _col("change", _("Change"), "points", width=9),
            _col("at_stake", _("Points at stake"), "points", width=9), _col("status", _("Status"), wrap=True, width=13),
            _col("target", _("Target {year}").format(year=rep.meta["year"]), wrap=True, width=20),
            _col("met", _("Target met"), "bool_text", width=9), _col("action", _("What to do about it"), wrap=True, width=56)]
    rows = []
    for g in rep.gaps:
        name = g["name"] + (" (" + _("shared") + ")" if g.get("shared") else "")
        rows.append([g["rank"], g["code"], name, tables.leads(g), g["max_points"], g["previous"], g["now"], g["estimate"], g["change"],
                     g["at_stake"], tables.status_words(g["status"]), g["target"], tables.met_words(g["target_met"]), g["action"]["text"]])
    t = _("Indicators short of their max, by points at stake")
    if rep.agency:
        t = _("{agency}: indicators short of their max (shared: led jointly or as one of a group)").format(agency=rep.agency["name"])
    return Sheet(_("Gaps"), cols, rows, title=t, landscape=True)


def quick_sheet(rep: Report) -> Sheet:
    cols = [_col("code", _("Code"), "id"), _col("name", _("Indicator"), wrap=True, width=40), _col("lead", _("Lead agency"), wrap=True, width=24),
            _col("points", _("Points it brings"), "points", width=10), _col("action", _("What to do about it"), wrap=True, width=60)]
    return Sheet(_("Quick wins"), cols, [[q["code"], q["name"], tables.leads(q), q["at_stake"], q["action"]["short"]] for q in rep.quick_wins],
                 title=_("Quick wins: indicators at 0 that a yes/no decision brings to full points"))


def regressions_sheet(rep: Report) -> Sheet:
    prev = rep.compare["indicators_against"]
    cols = [_col("code", _("Code"), "id"), _col("name", _("Indicator"), wrap=True, width=44), _col("lead", _("Lead agency"), wrap=True, width=24),
            _col("previous", prev, "points", width=10), _col("now", _("Now"), "points", width=10), _col("change", _("Change"), "points", width=10)]
    return Sheet(_("Regressions"), cols, [[x["code"], x["name"], tables.leads(x), x["previous"], x["now"], x["change"]] for x in rep.regressions],
                 title=_("Indicators below their {label} score").format(label=prev))


def agencies_sheet(rep: Report, page: PageText) -> Sheet:
    total = rep.headline["points_at_stake"] or 1.0
    cols = [_col("agency", _("Lead agency"), wrap=True, width=44), _col("at_stake", _("Points at stake"), "points", width=11),
            _col("share", _("Share"), "percent", width=9), _col("joint", _("Joint lead"), "bool_text", width=9),
            _col("count", _("Indicators"), "int", width=10), _col("codes", _("Codes"), wrap=True, width=40), _col("ids", _("Ids (for machines)"), "id")]
    rows = [[a["name"], a["at_stake"], a["at_stake"] / total, i18n.yes_no(a["joint"]), len(a["indicators"]), ", ".join(a["indicators"]), a["id"]]
            for a in rep.agencies]
    n = len(rows)

    def chart(wb: Any, ws: Any, at: Placement) -> None:
        c = wb.add_chart({"type": "bar"})
        first, last = at.first_row, at.first_row + n - 1
        c.add_series({"name": [at.sheet, at.header_row, 1], "categories": [at.sheet, first, 0, last, 0], "values": [at.sheet, first, 1, last, 1],
                      "fill": {"color": NOW}, "data_labels": {"value": True, "num_format": "#,##0.00"}})
        _chart_text(wb, c, _("Points at stake by lead agency"))
        c.set_legend({"none": True})
        c.set_x_axis({"min": 0, "num_format": "#,##0", "major_gridlines": {"visible": True}})
        c.set_y_axis({"reverse": True, "num_font": {"size": 10}})
        _chartsheet(wb, _("Chart by agency"), c, page)

    note = _("An indicator led by several bodies counts once, in the row of its joint lead, so the rows add up to the points at stake.")
    return Sheet(_("By agency"), cols, rows, title=_("Points at stake by lead agency"), subtitle=note, decorate=chart if n else None)


def no_data_sheet(rep: Report) -> Sheet:
    cols = [_col("code", _("Code"), "id"), _col("name", _("Indicator"), wrap=True, width=36), _col("input", _("Input id"), "id"),
            _col("label", _("Missing figure"), wrap=True, width=44), _col("who", _("Supplied by"), wrap=True, width=30)]
    rows = [[x["code"], x["name"], m["input"], m["label"], "; ".join(m["supplier_names"])] for x in rep.problems["no_data"] for m in x["missing"]]
    return Sheet(_("Missing figures"), cols, rows, title=_("Indicators without data (0 points)"))


def problems_sheet(rep: Report) -> Sheet:
    t = tables.findings(rep)
    cols = [_col("title", _("Problem"), wrap=True, width=50), _col("severity", _("Severity"), width=14), _col("count", _("Count"), "int"),
            _col("code", _("Code"), "id", width=30), _col("from", _("Found by"))]
    f, s = rep.problems["findings"], rep.problems["scoring"]
    rows = [[x["title"], _(tables.SEVERITY_WORDS.get(x["severity"], x["severity"])), x["count"], x["code"], _("merge")] for x in (f["by_code"] if f else [])]
    rows += [[x["title"], _(tables.SEVERITY_WORDS.get(x["severity"], x["severity"])), x["count"], x["code"], _("score")] for x in s["by_code"]]
    return Sheet(_("Problems"), cols, rows, title=_("Problems found in the data"), subtitle=t.note)


def adjustments_sheet(rep: Report) -> Sheet:
    t = tables.adjustments(rep)
    cols = [_col("input", _("Input id"), "id"), _col("new", _("New value")), _col("reason", _("Reason"), wrap=True, width=50),
            _col("by", _("By"), wrap=True, width=20), _col("date", _("Date"))]
    return Sheet(_("Adjustments"), cols, t.rows, title=t.title)


def history_sheet(rep: Report) -> Sheet | None:
    """The total and the pillars round by round (``--history``), points as numbers."""
    t = tables.history(rep)
    if t is None:
        return None
    h = rep.history
    cols = [_col("line", t.head[0], wrap=True, width=36),
            *(_col(f"r{k}", head, "points", wrap=True, width=12) for k, head in enumerate(t.head[1:-1])),
            _col("change", t.head[-1], "points", width=10)]
    rows = [[row[0], *ln["points"], ln["change"]] for row, ln in zip(t.rows, h["lines"], strict=True)]
    return Sheet(_("By year"), cols, rows, title=t.title, subtitle=t.note)


def write_xlsx(rep: Report, path: str | Path, *, banner: str | None = None, force: bool = False, inputs: tuple[str, ...] = ()) -> Path:
    page = PageText(header=" · ".join((rep.meta["province_full"], f"DTI {rep.meta['year']}", _("Report"))), footer=_("Page &P of &N"),
                    banner=banner)
    sheets = [summary_sheet(rep), priorities_sheet(rep), pillars_sheet(rep, page), bridge_sheet(rep, page), gaps_sheet(rep), quick_sheet(rep),
              regressions_sheet(rep), agencies_sheet(rep, page), history_sheet(rep), no_data_sheet(rep), problems_sheet(rep), adjustments_sheet(rep)]
    sheets = [s for s in sheets if s is not None]
    stamp = {"format": FORMAT, "format_version": str(FORMAT_VERSION), "lang": rep.lang, "year": str(rep.meta["year"])}
    with atomic_output(path, force=force, inputs=inputs) as tmp:
        write_workbook(tmp, sheets, page=page, stamp=stamp)
    return Path(path)
