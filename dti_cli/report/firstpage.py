"""The first page in words: three to five sentences a director reads before any table.

Generated from the report's numbers, in the run's language: the total and its change (the
published baseline and its rank said as "hạng 58/63 năm 2022"), the pillars that moved most,
the largest gaps and who leads them, what to do first with its concrete step, and the data's
problems in words with their counts. When fewer than half of the inputs arrived, that comes first
(and the pillars' movement, meaningless then, is left out).
"""

from __future__ import annotations

from typing import Any

from ..core import i18n
from ..core.i18n import _
from ..methodology.context import Context

EPS = 1e-9


def rank_words(rank: int | None, of: int | None, year: int | None) -> str:
    """'hạng 58/63 năm 2022' (vi), 'rank 58/63 in 2022' (en)."""
    if rank is None:
        return ""
    if year is None:
        return _("rank {rank}/{of}").format(rank=rank, of=of)
    return _("rank {rank}/{of} in {year}").format(rank=rank, of=of, year=year)


def change_words(x: float | None) -> str:
    """'up 12.34 points', 'down 4.98 points', 'unchanged'."""
    if x is None:
        return "—"
    if abs(x) < 0.005:
        return _("unchanged")
    return (_("up {points} points") if x > 0 else _("down {points} points")).format(points=i18n.pts(abs(x)))


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _lead(item: dict[str, Any]) -> str:
    return "; ".join(item.get("lead_short") or item.get("lead_names") or item.get("lead") or []) or "—"


def sentences(ctx: Context, rep: Any) -> list[str]:
    h = rep.headline
    out: list[str] = []
    if h["few_inputs"]:
        out.append(_("Only {received} of the {expected} inputs have arrived: these figures are far from the province's real result; "
                     "see who has not returned with `dti status`.").format(received=i18n.integer(h["inputs_received"]),
                                                                            expected=i18n.integer(h["inputs_expected"])))
    out.append(_total(ctx, rep))
    if rep.agency is not None:
        out.append(_agency(rep))
    elif not h["few_inputs"]:
        moved = _pillars_moved(rep)
        if moved:
            out.append(moved)
    if rep.gaps:
        top = rep.gaps[:3]
        items = [_("{code} ({points} points, {lead})").format(code=g["code"], points=i18n.pts(g["at_stake"]), lead=_lead(g)) for g in top]
        out.append(_("{n} indicators are short of their max by {points} points in all; the largest gaps: {items}.").format(
            n=i18n.integer(len(rep.gaps)), points=i18n.pts(sum(g["at_stake"] for g in rep.gaps)), items=_and(items)))
        first = _first_step(rep)
        if first:
            out.append(first)
    else:
        out.append(_("Every indicator is at its max."))
    data = _data(rep)
    if data and len(out) < 5:
        out.append(data)
    return out[:5]


def _total(ctx: Context, rep: Any) -> str:
    h, cmp = rep.headline, rep.compare
    s = _("{province} self-assesses {total}/{max} points for {year}").format(
        province=ctx.profile.name_full, total=i18n.pts(h["total_estimated"]), max=i18n.num(h["max_points"]), year=ctx.year)
    extra = []
    if h["change"] is not None:
        s += ", " + _("{change} against {label}").format(change=change_words(h["change"]), label=cmp["label"])
        rank = rank_words(h["previous_rank"], h["previous_of"], cmp["year"])
        published = h["previous_published"]
        if h["basis"] == "indicators" and published is not None and abs(published - h["previous_total"]) >= 0.005:
            extra.append(_("{previous} points by the sum of its indicators' scores; the published result is {published} points, {rank}").format(
                previous=i18n.pts(h["previous_total"]), published=i18n.pts(published), rank=rank))
        elif published is not None:
            extra.append(_("{previous} points, {rank}").format(previous=i18n.pts(h["previous_total"]), rank=rank))
        else:
            extra.append(_("{previous} points").format(previous=i18n.pts(h["previous_total"])))
    if h["needs_reference"]:
        extra.append(_("{n} indicators without national reference values count at their {year} score ({points} points)").format(
            n=h["needs_reference"], year=ctx.baseline.year, points=i18n.pts(h["carried_points"])))
    if rep.national:
        n = rep.national
        extra.append(_("with this total the province would rank {rank}/{of} in {file}").format(rank=n["rank"], of=n["of"], file=n["file"]))
    if extra:
        s += " (" + "; ".join(extra) + ")"
    return s + "."


def _pillars_moved(rep: Any) -> str:
    moved = [p for p in rep.pillars if p["change"] is not None]
    if not moved:
        return ""
    up = sorted((p for p in moved if p["change"] >= 0.005), key=lambda p: -p["change"])[:2]
    down = sorted((p for p in moved if p["change"] <= -0.005), key=lambda p: p["change"])[:2]
    if not up and not down:
        return _("No pillar moved against {label}.").format(label=rep.compare["label"])

    def item(p: dict[str, Any]) -> str:
        return f"{p['code']}. {p['name']} ({i18n.signed(p['change'])})"

    parts = []
    if up:
        parts.append(_("gained most: {items}").format(items=_and([item(p) for p in up])))
    if down:
        parts.append(_("lost: {items}").format(items=_and([item(p) for p in down])))
    text = _("Against {label}, the pillars that {parts}.").format(label=rep.compare["label"], parts="; ".join(parts))
    return text


def _agency(rep: Any) -> str:
    a = rep.agency
    return _("{name} leads {n} indicators short of their max ({points} points) and shares {m} more with other units "
             "({shared_points} points; marked shared).").format(
        name=a["name"], n=len(a["indicators"]), points=i18n.pts(a["own_at_stake"]), m=len(a["shared"]),
        shared_points=i18n.pts(a["shared_at_stake"]))


def _first_step(rep: Any) -> str:
    if not rep.priorities:
        return ""
    p = rep.priorities[0]
    step = p["action"]["short"]
    quick = rep.quick_wins
    if quick:
        return _("{n} yes/no decisions bring {points} points at once; first {code} ({lead}): {step}.").format(
            n=len(quick), points=i18n.pts(sum(q["at_stake"] for q in quick)), code=p["code"], lead=_lead(p), step=step)
    return _("What to do first: {code} ({lead}): {step}.").format(code=p["code"], lead=_lead(p), step=step)


def _data(rep: Any) -> str:
    pr = rep.problems
    parts = []
    if pr["no_data"]:
        parts.append(_("{n} indicators have no data and score 0 ({codes})").format(
            n=len(pr["no_data"]), codes=", ".join(x["code"] for x in pr["no_data"])))
    f = pr["findings"]
    if f and f["total"]:
        words = ", ".join(f"{x['title']} ({x['count']})" for x in f["by_code"][:3])
        parts.append(_("merging found {errors} errors and {warnings} warnings: {words}").format(
            errors=i18n.integer(f["errors"]), warnings=i18n.integer(f["warnings"]), words=words))
    s = [x for x in pr["scoring"]["by_code"] if x["code"] != "score.few_inputs"]
    if s:
        parts.append(_("scoring set aside: {words}").format(words=", ".join(f"{x['title']} ({x['count']})" for x in s[:3])))
    if not parts:
        return ""
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."
