"""Building an indicator's points as an Excel formula, for the template's live "expected points".

Each rule kind writes its own expression through :class:`Formula`, which knows how a template
names an input's value cell, the words its yes/no and choice cells hold, and the conventions
every kind shares: a rule (or a part of a ``parts`` rule) that reads an empty cell, the explicit
"no data" text or an unreadable entry earns 0, as the Ministry scores missing data; each
fraction is clamped to 0..1; a zero denominator follows the rule's policy; the same boundary
tolerance as the scorer (1E-9).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .base import Term

if TYPE_CHECKING:
    from ..model import Indicator

EPS = "1E-9"


def literal(x: float) -> str:
    """A number as an Excel literal: 10 rather than 10.0."""
    r = repr(float(x))
    return r[:-2] if r.endswith(".0") else r


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class Formula:
    """What a kind needs to write its Excel expression for one indicator of one template."""

    def __init__(self, ind: Indicator, name: Callable[[str], str], yes_no: Sequence[str], lang: str):
        self.ind = ind
        self.name = name  # input id → the defined name of its value cell
        self.yes, self.no = yes_no[0], yes_no[1]
        self.lang = lang

    def num(self, term: Term) -> str:
        return self.name(term) if isinstance(term, str) else literal(term)

    def total(self, terms: tuple[Term, ...]) -> str:
        parts = [self.num(t) for t in terms]
        return parts[0] if len(parts) == 1 else "(" + "+".join(parts) + ")"

    def is_yes(self, iid: str) -> str:
        return f"{self.name(iid)}={quoted(self.yes)}"

    def choice_test(self, iid: str, value: str) -> str:
        """True when the cell holds this choice (its label in the template's language, or its value code)."""
        inp = self.ind.input_map[iid]
        c = inp.choice(value)
        words = dict.fromkeys([c.label(self.lang) if c else value, value])
        return "OR(" + ",".join(f"{self.name(iid)}={quoted(w)}" for w in words) + ")"

    def valid(self, iid: str) -> str:
        """True when the cell holds a value the scorer can use."""
        inp, name = self.ind.input_map[iid], self.name(iid)
        if inp.type == "yes_no":
            return f"OR({name}={quoted(self.yes)},{name}={quoted(self.no)})"
        if inp.type == "choice":
            words = [c.label(self.lang) for c in inp.choices] + [c.value for c in inp.choices]
            return "OR(" + ",".join(f"{name}={quoted(w)}" for w in dict.fromkeys(words)) + ")"
        return f"ISNUMBER({name})"

    def guarded(self, ids: Sequence[str], expr: str) -> str:
        """``expr`` when every input in ``ids`` holds a usable value, else 0."""
        checks = [self.valid(i) for i in ids]
        if not checks:
            return expr
        cond = checks[0] if len(checks) == 1 else "AND(" + ",".join(checks) + ")"
        return f"IF({cond},{expr},0)"

    def ratio_fraction(self, numerator: tuple[Term, ...], denominator: tuple[Term, ...], zero_denominator: str, inner: str) -> str:
        """``inner`` with {ratio} = Σnumerator/Σdenominator (or Σnumerator alone); b = 0 gives the policy's fraction."""
        if not denominator:
            return inner.format(ratio=self.total(numerator))
        zero = "1" if zero_denominator == "full" else "0"
        den = self.total(denominator)
        ratio = f"{self.total(numerator)}/{den}"
        if not any(isinstance(t, str) for t in denominator):  # a constant denominator, e.g. 3.6's "/7"
            return zero if sum(float(t) for t in denominator) == 0 else inner.format(ratio=ratio)
        return f"IF({den}=0,{zero},{inner.format(ratio=ratio)})"

    def indicator(self, points: str) -> str:
        """The whole cell formula: blank until something is typed, then the points within 0..max."""
        mx = literal(self.ind.max_points)
        names = ",".join(self.name(i.id) for i in self.ind.inputs)
        return f'=IF(COUNTA({names})=0,"",MAX(0,MIN({mx},{points})))'
