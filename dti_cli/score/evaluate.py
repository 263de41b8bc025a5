"""Scoring indicators from their inputs, and rolling them up to aggregates, pillars and the total.

Each indicator's rule is asked for its score through the registry; this module only decides
what is missing. A rule (or one part of a ``parts`` rule) that reads a missing input, or one
declared "no data", earns 0, as the Ministry scores missing data, and the indicator's status
says so (``no_data``) apart from a measured 0. A relative rule without its national reference
values is ``needs_reference``: it counts in no confirmed total, and the estimated total carries
the baseline's score forward. Points keep full precision; only displays round.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core import i18n
from ..core.findings import Finding
from ..core.i18n import N_, _
from ..formats.scores import IndicatorScore, PillarScore, Scores
from ..methodology.context import Context
from ..methodology.model import Indicator, NoData, unusable
from ..methodology.rules import EPS, NeedsReference, Values, clamp01
from ..methodology.rules.parts import part_label
from .adjustments import apply_adjustments

#: Why a value cannot be scored, in words (codes from methodology.model.unusable and merge's statuses).
WHY = {
    "missing": N_("no figure yet"),
    "no_data": N_("the unit declared 'no data'"),
    "not_yes_no": N_("not a yes/no answer"),
    "not_choice": N_("not one of the choices"),
    "not_number": N_("not a number"),
    "not_finite": N_("not a finite number"),
    "merge_missing": N_("no figure yet (no unit filled it in)"),
    "merge_conflict": N_("the units gave different values (a conflict), not settled yet"),
    "merge_invalid": N_("the value was not valid when merged"),
}


@dataclass
class Outcome:
    fraction: float
    trace: str
    status: str  # scored | no_data | needs_reference
    missing: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)


def _missing(rule: Any, values: Mapping[str, Any], ind: Indicator, why: dict[str, str]) -> list[str]:
    out = []
    for iid in rule.needed(values):
        reason = unusable(ind.input_map.get(iid), values.get(iid))
        if reason:
            why.setdefault(iid, reason)
            out.append(iid)
    return out


def _no_data_trace(v: Values, missing: list[str], why: Mapping[str, str]) -> str:
    items = "; ".join(f"{v.name(i)} ({i}): {_(WHY.get(why.get(i, 'missing'), why.get(i, 'missing')))}" for i in missing)
    return _("figures missing — {items} → 0 (the Ministry scores 0 when there is no data)").format(items=items)


def evaluate(ind: Indicator, values: Mapping[str, Any], refs: Mapping[str, float] | None = None,
             why: dict[str, str] | None = None) -> Outcome:
    """Apply the indicator's rule to the values. ``why`` collects the reason each missing input is missing."""
    why = {} if why is None else why
    refs = refs or {}
    rule, mx = ind.rule, ind.max_points
    v = Values(ind, values)
    pieces = rule.components()
    several = len(pieces) > 1
    total, texts, missing, needs = 0.0, [], [], []
    for k, piece in enumerate(pieces, 1):
        pmx = piece.weight * mx if several else mx
        head = part_label(k, pmx) if several else ""
        gone = _missing(piece, values, ind, why)
        if gone:
            missing += gone
            texts.append(head + _no_data_trace(v, gone, why))
            continue
        try:
            f, t = piece.score(v, pmx, refs)
        except NeedsReference as e:
            needs += e.keys
            texts.append(head + e.trace)
            continue
        total += (piece.weight if several else 1.0) * clamp01(f)
        texts.append(head + t)
    f = clamp01(total)
    trace = "; ".join(texts)
    if several:
        trace += " ⇒ " + _("total {points}/{max}").format(points=i18n.pts(f * mx), max=i18n.num(mx))
    status = "no_data" if missing else "needs_reference" if needs else "scored"
    if not several and status != "scored":
        f = 0.0
    return Outcome(f, trace, status, list(dict.fromkeys(missing)), list(dict.fromkeys(needs)))


def score_values(ctx: Context, values: Mapping[str, Any], references: Mapping[tuple[str, str], float] | None = None,
                 adjustments: Iterable[Mapping[str, Any]] = (), *, statuses: Mapping[str, str] | None = None,
                 problems: Iterable[Finding] = (), source: Mapping[str, Any] | None = None,
                 provenance: Mapping[str, Mapping[str, Any]] | None = None) -> Scores:
    """Score every indicator, roll up to the aggregates (5.12, 8.8), the pillars and the total.

    ``values``: input id → float | bool | choice value code | NO_DATA (a missing key = no data).
    ``references``: (indicator, key) → value, for the relative rules. ``adjustments``: rows of
    the Adjustments sheet (input_id, new_value, reason, by, date, row), applied over the values.
    ``statuses``: the merge status of each input, to say in the trace why one is missing.
    """
    cat, base = ctx.catalogue, ctx.baseline
    lang = i18n.language()
    vals = dict(values)
    applied, found = apply_adjustments(cat, vals, adjustments)
    adjusted_ids = {a["input_id"] for a in applied}
    refs_all = {(str(i), str(k)): float(x) for (i, k), x in (references or {}).items()}
    by_ind: dict[str, dict[str, float]] = {}
    for (i, k), x in refs_all.items():
        by_ind.setdefault(i, {})[k] = x
    merge_status = dict(statuses or {})
    out: dict[str, IndicatorScore] = {}
    for ind in cat.indicators.values():
        b = base.score(ind.code)
        common = {"name": ind.name(lang), "lead": tuple(ind.lead), "parent": ind.parent, "score_baseline": b}
        if ind.is_aggregate:
            out[ind.code] = IndicatorScore(ind.code, 0.0, ind.max_points, "sum", "", **common)
            continue
        why: dict[str, str] = {}
        for i in ind.inputs:
            st = merge_status.get(i.id)
            if st in ("missing", "conflict", "invalid") and i.id not in vals:
                why[i.id] = f"merge_{st}"
        oc = evaluate(ind, vals, by_ind.get(ind.code, {}), why)
        pts = min(max(oc.fraction * ind.max_points, 0.0), ind.max_points)
        inputs = {i.id: vals.get(i.id) for i in ind.inputs}
        in_status = {}
        for i in ind.inputs:
            x = vals.get(i.id)
            st = "no_data" if isinstance(x, NoData) else "missing" if x is None else "invalid" if unusable(i, x) else "ok"
            if x is None and merge_status.get(i.id) in ("conflict", "invalid"):
                st = merge_status[i.id]
            in_status[i.id] = "adjusted" if i.id in adjusted_ids and st == "ok" else st
        points = pts if oc.status != "needs_reference" else 0.0
        carried = oc.status == "needs_reference"
        est = (b or 0.0) if carried else points
        trace = oc.trace
        if carried:
            trace += " ⇒ " + _("not in the confirmed total; the estimated total uses the {year} score = {points}").format(
                year=base.year, points=i18n.num(b))
        out[ind.code] = IndicatorScore(ind.code, points, ind.max_points, oc.status, trace, inputs, estimated_points=min(est, ind.max_points),
                                       estimated_from_baseline=carried,
                                       adjusted=tuple(i for i in adjusted_ids if i in inputs),
                                       missing=tuple(oc.missing), needs_references=tuple(oc.needs), input_status=in_status, **common)
    # Roll-up: deepest aggregates first (8.8.1-8.8.3 before 8.8).
    for ind in sorted((i for i in cat.indicators.values() if i.is_aggregate), key=lambda i: -i.depth):
        kids = cat.children(ind.code)
        s = out[ind.code]
        s.points = min(math.fsum(out[k.code].points for k in kids), ind.max_points)
        s.estimated_points = min(math.fsum(out[k.code].estimated_points for k in kids), ind.max_points)
        s.trace = " + ".join(f"{k.code}: {i18n.pts(out[k.code].points)}" for k in kids) + f" = {i18n.pts(s.points)}/{i18n.num(ind.max_points)}"
        if abs(s.estimated_points - s.points) > EPS:
            s.trace += " (" + _("estimated {points}").format(points=i18n.pts(s.estimated_points)) + ")"
    pillars = {}
    for code, p in cat.pillars.items():
        if not p.scored:
            continue
        kids = cat.children(code)
        pts = min(math.fsum(out[k.code].points for k in kids), p.max_points)
        est = min(math.fsum(out[k.code].estimated_points for k in kids), p.max_points)
        pillars[code] = PillarScore(code, p.name(lang), pts, p.max_points, est)
    scores = Scores(
        indicators=out,
        pillars=pillars,
        total_confirmed=math.fsum(p.points for p in pillars.values()),
        total_estimated=math.fsum(p.estimated_points for p in pillars.values()),
        max_total=cat.total_points,
        catalogue={"id": cat.id, "version": cat.version, "sha256": cat.sha256, "year": str(cat.year)},
        year=cat.year,
        baseline_year=base.year,
        source=dict(source or {}),
        adjustments=applied,
        references=refs_all,
        problems=[*problems, *found],
        provenance={k: dict(x) for k, x in (provenance or {}).items()},
        lang=lang,
    )
    received, expected = scores.input_counts()
    if expected and received * 2 < expected:
        scores.problems.insert(0, Finding("score.few_inputs", _(
            "Only {received} of the {expected} inputs were received: this score is far from the province's real result. "
            "See who has not returned with `dti status`.").format(received=received, expected=expected),
            data={"received": received, "expected": expected}))
    return scores
