"""Checking the data files as a whole (``dti catalog check``): sums, leads, the baseline.

Errors are what makes a catalogue unusable; warnings are differences the seed itself has (the
published pillar 6 score, 77.76, against its sub-indicators' 72.78), shown and never "fixed".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..core import i18n
from ..core.errors import DtiError
from ..core.findings import Finding
from ..core.i18n import N_, _
from .catalogue import INDICATOR, PILLAR, untranslated
from .context import Context
from .model import Catalogue
from .profile import Profile

#: Published pillar scores may differ from the sum of their sub-indicators by rounding only.
ROUNDING = 0.05

#: Where a problem is: its kind → words. A finding's data keeps "kind code" ("pillar 6") for machines.
WHERE = {"catalogue": N_("the catalogue"), "pillar": PILLAR, "indicator": INDICATOR, "baseline": N_("{year} result, indicator {code}"),
         "baseline_total": N_("{year} result")}


def check_data(ctx: Context) -> list[Finding]:
    """Everything that must hold across the catalogue, the baseline and the profile; errors first."""
    cat, baseline, profile = ctx.catalogue, ctx.baseline, ctx.profile
    out: list[Finding] = []

    def add(code: str, where: tuple[str, str], message: str, **data: object) -> None:
        kind, ref = where
        words = _(WHERE[kind]).format(code=ref, year=baseline.year)
        key = {"baseline_total": "baseline"}.get(kind, kind) + (f" {ref}" if ref else "")
        source = Path(baseline.path if code.startswith("baseline.") else cat.path).name
        out.append(Finding(code, f"{words}: {message}", file=source, data={"where": key, **data}))

    if profile.year != cat.year:
        add("catalogue.profile_year", ("catalogue", ""), _("the profile {path} names the year {profile}, the catalogue {year}: the round is the "
                                                           "catalogue's").format(path=profile.path, profile=profile.year, year=cat.year))
    scored = [x for x in cat.pillars.values() if x.scored]
    total = sum(x.max_points for x in scored)
    if abs(total - cat.total_points) > 1e-9:
        add("catalogue.pillar_sum", ("catalogue", ""), _("pillar maxima add up to {sum}, not {total}").format(
            sum=i18n.num(total), total=i18n.num(cat.total_points)))
    for code in list(cat.pillars) + [i.code for i in cat.indicators.values() if i.is_aggregate]:
        kids = cat.children(code)
        is_pillar = code in cat.pillars
        mx = cat.pillars[code].max_points if is_pillar else cat.indicators[code].max_points
        where = ("pillar" if is_pillar else "indicator", code)
        if is_pillar and not cat.pillars[code].scored:
            if kids:
                add("catalogue.unscored_pillar", where, _("is not scored but has indicators"))
            continue
        s = sum(k.max_points for k in kids)
        if abs(s - mx) > 1e-9:
            add("catalogue.children_sum", where, _("children add up to {sum}, not its max {max}").format(sum=i18n.num(s), max=i18n.num(mx)))
    for ind in cat.indicators.values():
        where = ("indicator", ind.code)
        if ind.pillar not in cat.pillars:
            add("catalogue.unknown_pillar", where, _("pillar {pillar} does not exist").format(pillar=ind.pillar))
        for uid in ind.lead:
            try:
                profile.by_id(uid)
            except DtiError:
                add("catalogue.unknown_lead", where, _("lead {unit!r} is not a unit of the profile {path}").format(unit=uid, path=profile.path))
        if ind.lead_seed:
            try:
                got = {u.id for u in profile.resolve_many(ind.lead_seed)}
            except DtiError as e:
                add("catalogue.lead_unresolved", where, _("the lead agency as the plan's appendix writes it, {text!r}, names no unit of the profile: {error}").format(text=ind.lead_seed, error=e))
            else:
                if got != set(ind.lead):
                    add("catalogue.lead_reading", where, _("the lead agency as the plan's appendix writes it, {text!r}, reads as {got}; the catalogue says {lead}").format(
                        text=ind.lead_seed, got=", ".join(sorted(got)), lead=", ".join(ind.lead)))
    _english(cat, profile, add)
    for ind in cat.indicators.values():
        where = ("indicator", ind.code)
        b = baseline.indicators.get(ind.code)
        if b is None:
            add("baseline.missing_score", where, _("no {year} score in the baseline").format(year=baseline.year))
        elif b.score > ind.max_points + 1e-9:
            add("baseline.above_max", where, _("{year} score {score} exceeds the max {max}").format(
                year=baseline.year, score=i18n.num(b.score), max=i18n.num(ind.max_points)))
    for code in baseline.indicators:
        if code in cat.indicators:
            continue
        if baseline.year < cat.year:  # the baseline is an earlier round, scored under its own methodology
            add("baseline.retired_indicator", ("baseline", code), _("is not an indicator of the {year} catalogue (the methodology changed): "
                                                                    "comparisons leave it out").format(year=cat.year))
        else:
            add("baseline.unknown_indicator", ("baseline", code), _("is not an indicator of the catalogue"))
    for ind in cat.indicators.values():
        if ind.is_aggregate and ind.code in baseline.indicators:
            s = sum(baseline.score(k.code) or 0 for k in cat.children(ind.code))
            if abs(s - baseline.indicators[ind.code].score) > ROUNDING:
                add("baseline.children_sum", ("indicator", ind.code),
                    _("{year} children add up to {sum}, the note says {score}").format(
                        year=baseline.year, sum=i18n.num(s), score=i18n.num(baseline.indicators[ind.code].score)))
    for code, pr in baseline.pillars.items():
        if not pr.scored or pr.score is None:
            continue
        where = ("pillar", code)
        if code in cat.pillars and abs(cat.pillars[code].max_points - pr.max_points) > 1e-9:
            add("baseline.pillar_max", where, _("max {max} in the catalogue, {published} in the summary table").format(
                max=i18n.num(cat.pillars[code].max_points), published=i18n.num(pr.max_points)))
        s = round(sum(baseline.score(i.code) or 0 for i in cat.children(code)), 3)
        if abs(s - pr.score) > ROUNDING:
            add("baseline.pillar_sum", where,
                _("{year} sub-indicator scores add up to {sum} against {published} published (difference {diff})").format(
                    year=baseline.year, sum=i18n.num(s, 3), published=i18n.num(pr.score, 3), diff=i18n.signed(s - pr.score)),
                sum=s, published=pr.score)
    s = sum(x.score or 0 for x in baseline.pillars.values() if x.scored)
    if abs(s - baseline.total) > ROUNDING:
        add("baseline.total_sum", ("baseline_total", ""), _("pillar scores add up to {sum} against the published total {total}").format(
            sum=i18n.num(s, 3), total=i18n.num(baseline.total, 3)))
    out.sort(key=lambda x: not x.is_error)
    return out


#: Where the English of a text goes, by the field :func:`untranslated` names.
ENGLISH_GOES = {"source_en": N_("add source_en to [catalogue]"), "target_en": N_("add target_en"), "deadline_en": N_("add deadline_en, "
                "or the deadline to [phrases]"), "phrases": N_("add it to [phrases]"), "units": N_("add the unit to [units]")}


def _english(cat: Catalogue, profile: Profile, add: Callable[..., None]) -> None:
    """A warning for each text an English run would show in Vietnamese (the catalogue gives no English)."""

    def is_unit(text: str) -> bool:
        try:
            profile.resolve(text)  # a unit's id or one of its names
        except DtiError:
            return False
        return True

    for code, iid, field, text in untranslated(cat, is_unit):
        where = ("indicator", code) if code else ("catalogue", "")
        what = _("unit of measure {unit!r} of input {id}").format(unit=text, id=iid) if iid else repr(text)
        add("catalogue.no_english", where, _("no English for {what}; an English run shows it as it is: {fix}").format(
            what=what, fix=_(ENGLISH_GOES[field])), field=field, text=text, **({"input": iid} if iid else {}))
