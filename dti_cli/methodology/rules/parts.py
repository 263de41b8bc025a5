"""``parts``: the max split into weighted parts, each a rule of its own (1.2: two halves; 6.3: 1/5 + 3/5 + 1/5)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core import i18n
from ...core.i18n import _
from .base import Need, NeedsReference, Problems, Rule, Values, clamp01
from .formula import Formula
from .registry import parse_rule, register


def _parse_parts(v: Any, where: str, p: Problems) -> tuple[Rule, ...]:
    if not isinstance(v, list) or not v:
        p.add(where, "rule.parts", _("a list of part rules is required"))
        return ()
    parts = tuple(parse_rule(x, where, p, top=False) for x in v)
    total = sum(x.weight for x in parts)
    if abs(total - 1.0) > 1e-9:
        p.add(where, "rule.parts", _("the weights add up to {total}, not 1").format(total=i18n.num(total, 6)))
    return parts


@register
@dataclass(frozen=True)
class Parts(Rule):
    kind = "parts"
    can_be_part = False
    FIELDS = {"parts": (_parse_parts, True)}

    parts: tuple[Rule, ...] = ()

    def check(self, ind: Any, where: str, p: Problems) -> None:
        for part in self.parts:
            part.check(ind, where, p)

    def components(self) -> tuple[Rule, ...]:
        return self.parts

    def input_ids(self) -> list[str]:
        return list(dict.fromkeys(i for part in self.parts for i in part.input_ids()))

    def needed(self, values: Mapping[str, Any]) -> list[str]:
        return list(dict.fromkeys(i for part in self.parts for i in part.needed(values)))

    def reference_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k for part in self.parts for k in part.reference_keys()))

    def score(self, v: Values, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
        total, texts = 0.0, []
        for k, part in enumerate(self.parts, 1):
            f, t = part.score(v, part.weight * mx, refs)
            total += part.weight * clamp01(f)
            texts.append(part_label(k, part.weight * mx) + t)
        return clamp01(total), "; ".join(texts) + " ⇒ " + _("total {points}/{max}").format(points=i18n.pts(total * mx), max=i18n.num(mx))

    def words(self, ind: Any, mx: float) -> str:
        sub = " + ".join("[" + _("{points} points: {rule}").format(points=i18n.num(p.weight * mx), rule=p.words(ind, p.weight * mx)) + "]"
                         for p in self.parts)
        return _("Sum of the parts: {parts}").format(parts=sub)

    def formula(self, fx: Formula, mx: float) -> str | None:
        exprs = [p.formula(fx, p.weight * mx) for p in self.parts]
        if any(e is None for e in exprs):
            return None
        return "+".join(f"({e})" for e in exprs)

    def _part_points(self, ind: Any, part: Rule, values: Mapping[str, Any], refs: Mapping[str, float], mx: float) -> float:
        """A part's points with these values; 0 when one of its inputs has no usable value."""
        if any(not _usable(ind, i, values.get(i)) for i in part.needed(values)):
            return 0.0
        try:
            return part.points_for(ind, values, refs, part.weight * mx)
        except NeedsReference:
            return 0.0

    def direction(self, input_id: str) -> int:
        dirs = {p.direction(input_id) for p in self.parts} - {0}
        return dirs.pop() if len(dirs) == 1 else 0

    def inverse(self, ind: Any, input_id: str, points: float, values: Mapping[str, Any], refs: Mapping[str, float],
                mx: float | None = None) -> Any:
        mx = ind.max_points if mx is None else mx
        readers = [p for p in self.parts if input_id in p.input_ids()]
        if len(readers) != 1:  # an input read by two parts has no single answer
            return None
        part = readers[0]
        others = sum(self._part_points(ind, q, values, refs, mx) for q in self.parts if q is not part)
        return part.inverse(ind, input_id, max(0.0, points - others), values, refs, part.weight * mx)

    def requirement(self, ind: Any, points: float, values: Mapping[str, Any], refs: Mapping[str, float],
                    mx: float | None = None) -> list[Need] | None:
        """The fewest parts to raise (then the least overshoot) so that they add up to ``points``.

        Parts may share inputs (3.6: a/7 and c/a): each part's needs are worked out with the needs
        of the parts before it already met, and the whole is checked.
        """
        from .ratios import apply_needs

        mx = ind.max_points if mx is None else mx
        now = [self._part_points(ind, part, values, refs, mx) for part in self.parts]
        if sum(now) >= points - 1e-9:
            return []
        levels = [[None, *(bp for bp in part.breakpoints(ind, part.weight * mx, refs) if bp > n + 1e-9)]
                  for part, n in zip(self.parts, now, strict=True)]
        best: tuple[int, float, list[Need]] | None = None
        for combo in itertools.islice(itertools.product(*levels), 4096):
            nominal = sum(n if lv is None else lv for n, lv in zip(now, combo, strict=True))
            if nominal < points - 1e-9:
                continue
            changed = sum(1 for lv in combo if lv is not None)
            if best is not None and (changed, nominal - points) >= best[:2]:
                continue
            vals, needs = dict(values), []
            for part, lv in zip(self.parts, combo, strict=True):
                if lv is None:
                    continue
                got = part.requirement(ind, lv, vals, refs, part.weight * mx)
                if got is None:
                    break
                needs += got
                vals = apply_needs(vals, got)
            else:
                try:
                    reached = self.points_for(ind, vals, refs, mx)
                except (NeedsReference, KeyError, TypeError, ValueError):
                    continue
                if reached >= points - 1e-9:
                    best = (changed, nominal - points, needs)
        return None if best is None else best[2]

    def breakpoints(self, ind: Any, mx: float, refs: Mapping[str, float]) -> list[float]:
        options = [[0.0, *p.breakpoints(ind, p.weight * mx, refs)] for p in self.parts]
        sums = {round(sum(c), 9) for c in itertools.islice(itertools.product(*options), 512)}
        return sorted(s for s in sums if s > 0)

    def earns_nothing(self, input_id: str, value: Any) -> bool:
        return any(p.earns_nothing(input_id, value) for p in self.parts if input_id in p.input_ids())

    def effort_class_of(self, input_id: str) -> str | None:
        return next((p.effort_class_of(input_id) for p in self.parts if input_id in p.input_ids()), None)


def part_label(k: int, points: float) -> str:
    return _("part {k} ({points} points): ").format(k=k, points=i18n.num(points))


def _usable(ind: Any, iid: str, value: Any) -> bool:
    from ..model import unusable

    return unusable(ind.input_map.get(iid), value) is None
