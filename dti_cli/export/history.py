"""Rounds and years side by side: the total, each pillar and each indicator, with the change from one to the next.

The line-up starts with the published results the baseline holds (the year before the baseline:
the total and the pillars, from the published changes; the baseline year: the total, the
pillars and every indicator), then each round scored, oldest year first (rounds of the same year
in the order given).

A scored round is read by its **estimated** points by default: an indicator that lacks its
national reference values then carries its baseline score (as the estimated total does), so the
line compares with a published result; ``measure="confirmed"`` reads the confirmed points
instead (such an indicator then counts 0, and so does the total's share of it). A figure a round
does not have is None (the year before the baseline has no indicator scores), and so is a change
to or from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.errors import UsageError
from ..core.i18n import _
from ..formats.scores import Scores
from ..methodology.context import Context

MEASURES = ("estimated", "confirmed")
LEVELS = ("total", "pillar", "indicator")


@dataclass(frozen=True)
class Round:
    """One column of the line-up: its year, its label (the file, or the baseline's file) and where it comes from."""

    year: int
    label: str
    kind: str  # baseline | scores


@dataclass
class Line:
    """One row of the line-up: the total, a pillar or an indicator, its points in each round (None: not known)."""

    level: str
    code: str
    name: str
    max_points: float | None
    points: list[float | None]
    ranks: list[int | None]
    parent: str = ""

    @property
    def changes(self) -> list[float | None]:
        """The change from the round before, for each round (None for the first, and where either is unknown)."""
        out: list[float | None] = [None]
        for a, b in zip(self.points, self.points[1:], strict=False):
            out.append(None if a is None or b is None else b - a)
        return out

    @property
    def change(self) -> float | None:
        """From the first round that has the figure to the last that has it (None with fewer than two)."""
        known = [p for p in self.points if p is not None]
        return known[-1] - known[0] if len(known) > 1 else None


@dataclass
class History:
    """The line-up: the rounds (columns) and the lines (total, pillars, indicators)."""

    rounds: list[Round]
    lines: list[Line] = field(default_factory=list)
    measure: str = "estimated"

    def line(self, code: str) -> Line:
        """The line of an indicator or pillar code, or ``total``."""
        for ln in self.lines:
            if ln.code == code:
                return ln
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (what ``dti history --format json`` prints)."""
        return {
            "measure": self.measure,
            "rounds": [{"year": r.year, "label": r.label, "kind": r.kind} for r in self.rounds],
            "lines": [{"level": ln.level, "code": ln.code, "name": ln.name, "parent": ln.parent, "max_points": ln.max_points,
                       "points": list(ln.points), "changes": ln.changes, "ranks": list(ln.ranks), "change": ln.change} for ln in self.lines],
        }

    def rows(self) -> list[list[Any]]:
        """The long form, one row per line and round, in :data:`FRAME_COLUMNS` order."""
        out = []
        for ln in self.lines:
            for k, r in enumerate(self.rounds):
                out.append([ln.level, ln.code, ln.name, ln.parent, ln.max_points, r.year, r.label, r.kind, ln.points[k], ln.changes[k],
                            ln.ranks[k]])
        return out

    def to_frame(self) -> Any:
        """The long form as a pandas DataFrame: one row per line and round (points and change ``float64``, NaN where unknown)."""
        from ..core.frames import frame

        return frame(FRAME_COLUMNS, self.rows())


def _frame_columns() -> list[Any]:
    from ..core.frames import Col

    return [Col("level", "category", LEVELS), Col("code", "string"), Col("name", "string"), Col("parent", "string"),
            Col("max_points", "float64"), Col("year", "Int64"), Col("round", "string"), Col("kind", "category", ("baseline", "scores")),
            Col("points", "float64"), Col("change", "float64"), Col("rank", "Int64")]


#: The columns of :meth:`History.to_frame` (and of ``dti history --format csv``).
FRAME_COLUMNS = _frame_columns()


def history(ctx: Context, rounds: Sequence[tuple[str, Scores]], *, measure: str = "estimated", baseline: bool = True) -> History:
    """Line up the baseline's published results (unless ``baseline=False``) and each (label, scores) given, oldest year first."""
    if measure not in MEASURES:
        raise UsageError(_("measure {measure!r}: estimated or confirmed.").format(measure=measure))
    cat, b = ctx.catalogue, ctx.baseline
    lang = i18n.language()
    ordered = sorted(rounds, key=lambda r: r[1].year)  # stable: rounds of one year stay in the order given
    cols: list[Round] = []
    if baseline:
        label = Path(b.path).name
        cols += [Round(b.previous_year, label, "baseline"), Round(b.year, label, "baseline")]
    cols += [Round(s.year, label, "scores") for label, s in ordered]
    est = measure == "estimated"

    total = Line("total", "total", _("Total"), b.max_points if baseline else None, [], [])
    if baseline:
        total.points += [b.total_prev, b.total]
        total.ranks += [b.rank_prev, b.rank]
    for _label, s in ordered:
        total.points.append(s.total_estimated if est else s.total_confirmed)
        total.ranks.append(None)
        total.max_points = total.max_points or s.max_total
    lines = [total]

    pillar_codes = list(dict.fromkeys([*(c for c, p in cat.pillars.items() if p.scored), *(c for _l, s in ordered for c in s.pillars)]))
    for code in pillar_codes:
        p = cat.pillars.get(code)
        pub = b.pillars.get(code)
        ln = Line("pillar", code, p.name(lang) if p else next((s.pillars[code].name for _l, s in ordered if code in s.pillars), code),
                  p.max_points if p else None, [], [])
        if baseline:
            ln.points += [pub.score_prev if pub else None, float(pub.score) if pub and pub.score is not None else None]
            ln.ranks += [pub.rank_prev if pub else None, pub.rank if pub else None]
        for _l, s in ordered:
            ps = s.pillars.get(code)
            ln.points.append(None if ps is None else ps.estimated_points if est else ps.points)
            ln.ranks.append(None)
        lines.append(ln)

    codes = list(dict.fromkeys([*cat.indicators, *(c for _l, s in ordered for c in s.indicators)]))
    for code in codes:
        ind = cat.indicators.get(code)
        first = next((s.indicators[code] for _l, s in ordered if code in s.indicators), None)
        ln = Line("indicator", code, ind.name(lang) if ind else (first.name if first else code),
                  ind.max_points if ind else (first.max_points if first else None), [], [], ind.parent if ind else (first.parent if first else ""))
        if baseline:
            ln.points += [None, b.score(code)]
            ln.ranks += [None, None]
        for _l, s in ordered:
            x = s.indicators.get(code)
            ln.points.append(None if x is None else x.estimated_points if est else x.points)
            ln.ranks.append(None)
        lines.append(ln)
    return History(cols, lines, measure)
