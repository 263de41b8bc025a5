"""The report as data: :func:`build_report` turns scores into a :class:`Report` whose ``to_dict`` is the JSON.

Every other form (terminal, HTML, xlsx, Markdown, CSV) is written from this same data, so the
numbers a director reads on paper are the numbers of the JSON.

What is compared with what, said on every line (``basis``):

- ``--compare`` the baseline year (2022): each indicator with its baseline score; each pillar
  and the total with the SUM of their indicators' baseline scores, so that a round repeating
  every baseline score shows no pillar moving. Where the published pillar score differs from
  that sum (pillar 6: 77.76 published, 72.78 by its indicators), both are kept and the
  difference is explained; the bridge goes from the published total through that difference.
- the year before the baseline (2021, published by pillar only): pillars and the total with
  the published figures; indicators still with the baseline's.
- an earlier scores file: everything with that file's scores.

Points at stake per agency count every point once: an indicator led jointly (4.5, 4.6: every
department, district and commune) is one row for the joint lead. One agency's page lists
the indicators it leads alone and those it shares (marked shared).

Why one module of ~520 lines: the report's numbers are computed here and only here (the writers
format them), so that every form of the report says the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.findings import Finding, by_code
from ..core.i18n import _
from ..formats.merged import Merged
from ..formats.national import National
from ..formats.scores import IndicatorScore, Scores, json_value
from ..methodology.context import Context
from ..methodology.model import Indicator, NoData, code_key
from ..methodology.rules.base import NeedsReference
from ..methodology.steps import target_level
from .actions import action_for

FORMAT = "dti-report"
FORMAT_VERSION = 2
EPS = 1e-9
#: Published figures may differ from their parts by rounding only (as `dti catalog check` allows).
ROUNDING = 0.05
#: Status of an indicator against what it is compared with (JSON keys; the words are in STATUS_WORDS).
STATUSES = ("improved", "declined", "unchanged", "no_data", "needs_reference", "no_previous")


@dataclass
class Report:
    """The report; :meth:`to_dict` is the JSON output and the source of every other format."""

    lang: str
    meta: dict[str, Any]
    headline: dict[str, Any]
    pillars: list[dict[str, Any]]
    bridge: dict[str, Any]
    gaps: list[dict[str, Any]]
    priorities: list[dict[str, Any]]
    quick_wins: list[dict[str, Any]]
    regressions: list[dict[str, Any]]
    agencies: list[dict[str, Any]]
    problems: dict[str, Any]
    summary: list[str] = field(default_factory=list)
    agency: dict[str, Any] | None = None
    national: dict[str, Any] | None = None
    #: Rounds and years side by side (``--history``): ``rounds`` (year, label, kind) and ``lines`` (the total and the
    #: pillars: code, name, max_points, points per round, change from the first to the last), as the history's JSON.
    history: dict[str, Any] | None = None
    #: The files the report was made from (not in its JSON): an output is never written over one of them.
    inputs: list[Path] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "lang": self.lang,
            **self.meta,
            "summary": self.summary,
            "headline": self.headline,
            "national": self.national,
            "agency": self.agency,
            "pillars": self.pillars,
            "bridge": self.bridge,
            "priorities": self.priorities,
            "gaps": self.gaps,
            "quick_wins": self.quick_wins,
            "regressions": self.regressions,
            "agencies": self.agencies,
            "problems": self.problems,
            "history": self.history,
        }

    @property
    def compare(self) -> dict[str, Any]:
        return self.meta["compare"]

    # -- pandas (imported by these methods only; the API's frames, docs/API.md) ------------------

    def to_frame(self) -> Any:
        """The ranked gaps, one row each (every indicator short of its max, the most points at stake first): points now,
        before and at the baseline, the change, what is at stake, the status against what it is compared with, the step."""
        from ..core.frames import Col, frame
        from .actions import KINDS

        cols = [Col("rank", "Int64"), Col("code", "string"), Col("name", "string"), Col("pillar", "string"), Col("lead", "string"),
                Col("max_points", "float64"), Col("score_baseline", "float64"), Col("previous", "float64"), Col("now", "float64"),
                Col("estimate", "float64"), Col("change", "float64"), Col("at_stake", "float64"), Col("status", "category", STATUSES),
                Col("target_met", "boolean"), Col("action_kind", "category", KINDS), Col("action", "string")]
        return frame(cols, ([g.get("rank"), g["code"], g["name"], g.get("pillar"), " ".join(g.get("lead") or ()), g.get("max_points"),
                             g.get("score_baseline"), g.get("previous"), g.get("now"), g.get("estimate"), g.get("change"), g.get("at_stake"),
                             g.get("status"), g.get("target_met"), (g.get("action") or {}).get("kind"), (g.get("action") or {}).get("short")]
                            for g in self.gaps))

    def pillars_frame(self) -> Any:
        """The pillars against what they are compared with, one row each."""
        from ..core.frames import Col, frame

        cols = [Col("code", "string"), Col("name", "string"), Col("max_points", "float64"), Col("now", "float64"),
                Col("now_confirmed", "float64"), Col("index", "float64"), Col("previous", "float64"), Col("change", "float64"),
                Col("gap", "float64"), Col("previous_rank", "Int64")]
        return frame(cols, ([p.get(c.name) for c in cols] for p in self.pillars))

    def agencies_frame(self) -> Any:
        """Points at stake per lead agency (an indicator led jointly counts once, on its joint row), the most first."""
        from ..core.frames import Col, frame

        cols = [Col("id", "string"), Col("name", "string"), Col("short", "string"), Col("joint", "boolean"), Col("at_stake", "float64"),
                Col("indicators", "string")]
        return frame(cols, ([a.get("id"), a.get("name"), a.get("short"), a.get("joint"), a.get("at_stake"),
                             " ".join(a.get("indicators") or ())]
                            for a in self.agencies))


_PLAIN = (str, int, float, bool, type(None))


def plain(v: Any) -> Any:
    """A value as JSON holds it: "no data" as ``"no_data"``, tuples as lists, nested."""
    t = type(v)
    if t in _PLAIN:
        return v
    if t is dict or isinstance(v, Mapping):
        return {k if type(k) is str else str(k): x if type(x) in _PLAIN else plain(x) for k, x in v.items()}
    if t is list or t is tuple:
        return [x if type(x) in _PLAIN else plain(x) for x in v]
    if isinstance(v, NoData):
        return json_value(v)
    return v if isinstance(v, _PLAIN) else str(v)


# ---------------------------------------------------------------------------------------------
# What the round is compared with


@dataclass
class _Basis:
    kind: str  # "baseline", "baseline_previous", "file"
    year: int | None
    label: str  # what a column header says: "2022", "scores_2023.json"
    indicators_label: str  # what the indicators are compared with
    file: str | None = None


def _basis(ctx: Context, compare: int | str | None, previous: Scores | None, previous_file: str | None) -> _Basis:
    base = ctx.baseline
    if previous is not None:
        name = Path(previous_file).name if previous_file else ""
        year = previous.year or None
        label = str(year) if year and year != ctx.year else (name or _("earlier scores"))
        return _Basis("file", year, label, label, name or None)
    y = base.year if compare in (None, "") else compare
    try:
        year = int(str(y).strip())
    except ValueError:
        year = None
    if year == base.year:
        return _Basis("baseline", year, str(year), str(year))
    if year == base.previous_year:
        return _Basis("baseline_previous", year, str(year), str(base.year))
    from ..core.errors import UsageError

    raise UsageError(_("--compare {value!r}: give {year} (the baseline, indicator by indicator), {previous} (published by pillar only) "
                       "or an earlier scores file.").format(value=str(y), year=base.year, previous=base.previous_year))


# ---------------------------------------------------------------------------------------------
# Building


def build_report(ctx: Context, scores: Scores, *, compare: int | str | None = None, previous: Scores | None = None,
                 previous_file: str | Path | None = None, agency: str | None = None, national: National | None = None,
                 merged: Merged | None = None, source: str | Path | None = None, history: dict[str, Any] | None = None) -> Report:
    """The report of ``scores`` (the round) against the baseline year, the year before it, or ``previous`` scores.

    ``agency``: one agency's page (any spelling). ``national``: the national table of totals.
    ``merged``: the merged workbook the scores came from, for its findings and submissions.
    ``source``: the file the scores were read from (only its name is kept).
    ``history``: earlier rounds and years lined up with this one (a history's ``to_dict()``); the report keeps
    the total and the pillars.
    """
    cat, base = ctx.catalogue, ctx.baseline
    lang = i18n.language()
    basis = _basis(ctx, compare, previous, str(previous_file) if previous_file else None)
    unit = ctx.profile.resolve(agency) if agency else None
    notes: list[Finding] = []

    refs_of: dict[str, dict[str, float]] = {}
    for (code, key), value in scores.references.items():
        refs_of.setdefault(code, {})[key] = value
    rows: list[dict[str, Any]] = []
    for ind in cat.scored_leaves():
        sc = scores.indicators.get(ind.code)
        if sc is None:
            notes.append(Finding("report.not_in_scores", _("{code}: not in the scores file; counted as no data.").format(code=ind.code)))
            sc = IndicatorScore(ind.code, 0.0, ind.max_points, "no_data", "", {i.id: None for i in ind.inputs}, lead=tuple(ind.lead))
        rows.append(_indicator_row(ctx, ind, sc, refs_of.get(ind.code, {}), basis, previous))

    pillars = _pillars(ctx, scores, rows, basis, previous)
    headline = _headline(ctx, scores, rows, pillars, basis, previous)
    bridge = _bridge(ctx, pillars, headline, basis)

    def mine(r: dict[str, Any]) -> bool:
        return unit is None or bool(_share(ctx, unit.id, r["lead"]))

    gaps = sorted((r for r in rows if r["at_stake"] > EPS and mine(r)), key=lambda r: (-r["at_stake"], code_key(r["code"])))
    for i, g in enumerate(gaps, 1):
        g["rank"] = i
        if unit is not None:
            g["shared"] = _share(ctx, unit.id, g["lead"]) == "shared"
    quick = [{k: g[k] for k in ("code", "name", "lead", "lead_names", "at_stake", "action")} for g in gaps if g["action"]["kind"] == "quick_win"]
    quick.sort(key=lambda q: (-q["at_stake"], code_key(q["code"])))
    priorities = _priorities(gaps)
    regressions = [{k: r[k] for k in ("code", "name", "lead", "lead_names", "max_points", "previous", "now", "change", "status")}
                   for r in rows if mine(r) and r["now"] is not None and r["previous"] is not None and r["now"] < r["previous"] - EPS]
    regressions.sort(key=lambda r: (r["change"], code_key(r["code"])))
    agencies = _agencies(ctx, [g for g in rows if g["at_stake"] > EPS])
    page = None
    if unit is not None:
        own = [g for g in gaps if not g["shared"]]
        shared = [g for g in gaps if g["shared"]]
        page = {"id": unit.id, "name": unit.name, "short": unit.short, "at_stake": math.fsum(g["at_stake"] for g in gaps),
                "own_at_stake": math.fsum(g["at_stake"] for g in own), "shared_at_stake": math.fsum(g["at_stake"] for g in shared),
                "indicators": [g["code"] for g in own], "shared": [g["code"] for g in shared]}

    problems = _problems(ctx, scores, rows, merged, notes, mine)
    nat = _national(ctx, national, headline) if national is not None else None
    meta = {
        "province": ctx.profile.name,
        "province_full": ctx.profile.name_full,
        "year": ctx.year,
        "baseline_year": base.year,
        "catalogue": {"id": cat.id, "version": cat.version, "sha256": cat.sha256},
        "source": {"file": Path(str(source)).name if source else None, "kind": scores.source.get("kind") or "scores",
                   "merged": Path(str(scores.source.get("path"))).name if scores.source.get("path") else None},
        "sample": scores.source.get("kind") == "demo",
        "compare": {"kind": basis.kind, "year": basis.year, "label": basis.label, "indicators_against": basis.indicators_label,
                    "file": basis.file},
    }
    for r in rows:
        r.pop("_ind", None)
    rep = Report(lang=lang, meta=meta, headline=headline, pillars=pillars, bridge=bridge, gaps=gaps, priorities=priorities,
                 quick_wins=quick, regressions=regressions, agencies=agencies, problems=problems, agency=page, national=nat,
                 history=_history(history))
    from .firstpage import sentences

    rep.summary = sentences(ctx, rep)
    return rep


def _history(history: dict[str, Any] | None) -> dict[str, Any] | None:
    """The total's and the pillars' lines of a history (the indicators' are the export's and `dti history`'s)."""
    if not history:
        return None
    keep = ("level", "code", "name", "max_points", "points", "change")
    return {"measure": history.get("measure"), "rounds": list(history["rounds"]),
            "lines": [{k: ln.get(k) for k in keep} for ln in history["lines"] if ln.get("level") in ("total", "pillar")]}


def _share(ctx: Context, uid: str, lead: list[str]) -> str | None:
    """How a unit takes part in an indicator's lead: ``own`` (alone), ``shared`` (jointly, or as a member of a group lead), or not."""
    if lead == [uid]:
        return "own"
    return "shared" if any(uid in ctx.profile.expand(x) for x in lead) else None


def _indicator_row(ctx: Context, ind: Indicator, sc: IndicatorScore, refs: Mapping[str, float], basis: _Basis,
                   previous: Scores | None) -> dict[str, Any]:
    base = ctx.baseline
    if previous is not None:
        p = previous.indicators.get(ind.code)
        prev = None if p is None or p.status == "needs_reference" else p.points
    else:
        prev = base.score(ind.code)
    if sc.status == "needs_reference":
        now, estimate, status = None, sc.estimated_points, "needs_reference"
    else:
        now = estimate = sc.points
        if sc.status == "no_data":
            status = "no_data"
        elif prev is None:
            status = "no_previous"
        else:
            status = "improved" if now > prev + EPS else "declined" if now < prev - EPS else "unchanged"
    at_stake = max(0.0, ind.max_points - estimate)
    action = action_for(ctx, ind, sc.inputs, refs, status=sc.status) if at_stake > EPS else None
    gap = (action.gap or {}) if action else {}
    return {
        "code": ind.code,
        "name": ind.name(i18n.language()),
        "pillar": ind.pillar,
        "lead": list(ind.lead),
        "lead_names": [ctx.profile.name_of(u) for u in ind.lead],
        "lead_short": [ctx.profile.short_of(u) for u in ind.lead],
        "joint": len(ind.lead) > 1,
        "max_points": ind.max_points,
        "score_baseline": base.score(ind.code),
        "previous": prev,
        "now": now,
        "estimate": estimate,
        "change": None if now is None or prev is None else now - prev,
        "at_stake": at_stake,
        "status": status,
        "target": ind.target_text(i18n.language()),
        "target_met": gap.get("target_met") if action else _target_met(ind, sc, refs),
        "action": plain(action.to_dict()) if action else None,
        "_ind": ind,
    }


def _target_met(ind: Indicator, sc: IndicatorScore, refs: Mapping[str, float]) -> bool | None:
    """Whether the round's target is met by an indicator at its max (the others' come with their step)."""
    if sc.status == "needs_reference":
        return None
    try:
        return target_level(ind, sc.inputs, refs, sc.points)[1]
    except NeedsReference:
        return None


def _pillars(ctx: Context, scores: Scores, rows: list[dict[str, Any]], basis: _Basis, previous: Scores | None) -> list[dict[str, Any]]:
    cat, base = ctx.catalogue, ctx.baseline
    out = []
    for code, p in cat.pillars.items():
        if not p.scored:
            continue
        ps = scores.pillars.get(code)
        mine = [r for r in rows if r["pillar"] == code]
        now = ps.estimated_points if ps else math.fsum(r["estimate"] for r in mine)
        confirmed = ps.points if ps else math.fsum(r["now"] or 0.0 for r in mine)
        published = rank = None
        by_indicators = None
        bp = base.pillars.get(code)
        if basis.kind == "file":
            pp = previous.pillars.get(code) if previous else None
            prev, kind = (pp.estimated_points if pp else None), "file"
        elif basis.kind == "baseline":
            published, rank = (bp.score, bp.rank) if bp else (None, None)
            scored = [base.score(i.code) for i in cat.scored_leaves() if i.pillar == code]  # as the round's pillar adds up
            by_indicators = math.fsum(s for s in scored if s is not None) if scored and None not in scored else None
            prev, kind = (by_indicators, "indicators") if by_indicators is not None else (published, "published")
        else:
            published, rank = (bp.score_prev, bp.rank_prev) if bp else (None, None)
            prev, kind = published, "published"
        differs = published is not None and by_indicators is not None and abs(published - by_indicators) > ROUNDING
        out.append({
            "code": code,
            "name": p.name(i18n.language()),
            "max_points": p.max_points,
            "now": now,
            "now_confirmed": confirmed,
            "index": now / p.max_points if p.max_points else 0.0,
            "previous": prev,
            "previous_index": None if prev is None or not p.max_points else prev / p.max_points,
            "basis": kind,
            "previous_published": published,
            "previous_by_indicators": by_indicators,
            "baseline_differs": differs,
            "baseline_difference": (by_indicators - published) if differs else None,
            "previous_rank": rank,
            "change": None if prev is None else now - prev,
            "gap": p.max_points - now,
        })
    return out


def _headline(ctx: Context, scores: Scores, rows: list[dict[str, Any]], pillars: list[dict[str, Any]], basis: _Basis,
              previous: Scores | None) -> dict[str, Any]:
    base = ctx.baseline
    received, expected = scores.input_counts()
    few = any(p.code == "score.few_inputs" for p in scores.problems) or (expected > 0 and received * 2 < expected)
    carried = [r for r in rows if r["status"] == "needs_reference"]
    prev_by_pillars = None if any(p["previous"] is None for p in pillars) else math.fsum(p["previous"] for p in pillars)
    if basis.kind == "file":
        published, rank, of, prev = None, None, None, previous.total_estimated if previous else None
    elif basis.kind == "baseline":
        published, rank, of, prev = base.total, base.rank, base.of, prev_by_pillars
    else:
        published, rank, of, prev = base.total_prev, base.rank_prev, base.of, base.total_prev
    now = scores.total_estimated
    return {
        "total_estimated": now,
        "total_confirmed": scores.total_confirmed,
        "max_points": scores.max_total or ctx.catalogue.total_points,
        "index": now / (scores.max_total or ctx.catalogue.total_points),
        "previous_total": prev,
        "previous_published": published,
        "previous_rank": rank,
        "previous_of": of,
        "previous_year": basis.year,
        "basis": "indicators" if basis.kind == "baseline" else basis.kind if basis.kind == "file" else "published",
        "change": None if prev is None else now - prev,
        "change_published": None if published is None else now - published,
        "change_confirmed": None if prev is None else scores.total_confirmed - prev,
        "needs_reference": len(carried),
        "carried_points": math.fsum(r["estimate"] for r in carried),
        "points_at_stake": math.fsum(r["at_stake"] for r in rows),
        "short_of_max": sum(1 for r in rows if r["at_stake"] > EPS),
        "no_data": sum(1 for r in rows if r["status"] == "no_data"),
        "inputs_received": received,
        "inputs_expected": expected,
        "few_inputs": few,
    }


def _bridge(ctx: Context, pillars: list[dict[str, Any]], headline: dict[str, Any], basis: _Basis) -> dict[str, Any]:
    """From the previous total to now: one step per pillar, and first, where the published total is not the sum the
    pillars are compared with, that difference as a step of its own (so the bridge adds up and says why)."""
    if any(p["previous"] is None for p in pillars):
        return {"start": None, "end": headline["total_estimated"], "steps": []}
    by_pillars = math.fsum(p["previous"] for p in pillars)
    published = headline["previous_published"]
    steps = []
    start = by_pillars
    if published is not None and abs(published - by_pillars) >= 0.005:
        start = published
        steps.append({"key": "baseline_difference", "label": _("Difference in the published {year} figures (see the note)").format(year=basis.year),
                      "delta": by_pillars - published})
    for p in pillars:
        steps.append({"key": p["code"], "label": f"{p['code']}. {p['name']}", "delta": p["now"] - p["previous"]})
    end = start + math.fsum(s["delta"] for s in steps)
    return {"start": start, "end": end, "steps": steps, "start_label": _("{label} total").format(label=basis.label),
            "end_label": _("{year} total (self-assessed)").format(year=ctx.year)}


def _priorities(gaps: list[dict[str, Any]], n: int = 5) -> list[dict[str, Any]]:
    """What to do first: every quick win (full points from a yes/no decision), then the ``n`` largest other gaps."""
    quick = [g for g in gaps if g["action"]["kind"] == "quick_win"]
    rest = [g for g in gaps if g["action"]["kind"] != "quick_win"][:n]
    return [{k: g[k] for k in ("code", "name", "lead", "lead_names", "lead_short", "at_stake", "status", "action")} for g in quick + rest]


def _agencies(ctx: Context, gaps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Points at stake per lead; an indicator with several leads counts once, in the row of its joint lead."""
    rows: dict[tuple[str, ...], dict[str, Any]] = {}
    for g in gaps:
        key = tuple(g["lead"])
        a = rows.get(key)
        if a is None:
            a = rows[key] = {"id": "+".join(key), "ids": list(key), "joint": len(key) > 1,
                             "name": "; ".join(ctx.profile.name_of(u) for u in key),
                             "short": "; ".join(ctx.profile.short_of(u) for u in key),
                             "at_stake": 0.0, "indicators": []}
        a["at_stake"] += g["at_stake"]
        a["indicators"].append(g["code"])
    out = sorted(rows.values(), key=lambda a: (-a["at_stake"], a["name"]))
    for a in out:
        a["indicators"].sort(key=lambda c: -next(g["at_stake"] for g in gaps if g["code"] == c))
    return out


def _problems(ctx: Context, scores: Scores, rows: list[dict[str, Any]], merged: Merged | None, notes: list[Finding],
              mine: Any) -> dict[str, Any]:
    no_data = [{"code": r["code"], "name": r["name"], "lead": r["lead"], "lead_names": r["lead_names"],
                "missing": (r["action"] or {}).get("missing") or []} for r in rows if r["status"] == "no_data" and mine(r)]
    refs = [{"code": r["code"], "name": r["name"], "keys": list(r["_ind"].rule.reference_keys()), "estimate": r["estimate"]}
            for r in rows if r["status"] == "needs_reference" and mine(r)]
    adjustments = [plain({k: a.get(k) for k in ("input_id", "indicator", "old_value", "new_value", "reason", "by", "date")})
                   for a in scores.adjustments]
    scoring = [*scores.problems, *notes]
    out: dict[str, Any] = {
        "no_data": no_data,
        "needs_reference": refs,
        "adjustments": adjustments,
        "scoring": {"total": len(scoring), "by_code": _by_code(scoring), "items": [f.to_dict() for f in scoring]},
        "findings": None,
        "submissions": None,
    }
    if merged is not None:
        replaced = {str(s.get("file") or "") for s in merged.submissions if s.get("verdict") == "superseded"}
        used = [f for f in merged.findings if not (f.file and f.file in replaced)]
        out["findings"] = {
            "file": Path(merged.path).name,
            "total": len(used),
            "errors": sum(1 for f in used if f.severity == "error"),
            "warnings": sum(1 for f in used if f.severity == "warning"),
            "info": sum(1 for f in used if f.severity == "info"),
            "in_replaced_files": len(merged.findings) - len(used),
            "by_code": _by_code(used),
        }
        verdicts: dict[str, int] = {}
        for s in merged.submissions:
            v = str(s.get("verdict") or "")
            verdicts[v] = verdicts.get(v, 0) + 1
        out["submissions"] = {"units": len({s.get("unit_id") for s in merged.submissions if s.get("unit_id")}), "by_verdict": verdicts,
                              "not_received": verdicts.get("not_received", 0)}
    return out


def _by_code(findings: list[Finding]) -> list[dict[str, Any]]:
    sev = {f.code: f.severity for f in findings}
    return [{"code": c, "title": t, "severity": sev.get(c, ""), "count": n} for c, t, n in by_code(findings)]


def _national(ctx: Context, table: National, headline: dict[str, Any]) -> dict[str, Any]:
    """The rank the new total would have among the other provinces, and the place of the published baseline total."""
    base = ctx.baseline
    new, new_c = headline["total_estimated"], headline["total_confirmed"]
    return {"file": table.file, "of": table.provinces, "rank": table.rank_of(new), "total": new, "rank_confirmed": table.rank_of(new_c),
            "own_row_left_out": table.own_row_left_out, "own_total": base.total, "own_year": base.year, "own_rank": table.rank_of(base.total),
            "totals": [[n, t] for n, t in table.others]}
