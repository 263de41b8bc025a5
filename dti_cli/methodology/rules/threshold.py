"""``threshold``: full points at or above a threshold, else ratio/threshold × max (4.12 80%, 7.1 20% …)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core import i18n
from ...core.i18n import _
from .base import EPS, Values, clamp01
from .formula import EPS as FEPS
from .formula import Formula, literal
from .ratios import RatioFamily
from .registry import register


@register
@dataclass(frozen=True)
class Threshold(RatioFamily):
    kind = "threshold"
    FIELDS = {**RatioFamily.FIELDS, "denominator": ("terms", True), "threshold": ("positive", True)}

    threshold: float = 1.0

    def fraction_of(self, x: float, refs: Mapping[str, float], mx: float, v: Values | None = None) -> tuple[float, str]:
        t = self.threshold
        if x >= t - EPS:
            return 1.0, " ≥ " + i18n.pct(t, 2) + " → " + _("full points {points}").format(points=i18n.pts(mx))
        f = clamp01(x / t)
        return f, f" < {i18n.pct(t, 2)} → {i18n.pct(max(x, 0.0), 2)}/{i18n.pct(t, 2)} × {i18n.num(mx)} = {i18n.pts(f * mx)}"

    def value_for(self, fraction: float, refs: Mapping[str, float]) -> float | None:
        if fraction > 1 + 1e-12:
            return None
        return self.threshold if fraction >= 1 - 1e-12 else fraction * self.threshold

    def words(self, ind: Any, mx: float) -> str:
        t = i18n.pct(self.threshold, 2)
        return _("Ratio = {expr}; ratio ≥ {t}: {max} points; below {t}: ratio/{t} × {max}.").format(
            expr=self.expression(ind), t=t, max=i18n.num(mx)) + self.zero_words()

    def formula(self, fx: Formula, mx: float) -> str:
        t = literal(self.threshold)
        return self.ratio_formula(fx, "IF({ratio}>=" + t + "-" + FEPS + ",1,MAX(0,MIN(1,{ratio}/" + t + ")))", mx)
