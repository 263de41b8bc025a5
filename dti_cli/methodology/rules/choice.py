"""``choice``: the answer chosen from a short list earns its fraction of the max (1.1: chair 1, deputy 1/2, none 0)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core import i18n
from ...core.i18n import _
from .base import Problems, Rule, Values, earn
from .formula import Formula, literal
from .registry import register


@register
@dataclass(frozen=True)
class ChoiceRule(Rule):
    kind = "choice"
    effort_class = "tier"
    FIELDS = {"input": ("input", True), "points": ("points", True)}

    input: str = ""
    points: tuple[tuple[str, float], ...] = ()

    def check(self, ind: Any, where: str, p: Problems) -> None:
        super().check(ind, where, p)
        inp = ind.input_map.get(self.input)
        if inp is not None:
            values = {c.value for c in inp.choices}
            if values != {k for k, _f in self.points}:
                p.add(where, "rule.points", _("must give points for exactly the choices {choices}").format(choices=", ".join(sorted(values))))

    def input_ids(self) -> list[str]:
        return [self.input] if self.input else []

    def fraction(self, value: str) -> float:
        return dict(self.points).get(value, 0.0)

    def score(self, v: Values, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
        code = v.choice(self.input)
        f = self.fraction(code)
        return f, f"{v.name(self.input)} = {v.choice_label(self.input, code)} → {earn(f, mx)}"

    def words(self, ind: Any, mx: float) -> str:
        inp = ind.input_map.get(self.input)
        lang = i18n.language()
        parts = []
        for value, f in self.points:
            c = inp.choice(value) if inp else None
            parts.append(f"{c.label(lang) if c else value}: {i18n.num(f * mx)}")
        return _("{choices} points.").format(choices="; ".join(parts))

    def formula(self, fx: Formula, mx: float) -> str:
        inp = fx.ind.input_map[self.input]
        expr = "0"
        for c in reversed(inp.choices):
            expr = f"IF({fx.choice_test(self.input, c.value)},{literal(self.fraction(c.value))},{expr})"
        return f"{expr}*{literal(mx)}"

    def direction(self, input_id: str) -> int:
        return 1 if input_id == self.input else 0

    def inverse(self, ind: Any, input_id: str, points: float, values: Mapping[str, Any], refs: Mapping[str, float],
                mx: float | None = None) -> Any:
        """The choice that earns the fewest points among those earning at least ``points`` (the cheapest step)."""
        mx = ind.max_points if mx is None else mx
        if input_id != self.input:
            return None
        reaching = [(f, value) for value, f in self.points if f * mx >= points - 1e-9]
        return min(reaching)[1] if reaching else None

    def breakpoints(self, ind: Any, mx: float, refs: Mapping[str, float]) -> list[float]:
        return sorted({f * mx for _v, f in self.points if f > 0})

    def earns_nothing(self, input_id: str, value: Any) -> bool:
        return input_id == self.input and isinstance(value, str) and self.fraction(value) == 0
