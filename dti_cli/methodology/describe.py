"""The catalogue as rows for listings (``dti catalog``): one dict per indicator or agency, JSON-ready."""

from __future__ import annotations

from typing import Any

from ..core import i18n
from ..core.errors import UnknownNameError
from .context import Context
from .model import Indicator


def indicator_row(ctx: Context, ind: Indicator) -> dict[str, Any]:
    """One indicator as JSON: its fields, its rule in words (both languages) and its baseline score."""
    d = ind.to_dict()
    with i18n.using("vi"):
        d["rule_vi"] = ind.rule.words(ind, ind.max_points)
    with i18n.using("en"):
        d["rule_en"] = ind.rule.words(ind, ind.max_points)
    d["lead_names"] = [ctx.profile.name_of(u) for u in ind.lead]
    d["score_baseline"] = ctx.baseline.score(ind.code)
    d["baseline_year"] = ctx.baseline.year
    d["lead_seed"] = ind.lead_seed
    return d


def catalogue_rows(ctx: Context, pillar: str | None = None, agency: str | None = None) -> list[dict[str, Any]]:
    cat = ctx.catalogue
    inds = list(cat.indicators.values())
    if pillar is not None:
        p = pillar.strip()
        if p not in cat.pillars:
            raise UnknownNameError("pillar", p, list(cat.pillars))
        inds = [i for i in inds if i.pillar == p]
    if agency is not None:
        unit = ctx.profile.resolve(agency)
        inds = [i for i in inds if unit.id in i.lead]
    return [indicator_row(ctx, i) for i in inds]


def agency_rows(ctx: Context) -> list[dict[str, Any]]:
    cat, prof = ctx.catalogue, ctx.profile
    rows = []
    for u in prof.units:
        led = [i for i in cat.indicators.values() if u.id in i.lead]
        top = [i for i in led if not any(p.code == i.parent and u.id in p.lead for p in led)]
        rows.append({
            "id": u.id, "name": u.name, "short": u.short, "kind": u.kind, "aliases": list(u.aliases),
            "leads": [i.code for i in led], "coordinates": [i.code for i in cat.indicators.values() if u.name in i.coordinating],
            "max_points_led": round(sum(i.max_points for i in top), 3),
        })
    return rows
