"""A published year's result (the baseline a round is compared with): its summary table and every
indicator's score. The 2022 baseline of Cà Mau is ``data/baseline_2022.toml``.

Changes are against the year before the baseline (``change_vs_previous``), so the previous
year's total, pillar scores and ranks follow from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import DataFileError
from ..core.i18n import _
from .catalogue import INDICATOR, PILLAR, REQUIRED_NUMBER, data_path, read_toml
from .rules import Problems
from .rules.base import is_num


@dataclass(frozen=True)
class PillarResult:
    code: str
    max_points: float
    score: float | None
    change: float | None
    rank: int | None
    rank_change: int | None
    scored: bool = True

    @property
    def score_prev(self) -> float | None:
        """The previous year's score, from the published change."""
        return None if self.score is None or self.change is None else round(self.score - self.change, 3)

    @property
    def rank_prev(self) -> int | None:
        """The previous year's rank: a drop of 12 places (-12) from 52 means 40."""
        return None if self.rank is None or self.rank_change is None else self.rank + self.rank_change


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    score: float
    note_vi: str = ""
    reading: str | None = None


@dataclass
class Baseline:
    """A published year's result: the summary table and the score of every indicator."""

    path: str
    year: int
    province: str
    total: float
    max_points: float
    change: float
    rank: int
    of: int
    rank_change: int
    pillars: dict[str, PillarResult]
    indicators: dict[str, IndicatorResult]

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def total_prev(self) -> float:
        return round(self.total - self.change, 3)

    @property
    def rank_prev(self) -> int:
        return self.rank + self.rank_change

    def score(self, code: str) -> float | None:
        r = self.indicators.get(code)
        return r.score if r else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "province": self.province,
            "total": self.total,
            "rank": self.rank,
            "of": self.of,
            "change_vs_previous": self.change,
            "rank_change_vs_previous": self.rank_change,
            "previous": {"year": self.previous_year, "total": self.total_prev, "rank": self.rank_prev},
            "pillars": [
                {"code": x.code, "max_points": x.max_points, "score": x.score, "change": x.change, "rank": x.rank,
                 "rank_change": x.rank_change, "score_prev": x.score_prev, "rank_prev": x.rank_prev, "scored": x.scored}
                for x in self.pillars.values()
            ],
            "indicators": {c: r.score for c, r in self.indicators.items()},
        }


def load_baseline(path: str | Path | None = None) -> Baseline:
    """Read and validate a baseline file (the packaged 2022 result by default)."""
    path = Path(path) if path else data_path("baseline_2022.toml")
    doc, _raw = read_toml(path)
    p = Problems()
    b = doc.get("baseline", {})
    if not isinstance(b.get("year"), int):
        p.add("[baseline]", "year", _("required whole number (the year of the published result)"))
    s = doc.get("summary", {})
    for f in ("score", "max_points", "change_vs_previous", "rank", "of", "rank_change_vs_previous"):
        if not is_num(s.get(f)):
            p.add("[summary]", f, _(REQUIRED_NUMBER))
    pillars = {}
    for d in doc.get("pillar", []):
        code = str(d.get("code", "?"))
        scored = bool(d.get("scored", True))
        if scored:
            for f in ("max_points", "score", "change_vs_previous", "rank", "rank_change_vs_previous"):
                if not is_num(d.get(f)):
                    p.add(_(PILLAR).format(code=code), f, _(REQUIRED_NUMBER))
        pillars[code] = PillarResult(code, float(d.get("max_points", 0)), d.get("score"), d.get("change_vs_previous"), d.get("rank"),
                                     d.get("rank_change_vs_previous"), scored)
    indicators = {}
    for d in doc.get("indicator", []):
        code = str(d.get("code", "?"))
        if not is_num(d.get("score")) or d["score"] < 0:
            p.add(_(INDICATOR).format(code=code), "score", _("required number, 0 or more"))
            continue
        if code in indicators:
            p.add(_(INDICATOR).format(code=code), "code", _("duplicate indicator code"))
        indicators[code] = IndicatorResult(code, float(d["score"]), d.get("note_vi", ""), d.get("reading"))
    if p.items:
        raise DataFileError(str(path), p.items)
    return Baseline(
        path=str(path),
        year=int(b["year"]),
        province=b.get("province", ""),
        total=float(s["score"]),
        max_points=float(s["max_points"]),
        change=float(s["change_vs_previous"]),
        rank=int(s["rank"]),
        of=int(s["of"]),
        rank_change=int(s["rank_change_vs_previous"]),
        pillars=pillars,
        indicators=indicators,
    )
