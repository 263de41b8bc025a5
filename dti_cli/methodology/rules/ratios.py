"""What the ratio-based kinds share: a value Σnumerator/Σdenominator (or Σnumerator alone), its
zero-denominator policy, its trace, the measured value for targets, and the inverse.

Each kind (ratio, threshold, all_or_nothing, stepped, minmax, share_of_best) only says how the
value maps to a fraction of the max (:meth:`RatioFamily.fraction_of`) and the smallest value
that earns a fraction (:meth:`RatioFamily.value_for`); the inverse then solves the value for one
input: a numerator term grows the score, a denominator term lowers it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core import i18n
from ...core.i18n import _
from .base import EPS, Need, NeedsReference, Problems, Rule, Term, Values, clamp01, is_num, met, round_to, show
from .formula import Formula, literal


def _total(terms: tuple[Term, ...], values: Mapping[str, Any]) -> float | None:
    """The sum of a fraction's terms (input ids read from ``values``, constants as they are); None when an input has no number."""
    s = 0.0
    for t in terms:
        x = values.get(t) if isinstance(t, str) else t
        if not is_num(x):
            return None
        s += float(x)
    return s


@dataclass(frozen=True)
class RatioFamily(Rule):
    """A rule on Σnumerator/Σdenominator (or on Σnumerator, an amount, when there is no denominator)."""

    FIELDS = {"numerator": ("terms", True), "denominator": ("terms", False), "zero_denominator": ("zero_policy", False)}
    effort_class = "share"

    numerator: tuple[Term, ...] = ()
    denominator: tuple[Term, ...] = ()
    zero_denominator: str = "zero"

    # --- what each kind says -------------------------------------------------------------

    def fraction_of(self, x: float, refs: Mapping[str, float], mx: float, v: Values | None = None) -> tuple[float, str]:
        """(fraction of the max for value ``x``, the words after the value in the trace)."""
        raise NotImplementedError

    def value_for(self, fraction: float, refs: Mapping[str, float]) -> float | None:
        """The smallest value that earns at least ``fraction`` (0..1); None when no value does."""
        raise NotImplementedError

    def show_value(self, x: float) -> str:
        """A value as the trace and the words show it: a percentage for a ratio, the figure for an amount."""
        return i18n.pct(x, 2) if self.denominator else show(x)

    # --- shared -------------------------------------------------------------------------

    def check(self, ind: Any, where: str, p: Problems) -> None:
        super().check(ind, where, p)
        if not self.numerator:
            p.add(where, "rule.numerator", _("at least one term is required"))

    def input_ids(self) -> list[str]:
        return list(dict.fromkeys(t for t in (*self.numerator, *self.denominator) if isinstance(t, str)))

    def expression(self, ind: Any) -> str:
        """'a/b', '(c + d)/(a + b)' or 'a' for the words."""
        def terms(ts: tuple[Term, ...]) -> str:
            names = [t[len(ind.code) + 1 :] if isinstance(t, str) and t.startswith(ind.code + ".") else
                     (i18n.num(t) if not isinstance(t, str) else t) for t in ts]
            s = " + ".join(names)
            return f"({s})" if len(names) > 1 else s

        return f"{terms(self.numerator)}/{terms(self.denominator)}" if self.denominator else terms(self.numerator)

    def value(self, v: Values) -> tuple[float | None, str]:
        """(the value, or None when the denominator is 0; its text 'a/b = 9/10 = 90%')."""
        n, ne, nv = v.total(self.numerator)
        if not self.denominator:
            return n, (f"{ne} = {nv} = {show(n)}" if len(self.numerator) > 1 else f"{ne} = {nv}")
        d, de, dv = v.total(self.denominator)
        head = f"{ne}/{de} = {nv}/{dv}"
        if d == 0:
            return None, head
        r = n / d if math.isfinite(d) else (1.0 if math.isinf(n) else 0.0)
        return r, f"{head} = {i18n.pct(r, 2)}"

    def score(self, v: Values, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
        x, text = self.value(v)
        if x is None:
            if self.zero_denominator == "full":
                return 1.0, text + ": " + _("the denominator is 0; the rule gives full points → {points}").format(points=i18n.pts(mx))
            return 0.0, text + ": " + _("the denominator is 0; the rule gives 0 points → 0")
        f, words = self.fraction_of(x, refs, mx, v)
        return clamp01(f), f"{text}{words}"

    def zero_words(self) -> str:
        if not self.denominator:
            return ""
        return " " + (_("A zero denominator gives full points.") if self.zero_denominator == "full" else _("A zero denominator gives 0 points."))

    def ratio_formula(self, fx: Formula, inner: str, mx: float) -> str:
        body = fx.ratio_fraction(self.numerator, self.denominator, self.zero_denominator, inner)
        return f"{fx.guarded(self.input_ids(), body)}*{literal(mx)}"

    def measured(self, values: Mapping[str, Any]) -> float | str | None:
        n = _total(self.numerator, values)
        if n is None:
            return None
        if not self.denominator:
            return n
        d = _total(self.denominator, values)
        if d is None:
            return None
        if abs(d) < EPS:
            return "zero"
        return n / d

    def refs_needed(self, refs: Mapping[str, float], text: str) -> list[float]:
        """The reference values in ``references`` order, or NeedsReference naming those missing."""
        missing = [k for k in self.references if k not in refs]
        if missing:
            raise NeedsReference(missing, text + "; " + _("national reference values missing: {keys}").format(keys=", ".join(missing)))
        return [refs[k] for k in self.references]

    # --- the inverse ------------------------------------------------------------------------

    def direction(self, input_id: str) -> int:
        up, down = input_id in self.numerator, input_id in self.denominator
        return 1 if up and not down else -1 if down and not up else 0

    def inverse(self, ind: Any, input_id: str, points: float, values: Mapping[str, Any], refs: Mapping[str, float],
                mx: float | None = None) -> Any:
        mx = ind.max_points if mx is None else mx
        sign = self.direction(input_id)
        if sign == 0 or mx <= 0:
            return None
        q = points / mx
        if q > 1 + 1e-9:
            return None
        inp = ind.input_map.get(input_id)
        step = inp.step if inp else 0.01
        now = values.get(input_id)
        now_f = float(now) if is_num(now) else 0.0

        def others(terms: tuple[Term, ...]) -> float | None:
            s = 0.0
            for t in terms:
                if t == input_id:
                    continue
                x = values.get(t) if isinstance(t, str) else t
                if not is_num(x):
                    return None
                s += float(x)
            return s

        n_rest, d_rest = others(self.numerator), others(self.denominator) if self.denominator else 0.0
        if n_rest is None or d_rest is None:
            return None
        if q <= 1e-12:
            return 0.0 if sign > 0 else now_f
        try:
            need = self.value_for(q, refs)
        except NeedsReference:
            return None
        if need is None:
            return None
        if sign > 0:
            if not self.denominator:
                x = need - n_rest
            else:
                d = d_rest
                if d <= 0:  # b = 0: the numerator cannot change the score
                    return 0.0 if self.zero_denominator == "full" else None
                x = need * d - n_rest
            x = max(0.0, round_to(x, step, up=True))
        else:
            n = n_rest
            if need <= 0:
                return now_f
            x = round_to(n / need - d_rest, step, up=False)
            if x + d_rest <= 0:
                return 0.0 if self.zero_denominator == "full" else None
        return self._settle(ind, input_id, x, sign, step, points, values, refs, mx)

    def _settle(self, ind: Any, input_id: str, x: float, sign: int, step: float, points: float,
                values: Mapping[str, Any], refs: Mapping[str, float], mx: float) -> float | None:
        """Float arithmetic and the scorer's boundary tolerance may land a step off: move by steps until
        the score really reaches ``points``, then no further than the last value that still does."""
        for _i in range(4):
            if self._earns(ind, input_id, x, values, refs, mx) >= points - 1e-9:
                break
            x = round(x + sign * step, 10)
            if x < 0:
                return None
        else:
            return None
        def reaches(k: int) -> bool:
            v = round(x - sign * k * step, 10)
            return v >= 0 and self._earns(ind, input_id, v, values, refs, mx) >= points - 1e-9

        lo, hi = 0, 1  # the furthest number of steps back that still reaches: doubling, then halving
        while hi < 1 << 24 and reaches(hi):
            lo, hi = hi, hi * 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if reaches(mid) else (lo, mid)
        return round(x - sign * lo * step, 10)

    def _earns(self, ind: Any, input_id: str, x: float, values: Mapping[str, Any], refs: Mapping[str, float], mx: float) -> float:
        vals = {**values, input_id: x}
        try:
            return self.points_for(ind, vals, refs, mx)
        except (NeedsReference, KeyError, TypeError, ValueError):
            return -1.0

    def requirement(self, ind: Any, points: float, values: Mapping[str, Any], refs: Mapping[str, float],
                    mx: float | None = None) -> list[Need] | None:
        """The numerator (the sum of its inputs) that earns ``points``, the denominator held: one need on the sum."""
        mx = ind.max_points if mx is None else mx
        if mx <= 0 or points > mx + 1e-9:
            return None
        if points <= 1e-9:
            return []
        ids = tuple(t for t in self.numerator if isinstance(t, str))
        if not ids:
            return None

        n_now = _total(self.numerator, values)
        constant = sum(float(t) for t in self.numerator if not isinstance(t, str))
        d = _total(self.denominator, values) if self.denominator else 1.0
        if n_now is None or d is None:
            return None
        try:
            need = self.value_for(points / mx, refs)
        except NeedsReference:
            return None
        if need is None:
            return None
        if self.denominator and d <= 0:
            return [] if self.zero_denominator == "full" else None
        step = min((ind.input_map[i].step for i in ids if i in ind.input_map), default=0.01)
        target = max(0.0, round_to(need * d - constant, step, up=True))
        for _i in range(4):  # float arithmetic may land one step short
            trial = apply_needs(values, [Need(ids, ">=", target, n_now - constant)])
            try:
                if self.points_for(ind, trial, refs, mx) >= points - 1e-9:
                    break
            except NeedsReference:
                return None
            target = round(target + step, 10)
        else:
            return None
        return [] if met(">=", n_now - constant, target) else [Need(ids, ">=", target, n_now - constant)]

    def measure_requirement(self, ind: Any, value: float, op: str, values: Mapping[str, Any]) -> list[Need] | None:
        """The numerator that brings the measured value (ratio or amount) to ``value`` (``op`` > or >=), the denominator held."""
        ids = tuple(t for t in self.numerator if isinstance(t, str))
        n = self.measured(values)
        if not ids or n is None:
            return None
        num = [values.get(t) if isinstance(t, str) else t for t in self.numerator]
        den = [values.get(t) if isinstance(t, str) else t for t in self.denominator]
        if not all(is_num(x) for x in num + den):
            return None
        constant = sum(float(t) for t in self.numerator if not isinstance(t, str))
        n_now = sum(float(x) for x in num) - constant
        d = sum(float(x) for x in den) if self.denominator else 1.0
        if d <= 0:
            return None
        step = min((ind.input_map[i].step for i in ids if i in ind.input_map), default=0.01)
        raw = value * d - constant
        target = round_to(raw, step, up=True)
        if op == ">" and abs(target - raw) < 1e-9:
            target = round(target + step, 10)
        target = max(0.0, target)
        return [] if met(">=", n_now, target) and (op != ">" or n_now > raw + 1e-9) else [Need(ids, ">=", target, n_now)]

    def breakpoints(self, ind: Any, mx: float, refs: Mapping[str, float]) -> list[float]:
        return [mx]


def apply_needs(values: Mapping[str, Any], needs: list[Need]) -> dict[str, Any]:
    """The values with the needs met; a need on a sum puts the whole change on its first input."""
    out = dict(values)
    for n in needs:
        if len(n.inputs) == 1 or not is_num(n.value):
            out[n.inputs[0]] = n.value
        else:
            first = n.inputs[0]
            base = float(out.get(first) or 0.0) if is_num(out.get(first)) else 0.0
            now = float(n.now) if is_num(n.now) else 0.0
            out[first] = base + (float(n.value) - now)
    return out
