"""The report's tables in words: one source for the HTML page, the Markdown file and the terminal.

Each :class:`TextTable` is a title, a header and rows of text in the run's language (numbers
through :mod:`dti_cli.core.i18n`: two decimals for points). The xlsx writer does not use these:
its cells hold the numbers themselves, from the same report data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core import i18n
from ..core.i18n import N_, _
from .firstpage import rank_words
from .model import Report

STATUS_WORDS = {"improved": N_("improved"), "declined": N_("declined"), "unchanged": N_("unchanged"), "no_data": N_("no data"),
                "needs_reference": N_("needs a national reference"), "no_previous": N_("nothing to compare with")}
BASIS_WORDS = {"indicators": N_("sum of its indicators' {year} scores"), "published": N_("published {year} score"),
               "file": N_("the earlier scores file")}
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning"), "info": N_("information")}


@dataclass
class TextTable:
    key: str
    title: str
    head: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)  # columns aligned right
    note: str | None = None
    row_classes: list[str] = field(default_factory=list)  # per row (the status), for the page's colours


def status_words(code: str) -> str:
    return _(STATUS_WORDS.get(code, code))


def met_words(v: bool | None) -> str:
    return "—" if v is None else _("met") if v else _("not met")


def leads(item: dict[str, Any], short: bool = False) -> str:
    names = item.get("lead_short") if short else item.get("lead_names")
    return "; ".join(names or item.get("lead") or []) or "—"


def title(rep: Report) -> str:
    return _("Digital Transformation Index (DTI) {year}: {province}").format(year=rep.meta["year"], province=rep.meta["province_full"])


def subtitle(rep: Report) -> str:
    cmp = rep.compare
    parts = [_("Self-assessment compared with {label}").format(label=cmp["label"])]
    src = rep.meta["source"]
    if src.get("file"):
        parts.append(_("scores from {file}").format(file=src["file"]))
    return "; ".join(parts)


def basis_words(rep: Report, kind: str) -> str:
    return _(BASIS_WORDS.get(kind, kind)).format(year=rep.compare["year"] or "")


def figures(rep: Report) -> TextTable:
    """The headline figures, one per row."""
    h, cmp = rep.headline, rep.compare
    rows = [[_("Self-assessed total"), f"{i18n.pts(h['total_estimated'])} / {i18n.num(h['max_points'])}"]]
    if abs(h["total_confirmed"] - h["total_estimated"]) > 1e-9:
        rows.append([_("Confirmed total (without the indicators that lack a national reference)"), i18n.pts(h["total_confirmed"])])
    if h["previous_total"] is not None:
        rows.append([_("Compared with: {label} ({basis})").format(label=cmp["label"], basis=basis_words(rep, h["basis"])),
                     i18n.pts(h["previous_total"])])
        rows.append([_("Change"), i18n.signed(h["change"])])
    if h["previous_published"] is not None:
        rows.append([_("Published {year} result").format(year=cmp["year"]),
                     f"{i18n.pts(h['previous_published'])} ({rank_words(h['previous_rank'], h['previous_of'], cmp['year'])})"])
    if rep.national:
        n = rep.national
        rows.append([_("Rank this total would have ({file})").format(file=n["file"]), f"{n['rank']}/{n['of']}"])
    rows.append([_("Indicators short of their max"), _("{n} ({points} points at stake)").format(
        n=i18n.integer(h["short_of_max"]), points=i18n.pts(h["points_at_stake"]))])
    rows.append([_("Inputs received"), f"{i18n.integer(h['inputs_received'])} / {i18n.integer(h['inputs_expected'])}"])
    if h["needs_reference"]:
        rows.append([_("Indicators estimated at their {year} score (no national reference yet)").format(year=rep.meta["baseline_year"]),
                     _("{n} ({points} points)").format(n=h["needs_reference"], points=i18n.pts(h["carried_points"]))])
    return TextTable("figures", _("Key figures"), [_("Figure"), _("Value")], rows, {1})


def pillars(rep: Report) -> TextTable:
    """Each pillar against what it is compared with; against the baseline, the published figure beside it (* where they differ)."""
    cmp = rep.compare
    published = cmp["kind"] != "file" and any(p["previous_published"] is not None for p in rep.pillars) and cmp["kind"] == "baseline"
    head = [_("Pillar"), _("Name"), _("Max"), cmp["label"], *([_("Published {year}").format(year=cmp["year"])] if published else []),
            _("Now"), _("Change"), _("Index {label}").format(label=cmp["label"]), _("Index now"), _("Gap to max")]
    rows = []
    for p in rep.pillars:
        prev = i18n.pts(p["previous"]) + (" *" if p["baseline_differs"] else "")
        pub = [i18n.pts(p["previous_published"])] if published else []
        rows.append([p["code"], p["name"], i18n.num(p["max_points"]), prev, *pub, i18n.pts(p["now"]), i18n.signed(p["change"]),
                     i18n.pts(p["previous_index"]), i18n.pts(p["index"]), i18n.pts(p["gap"])])
    h = rep.headline
    pub = [i18n.pts(h["previous_published"])] if published else []
    rows.append(["", _("Total"), i18n.num(h["max_points"]), i18n.pts(h["previous_total"]), *pub, i18n.pts(h["total_estimated"]),
                 i18n.signed(h["change"]),
                 i18n.pts(None if h["previous_total"] is None else h["previous_total"] / h["max_points"]),
                 i18n.pts(h["index"]), i18n.pts(h["max_points"] - h["total_estimated"])])
    return TextTable("pillars", _("Points by pillar"), head, rows, set(range(2, len(head))), note=pillar_note(rep),
                     row_classes=[""] * len(rep.pillars) + ["total"])


def pillar_note(rep: Report) -> str:
    """Which baseline each line uses, and where the published figures differ from the sum of their parts."""
    cmp = rep.compare
    if cmp["kind"] == "file":
        return _("Pillars, indicators and the total are compared with {label}.").format(label=cmp["label"])
    if cmp["kind"] == "baseline_previous":
        return _("Pillars and the total are compared with the published {year} figures (that year was published by pillar only); "
                 "indicators with their {base} scores.").format(year=cmp["year"], base=rep.meta["baseline_year"])
    text = _("Each pillar and the total are compared with the sum of their indicators' {year} scores, as each indicator is, "
             "so that a pillar moves only when its indicators do.").format(year=cmp["year"])
    odd = [p for p in rep.pillars if p["baseline_differs"]]
    if odd:
        items = "; ".join(_("pillar {code}: published {published}, its indicators add up to {sum} ({diff})").format(
            code=p["code"], published=i18n.pts(p["previous_published"]), sum=i18n.pts(p["previous_by_indicators"]),
            diff=i18n.signed(p["baseline_difference"])) for p in odd)
        text += " " + _("* The published {year} results differ from the sum of their parts: {items}. The plan's appendix gives "
                        "both figures; dti keeps both and changes neither (dti catalog check lists them).").format(year=cmp["year"], items=items)
    h = rep.headline
    if h["previous_published"] is not None and h["previous_total"] is not None and abs(h["previous_published"] - h["previous_total"]) >= 0.005:
        text += " " + _("The published {year} total is {published}; the indicators add up to {sum}.").format(
            year=cmp["year"], published=i18n.pts(h["previous_published"]), sum=i18n.pts(h["previous_total"]))
    return text


def priorities(rep: Report) -> TextTable:
    head = [_("Code"), _("Indicator"), _("Lead agency"), _("Points at stake"), _("What to do about it")]
    rows = [[p["code"], p["name"], leads(p, short=True), i18n.pts(p["at_stake"]), p["action"]["short"]] for p in rep.priorities]
    return TextTable("priorities", _("What to do first: the yes/no decisions and the largest gaps"), head, rows, {3})


def gaps(rep: Report, top: int | None = None) -> TextTable:
    cmp = rep.compare
    head = [_("#"), _("Code"), _("Indicator"), _("Lead agency"), _("Max"), cmp["indicators_against"], _("Now"), _("Change"),
            _("Points at stake"), _("Status"), _("Target met"), _("What to do about it")]
    shown = rep.gaps[:top] if top else rep.gaps
    rows = []
    for g in shown:
        name = g["name"] + (" (" + _("shared") + ")" if g.get("shared") else "")
        rows.append([str(g["rank"]), g["code"], name, leads(g, short=True), i18n.num(g["max_points"]), i18n.pts(g["previous"]),
                     i18n.pts(g["now"]) if g["now"] is not None else f"({i18n.pts(g['estimate'])})", i18n.signed(g["change"]),
                     i18n.pts(g["at_stake"]), status_words(g["status"]), met_words(g["target_met"]), g["action"]["text"]])
    more = len(rep.gaps) - len(shown)
    note = _("… and {n} more: every format written with -o holds them all (the xlsx, csv and json in full).").format(n=more) if more > 0 else None
    t = _("Indicators short of their max, by points at stake")
    if rep.agency:
        t = _("{agency}: indicators short of their max (shared: led jointly or as one of a group)").format(agency=rep.agency["name"])
    return TextTable("gaps", t, head, rows, {0, 4, 5, 6, 7, 8}, note=note, row_classes=[g["status"] for g in shown])


def quick_wins(rep: Report) -> TextTable:
    head = [_("Code"), _("Indicator"), _("Lead agency"), _("Points it brings"), _("What to do about it")]
    rows = [[q["code"], q["name"], leads(q), i18n.pts(q["at_stake"]), q["action"]["short"]] for q in rep.quick_wins]
    return TextTable("quick_wins", _("Quick wins: indicators at 0 that a yes/no decision brings to full points"), head, rows, {3})


def regressions(rep: Report) -> TextTable:
    prev = rep.compare["indicators_against"]
    head = [_("Code"), _("Indicator"), _("Lead agency"), prev, _("Now"), _("Change")]
    rows = [[x["code"], x["name"], leads(x), i18n.pts(x["previous"]), i18n.pts(x["now"]), i18n.signed(x["change"])] for x in rep.regressions]
    return TextTable("regressions", _("Indicators below their {label} score").format(label=prev), head, rows, {3, 4, 5},
                     row_classes=["declined"] * len(rows))


def agencies(rep: Report) -> TextTable:
    total = rep.headline["points_at_stake"] or 1.0
    head = [_("Lead agency"), _("Points at stake"), _("Share"), _("Indicators")]
    rows = [[a["name"] + (" (" + _("joint lead") + ")" if a["joint"] else ""), i18n.pts(a["at_stake"]), i18n.pct(a["at_stake"] / total),
             ", ".join(a["indicators"])] for a in rep.agencies]
    rows.append([_("Total"), i18n.pts(sum(a["at_stake"] for a in rep.agencies)), i18n.pct(1.0), ""])
    note = _("An indicator led by several bodies counts once, in the row of its joint lead, so the rows add up to the points at stake.")
    return TextTable("agencies", _("Points at stake by lead agency"), head, rows, {1, 2}, note=note,
                     row_classes=[""] * len(rep.agencies) + ["total"])


def no_data(rep: Report) -> TextTable:
    head = [_("Code"), _("Indicator"), _("Missing figures"), _("Supplied by")]
    rows = []
    for x in rep.problems["no_data"]:
        missing = "; ".join(f"{m['label']} ({m['input']})" for m in x["missing"]) or "—"
        who = "; ".join(dict.fromkeys(n for m in x["missing"] for n in m["supplier_names"])) or leads(x)
        rows.append([x["code"], x["name"], missing, who])
    return TextTable("no_data", _("Indicators without data (0 points)"), head, rows)


def references(rep: Report) -> TextTable:
    head = [_("Code"), _("Indicator"), _("Reference values needed"), _("Counted at ({year} score)").format(year=rep.meta["baseline_year"])]
    rows = [[x["code"], x["name"], ", ".join(x["keys"]), i18n.pts(x["estimate"])] for x in rep.problems["needs_reference"]]
    return TextTable("needs_reference", _("Indicators waiting for national reference values"), head, rows, {3})


def adjustments(rep: Report) -> TextTable:
    head = [_("Input id"), _("New value"), _("Reason"), _("By"), _("Date")]  # the value before: in the JSON and the scores file
    rows = [[str(a.get("input_id") or ""), _value(a.get("new_value")), str(a.get("reason") or ""), str(a.get("by") or ""),
             str(a.get("date") or "")] for a in rep.problems["adjustments"]]
    return TextTable("adjustments", _("Adjustments applied by the focal point"), head, rows)


def findings(rep: Report) -> TextTable:
    f = rep.problems["findings"]
    scoring = rep.problems["scoring"]
    head = [_("Problem"), _("Severity"), _("Count"), _("Code")]
    rows = []
    if f:
        rows += [[x["title"], _(SEVERITY_WORDS.get(x["severity"], x["severity"])), i18n.integer(x["count"]), x["code"]] for x in f["by_code"]]
    rows += [[x["title"], _(SEVERITY_WORDS.get(x["severity"], x["severity"])), i18n.integer(x["count"]), x["code"]] for x in scoring["by_code"]]
    notes = []
    if f:
        notes.append(_("From merging ({file}): {errors} errors, {warnings} warnings, {info} for information.").format(
            file=f["file"], errors=i18n.integer(f["errors"]), warnings=i18n.integer(f["warnings"]), info=i18n.integer(f["info"])))
        if f["in_replaced_files"]:
            notes.append(_("{n} more are in files replaced by newer ones; they are listed in the merged workbook and do not count.").format(
                n=i18n.integer(f["in_replaced_files"])))
    else:
        notes.append(_("No merged workbook beside the scores: the findings of merging are not in this report."))
    return TextTable("findings", _("Problems found in the data"), head, rows, {2}, note=" ".join(notes))


def history(rep: Report) -> TextTable | None:
    """The total and the pillars in each round and year lined up (``--history``), with the change from the first to the last."""
    h = rep.history
    if not h:
        return None
    rounds = h["rounds"]
    head = [_("Pillar"), *(f"{r['year']} ({r['label']})" if r["kind"] == "scores" else _("{year} (published)").format(year=r["year"]) for r in rounds),
            _("Change")]
    rows = []
    for ln in h["lines"]:
        name = _("Total") if ln["level"] == "total" else f"{ln['code']}. {ln['name']}"
        rows.append([name, *("—" if p is None else i18n.pts(p) for p in ln["points"]),
                     "—" if ln["change"] is None else i18n.signed(ln["change"])])
    note = None
    if h.get("measure") == "estimated":
        note = _("A round's points are its estimated points: an indicator without its national reference values carries its baseline score.")
    return TextTable("history", _("Rounds and years"), head, rows, numeric=set(range(1, len(head))), note=note)


def _value(v: Any) -> str:
    if v is None:
        return ""
    if v == "no_data":
        return _("No data")
    if isinstance(v, bool):
        return i18n.yes_no(v)
    if isinstance(v, (int, float)):
        return i18n.num(float(v), 4)
    return str(v)
