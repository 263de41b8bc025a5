"""``per_item``: points for each item, up to a cap (6.21: 1 point per activity, at most 10)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core import i18n
from ...core.i18n import _
from .base import Rule, Values, round_to, show
from .formula import Formula, literal
from .registry import register


@register
@dataclass(frozen=True)
class PerItem(Rule):
    kind = "per_item"
    effort_class = "count"
    FIELDS = {"input": ("input", True), "points_each": ("positive", True), "cap": ("positive", False)}

    input: str = ""
    points_each: float = 1.0
    cap: float | None = None

    def input_ids(self) -> list[str]:
        return [self.input] if self.input else []

    def limit(self, mx: float) -> float:
        return min(self.cap or mx, mx)

    def score(self, v: Values, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
        n = v.num(self.input)
        cap = self.limit(mx)
        pts = min(max(n * self.points_each, 0.0), cap)
        capped = _(", at most {cap}").format(cap=i18n.num(cap)) if n * self.points_each > cap else ""
        trace = _("{name} = {n} × {each} points{capped} → {points}").format(
            name=v.name(self.input), n=show(n), each=i18n.num(self.points_each), capped=capped, points=i18n.pts(pts))
        return (pts / mx if mx else 0.0), trace

    def words(self, ind: Any, mx: float) -> str:
        return _("{each} point(s) for each item ({input}), at most {cap} points.").format(
            each=i18n.num(self.points_each), input=self.input[len(ind.code) + 1 :], cap=i18n.num(self.cap or mx))

    def formula(self, fx: Formula, mx: float) -> str:
        n = fx.num(self.input)
        return fx.guarded([self.input], f"MIN({literal(self.limit(mx))},MAX(0,{n}*{literal(self.points_each)}))")

    def direction(self, input_id: str) -> int:
        return 1 if input_id == self.input else 0

    def inverse(self, ind: Any, input_id: str, points: float, values: Mapping[str, Any], refs: Mapping[str, float],
                mx: float | None = None) -> Any:
        mx = ind.max_points if mx is None else mx
        if input_id != self.input or points > self.limit(mx) + 1e-9:
            return None
        if points <= 1e-9:
            return 0.0
        step = ind.input_map[self.input].step if self.input in ind.input_map else 1.0
        return round_to(points / self.points_each, step, up=True)

    def breakpoints(self, ind: Any, mx: float, refs: Mapping[str, float]) -> list[float]:
        cap = self.limit(mx)
        n = math.ceil(cap / self.points_each - 1e-9)
        return sorted({min(k * self.points_each, cap) for k in range(1, n + 1)}) if n <= 50 else [cap]
