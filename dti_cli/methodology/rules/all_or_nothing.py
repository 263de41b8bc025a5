"""``all_or_nothing``: full points at 100%, 0 below (6.8)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core import i18n
from ...core.i18n import _
from .base import EPS, Values
from .formula import EPS as FEPS
from .formula import Formula
from .ratios import RatioFamily
from .registry import register


@register
@dataclass(frozen=True)
class AllOrNothing(RatioFamily):
    kind = "all_or_nothing"
    FIELDS = {**RatioFamily.FIELDS, "denominator": ("terms", True)}

    def fraction_of(self, x: float, refs: Mapping[str, float], mx: float, v: Values | None = None) -> tuple[float, str]:
        if x >= 1 - EPS:
            return 1.0, " " + _("reaches 100% → full points {points}").format(points=i18n.pts(mx))
        return 0.0, " < 100% → 0"

    def value_for(self, fraction: float, refs: Mapping[str, float]) -> float | None:
        return 1.0 if fraction <= 1 + 1e-12 else None

    def words(self, ind: Any, mx: float) -> str:
        return _("Ratio = {expr}; 100%: {max} points; below 100%: 0 points.").format(expr=self.expression(ind), max=i18n.num(mx)) \
            + self.zero_words()

    def formula(self, fx: Formula, mx: float) -> str:
        return self.ratio_formula(fx, "IF({ratio}>=1-" + FEPS + ",1,0)", mx)
