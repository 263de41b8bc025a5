"""``sum_children``: an aggregate (5.12, 8.8, 8.8.1-8.8.3) is the sum of its children's points."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core.i18n import _
from .base import Rule, Values
from .registry import register


@register
@dataclass(frozen=True)
class SumChildren(Rule):
    kind = "sum_children"
    can_be_part = False

    def score(self, v: Values, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
        raise TypeError("an aggregate is scored by rolling its children up, not from inputs")

    def words(self, ind: Any, mx: float) -> str:
        return _("Sum of the children's points.")

    def breakpoints(self, ind: Any, mx: float, refs: Mapping[str, float]) -> list[float]:
        return []
