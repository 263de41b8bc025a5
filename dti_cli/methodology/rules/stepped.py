"""``stepped``: the first level whose minimum the value reaches (5.12.1: ≥10% full, ≥7% 70%, ≥3% 30%;
5.12.2-5.12.6: ≥2, ≥1, ≥0.5 billion VND)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core import i18n
from ...core.i18n import _
from .base import EPS, Values, earn
from .formula import EPS as FEPS
from .formula import Formula, literal
from .ratios import RatioFamily
from .registry import register


@register
@dataclass(frozen=True)
class Stepped(RatioFamily):
    kind = "stepped"
    FIELDS = {**RatioFamily.FIELDS, "levels": ("steps", True)}

    levels: tuple[tuple[float, float], ...] = ()

    def show_level(self, m: float) -> str:
        return i18n.pct(m, 2) if self.denominator else _("{amount} billion VND").format(amount=i18n.num(m, 4))

    def fraction_of(self, x: float, refs: Mapping[str, float], mx: float, v: Values | None = None) -> tuple[float, str]:
        for m, f in self.levels:
            if x >= m - EPS:
                return f, f" ≥ {self.show_level(m)} → {earn(f, mx)}"
        lowest = self.levels[-1][0] if self.levels else 0.0
        return 0.0, f" < {self.show_level(lowest)} → 0"

    def value_for(self, fraction: float, refs: Mapping[str, float]) -> float | None:
        reaching = [m for m, f in self.levels if f >= fraction - 1e-12]
        return min(reaching) if reaching else None

    def words(self, ind: Any, mx: float) -> str:
        steps = "; ".join(f"≥ {self.show_level(m)}: {i18n.num(f * mx)}" for m, f in self.levels)
        lead = (_("Ratio = {expr}") if self.denominator else _("Value = {expr}")).format(expr=self.expression(ind))
        return _("{lead}; {steps} points; below: 0 points.").format(lead=lead, steps=steps) + self.zero_words()

    def formula(self, fx: Formula, mx: float) -> str:
        expr = "0"
        for m, f in reversed(self.levels):
            expr = f"IF({{ratio}}>={literal(m)}-{FEPS},{literal(f)},{expr})"
        return self.ratio_formula(fx, expr, mx)

    def breakpoints(self, ind: Any, mx: float, refs: Mapping[str, float]) -> list[float]:
        return sorted({f * mx for _m, f in self.levels if f > 0})
