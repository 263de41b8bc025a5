"""Commitments: what the plan asks each lead agency to commit to, and how the commitments stand.

:func:`commitment_lines` turns an agency's indicators into the rows of its commitment workbook
(:mod:`dti_cli.formats.commitments`): one per figure its indicators need to move, with the value
now and the value each level needs. :func:`assess` reads the returned commitments against the
round's values now:

- a commitment below the value when the workbook was written (or, for a yes/no or a choice,
  one that earns fewer points than now) is a finding (``plan.commitment_below_now``), as is one
  above what the rule can use (``plan.commitment_above_use``: past the value of full points);
- the same figure committed in two workbooks: the one written last counts, with a finding;
- each commitment is **met** (the value now reaches it), **on track** (its figure has moved at
  least as far, from the value it had when committed, as the time gone towards its date) or
  **behind** (less far, or its date has passed). A decision not yet taken is on track until its
  date. A commitment without a date is due at the end of the round's year (said so).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..core import i18n
from ..core.findings import Finding
from ..core.i18n import N_, _
from ..formats.commitments import Commitment, CommitmentFile, CommitmentLine
from ..formats.scores import json_value
from ..methodology import steps
from ..methodology.context import Context
from ..methodology.model import Indicator
from ..methodology.rules.base import Need, is_num
from .actions import IndicatorPlan, missing_sentence

STATUS_WORDS = {"met": N_("met"), "on_track": N_("on track"), "behind": N_("behind")}
LEVEL_WORDS = {"next": N_("next step"), "step": N_("step"), "full": N_("full points"), "target": N_("target {year}"),
               "cap": N_("most reachable")}


def level_name(key: str, year: int) -> str:
    return _(LEVEL_WORDS.get(key, key)).format(year=year)


def _choices(ind: Indicator, iid: str) -> tuple[tuple[str, Any], ...]:
    inp = ind.input_map[iid]
    if inp.type == "yes_no":
        return ((i18n.yes_no(True), True), (i18n.yes_no(False), False))
    if inp.type == "choice":
        return tuple((c.label(i18n.language()), c.value) for c in inp.choices)
    return ()


def _sum(values: Mapping[str, Any], inputs: Sequence[str]) -> Any:
    if len(inputs) == 1:
        return values.get(inputs[0])
    xs = [values.get(i) for i in inputs]
    return sum(float(x) for x in xs) if all(is_num(x) for x in xs) else None


def commitment_lines(ctx: Context, plans: Iterable[IndicatorPlan], unit_id: str, values: Mapping[str, Any]) -> list[CommitmentLine]:
    """The rows of one lead agency's commitment workbook: each figure its indicators short of full need to move."""
    lang, year = i18n.language(), ctx.year
    out: list[CommitmentLine] = []
    for p in plans:
        ind = p.ind
        if unit_id not in ind.lead:
            continue
        # figure → value asked → (the levels asking it, the points it brings): "full points, target 2023: 656.000 hồ sơ → +9,94"
        asked: dict[tuple[str, ...], dict[Any, tuple[list[str], float]]] = {}
        for s in (*p.levels, p.target, p.cap):
            if s is None:
                continue
            for n in s.needs:
                names, _gain = asked.setdefault(n.inputs, {}).setdefault(n.value, ([], s.gain))
                names.append(level_name(s.key, year))
        figures: dict[tuple[str, ...], list[str]] = {
            inputs: [f"{', '.join(names)}: {steps.figure_words(ind, inputs, v)} → +{i18n.pts(g)}" for v, (names, g) in by_value.items()]
            for inputs, by_value in asked.items()}
        if not figures:  # nothing computed (inputs missing, references needed): each input the rule reads, to commit to
            note = missing_sentence(p)
            for iid in ind.rule.input_ids():
                if ind.rule.direction(iid) != 0:
                    figures[(iid,)] = [note] if note else []
        for inputs, lines in figures.items():
            first = ind.input_map[inputs[0]]
            what = " + ".join(f"{ind.input_map[i].label(lang)} ({i})" for i in inputs if i in ind.input_map)
            out.append(CommitmentLine(inputs, ind.code, ind.name(lang), what, first.unit_in(lang) if first.numeric else "", _sum(values, inputs),
                                      "\n".join(lines), _choices(ind, inputs[0])))
    return out


@dataclass
class CommitmentStatus:
    """A commitment and how it stands against the values now."""

    commitment: Commitment
    now: Any
    status: str  # met | on_track | behind
    due: date
    due_assumed: bool
    progress: float | None = None  # share of the way from the value then to the commitment
    elapsed: float | None = None  # share of the time from the workbook to the date
    points: float | None = None  # the indicator's points if the commitment is kept
    gain: float | None = None

    @property
    def code(self) -> str:
        return self.commitment.indicator

    def status_words(self) -> str:
        return _(STATUS_WORDS[self.status])

    def to_dict(self) -> dict[str, Any]:
        return {**self.commitment.to_dict(), "now": json_value(self.now), "status": self.status, "status_words": self.status_words(),
                "due": self.due.isoformat(), "due_assumed": self.due_assumed, "progress": self.progress, "elapsed": self.elapsed,
                "points": self.points, "gain": self.gain}


def _need(c: Commitment, now: Any) -> Need:
    op = ">=" if is_num(c.value) else "="
    return Need(c.inputs, op, c.value, now)


def changes_of(statuses: Iterable[CommitmentStatus], values: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs that change when every commitment is kept."""
    after = steps.apply_needs(values, [_need(s.commitment, s.now) for s in statuses])
    return {k: v for k, v in after.items() if values.get(k) != v}


def _latest(files: Sequence[CommitmentFile], findings: list[Finding]) -> list[Commitment]:
    """Every commitment once: the figure committed in two workbooks counts from the one written last."""
    chosen: dict[tuple[str, ...], Commitment] = {}
    for f in sorted(files, key=lambda f: f.written or date.min):
        for c in f.commitments:
            old = chosen.get(c.inputs)
            if old is not None:
                findings.append(Finding("plan.commitment_duplicate", _(
                    "{key}: committed in {old} and in {new}; the one written last ({new}) counts.").format(
                    key="+".join(c.inputs), old=old.file, new=c.file), file=c.file, cell=c.cell, unit=c.unit_id))
            chosen[c.inputs] = c
    return list(chosen.values())


def assess(ctx: Context, files: Sequence[CommitmentFile], plans: Mapping[str, IndicatorPlan], values: Mapping[str, Any],
           refs: Mapping[str, Mapping[str, float]], today: date) -> tuple[list[CommitmentStatus], list[Finding]]:
    """How every commitment stands today, and the findings about them (those of the files included)."""
    findings: list[Finding] = [f for cf in files for f in cf.findings]
    out: list[CommitmentStatus] = []
    for c in _latest(files, findings):
        ind = ctx.catalogue.indicators.get(c.indicator)
        if ind is None:
            continue
        now = _sum(values, c.inputs)
        r = refs.get(ind.code, {})
        points_now = steps.points(ind, values, r)
        kept = steps.points(ind, steps.apply_needs(values, [_need(c, now)]), r)
        where = {"file": c.file, "cell": c.cell, "unit": c.unit_id, "input": c.inputs[0]}
        shown = steps.figure_words(ind, c.inputs, c.value)
        if is_num(c.value):
            then = c.then if is_num(c.then) else now
            if is_num(then) and float(c.value) < float(then) - 1e-9:
                findings.append(Finding("plan.commitment_below_now", _(
                    "{code}: the commitment {value} is below the value when it was asked ({then}); is it a typing mistake?").format(
                    code=ind.code, value=shown, then=steps.figure_words(ind, c.inputs, then)), **where))
            p = plans.get(ind.code)
            full = next((n for n in (p.full.needs if p is not None and p.full else ()) if n.inputs == c.inputs), None)
            limit = full.value if full is not None else (now if p is None else None)
            if is_num(limit) and float(c.value) > float(limit) + 1e-9:
                findings.append(Finding("plan.commitment_above_use", _(
                    "{code}: the commitment {value} is above what the rule can use ({limit} already gives full points); the points stop there.").format(
                    code=ind.code, value=shown, limit=steps.figure_words(ind, c.inputs, limit)), **where))
        elif kept < points_now - 1e-9:
            findings.append(Finding("plan.commitment_below_now", _(
                "{code}: the commitment '{value}' earns fewer points than the answer now ({now}).").format(
                code=ind.code, value=shown, now=steps.figure_words(ind, c.inputs, now)), **where))
        out.append(_status(ctx, c, now, today, kept, kept - points_now))
    return out, findings


def _status(ctx: Context, c: Commitment, now: Any, today: date, points: float, gain: float) -> CommitmentStatus:
    due = c.by or date(ctx.year, 12, 31)
    s = CommitmentStatus(c, now, "on_track", due, c.by is None, points=points, gain=gain)
    if is_num(c.value):
        met = is_num(now) and float(now) >= float(c.value) - 1e-9
    else:
        met = now == c.value or gain <= 1e-9  # the answer given, or one worth as much
    if met:
        s.status = "met"
        return s
    if today > due:
        s.status = "behind"
        return s
    then = c.then
    if is_num(c.value) and is_num(then) and float(c.value) > float(then):
        moved = (float(now) if is_num(now) else float(then)) - float(then)
        s.progress = max(0.0, moved / (float(c.value) - float(then)))
        start = c.written or today
        span = (due - start).days
        s.elapsed = min(1.0, max(0.0, (today - start).days / span)) if span > 0 else 1.0
        s.status = "on_track" if s.progress >= s.elapsed - 1e-9 else "behind"
    return s
