"""Scoring: every rule of the methodology applied to the merged data, with the arithmetic in words.

Each rule kind is a small pure function ``rule_<kind>(rule, inputs, max_points, refs)`` returning
the fraction of the max it earns (0..1) and a trace such as
``a/b = 1,234/2,000 = 61.7% → 61.7% × 10 = 6.17``. :func:`score_all` checks which inputs are
missing, applies the adjustments, calls the rule functions and rolls the leaves up to 5.12 and
8.8, the pillars and the total out of 1,000. Points keep full precision; only the display rounds.

Statuses: ``scored``; ``no_data`` (an input is missing or declared "no data": 0 points, as the
Ministry scores it, always shown apart from a measured 0); ``needs_reference`` (a relative rule
without the national reference values: counts in no confirmed total, and the estimated total
carries its 2022 score forward); ``sum`` (5.12, 8.8 and 8.8.x, the sums of their children).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .catalogue import REFERENCE_KEYS, Catalogue, Indicator, Input, Rule
from .describe import fmt_num
from .errors import DtiError, InputFileError, UsageError
from .values import NO_DATA_TEXT, NoData, parse_number_text

FORMAT = "dti-scores"
FORMAT_VERSION = "1"
#: Tolerance at a boundary (≥ 10%, = 100%): sums of amounts such as (0.03 + 0.04)/1 land a hair below.
EPS = 1e-9
STATUSES = ("scored", "no_data", "needs_reference", "sum")
STATUS_VI = {"scored": "đã chấm", "no_data": "không có số liệu", "needs_reference": "cần giá trị tham chiếu", "sum": "tổng chỉ số con"}
INDICATOR_COLUMNS = ["code", "name", "lead", "inputs", "points", "max_points", "status", "trace",
                     "estimated_points", "adjusted", "parent", "score_2022"]


# ---------------------------------------------------------------------------------------------
# Numbers in traces


def num_text(x: float) -> str:
    """A number in a trace: thousands separated by a space and '.' as the decimal point (1 234.5).

    Never a comma: Vietnamese readers take "1,234" for one point two three four.
    """
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}".replace(",", " ")
    if not math.isfinite(x) or abs(x) >= 1e15:
        return f"{x:.4g}"
    return f"{x:,.4f}".rstrip("0").rstrip(".").replace(",", " ")


def pct_text(r: float) -> str:
    if not math.isfinite(r) or abs(r) >= 1e13:
        return f"{r * 100:.4g}%"
    return fmt_num(r * 100, 2) + "%"


def pts_text(x: float) -> str:
    """Points as tables show them: at most two decimals (4.2857… → 4.29)."""
    return fmt_num(x, 2)


def clamp01(x: float) -> float:
    """Into 0..1; NaN (∞/∞ from absurd inputs) counts as 0."""
    if math.isnan(x):
        return 0.0
    return min(max(x, 0.0), 1.0)


# ---------------------------------------------------------------------------------------------
# The inputs an indicator reads


class Inputs:
    """The values of one indicator's inputs, already checked: every id a rule reads is present and valid."""

    def __init__(self, ind: Indicator, values: Mapping[str, Any]):
        self.ind = ind
        self.values = values
        self._by_id = {i.id: i for i in ind.inputs}

    def name(self, term: str | float) -> str:
        """'a' for '7.1.a'; a constant as itself."""
        if isinstance(term, str):
            return term[len(self.ind.code) + 1 :] if term.startswith(self.ind.code + ".") else term
        return num_text(float(term))

    def num(self, term: str | float) -> float:
        return float(term) if not isinstance(term, str) else float(self.values[term])

    def flag(self, iid: str) -> bool:
        return bool(self.values[iid])

    def choice(self, iid: str) -> str:
        return str(self.values[iid])

    def choice_label(self, iid: str, value: str) -> str:
        for c in self._by_id[iid].choices:
            if c.value == value:
                return c.label_vi
        return value

    def total(self, terms: tuple[str | float, ...]) -> tuple[float, str, str]:
        """Σ terms: (value, 'a + b', '3 + 4'), bracketed when there are several terms."""
        vals = [self.num(t) for t in terms]
        try:
            s = math.fsum(vals)
        except OverflowError:
            s = math.inf
        names = " + ".join(self.name(t) for t in terms)
        nums = " + ".join(num_text(v) for v in vals)
        if len(terms) > 1:
            names, nums = f"({names})", f"({nums})"
        return s, names, nums


def check_value(inp: Input | None, value: Any) -> str | None:
    """Why a value cannot be scored (None when it can)."""
    if value is None:
        return "chưa có số liệu"
    if isinstance(value, NoData):
        return f"đơn vị khai '{NO_DATA_TEXT['vi']}' (declared no data)"
    kind = inp.type if inp else "number"
    if kind == "yes_no":
        return None if isinstance(value, bool) else f"{value!r} không phải Có/Không"
    if kind == "choice":
        codes = {c.value for c in inp.choices} if inp else set()
        return None if isinstance(value, str) and value in codes else f"{value!r} không phải một lựa chọn của danh sách"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{value!r} không phải số"
    if not math.isfinite(value):
        return f"{value!r} không phải số hữu hạn"
    return None


# ---------------------------------------------------------------------------------------------
# One small pure function per rule kind: (rule, inputs, max points, references) → (fraction, trace)

RuleFn = Callable[[Rule, Inputs, float, Mapping[str, float]], tuple[float, str]]


class NeedsReference(Exception):
    """A relative rule without its national reference values (carries the trace so far)."""

    def __init__(self, keys: list[str], trace: str):
        super().__init__(trace)
        self.keys = keys
        self.trace = trace


def _earn(f: float, mx: float) -> str:
    return f"{pct_text(f)} × {fmt_num(mx)} = {pts_text(f * mx)}"


def _zero_denominator(rule: Rule, head: str, mx: float) -> tuple[float, str]:
    if rule.zero_denominator == "full":
        return 1.0, f"{head}: mẫu số bằng 0, quy tắc cho điểm tối đa → {pts_text(mx)}"
    return 0.0, f"{head}: mẫu số bằng 0, quy tắc cho 0 điểm → 0"


def _ratio(rule: Rule, v: Inputs) -> tuple[float | None, str]:
    """Σnumerator/Σdenominator and its text; None when the denominator is 0."""
    n, ne, nv = v.total(rule.numerator)
    d, de, dv = v.total(rule.denominator)
    head = f"{ne}/{de} = {nv}/{dv}"
    if d == 0:
        return None, head
    r = n / d if math.isfinite(d) else (1.0 if math.isinf(n) else 0.0)
    return r, f"{head} = {pct_text(r)}"


def _value(rule: Rule, v: Inputs) -> tuple[float | None, str]:
    """The ratio when the rule has a denominator, else Σnumerator (an amount or a count)."""
    if rule.denominator:
        return _ratio(rule, v)
    n, ne, nv = v.total(rule.numerator)
    return n, f"{ne} = {nv} = {num_text(n)}" if len(rule.numerator) > 1 else f"{ne} = {nv}"


def rule_yes_no(rule: Rule, v: Inputs, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
    """Yes gives the max, no gives 0."""
    yes = v.flag(rule.input or "")
    return (1.0 if yes else 0.0), f"{v.name(rule.input or '')} = {'Có' if yes else 'Không'} → {pts_text(mx if yes else 0)}"


def rule_choice(rule: Rule, v: Inputs, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
    """The fraction the catalogue gives the chosen answer (e.g. chair 1, deputy 1/2, none 0)."""
    iid = rule.input or ""
    code = v.choice(iid)
    f = dict(rule.points).get(code, 0.0)
    return f, f"{v.name(iid)} = {v.choice_label(iid, code)} → {_earn(f, mx)}"


def rule_counted_tiers(rule: Rule, v: Inputs, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
    """Gate no → 0; gate yes → the first tier whose minimum the count reaches (e.g. ≥20 full, ≥10 half, else 1/4)."""
    g = rule.gate or ""
    if not v.flag(g):
        return 0.0, f"{v.name(g)} = Không → 0"
    c = v.num(rule.count or "")
    head = f"{v.name(g)} = Có; {v.name(rule.count or '')} = {num_text(c)}"
    for m, f in rule.tiers:
        if c >= m - EPS:
            return f, f"{head} ≥ {num_text(m)} → {_earn(f, mx)}"
    return 0.0, f"{head}, dưới mọi mức → 0"


def rule_ratio(rule: Rule, v: Inputs, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
    """Ratio × max; a ratio above 100% counts as 100%, a negative one as 0; b = 0 follows the rule's policy."""
    r, text = _ratio(rule, v)
    if r is None:
        return _zero_denominator(rule, text, mx)
    f = clamp01(r)
    note = " (trên 100%, tính 100%)" if r > 1 else " (âm, tính 0)" if r < 0 else ""
    return f, f"{text}{note} → {_earn(f, mx)}"


def rule_threshold(rule: Rule, v: Inputs, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
    """Full at or above the threshold; below it, ratio/threshold × max."""
    t = rule.threshold or 1.0
    r, text = _ratio(rule, v)
    if r is None:
        return _zero_denominator(rule, text, mx)
    if r >= t - EPS:
        return 1.0, f"{text} ≥ {pct_text(t)} → điểm tối đa {pts_text(mx)}"
    f = clamp01(r / t)
    return f, f"{text} < {pct_text(t)} → {pct_text(max(r, 0.0))}/{pct_text(t)} × {fmt_num(mx)} = {pts_text(f * mx)}"


def rule_all_or_nothing(rule: Rule, v: Inputs, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
    """The max at 100% (within 1e-9), 0 below."""
    r, text = _ratio(rule, v)
    if r is None:
        return _zero_denominator(rule, text, mx)
    if r >= 1 - EPS:
        return 1.0, f"{text} đạt 100% → điểm tối đa {pts_text(mx)}"
    return 0.0, f"{text} < 100% → 0"


def rule_stepped(rule: Rule, v: Inputs, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
    """The first level whose minimum the value reaches (≥ at the boundary), else 0.

    The value is the ratio when the rule has a denominator (5.12.1: ≥10%, ≥7%, ≥3%), otherwise
    the amount in billion VND (5.12.2-5.12.6: ≥2, ≥1, ≥0.5).
    """
    x, text = _value(rule, v)
    if x is None:
        return _zero_denominator(rule, text, mx)
    show = pct_text if rule.denominator else (lambda m: num_text(m) + " tỷ đồng")
    for m, f in rule.levels:
        if x >= m - EPS:
            return f, f"{text} ≥ {show(m)} → {_earn(f, mx)}"
    lowest = rule.levels[-1][0] if rule.levels else 0.0
    return 0.0, f"{text} < {show(lowest)} → 0"


def rule_per_item(rule: Rule, v: Inputs, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
    """count × points each, at most the cap (or the max)."""
    iid = rule.input or ""
    n = v.num(iid)
    each = rule.points_each or 0.0
    cap = min(rule.cap or mx, mx)
    pts = min(max(n * each, 0.0), cap)
    capped = f", tối đa {fmt_num(cap)}" if n * each > cap else ""
    return (pts / mx if mx else 0.0), f"{v.name(iid)} = {num_text(n)} × {fmt_num(each)} điểm{capped} → {pts_text(pts)}"


def _refs(rule: Rule, refs: Mapping[str, float], text: str) -> list[float]:
    keys = list(REFERENCE_KEYS[rule.kind])
    missing = [k for k in keys if k not in refs]
    if missing:
        raise NeedsReference(missing, f"{text}; thiếu giá trị tham chiếu quốc gia: {', '.join(missing)}")
    return [refs[k] for k in keys]


def rule_minmax(rule: Rule, v: Inputs, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
    """(value − national min)/(max − min), within 0..1; when max ≤ min, full if value ≥ max else 0."""
    x, text = _value(rule, v)
    if x is None:
        return _zero_denominator(rule, text, mx)
    lo, hi = _refs(rule, refs, text)
    show = pct_text if rule.denominator else num_text
    if hi <= lo:
        f = 1.0 if x >= hi - EPS else 0.0
        return f, f"{text}; thấp nhất = {show(lo)}, cao nhất = {show(hi)} (cao nhất ≤ thấp nhất) → {_earn(f, mx)}"
    f = clamp01((x - lo) / (hi - lo))
    return f, f"{text}; ({show(x)} − {show(lo)})/({show(hi)} − {show(lo)}) = {pct_text((x - lo) / (hi - lo))} → {_earn(f, mx)}"


def rule_share_of_best(rule: Rule, v: Inputs, mx: float, refs: Mapping[str, float]) -> tuple[float, str]:
    """value / the best province's value, within 0..1."""
    x, text = _value(rule, v)
    if x is None:
        return _zero_denominator(rule, text, mx)
    (best,) = _refs(rule, refs, text)
    show = pct_text if rule.denominator else num_text
    if best <= 0:
        raise NeedsReference(["best"], f"{text}; giá trị tham chiếu 'best' = {num_text(best)} không hợp lệ (phải lớn hơn 0)")
    f = clamp01(x / best)
    return f, f"{text}; {show(x)}/{show(best)} (tỉnh cao nhất) = {pct_text(x / best)} → {_earn(f, mx)}"


RULES: dict[str, RuleFn] = {
    "yes_no": rule_yes_no,
    "choice": rule_choice,
    "counted_tiers": rule_counted_tiers,
    "ratio": rule_ratio,
    "threshold": rule_threshold,
    "all_or_nothing": rule_all_or_nothing,
    "stepped": rule_stepped,
    "per_item": rule_per_item,
    "minmax": rule_minmax,
    "share_of_best": rule_share_of_best,
}


# ---------------------------------------------------------------------------------------------
# One indicator


@dataclass
class Outcome:
    fraction: float
    trace: str
    status: str  # scored | no_data | needs_reference
    missing: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)


def needed_inputs(rule: Rule, values: Mapping[str, Any], ind: Indicator) -> list[str]:
    """The inputs the rule needs with these values: a counted-tiers count only when the gate is yes."""
    ids = rule.input_ids()
    if rule.kind == "counted_tiers" and rule.gate and rule.count:
        gate = values.get(rule.gate)
        if gate is False:
            ids = [i for i in ids if i != rule.count]
    return ids


def _missing(rule: Rule, values: Mapping[str, Any], ind: Indicator, why: dict[str, str]) -> list[str]:
    by_id = {i.id: i for i in ind.inputs}
    out = []
    for iid in needed_inputs(rule, values, ind):
        reason = check_value(by_id.get(iid), values.get(iid))
        if reason:
            why.setdefault(iid, reason)
            out.append(iid)
    return out


def _no_data_trace(v: Inputs, missing: list[str], why: Mapping[str, str]) -> str:
    items = "; ".join(f"{v.name(i)} ({i}): {why.get(i, 'chưa có số liệu')}" for i in missing)
    return f"thiếu số liệu — {items} → 0 (Bộ chấm 0 điểm khi không có số liệu)"


def evaluate(ind: Indicator, values: Mapping[str, Any], refs: Mapping[str, float] | None = None,
             why: dict[str, str] | None = None) -> Outcome:
    """Apply the indicator's rule to the values. ``why`` collects the reason each missing input is missing."""
    why = {} if why is None else why
    refs = refs or {}
    rule, mx = ind.rule, ind.max_points
    v = Inputs(ind, values)
    if rule.kind == "parts":
        total, texts, missing, needs = 0.0, [], [], []
        for k, part in enumerate(rule.parts, 1):
            pmx = part.weight * mx
            gone = _missing(part, values, ind, why)
            if gone:
                missing += gone
                texts.append(f"phần {k} ({fmt_num(pmx)} điểm): {_no_data_trace(v, gone, why)}")
                continue
            try:
                f, t = RULES[part.kind](part, v, pmx, refs)
            except NeedsReference as e:
                needs += e.keys
                texts.append(f"phần {k} ({fmt_num(pmx)} điểm): {e.trace}")
                continue
            total += part.weight * clamp01(f)
            texts.append(f"phần {k} ({fmt_num(pmx)} điểm): {t}")
        f = clamp01(total)
        trace = "; ".join(texts) + f" ⇒ tổng {pts_text(f * mx)}/{fmt_num(mx)}"
        status = "no_data" if missing else "needs_reference" if needs else "scored"
        return Outcome(f, trace, status, list(dict.fromkeys(missing)), needs)
    missing = _missing(rule, values, ind, why)
    if missing:
        return Outcome(0.0, _no_data_trace(v, missing, why), "no_data", missing)
    try:
        f, t = RULES[rule.kind](rule, v, mx, refs)
    except NeedsReference as e:
        return Outcome(0.0, e.trace, "needs_reference", needs=e.keys)
    return Outcome(clamp01(f), t, "scored")


# ---------------------------------------------------------------------------------------------
# Results


class PillarScore(NamedTuple):
    points: float
    max_points: float
    index: float


@dataclass
class IndicatorScore:
    code: str
    points: float
    max_points: float
    status: str
    trace: str
    inputs: dict[str, Any]  # input id → the value used (NO_DATA for declared no data, None when missing)
    name: str = ""
    lead: tuple[str, ...] = ()
    parent: str = ""
    estimated_points: float = 0.0
    estimated_from_2022: bool = False
    score_2022: float | None = None
    adjusted: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    needs_references: tuple[str, ...] = ()
    input_status: dict[str, str] = field(default_factory=dict)

    @property
    def label_vi(self) -> str:
        s = STATUS_VI.get(self.status, self.status)
        return s + (" (đã điều chỉnh)" if self.adjusted else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "parent": self.parent,
            "lead": list(self.lead),
            "points": self.points,
            "max_points": self.max_points,
            "status": self.status,
            "estimated_points": self.estimated_points,
            "estimated_from_2022": self.estimated_from_2022,
            "score_2022": self.score_2022,
            "adjusted": list(self.adjusted),
            "missing": list(self.missing),
            "needs_references": list(self.needs_references),
            "inputs": [{"id": k, "value": json_value(v), "status": self.input_status.get(k, "ok")} for k, v in self.inputs.items()],
            "trace": self.trace,
        }


def json_value(v: Any) -> Any:
    if isinstance(v, NoData):
        return "no_data"
    return v


@dataclass
class Scores:
    """The result of scoring: every indicator, each pillar, the totals, adjustments applied, problems."""

    indicators: dict[str, IndicatorScore]
    pillars: dict[str, PillarScore]
    pillars_estimated: dict[str, PillarScore]
    total_confirmed: float
    total_estimated: float
    max_total: float
    catalogue: dict[str, str]
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    references: dict[tuple[str, str], float] = field(default_factory=dict)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    pillar_names: dict[str, str] = field(default_factory=dict)

    @property
    def index_confirmed(self) -> float:
        return self.total_confirmed / self.max_total if self.max_total else 0.0

    @property
    def index_estimated(self) -> float:
        return self.total_estimated / self.max_total if self.max_total else 0.0

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for s in self.indicators.values():
            out[s.status] = out.get(s.status, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (what `dti score --format json` prints and scores.json holds)."""
        return {
            "catalogue": dict(self.catalogue),
            "source": dict(self.source),
            "total": {
                "max_points": self.max_total,
                "confirmed": self.total_confirmed,
                "estimated": self.total_estimated,
                "index_confirmed": self.index_confirmed,
                "index_estimated": self.index_estimated,
                "estimated_note": "estimated = confirmed + the 2022 score of each indicator that needs a national reference",
            },
            "counts": self.counts(),
            "pillars": [
                {"code": c, "name": self.pillar_names.get(c, ""), "points": p.points, "max_points": p.max_points, "index": p.index,
                 "estimated_points": self.pillars_estimated[c].points, "estimated_index": self.pillars_estimated[c].index}
                for c, p in self.pillars.items()
            ],
            "indicators": [s.to_dict() for s in self.indicators.values()],
            "references": [{"indicator": i, "key": k, "value": v} for (i, k), v in self.references.items()],
            "adjustments": [dict(a) for a in self.adjustments],
            "problems": [dict(p) for p in self.problems],
        }


# ---------------------------------------------------------------------------------------------
# Adjustments


def parse_input_value(raw: Any, inp: Input) -> tuple[Any, str | None]:
    """A typed value for an input: (value, None) or (None, the reason in Vietnamese), read by values.parse_value."""
    from .values import parse_value

    p = parse_value(raw, inp)
    if not p.ok:
        return None, p.message_vi or "giá trị không đọc được"
    if p.value is None:
        return None, "ô trống"
    return p.value, None


def apply_adjustments(cat: Catalogue, values: dict[str, Any], adjustments: Iterable[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Apply the focal point's adjustments to ``values`` in place: (applied rows, problems)."""
    applied, problems = [], []
    for k, a in enumerate(adjustments, 2):
        row = a.get("row", k)
        iid = str(a.get("input_id") or "").strip()
        if not iid:
            problems.append(_problem("adjustment_no_input", f"Adjustments!A{row}", f"Adjustments!A{row}: thiếu mã số liệu (input_id); dòng điều chỉnh này không được áp dụng. Hãy ghi mã, ví dụ 7.1.a."))
            continue
        inp = cat.inputs.get(iid)
        if inp is None:
            import difflib

            close = difflib.get_close_matches(iid, list(cat.inputs), n=3)
            hint = f" Có phải: {', '.join(close)}?" if close else ""
            problems.append(_problem("adjustment_unknown_input", f"Adjustments!A{row}", f"Adjustments!A{row}: mã số liệu {iid!r} không có trong bộ chỉ số; không áp dụng.{hint}", iid))
            continue
        value, reason = parse_input_value(a.get("new_value"), inp)
        if reason is None:
            bad = check_value(inp, value)
            if bad and not isinstance(value, NoData):
                reason = bad
        if reason is not None:
            problems.append(_problem("adjustment_bad_value", f"Adjustments!B{row}",
                                     f"Adjustments!B{row}: giá trị mới của {iid} ({a.get('new_value')!r}) không dùng được: {reason}. "
                                     f"Điều chỉnh này KHÔNG được áp dụng; hãy sửa ô B{row} rồi chạy lại dti score.", iid))
            continue
        old = values.get(iid)
        values[iid] = value
        applied.append({"row": row, "input_id": iid, "indicator": inp.indicator, "old_value": json_value(old), "new_value": json_value(value),
                        "reason": _text(a.get("reason")), "by": _text(a.get("by")), "date": _text(a.get("date"))})
    return applied, problems


def _text(v: Any) -> str:
    if v is None:
        return ""
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10] if getattr(v, "hour", 0) == 0 and getattr(v, "minute", 0) == 0 else v.isoformat()
    return str(v)


def _problem(code: str, where: str, message: str, input_id: str | None = None) -> dict[str, Any]:
    return {"code": code, "where": where, "input_id": input_id, "message": message}


# ---------------------------------------------------------------------------------------------
# Scoring everything


def score_all(ctx: Any, values: Mapping[str, Any], references: Mapping[tuple[str, str], float] | None = None,
              adjustments: Iterable[Mapping[str, Any]] = (), *, statuses: Mapping[str, str] | None = None) -> Scores:
    """Score every indicator, roll up to 5.12, 8.8, the pillars and the total.

    ``values``: input id → float | bool | choice value code | NO_DATA (a missing key = no data).
    ``references``: (indicator, key) → value, for the relative rules. ``adjustments``: rows of
    the Adjustments sheet (input_id, new_value, reason, by, date, row), applied over the values.
    ``statuses``: the merge status of each input, to say in the trace why one is missing.
    """
    cat: Catalogue = ctx.catalogue
    vals = dict(values)
    applied, problems = apply_adjustments(cat, vals, adjustments)
    adjusted_ids = {a["input_id"] for a in applied}
    refs_all = {(str(i), str(k)): float(v) for (i, k), v in (references or {}).items()}
    by_ind: dict[str, dict[str, float]] = {}
    for (i, k), v in refs_all.items():
        by_ind.setdefault(i, {})[k] = v
    merge_status = dict(statuses or {})
    out: dict[str, IndicatorScore] = {}
    for ind in cat.indicators.values():
        base = ctx.baseline.score(ind.code)
        common = {"name": ind.name_vi, "lead": tuple(ind.lead), "parent": ind.parent, "score_2022": base}
        if ind.is_aggregate:
            out[ind.code] = IndicatorScore(ind.code, 0.0, ind.max_points, "sum", "", {}, **common)
            continue
        why: dict[str, str] = {}
        for iid, st in merge_status.items():
            if iid.startswith(ind.code + ".") and st in ("missing", "conflict", "invalid") and iid not in vals:
                why[iid] = {"missing": "chưa có số liệu (không đơn vị nào điền)", "conflict": "các đơn vị khai khác nhau (conflict), chưa thống nhất",
                            "invalid": "giá trị không hợp lệ khi tổng hợp (invalid)"}[st]
        oc = evaluate(ind, vals, by_ind.get(ind.code, {}), why)
        pts = min(max(oc.fraction * ind.max_points, 0.0), ind.max_points)
        inputs = {i.id: vals.get(i.id) for i in ind.inputs}
        in_status = {}
        for i in ind.inputs:
            v = vals.get(i.id)
            st = "no_data" if isinstance(v, NoData) else "missing" if v is None else "invalid" if check_value(i, v) else "ok"
            in_status[i.id] = "adjusted" if i.id in adjusted_ids and st == "ok" else st
        points = pts if oc.status != "needs_reference" else 0.0
        est_2022 = oc.status == "needs_reference"
        est = (base or 0.0) if est_2022 else points
        trace = oc.trace
        if est_2022:
            trace += f" ⇒ chưa tính vào tổng xác nhận; tổng ước tính dùng điểm 2022 = {fmt_num(base)}"
        out[ind.code] = IndicatorScore(ind.code, points, ind.max_points, oc.status, trace, inputs, estimated_points=min(est, ind.max_points),
                                       estimated_from_2022=est_2022, adjusted=tuple(i for i in adjusted_ids if i.startswith(ind.code + ".") and i in inputs),
                                       missing=tuple(oc.missing), needs_references=tuple(oc.needs), input_status=in_status, **common)
    # Roll-up: deepest aggregates first (8.8.1-8.8.3 before 8.8).
    for ind in sorted((i for i in cat.indicators.values() if i.is_aggregate), key=lambda i: -i.depth):
        kids = cat.children(ind.code)
        s = out[ind.code]
        s.points = min(math.fsum(out[k.code].points for k in kids), ind.max_points)
        s.estimated_points = min(math.fsum(out[k.code].estimated_points for k in kids), ind.max_points)
        s.trace = " + ".join(f"{k.code}: {pts_text(out[k.code].points)}" for k in kids) + f" = {pts_text(s.points)}/{fmt_num(ind.max_points)}"
        if abs(s.estimated_points - s.points) > EPS:
            s.trace += f" (ước tính {pts_text(s.estimated_points)})"
    pillars, pillars_est, names = {}, {}, {}
    for code, p in cat.pillars.items():
        if not p.scored:
            continue
        kids = cat.children(code)
        pts = min(math.fsum(out[k.code].points for k in kids), p.max_points)
        est = min(math.fsum(out[k.code].estimated_points for k in kids), p.max_points)
        pillars[code] = PillarScore(pts, p.max_points, pts / p.max_points if p.max_points else 0.0)
        pillars_est[code] = PillarScore(est, p.max_points, est / p.max_points if p.max_points else 0.0)
        names[code] = p.name_vi
    return Scores(
        indicators=out,
        pillars=pillars,
        pillars_estimated=pillars_est,
        total_confirmed=math.fsum(p.points for p in pillars.values()),
        total_estimated=math.fsum(p.points for p in pillars_est.values()),
        max_total=cat.total_points,
        catalogue={"id": cat.id, "version": cat.version, "sha256": cat.sha256, "year": str(cat.year)},
        adjustments=applied,
        problems=problems,
        references=refs_all,
        pillar_names=names,
    )


# ---------------------------------------------------------------------------------------------
# Reading the inputs: a merged workbook, or one agency's returned template


def _stamp(wb: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    if "_dti" in wb.sheetnames:
        for r in wb["_dti"].iter_rows(values_only=True):
            if r and r[0] is not None:
                out[str(r[0]).strip()] = "" if len(r) < 2 or r[1] is None else str(r[1]).strip()
    return out


def file_kind(path: str | Path) -> str:
    """'dti-merged', 'dti-template', 'dti-scores' or '' from the hidden `_dti` stamp of a workbook.

    The file may be an agency's returned template, so it is opened the way merge opens one
    (intake: zip and size checks, entities refused), never first by openpyxl. A file intake
    refuses raises its IntakeError (e.g. a zip bomb), so no caller goes on to open it otherwise.
    """
    from .intake import open_workbook
    from .merge import read_stamp

    return (read_stamp(open_workbook(path)) or {}).get("format", "")


def merge_one_template(ctx: Any, path: str | Path) -> tuple[Any, list[dict[str, Any]]]:
    """One agency's returned template, checked exactly as `dti merge` checks it: (Merged, problems).

    The problems are the file's errors (values that cannot be used); warnings such as inputs left
    blank are what a half-filled workbook is expected to have, and its blanks score as no data.
    """
    from .merge import ERROR, run_merge, to_merged

    p = Path(path)
    result = run_merge(ctx, [p])
    mine = [f for f in result.findings if f.file == p.name and f.severity == ERROR]
    problems = [_problem(f.code, f"{f.sheet}!{f.cell}" if f.cell else (f.sheet or p.name), f"{p.name}: {f.message}", f.input_id or None) for f in mine]
    return to_merged(result, ctx.catalogue, str(p)), problems


REFERENCE_COLUMNS = ["indicator", "key", "value", "source"]


def read_references(cat: Catalogue, path: str | Path) -> tuple[dict[tuple[str, str], float], list[dict[str, Any]]]:
    """National reference values from a CSV or .xlsx file with columns indicator, key, value, source."""
    p = Path(path)
    if not p.exists():
        raise InputFileError(f"{p}: không tìm thấy tệp giá trị tham chiếu (--references).")
    ext = p.suffix.lower()
    rows: list[tuple[str, dict[str, Any]]] = []
    if ext == ".csv":
        import csv

        text = p.read_text(encoding="utf-8-sig", errors="replace")
        try:
            dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(text.splitlines(), dialect)
        header = [h.strip().lower() for h in next(reader, [])]
        for n, r in enumerate(reader, 2):
            if any(c.strip() for c in r):
                rows.append((f"{p.name} dòng {n}", {h: (r[j] if j < len(r) else None) for j, h in enumerate(header)}))
    elif ext in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(p, read_only=True, data_only=True)
        except Exception as e:
            raise InputFileError(f"{p}: không mở được tệp .xlsx ({type(e).__name__}).") from None
        try:
            ws = wb["References"] if "References" in wb.sheetnames else wb[wb.sheetnames[0]]
            it = ws.iter_rows(values_only=True)
            header = [str(h).strip().lower() if h is not None else "" for h in next(it, ())]
            for n, r in enumerate(it, 2):
                if r and any(c not in (None, "") for c in r):
                    rows.append((f"{p.name}, {ws.title}!C{n}", {h: (r[j] if j < len(r) else None) for j, h in enumerate(header) if h}))
        finally:
            wb.close()
    else:
        raise UsageError(f"{p}: --references nhận tệp .csv hoặc .xlsx (cột indicator, key, value, source).")
    missing_cols = [c for c in ("indicator", "key", "value") if c not in (rows[0][1] if rows else {c: 1 for c in REFERENCE_COLUMNS})]
    if missing_cols:
        raise InputFileError(f"{p}: thiếu cột {', '.join(missing_cols)}; dòng đầu phải là: indicator, key, value, source.")
    refs: dict[tuple[str, str], float] = {}
    problems: list[dict[str, Any]] = []
    for where, r in rows:
        item = _reference(cat, r.get("indicator"), r.get("key"), r.get("value"), where, problems)
        if item:
            refs[item[0]] = item[1]
    return refs, problems


def _reference(cat: Catalogue, ind: Any, key: Any, value: Any, where: str, problems: list[dict[str, Any]]) -> tuple[tuple[str, str], float] | None:
    code, k = str(ind or "").strip(), str(key or "").strip().lower()
    i = cat.indicators.get(code)
    if i is None or not i.rule.is_relative:
        rel = ", ".join(c for c, x in cat.indicators.items() if x.rule.is_relative)
        problems.append(_problem("reference_unknown_indicator", where, f"{where}: {code!r} không phải chỉ số cần giá trị tham chiếu (các chỉ số cần: {rel}); bỏ qua."))
        return None
    keys = REFERENCE_KEYS[i.rule.kind]
    if k not in keys:
        problems.append(_problem("reference_unknown_key", where, f"{where}: chỉ số {code} cần khóa {', '.join(keys)}, không phải {k!r}; bỏ qua."))
        return None
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # not filled in yet: the indicator stays "needs_reference"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        num: float | None = float(value)
    else:
        text = str(value).strip()
        num = parse_number_text(text.rstrip("%"))
        if num is not None and text.endswith("%"):
            num /= 100
    if num is None or not math.isfinite(num):
        problems.append(_problem("reference_bad_value", where, f"{where}: giá trị tham chiếu {code} {k} = {value!r} không phải số; bỏ qua. Hãy nhập một số."))
        return None
    return (code, k), num


def score_merged(ctx: Any, merged_path: str | Path, references_path: str | Path | None = None) -> Scores:
    """Score a merged workbook (or one agency's returned template); ``--references`` overrides the workbook's."""
    from .merged import FORMAT as MERGED
    from .merged import read_merged

    p = Path(merged_path)
    if not p.exists():
        raise InputFileError(f"{p}: không tìm thấy tệp. Hãy chạy `dti merge` trước, hoặc chỉ đường dẫn tới merged.xlsx.")
    cat = ctx.catalogue
    kind = file_kind(p)
    problems: list[dict[str, Any]] = []
    if kind == MERGED:
        m = read_merged(p, cat)
        values, statuses, prov, adjustments = m.values, m.statuses, m.provenance, m.adjustments
        refs: dict[tuple[str, str], float] = {}
        for (i, k), v in m.references.items():
            item = _reference(cat, i, k, v, "References", problems)
            if item:
                refs[item[0]] = item[1]
        problems += [_problem("merged_problem", msg.split(":", 1)[0], msg) for msg in m.problems]
        source = {"path": str(p), "kind": "merged", "province": m.stamp.get("province", m.stamp.get("province_id", "")), "year": m.stamp.get("year", "")}
        if m.stamp.get("catalogue_sha256") and m.stamp["catalogue_sha256"] != cat.sha256:
            problems.append(_problem("catalogue_mismatch", "_dti", f"{p.name}: tổng hợp với bộ chỉ số {m.stamp.get('catalogue_version', '?')} khác bộ đang dùng ({cat.version}); kiểm tra --catalogue."))
    elif kind == "dti-template":
        m, tproblems = merge_one_template(ctx, p)
        problems += tproblems
        values, statuses, prov, adjustments, refs = m.values, m.statuses, m.provenance, [], {}
        unit = next((r for r in m.submissions if r.get("file") == p.name), {})
        source = {"path": str(p), "kind": "template", "unit": unit.get("unit_name", ""), "unit_id": unit.get("unit_id", ""), "year": m.stamp.get("year", "")}
    else:
        raise InputFileError(f"{p}: không phải bảng tổng hợp do `dti merge` tạo (merged.xlsx) hay biểu mẫu dti đã điền (không có dấu '_dti' hợp lệ).")
    if references_path is not None:
        extra, rproblems = read_references(cat, references_path)
        refs.update(extra)
        problems += rproblems
        source["references"] = str(references_path)
    s = score_all(ctx, values, refs, adjustments, statuses=statuses)
    s.problems = problems + s.problems
    s.provenance = {k: dict(v) for k, v in prov.items()}
    s.source = source
    return s


# ---------------------------------------------------------------------------------------------
# The scores file (.xlsx by default; .json, .csv)


def default_output(input_path: str | Path, kind: str = "merged") -> Path:
    """scores.xlsx beside a merged workbook (where `dti report` looks); <name>.scores.xlsx beside a single template."""
    p = Path(input_path)
    return p.with_name("scores.xlsx") if kind == "merged" else p.with_name(p.stem + ".scores.xlsx")


def written_by_dti(path: str | Path) -> bool:
    """Whether an existing file is a scores file dti wrote (so a re-run may replace it)."""
    p = Path(path)
    try:
        if not p.is_file():
            return False
    except OSError:  # a name the file system cannot hold: writing it will say so
        return False
    ext = p.suffix.lower()
    if ext == ".xlsx":
        try:
            return file_kind(p) == FORMAT
        except DtiError:  # not a workbook dti could have written
            return False
    if ext == ".json":
        import json

        try:
            return json.loads(p.read_text(encoding="utf-8")).get("format") == FORMAT
        except (ValueError, OSError, AttributeError):
            return False
    if ext == ".csv":
        try:
            with p.open(encoding="utf-8-sig") as f:
                return f.readline().strip() == ",".join(INDICATOR_COLUMNS)
        except (OSError, UnicodeDecodeError):
            return False
    return False


def inputs_text(s: IndicatorScore) -> str:
    parts = []
    for k, v in s.inputs.items():
        st = s.input_status.get(k, "ok")
        if isinstance(v, NoData):
            shown = NO_DATA_TEXT["vi"]
        elif v is None:
            shown = "(trống)"
        elif isinstance(v, bool):
            shown = "Có" if v else "Không"
        elif isinstance(v, float):
            shown = num_text(v)
        else:
            shown = str(v)
        parts.append(f"{k} = {shown}" + (" (điều chỉnh)" if st == "adjusted" else ""))
    return "; ".join(parts)


def indicator_rows(scores: Scores) -> list[list[Any]]:
    return [[s.code, s.name, "; ".join(s.lead), inputs_text(s), s.points, s.max_points, s.status, s.trace,
             s.estimated_points, ", ".join(s.adjusted), s.parent, s.score_2022] for s in scores.indicators.values()]


def write_scores(scores: Scores, path: str | Path, *, force: bool = False, inputs: Iterable[str | Path] = ()) -> Path:
    """Write the scores file; the format follows the extension (.xlsx, .json, .csv).

    An existing file is replaced only when dti wrote it (its `_dti` stamp says dti-scores) or with ``force``.
    """
    from .safety import atomic_output

    out = Path(path)
    ext = out.suffix.lower()
    if ext not in (".xlsx", ".json", ".csv"):
        raise UsageError(f"{out}: tệp kết quả phải có đuôi .xlsx, .json hoặc .csv.")
    replace = force or written_by_dti(out)
    with atomic_output(out, force=replace, inputs=inputs) as tmp:
        if ext == ".json":
            import json
            from datetime import UTC, datetime

            doc = {"format": FORMAT, "format_version": FORMAT_VERSION, "generated_at": datetime.now(UTC).isoformat(timespec="seconds"), **scores.to_dict()}
            tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        elif ext == ".csv":
            import csv

            from .safety import safe_csv_cell

            with tmp.open("w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f, lineterminator="\r\n")
                w.writerow(INDICATOR_COLUMNS)
                for r in indicator_rows(scores):
                    w.writerow([safe_csv_cell(v) for v in r])
        else:
            _write_xlsx(scores, tmp)
    return out


def _write_xlsx(scores: Scores, path: Path) -> None:
    from datetime import UTC, datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .safety import set_cell

    wb = Workbook()
    wb.remove(wb.active)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    styles = {"no_data": PatternFill("solid", fgColor="FCE4D6"), "needs_reference": PatternFill("solid", fgColor="FFF2CC"),
              "sum": PatternFill("solid", fgColor="EDEDED")}

    def sheet(name: str, header: list[str], rows: list[list[Any]], widths: dict[int, int] | None = None, numeric: tuple[int, ...] = ()) -> Any:
        ws = wb.create_sheet(name)
        for j, h in enumerate(header, 1):
            c = ws.cell(1, j)
            set_cell(c, h)
            c.font, c.fill = Font(bold=True), head_fill
        for i, r in enumerate(rows, 2):
            for j, v in enumerate(r, 1):
                c = ws.cell(i, j)
                set_cell(c, v)
                if j in numeric and isinstance(v, (int, float)):
                    c.number_format = "0.00"
        ws.freeze_panes = "A2"
        for j in range(1, len(header) + 1):
            ws.column_dimensions[get_column_letter(j)].width = (widths or {}).get(j, 14)
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        return ws

    ws = sheet("Indicators", INDICATOR_COLUMNS, indicator_rows(scores), {1: 10, 2: 50, 3: 28, 4: 40, 7: 16, 8: 80}, numeric=(5, 6, 9, 12))
    for i, s in enumerate(scores.indicators.values(), 2):
        ws.cell(i, 8).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(i, 2).alignment = Alignment(wrap_text=True, vertical="top")
        if s.status in styles:
            ws.cell(i, 7).fill = styles[s.status]
    d = scores.to_dict()
    sheet("Pillars", ["code", "name", "points", "max_points", "index", "estimated_points", "estimated_index"],
          [[p["code"], p["name"], p["points"], p["max_points"], p["index"], p["estimated_points"], p["estimated_index"]] for p in d["pillars"]],
          {2: 40}, numeric=(3, 4, 6))
    t = d["total"]
    sheet("Totals", ["key", "value", "label_vi"], [
        ["confirmed", t["confirmed"], "Tổng điểm xác nhận (không gồm chỉ số thiếu giá trị tham chiếu)"],
        ["estimated", t["estimated"], "Tổng điểm ước tính (chỉ số thiếu tham chiếu lấy điểm 2022)"],
        ["max_points", t["max_points"], "Thang điểm"],
        ["index_confirmed", t["index_confirmed"], "Chỉ số DTI xác nhận (0-1)"],
        ["index_estimated", t["index_estimated"], "Chỉ số DTI ước tính (0-1)"],
        *[[f"count_{k}", v, STATUS_VI.get(k, k)] for k, v in d["counts"].items()],
    ], {1: 18, 2: 14, 3: 70}, numeric=(2,))
    sheet("Adjustments", ["row", "input_id", "indicator", "old_value", "new_value", "reason", "by", "date"],
          [[a["row"], a["input_id"], a["indicator"], _cellable(a["old_value"]), _cellable(a["new_value"]), a["reason"], a["by"], a["date"]] for a in scores.adjustments],
          {6: 50})
    sheet("References", ["indicator", "key", "value"], [[r["indicator"], r["key"], r["value"]] for r in d["references"]])
    sheet("Problems", ["code", "where", "input_id", "message"], [[p["code"], p["where"], p.get("input_id"), p["message"]] for p in scores.problems], {4: 100})
    st = wb.create_sheet("_dti")
    stamp = {"format": FORMAT, "format_version": FORMAT_VERSION, "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
             "catalogue_id": scores.catalogue.get("id", ""), "catalogue_version": scores.catalogue.get("version", ""),
             "catalogue_sha256": scores.catalogue.get("sha256", ""), "source": str(scores.source.get("path", "")), "source_kind": str(scores.source.get("kind", ""))}
    for i, (k, v) in enumerate(stamp.items(), 1):
        set_cell(st.cell(i, 1), k)
        set_cell(st.cell(i, 2), str(v))
    st.sheet_state = "hidden"
    wb.save(path)


def _cellable(v: Any) -> Any:
    if isinstance(v, bool):
        return "Có" if v else "Không"
    return v


def read_scores(path: str | Path) -> dict[str, Any]:
    """Load a scores file dti wrote (.xlsx or .json) as the dict of :meth:`Scores.to_dict`.

    From .xlsx, each indicator's ``inputs`` is the text of the Inputs column, ``lead`` and
    ``adjusted`` are lists; pillars and totals come from their sheets.
    """
    import json

    p = Path(path)
    if not p.exists():
        raise InputFileError(f"{p}: không tìm thấy tệp điểm. Hãy chạy `dti score` trước.")
    ext = p.suffix.lower()
    if ext == ".json":
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise InputFileError(f"{p}: không phải tệp JSON hợp lệ.") from None
        if not isinstance(doc, dict) or "indicators" not in doc or "total" not in doc:
            raise InputFileError(f"{p}: không phải tệp điểm do `dti score` tạo.")
        return doc
    if ext != ".xlsx":
        raise UsageError(f"{p}: đọc được tệp điểm .xlsx hoặc .json.")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as e:
        raise InputFileError(f"{p}: không mở được tệp .xlsx ({type(e).__name__}).") from None
    try:
        stamp = _stamp(wb)
        if stamp.get("format") != FORMAT:
            raise InputFileError(f"{p}: không phải tệp điểm do `dti score` tạo (không có dấu '_dti' format {FORMAT}).")

        def rows(name: str) -> list[dict[str, Any]]:
            if name not in wb.sheetnames:
                return []
            it = wb[name].iter_rows(values_only=True)
            header = [str(h) if h is not None else "" for h in next(it, ())]
            return [{h: (r[j] if j < len(r) else None) for j, h in enumerate(header) if h} for r in it if r and any(v is not None for v in r)]

        inds = []
        for r in rows("Indicators"):
            inds.append({**r, "lead": [x for x in str(r.get("lead") or "").split("; ") if x],
                         "adjusted": [x for x in str(r.get("adjusted") or "").split(", ") if x],
                         "inputs": r.get("inputs") or "", "trace": r.get("trace") or "",
                         "estimated_from_2022": r.get("status") == "needs_reference"})
        totals = {str(r["key"]): r["value"] for r in rows("Totals")}
        total = {k: totals.get(k) for k in ("max_points", "confirmed", "estimated", "index_confirmed", "index_estimated")}
        return {
            "format": FORMAT,
            "catalogue": {"id": stamp.get("catalogue_id", ""), "version": stamp.get("catalogue_version", ""), "sha256": stamp.get("catalogue_sha256", "")},
            "source": {"path": stamp.get("source", ""), "kind": stamp.get("source_kind", "")},
            "total": total,
            "counts": {k[len("count_"):]: v for k, v in totals.items() if k.startswith("count_")},
            "pillars": rows("Pillars"),
            "indicators": inds,
            "references": rows("References"),
            "adjustments": rows("Adjustments"),
            "problems": rows("Problems"),
        }
    finally:
        wb.close()


# ---------------------------------------------------------------------------------------------
# Rich renderables (the CLI prints them)

_STYLE = {"no_data": "red", "needs_reference": "yellow", "sum": "bold", "scored": ""}


def render_scores(ctx: Any, scores: Scores):
    """One table per pillar, then the totals (confirmed and estimated) and what needs attention."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    cat = ctx.catalogue
    parts: list[Any] = []
    src = scores.source
    who = f" — {src.get('unit')}" if src.get("kind") == "template" else ""
    parts.append(Text(f"DTI {cat.year} — tự đánh giá từ {Path(str(src.get('path', ''))).name}{who}", style="bold"))
    code_w = max(len(i.code) + 2 * (i.depth - 1) for i in cat.indicators.values())
    status_w = max(len(s.label_vi) for s in scores.indicators.values())
    for code, p in scores.pillars.items():
        est = scores.pillars_estimated[code]
        extra = f", ước tính {pts_text(est.points)}" if abs(est.points - p.points) > EPS else ""
        t = Table(title=f"Trụ cột {code} — {scores.pillar_names.get(code, '')}: {pts_text(p.points)}/{fmt_num(p.max_points)} "
                        f"(chỉ số {p.index:.3f}{extra})", title_justify="left", expand=True)
        # Only the name may shrink (to an ellipsis): codes, points and statuses keep fixed widths.
        t.add_column("Mã", no_wrap=True, width=code_w)
        t.add_column("Chỉ số", no_wrap=True, overflow="ellipsis", ratio=1, min_width=12)
        t.add_column("Điểm", justify="right", no_wrap=True, width=7)
        t.add_column("Tối đa", justify="right", no_wrap=True, width=6)
        t.add_column("Trạng thái", no_wrap=True, width=status_w)
        t.add_column("2022", justify="right", no_wrap=True, width=6)
        for ind in (i for i in cat.indicators.values() if i.pillar == code):
            s = scores.indicators[ind.code]
            pts = pts_text(s.points) if s.status != "needs_reference" else f"({pts_text(s.estimated_points)})"
            indent = "  " * (ind.depth - 1)
            t.add_row(indent + s.code, s.name, pts, fmt_num(s.max_points), Text(s.label_vi, style=_STYLE.get(s.status, "")), fmt_num(s.score_2022))
        parts.append(t)
    tot = Table(title="Tổng điểm DTI", title_justify="left")
    for c in ("", "Điểm", "Tối đa", "Chỉ số (0-1)"):
        tot.add_column(c, justify="right" if c else "left")
    tot.add_row("Xác nhận (confirmed)", pts_text(scores.total_confirmed), fmt_num(scores.max_total), f"{scores.index_confirmed:.4f}")
    tot.add_row("Ước tính (estimated)", pts_text(scores.total_estimated), fmt_num(scores.max_total), f"{scores.index_estimated:.4f}")
    tot.add_row("2022 (công bố)", fmt_num(ctx.baseline.total), fmt_num(ctx.baseline.max_points), f"{ctx.baseline.total / ctx.baseline.max_points:.4f}")
    parts.append(tot)
    n = scores.counts()
    parts.append(Text(f"{n['scored']} chỉ số đã chấm, {n['no_data']} không có số liệu (0 điểm), {n['needs_reference']} cần giá trị tham chiếu quốc gia "
                      f"(điểm trong ngoặc là điểm 2022, chỉ tính vào tổng ước tính). Xem cách tính: dti score --explain MÃ"))
    refs = [c for c, s in scores.indicators.items() if s.status == "needs_reference"]
    if refs:
        parts.append(Text(f"Cần giá trị tham chiếu cho: {', '.join(refs)} — điền vào trang References của merged.xlsx hoặc dùng --references TỆP.", style="yellow"))
    if scores.adjustments:
        parts.append(Text(f"Đã áp dụng {len(scores.adjustments)} điều chỉnh:", style="bold"))
        for a in scores.adjustments:
            parts.append(Text(f"  Adjustments!B{a['row']}: {a['input_id']} {_show(a['old_value'])} → {_show(a['new_value'])}"
                              f" — {a['reason'] or '(không ghi lý do)'}" + (f" ({a['by']}, {a['date']})" if a["by"] or a["date"] else "")))
    return Group(*parts)


def _show(v: Any) -> str:
    if v is None:
        return "(trống)"
    if v == "no_data":
        return NO_DATA_TEXT["vi"]
    if isinstance(v, bool):
        return "Có" if v else "Không"
    if isinstance(v, (int, float)):
        return num_text(float(v))
    return str(v)


def explain_dict(ctx: Any, scores: Scores, code: str) -> dict[str, Any]:
    """One indicator in full: its score, the rule in words, each input with where it came from."""
    from .describe import rule_words

    ind = ctx.catalogue.get(code)
    s = scores.indicators[ind.code]
    d = s.to_dict()
    d["rule_vi"] = rule_words(ind, "vi")
    d["rule_en"] = rule_words(ind, "en")
    d["method_vi"] = ind.method_vi
    labels = {i.id: i.label_vi for i in ind.inputs}
    for item in d["inputs"]:
        item["label"] = labels.get(item["id"], "")
        item["source"] = {k: _text(v) for k, v in scores.provenance.get(item["id"], {}).items() if v not in (None, "")}
    d["adjustments"] = [a for a in scores.adjustments if a["indicator"] == ind.code]
    d["references"] = {k: v for (i, k), v in scores.references.items() if i == ind.code}
    d["children"] = [{"code": k.code, "points": scores.indicators[k.code].points, "max_points": k.max_points,
                      "status": scores.indicators[k.code].status} for k in ctx.catalogue.children(ind.code)]
    return d


def render_explain(ctx: Any, scores: Scores, code: str):
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    d = explain_dict(ctx, scores, code)
    s = scores.indicators[d["code"]]
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold", no_wrap=True)
    head.add_column()
    head.add_row("Chỉ số", f"{d['code']} {d['name']}")
    head.add_row("Chủ trì", "; ".join(d["lead"]) or "—")
    head.add_row("Cách tính (KH 213)", d["method_vi"] or "—")
    head.add_row("Quy tắc", d["rule_vi"])
    if d["references"]:
        head.add_row("Tham chiếu", ", ".join(f"{k} = {num_text(v)}" for k, v in d["references"].items()))
    head.add_row("Phép tính", s.trace)
    pts = f"{pts_text(s.points)} / {fmt_num(s.max_points)}"
    if s.status == "needs_reference":
        pts += f"  (chưa tính; ước tính theo điểm 2022: {fmt_num(s.score_2022)})"
    head.add_row("Điểm", Text(pts, style="bold"))
    head.add_row("Trạng thái", Text(s.label_vi, style=_STYLE.get(s.status, "")))
    head.add_row("Điểm 2022", fmt_num(s.score_2022))
    parts: list[Any] = [head]
    if d["inputs"]:
        t = Table(title="Số liệu đã dùng")
        for c in ("Mã", "Nội dung", "Giá trị", "Trạng thái", "Đơn vị cung cấp", "Tệp", "Ô"):
            t.add_column(c, overflow="fold")
        for item in d["inputs"]:
            src = item["source"]
            cell = f"{src.get('sheet', '')}!{src.get('cell', '')}" if src.get("cell") else ""
            t.add_row(item["id"], item["label"], _show(item["value"]), item["status"], src.get("source_agency", ""), src.get("source_file", ""), cell)
        parts.append(t)
    if d["children"]:
        t = Table(title="Chỉ số con")
        for c in ("Mã", "Điểm", "Tối đa", "Trạng thái"):
            t.add_column(c)
        for k in d["children"]:
            t.add_row(k["code"], pts_text(k["points"]), fmt_num(k["max_points"]), STATUS_VI.get(k["status"], k["status"]))
        parts.append(t)
    for a in d["adjustments"]:
        parts.append(Text(f"Điều chỉnh (Adjustments!B{a['row']}): {a['input_id']} {_show(a['old_value'])} → {_show(a['new_value'])} — "
                          f"{a['reason'] or '(không ghi lý do)'}" + (f" ({a['by']}, {a['date']})" if a["by"] or a["date"] else "")))
    return Group(*parts)
