"""A rule kind defined outside dti_cli, in one file: points = √(a/b) × max (a ratio above 100% counts as 100%).

It owns everything about itself, as the built-in kinds do: its catalogue fields, its score and
trace, its words, its Excel formula, its measured ratio and its inverse.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dti_cli.core import i18n
from dti_cli.methodology.rules import register
from dti_cli.methodology.rules.base import Values, clamp01, earn
from dti_cli.methodology.rules.formula import Formula
from dti_cli.methodology.rules.ratios import RatioFamily


@register
@dataclass(frozen=True)
class SquareRoot(RatioFamily):
    kind = "square_root"
    FIELDS = {**RatioFamily.FIELDS, "denominator": ("terms", True)}

    def fraction_of(self, x: float, refs: Mapping[str, float], mx: float, v: Values | None = None) -> tuple[float, str]:
        f = clamp01(math.sqrt(max(x, 0.0)))
        return f, f" → √ = {i18n.pct(f, 2)} → {earn(f, mx)}"

    def value_for(self, fraction: float, refs: Mapping[str, float]) -> float | None:
        return fraction * fraction if fraction <= 1 + 1e-12 else None

    def words(self, ind: Any, mx: float) -> str:
        return f"√({self.expression(ind)}) × {i18n.num(mx)}"

    def formula(self, fx: Formula, mx: float) -> str:
        return self.ratio_formula(fx, "SQRT(MAX(0,MIN(1,{ratio})))", mx)
