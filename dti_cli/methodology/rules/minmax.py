"""``minmax``: (value − national lowest)/(highest − lowest) × max (4.5, 4.6, 4.11, 5.1, 5.9, 5.10).

The province cannot know the national lowest and highest when it self-assesses: they are
reference values the user supplies (``min``, ``max``); without them the indicator is not scored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core import i18n
from ...core.i18n import _
from .base import EPS, Values, clamp01, earn
from .ratios import RatioFamily
from .registry import register


@register
@dataclass(frozen=True)
class MinMax(RatioFamily):
    kind = "minmax"
    references = ("min", "max")
    effort_class = "relative"

    def fraction_of(self, x: float, refs: Mapping[str, float], mx: float, v: Values | None = None) -> tuple[float, str]:
        head = self.show_value(x)
        lo, hi = self.refs_needed(refs, "")
        low, high = _("lowest"), _("highest")
        if hi <= lo:
            f = 1.0 if x >= hi - EPS else 0.0
            return f, f"; {low} = {self.show_value(lo)}, {high} = {self.show_value(hi)} ({high} ≤ {low}) → {earn(f, mx)}"
        f = clamp01((x - lo) / (hi - lo))
        return f, (f"; ({head} − {self.show_value(lo)})/({self.show_value(hi)} − {self.show_value(lo)}) = "
                   f"{i18n.pct((x - lo) / (hi - lo), 2)} → {earn(f, mx)}")

    def score(self, v: Values, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
        x, text = self.value(v)
        if x is not None:
            self.refs_needed(refs, text)  # the trace of a missing reference starts with the value
        return super().score(v, mx, refs)

    def value_for(self, fraction: float, refs: Mapping[str, float]) -> float | None:
        lo, hi = self.refs_needed(refs, "")
        if fraction > 1 + 1e-12:
            return None
        if hi <= lo:
            return hi
        return lo + fraction * (hi - lo)

    def words(self, ind: Any, mx: float) -> str:
        return _("Value = {expr}; points = (value − national lowest)/(highest − lowest) × {max} "
                 "(min-max method; needs the national reference values).").format(expr=self.expression(ind), max=i18n.num(mx)) \
            + self.zero_words()
