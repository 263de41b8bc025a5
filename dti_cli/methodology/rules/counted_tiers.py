"""``counted_tiers``: a gate (the section exists) and a count in tiers (1.5: ≥20 full, 10-19 half, <10 a quarter)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core import i18n
from ...core.i18n import _
from .base import EPS, Need, Problems, Rule, Values, earn, is_num, no_word, round_to, show, yes_word
from .formula import EPS as FEPS
from .formula import Formula, literal
from .registry import register


@register
@dataclass(frozen=True)
class CountedTiers(Rule):
    kind = "counted_tiers"
    effort_class = "count"
    FIELDS = {"gate": ("input", True), "count": ("input", True), "tiers": ("steps", True)}

    gate: str = ""
    count: str = ""
    tiers: tuple[tuple[float, float], ...] = ()

    def check(self, ind: Any, where: str, p: Problems) -> None:
        super().check(ind, where, p)
        gate = ind.input_map.get(self.gate)
        if gate is not None and gate.type != "yes_no":
            p.add(where, "rule.gate", _("the gate must be a yes_no input"))

    def input_ids(self) -> list[str]:
        return [x for x in (self.gate, self.count) if x]

    def needed(self, values: Mapping[str, Any]) -> list[str]:
        return [self.gate] if values.get(self.gate) is False else self.input_ids()

    def tier(self, n: float) -> float:
        return next((f for m, f in self.tiers if n >= m - EPS), 0.0)

    def score(self, v: Values, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
        if not v.flag(self.gate):
            return 0.0, f"{v.name(self.gate)} = {no_word()} → 0"
        c = v.num(self.count)
        head = f"{v.name(self.gate)} = {yes_word()}; {v.name(self.count)} = {show(c)}"
        for m, f in self.tiers:
            if c >= m - EPS:
                return f, f"{head} ≥ {show(m)} → {earn(f, mx)}"
        return 0.0, _("{head}, below every tier → 0").format(head=head)

    def words(self, ind: Any, mx: float) -> str:
        g = self.gate[len(ind.code) + 1 :]
        c = self.count[len(ind.code) + 1 :]
        steps = "; ".join(f"{c} ≥ {i18n.num(m)}: {i18n.num(f * mx)}" for m, f in self.tiers)
        return _("If {gate} = yes: {steps} points; if {gate} = no: 0 points.").format(gate=g, steps=steps)

    def formula(self, fx: Formula, mx: float) -> str:
        count = fx.num(self.count)
        expr = "0"
        for m, f in reversed(self.tiers):
            expr = f"IF({count}>={literal(m)}-{FEPS},{literal(f)},{expr})"
        # the count matters only when the gate is yes
        return f"IF({fx.is_yes(self.gate)},{fx.guarded([self.count], expr)},0)*{literal(mx)}"

    def direction(self, input_id: str) -> int:
        return 1 if input_id in (self.gate, self.count) else 0

    def inverse(self, ind: Any, input_id: str, points: float, values: Mapping[str, Any], refs: Mapping[str, float],
                mx: float | None = None) -> Any:
        mx = ind.max_points if mx is None else mx
        if input_id == self.gate:
            if points <= 1e-9:
                return False
            n = values.get(self.count)
            reached = self.tier(float(n)) * mx if isinstance(n, (int, float)) and not isinstance(n, bool) else 0.0
            return True if reached >= points - 1e-9 else None
        if input_id == self.count:
            if values.get(self.gate) is not True:
                return 0.0 if points <= 1e-9 else None
            reaching = [m for m, f in self.tiers if f * mx >= points - 1e-9]
            if not reaching:
                return None
            step = ind.input_map[self.count].step if self.count in ind.input_map else 1.0
            return max(0.0, round_to(min(reaching), step, up=True))
        return None

    def requirement(self, ind: Any, points: float, values: Mapping[str, Any], refs: Mapping[str, float],
                    mx: float | None = None) -> list[Need] | None:
        """The gate answered yes and the count at the smallest tier that earns ``points``."""
        mx = ind.max_points if mx is None else mx
        if points <= 1e-9 or self.earned(ind, values, refs, mx) >= points - 1e-9:
            return []
        reaching = [m for m, f in self.tiers if f * mx >= points - 1e-9]
        if not reaching:
            return None
        m = min(reaching)
        needs = []
        if values.get(self.gate) is not True:
            needs.append(Need((self.gate,), "=", True, values.get(self.gate)))
        n = values.get(self.count)
        if not (is_num(n) and n >= m - EPS):
            step = ind.input_map[self.count].step if self.count in ind.input_map else 1.0
            needs.append(Need((self.count,), ">=", max(0.0, round_to(m, step, up=True)), n))
        return needs

    def breakpoints(self, ind: Any, mx: float, refs: Mapping[str, float]) -> list[float]:
        return sorted({f * mx for _m, f in self.tiers if f > 0})
