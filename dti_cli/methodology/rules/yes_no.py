"""``yes_no``: full points for yes, 0 for no (2.1-2.11, 4.1-4.4, 6.15 …)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core import i18n
from ...core.i18n import _
from .base import Problems, Rule, Values, no_word, yes_word
from .formula import Formula, literal
from .registry import register


@register
@dataclass(frozen=True)
class YesNo(Rule):
    kind = "yes_no"
    effort_class = "document"
    FIELDS = {"input": ("input", True)}

    input: str = ""

    def check(self, ind: Any, where: str, p: Problems) -> None:
        super().check(ind, where, p)
        inp = ind.input_map.get(self.input)
        if inp is not None and inp.type != "yes_no":
            p.add(where, "rule.input", _("a yes_no rule must read a yes_no input"))

    def input_ids(self) -> list[str]:
        return [self.input] if self.input else []

    def score(self, v: Values, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
        yes = v.flag(self.input)
        answer = yes_word() if yes else no_word()
        return (1.0 if yes else 0.0), f"{v.name(self.input)} = {answer} → {i18n.pts(mx if yes else 0)}"

    def words(self, ind: Any, mx: float) -> str:
        return _("Yes: {max} points; no: 0 points.").format(max=i18n.num(mx))

    def formula(self, fx: Formula, mx: float) -> str:
        return f"{fx.guarded([self.input], f'IF({fx.is_yes(self.input)},1,0)')}*{literal(mx)}"

    def direction(self, input_id: str) -> int:
        return 1 if input_id == self.input else 0

    def inverse(self, ind: Any, input_id: str, points: float, values: Mapping[str, Any], refs: Mapping[str, float],
                mx: float | None = None) -> Any:
        mx = ind.max_points if mx is None else mx
        if input_id != self.input:
            return None
        if points <= 1e-9:
            return False
        return True if points <= mx + 1e-9 else None
