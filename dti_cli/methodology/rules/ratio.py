"""``ratio``: points = a/b × max; a ratio above 100% counts as 100% (1.3, 3.1-3.4, 4.7-4.10, 5.2-5.8 …)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core import i18n
from ...core.i18n import _
from .base import Values, clamp01, earn
from .formula import Formula
from .ratios import RatioFamily
from .registry import register


@register
@dataclass(frozen=True)
class RatioRule(RatioFamily):
    kind = "ratio"
    FIELDS = {**RatioFamily.FIELDS, "denominator": ("terms", True)}

    def fraction_of(self, x: float, refs: Mapping[str, float], mx: float, v: Values | None = None) -> tuple[float, str]:
        f = clamp01(x)
        note = " " + _("(above 100%, counted as 100%)") if x > 1 else " " + _("(negative, counted as 0)") if x < 0 else ""
        return f, f"{note} → {earn(f, mx)}"

    def value_for(self, fraction: float, refs: Mapping[str, float]) -> float | None:
        return fraction if fraction <= 1 + 1e-12 else None

    def words(self, ind: Any, mx: float) -> str:
        return _("Ratio = {expr}; points = ratio × {max} (a ratio above 100% counts as 100%).").format(
            expr=self.expression(ind), max=i18n.num(mx)) + self.zero_words()

    def formula(self, fx: Formula, mx: float) -> str:
        return self.ratio_formula(fx, "MAX(0,MIN(1,{ratio}))", mx)
