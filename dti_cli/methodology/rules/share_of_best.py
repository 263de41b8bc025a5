"""``share_of_best``: the province's value as a share of the best province's × max (7.10, 8.6, 8.7:
"tỷ lệ của tỉnh với tỉnh cao nhất"). The best province's value (``best``) is a reference the user supplies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core import i18n
from ...core.i18n import _
from .base import NeedsReference, Values, clamp01, earn
from .ratios import RatioFamily
from .registry import register


@register
@dataclass(frozen=True)
class ShareOfBest(RatioFamily):
    kind = "share_of_best"
    references = ("best",)
    effort_class = "relative"

    def fraction_of(self, x: float, refs: Mapping[str, float], mx: float, v: Values | None = None) -> tuple[float, str]:
        (best,) = self.refs_needed(refs, "")
        f = clamp01(x / best)
        return f, "; " + _("{value}/{best} (best province) = {share}").format(
            value=self.show_value(x), best=self.show_value(best), share=i18n.pct(x / best, 2)) + f" → {earn(f, mx)}"

    def refs_needed(self, refs: Mapping[str, float], text: str) -> list[float]:
        (best,) = super().refs_needed(refs, text)
        if best <= 0:
            raise NeedsReference(["best"], text + "; " + _("reference value 'best' = {value} is not valid (it must be above 0)").format(
                value=i18n.num(best, 4)))
        return [best]

    def score(self, v: Values, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
        x, text = self.value(v)
        if x is not None:
            self.refs_needed(refs, text)
        return super().score(v, mx, refs)

    def value_for(self, fraction: float, refs: Mapping[str, float]) -> float | None:
        (best,) = self.refs_needed(refs, "")
        return fraction * best if fraction <= 1 + 1e-12 else None

    def words(self, ind: Any, mx: float) -> str:
        if not self.denominator:
            return _("Value = {expr}; points = value / the best province's value × {max} (needs the national reference value).").format(
                expr=self.expression(ind), max=i18n.num(mx))
        return _("Ratio = {expr}; points = ratio / the best province's ratio × {max} (needs the national reference value).").format(
            expr=self.expression(ind), max=i18n.num(mx)) + self.zero_words()
