"""What every scoring rule kind is: one class, registered once, that owns everything about the kind.

A kind declares its catalogue fields (parsed and validated here, errors naming the file, the
indicator and the field) and implements:

- ``score``: the fraction of the max it earns (0..1) and a trace of the arithmetic in words;
- ``words``: the rule said plainly, in the run's language;
- ``formula``: the Excel formula of its points, for the template's live "expected points";
- ``measured``: the value the round's ratio target is compared with;
- ``inverse``: the input value that reaches a given number of points, the others held — the
  smallest for an input the score grows with (a numerator), the largest for one it falls with
  (a denominator) — which the plan turns into "what the agency must reach";
- ``breakpoints``: the points at which the score steps (levels the plan offers);
- ``earns_nothing``: whether an answer earns nothing (then it needs no evidence).

Everything else (catalogue loading, scoring, the template, merge's evidence check, the report,
the plan) asks the registry (:func:`kind`, :func:`parse_rule`), so a new kind is one new
module and its tests. A kind may also live outside the package: subclass :class:`Rule`,
decorate it with :func:`register`, and catalogues may use it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

from ...core import i18n
from ...core.i18n import N_, _

if TYPE_CHECKING:
    from ..model import Indicator
    from .formula import Formula

Term = str | float
#: Tolerance at a boundary (≥ 10%, = 100%): sums of amounts such as (0.03 + 0.04)/1 land a hair below.
EPS = 1e-9


class Problems:
    """Problems found while reading a data file: each names where (indicator, input) and the field.

    ``where`` and ``msg`` come in the run's language (``_("indicator {code}")``); field names are the file's own.
    """

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, fld: str, msg: str) -> None:
        self.items.append(_("{where}, field '{field}': {problem}").format(where=where, field=fld, problem=msg))


class NeedsReference(Exception):
    """A relative rule without its national reference values (carries the trace so far)."""

    def __init__(self, keys: list[str], trace: str):
        super().__init__(trace)
        self.keys = keys
        self.trace = trace


def is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and not isinstance(v, type(None))


def clamp01(x: float) -> float:
    """Into 0..1; NaN (∞/∞ from absurd inputs) counts as 0."""
    if math.isnan(x):
        return 0.0
    return min(max(x, 0.0), 1.0)


@dataclass(frozen=True)
class Need:
    """What reaching some points asks of the inputs: one input (or the sum of several) at a value.

    ``op`` is ``>=`` (at least: a numerator, a count), ``<=`` (at most: a denominator) or ``=``
    (a yes/no answer or a choice); ``now`` is the value (of the sum) now.
    """

    inputs: tuple[str, ...]
    op: str
    value: Any
    now: Any = None

    @property
    def delta(self) -> float | None:
        """How much the figure must move (for numbers): +3.088 more dossiers."""
        if is_num(self.value) and is_num(self.now):
            return float(self.value) - float(self.now)
        if is_num(self.value) and self.now is None:
            return None
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"inputs": list(self.inputs), "op": self.op, "value": self.value, "now": self.now, "delta": self.delta}


def met(need_op: str, now: Any, value: Any) -> bool:
    """Whether the value now already satisfies a need."""
    if need_op == "=":
        return now == value
    if not is_num(now) or not is_num(value):
        return False
    return float(now) >= float(value) - 1e-9 if need_op == ">=" else float(now) <= float(value) + 1e-9


# ---------------------------------------------------------------------------------------------
# Catalogue fields


@dataclass(frozen=True)
class Field:
    """One field a kind reads from its catalogue descriptor."""

    name: str
    parse: Callable[[Any, str, Problems], Any]
    required: bool = True


#: The words of a field that must be a positive number (catalogue fields and rule fields).
POSITIVE = N_("must be a positive number, not {value!r}")


def _input_ref(v: Any, where: str, p: Problems) -> str | None:
    if not isinstance(v, str) or not v:
        p.add(where, "rule", _("must name an input id, not {value!r}").format(value=v))
        return None
    return v


def _terms(v: Any, where: str, p: Problems) -> tuple[Term, ...]:
    if not isinstance(v, list):
        p.add(where, "rule", _("terms must be a list of input ids or numbers, not {value!r}").format(value=v))
        return ()
    out: list[Term] = []
    for t in v:
        if isinstance(t, str) and t:
            out.append(t)
        elif is_num(t):
            out.append(float(t))
        else:
            p.add(where, "rule", _("terms must be input ids or numbers, not {value!r}").format(value=t))
    return tuple(out)


def _zero_policy(v: Any, where: str, p: Problems) -> str:
    if v not in ("zero", "full"):
        p.add(where, "rule.zero_denominator", _("must be 'zero' or 'full', not {value!r}").format(value=v))
        return "zero"
    return v


def _positive(v: Any, where: str, p: Problems) -> float | None:
    if not is_num(v) or v <= 0:
        p.add(where, "rule", _(POSITIVE).format(value=v))
        return None
    return float(v)


def _steps(v: Any, where: str, p: Problems) -> tuple[tuple[float, float], ...]:
    out = []
    for s in v if isinstance(v, list) else [v]:
        if not isinstance(s, dict) or not is_num(s.get("min")) or not is_num(s.get("fraction")) or not 0 <= s["fraction"] <= 1:
            p.add(where, "rule", _("each step needs a number 'min' and a 'fraction' in 0..1, not {value!r}").format(value=s))
            continue
        out.append((float(s["min"]), float(s["fraction"])))
    if out != sorted(out, reverse=True):
        p.add(where, "rule", _("steps must be listed from the highest 'min' down"))
    return tuple(out)


def _points_map(v: Any, where: str, p: Problems) -> tuple[tuple[str, float], ...]:
    if not isinstance(v, dict) or not all(is_num(x) and 0 <= x <= 1 for x in v.values()):
        p.add(where, "rule.points", _("must map each choice to a fraction of the max in 0..1"))
        return ()
    return tuple((str(k), float(x)) for k, x in v.items())


FIELD_PARSERS = {"input": _input_ref, "terms": _terms, "zero_policy": _zero_policy, "positive": _positive, "steps": _steps,
                 "points": _points_map}


# ---------------------------------------------------------------------------------------------
# The values a rule reads


class Values:
    """The values of one indicator's inputs as a rule reads them, already checked (present and valid).

    Also how a trace shows them: ``a`` for ``7.1.a``, numbers in the reader's style.
    """

    def __init__(self, ind: Indicator, values: Mapping[str, Any]):
        self.ind = ind
        self.values = values

    def name(self, term: Term) -> str:
        if isinstance(term, str):
            return term[len(self.ind.code) + 1 :] if term.startswith(self.ind.code + ".") else term
        return i18n.num(float(term), 4)

    def num(self, term: Term) -> float:
        return float(term) if not isinstance(term, str) else float(self.values[term])

    def flag(self, iid: str) -> bool:
        return bool(self.values[iid])

    def choice(self, iid: str) -> str:
        return str(self.values[iid])

    def choice_label(self, iid: str, value: str) -> str:
        inp = self.ind.input_map.get(iid)
        c = inp.choice(value) if inp else None
        return c.label(i18n.language()) if c else value

    def total(self, terms: tuple[Term, ...]) -> tuple[float, str, str]:
        """Σ terms: (value, 'a + b', '3 + 4'), bracketed when there are several terms."""
        vals = [self.num(t) for t in terms]
        try:
            s = math.fsum(vals)
        except OverflowError:
            s = math.inf
        names = " + ".join(self.name(t) for t in terms)
        nums = " + ".join(show(v) for v in vals)
        if len(terms) > 1:
            names, nums = f"({names})", f"({nums})"
        return s, names, nums


def show(x: float) -> str:
    """A figure in a trace, in the reader's style (up to 4 decimals)."""
    if not math.isfinite(x) or abs(x) >= 1e15:
        return f"{x:.4g}"
    return i18n.num(x, 4)


def earn(f: float, mx: float) -> str:
    """'61,7% × 10 = 6,17'."""
    return f"{i18n.pct(f, 2)} × {i18n.num(mx)} = {i18n.pts(f * mx)}"


# ---------------------------------------------------------------------------------------------
# The kind


@dataclass(frozen=True)
class Rule:
    """A scoring rule: one registered kind with its fields. Subclasses are frozen dataclasses."""

    kind: ClassVar[str] = ""
    #: The catalogue fields of the kind: name → (parser key in FIELD_PARSERS or a callable, required).
    FIELDS: ClassVar[dict[str, tuple[str | Callable[[Any, str, Problems], Any], bool]]] = {}
    #: National reference values a relative kind needs (min/max, best).
    references: ClassVar[tuple[str, ...]] = ()
    #: Whether the kind may be one part of a ``parts`` rule.
    can_be_part: ClassVar[bool] = True
    #: The kind of work that moves this rule, for the plan's default effort (the plan holds each class's
    #: effort and words): ``document`` (issue a document, take a decision), ``tier`` (move a service up a
    #: tier), ``count`` (add items), ``share`` (raise a figure; a part of it in proportion), ``relative``
    #: (the same against the other provinces). None: the kind is moved through its parts (or not at all).
    effort_class: ClassVar[str | None] = None

    weight: float = 1.0

    # --- catalogue ------------------------------------------------------------------------

    @classmethod
    def parse(cls, d: Mapping[str, Any], where: str, p: Problems, *, top: bool = True) -> Rule:
        """The rule from its catalogue descriptor; every problem is added to ``p``."""
        known = {"kind", "weight", *cls.FIELDS}
        for f in d:
            if f not in known:
                p.add(where, f"rule.{f}", _("unknown field"))
        kwargs: dict[str, Any] = {}
        for name, (parser, required) in cls.FIELDS.items():
            if name not in d:
                if required:
                    p.add(where, f"rule.{name}", _("required for the kind {kind!r}").format(kind=cls.kind))
                continue
            fn = FIELD_PARSERS[parser] if isinstance(parser, str) else parser
            value = fn(d[name], f"{where}", p)
            if value is not None:
                kwargs[name] = value
        w = d.get("weight", 1.0)
        if not is_num(w) or w <= 0:
            p.add(where, "rule.weight", _(POSITIVE).format(value=w))
            w = 1.0
        kwargs["weight"] = float(w)
        try:
            return cls(**kwargs)
        except TypeError:  # a required field was unreadable: reported above
            return cls.placeholder(weight=float(w))

    @classmethod
    def placeholder(cls, weight: float = 1.0) -> Rule:
        """An instance with neutral fields, for a descriptor whose problems are already reported."""
        return cls(weight=weight)

    def check(self, ind: Indicator, where: str, p: Problems) -> None:
        """Cross-checks with the indicator: every input read is declared (kinds add their own)."""
        for iid in self.input_ids():
            if iid not in ind.input_map:
                p.add(where, "rule", _("reads the input {input!r}, which the indicator does not declare").format(input=iid))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        if self.weight != 1.0:
            d["weight"] = self.weight
        for f in fields(self):
            if f.name == "weight":
                continue
            v = getattr(self, f.name)
            if isinstance(v, tuple) and v and isinstance(v[0], Rule):
                d[f.name] = [x.to_dict() for x in v]
            elif isinstance(v, tuple) and v and isinstance(v[0], tuple):
                d[f.name] = [list(x) for x in v]
            elif isinstance(v, tuple):
                d[f.name] = list(v)
            elif v is not None:
                d[f.name] = v
        if self.reference_keys():
            d["references"] = list(self.reference_keys())
        return d

    # --- what it reads --------------------------------------------------------------------

    def input_ids(self) -> list[str]:
        """Every input id the rule reads, in order, without constants."""
        return []

    def needed(self, values: Mapping[str, Any]) -> list[str]:
        """The inputs the rule needs with these values (a counted-tiers count only when its gate is yes)."""
        return self.input_ids()

    def reference_keys(self) -> tuple[str, ...]:
        return self.references

    def components(self) -> tuple[Rule, ...]:
        """The pieces scored one by one (a ``parts`` rule's parts; otherwise the rule itself).

        A piece whose inputs are missing earns 0 and the others still count, as the Ministry
        scores a half-answered indicator.
        """
        return (self,)

    @property
    def is_relative(self) -> bool:
        return bool(self.reference_keys())

    # --- scoring ----------------------------------------------------------------------------

    def score(self, v: Values, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
        """(fraction of ``mx`` earned, 0..1; the arithmetic in words). May raise NeedsReference."""
        raise NotImplementedError

    def points_for(self, ind: Indicator, values: Mapping[str, Any], refs: Mapping[str, float], mx: float | None = None) -> float:
        """The points these (valid, complete) values earn; the inverse and the plan use it."""
        mx = ind.max_points if mx is None else mx
        f, _trace = self.score(Values(ind, values), mx, refs)
        return clamp01(f) * mx

    # --- words, formula, targets ----------------------------------------------------------

    def words(self, ind: Indicator, mx: float) -> str:
        """The rule as a sentence an official can check against the methodology, in the run's language."""
        raise NotImplementedError

    def formula(self, fx: Formula, mx: float) -> str | None:
        """An Excel expression of the points earned (0..mx), or None when it is computed centrally."""
        return None

    def measured(self, values: Mapping[str, Any]) -> float | str | None:
        """The value a ratio target is compared with (the rule's ratio), ``"zero"`` for b = 0, None if not measured."""
        return None

    # --- the inverse ------------------------------------------------------------------------

    def direction(self, input_id: str) -> int:
        """+1 when the score grows with the input, −1 when it falls with it, 0 when neither or not read."""
        return 0

    def inverse(self, ind: Indicator, input_id: str, points: float, values: Mapping[str, Any],
                refs: Mapping[str, float], mx: float | None = None) -> Any:
        """The value of ``input_id`` that earns at least ``points``, the other inputs held at ``values``.

        The smallest such value for an input the score grows with, the largest for one it
        falls with, to the input's resolution; a yes/no answer or a choice for those. None
        when no value of this input alone reaches ``points``.
        """
        return None

    def earned(self, ind: Indicator, values: Mapping[str, Any], refs: Mapping[str, float], mx: float | None = None) -> float:
        """The points these values earn now; 0 when an input the rule needs has no usable value."""
        from ..model import unusable

        if any(unusable(ind.input_map.get(i), values.get(i)) for i in self.needed(values)):
            return 0.0
        try:
            return self.points_for(ind, values, refs, mx)
        except (NeedsReference, KeyError, TypeError, ValueError):
            return 0.0

    def requirement(self, ind: Indicator, points: float, values: Mapping[str, Any], refs: Mapping[str, float],
                    mx: float | None = None) -> list[Need] | None:
        """The changes from ``values`` that earn at least ``points``: [] when already earned, None when out of reach.

        By default: the first input the score grows with (or falls with), through :meth:`inverse`.
        """
        mx = ind.max_points if mx is None else mx
        if self.earned(ind, values, refs, mx) >= points - 1e-9:
            return []
        for iid in self.input_ids():
            sign = self.direction(iid)
            if sign == 0:
                continue
            v = self.inverse(ind, iid, points, values, refs, mx)
            if v is None:
                continue
            op = "=" if isinstance(v, (bool, str)) else ">=" if sign > 0 else "<="
            now = values.get(iid)
            return [] if met(op, now, v) else [Need((iid,), op, v, now)]
        return None

    def breakpoints(self, ind: Indicator, mx: float, refs: Mapping[str, float]) -> list[float]:
        """The points at which the score steps up (a yes/no: [mx]; 5.12.1: 30%, 70%, 100% of mx)."""
        return [mx]

    def earns_nothing(self, input_id: str, value: Any) -> bool:
        """Whether this answer earns nothing whatever the others are ('Không', 0): then no evidence is asked."""
        return value is False or (is_num(value) and value == 0)

    def effort_class_of(self, input_id: str) -> str | None:
        """The effort class of the work on ``input_id`` (the kind's own; a ``parts`` rule answers for the part that reads it)."""
        return self.effort_class


def round_to(x: float, step: float, up: bool) -> float:
    """``x`` to a multiple of ``step``, up or down (with a hair of tolerance for floats)."""
    if step <= 0:
        return x
    q = x / step
    n = math.ceil(q - 1e-9) if up else math.floor(q + 1e-9)
    return round(n * step, 10)


def yes_word() -> str:
    return _("Yes")


def no_word() -> str:
    return _("No")
