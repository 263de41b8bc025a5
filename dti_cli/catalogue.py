"""The methodology as data: pillars, indicators, their inputs and scoring rules, and the 2022 baseline.

The catalogue is a TOML file inside the package (``data/catalogue_2023.toml``), read with
``tomllib`` and validated on load: every problem names the file, the indicator and the field.
Rules are descriptors (``{kind = "threshold", ...}``) interpreted by :mod:`dti_cli.score`.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import DataFileError

#: Input types, with the unit shown when the catalogue gives none.
INPUT_TYPES = {
    "count": "số lượng",
    "number": "",
    "percent": "%",
    "amount": "tỷ đồng",
    "yes_no": "Có/Không",
    "choice": "",
}
#: Rule kinds (see DOMAIN.md) and the fields each must have.
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "yes_no": ("input",),
    "choice": ("input", "points"),
    "counted_tiers": ("gate", "count", "tiers"),
    "parts": ("parts",),
    "ratio": ("numerator", "denominator"),
    "threshold": ("numerator", "denominator", "threshold"),
    "all_or_nothing": ("numerator", "denominator"),
    "stepped": ("numerator", "levels"),
    "per_item": ("input", "points_each"),
    "minmax": ("numerator",),
    "share_of_best": ("numerator",),
    "sum_children": (),
}
#: National reference values each relative kind needs.
REFERENCE_KEYS = {"minmax": ("min", "max"), "share_of_best": ("best",)}
ZERO_POLICIES = ("zero", "full")
COMBINE = ("sum", "all", "any")
UNIT_GROUPS = ("departments", "districts")


@dataclass(frozen=True)
class Choice:
    value: str
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class Input:
    """One figure an agency supplies, e.g. ``7.1.a`` (value added of the digital economy)."""

    id: str
    indicator: str
    label_vi: str
    label_en: str
    type: str
    unit: str = ""
    evidence_required: bool = False
    choices: tuple[Choice, ...] = ()
    per_unit: tuple[str, ...] = ()
    combine: str = "sum"
    part_of: str | None = None
    requires: str | None = None

    @property
    def letter(self) -> str:
        return self.id[len(self.indicator) + 1 :]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "label": self.label_vi, "label_en": self.label_en, "unit": self.unit, "type": self.type}
        if self.choices:
            d["choices"] = [{"value": c.value, "label": c.label_vi, "label_en": c.label_en} for c in self.choices]
        if self.per_unit:
            d["per_unit"] = list(self.per_unit)
            d["combine"] = self.combine
        if self.part_of:
            d["part_of"] = self.part_of
        if self.evidence_required:
            d["evidence_required"] = True
        return d


@dataclass(frozen=True)
class Rule:
    """A scoring rule descriptor. Which fields are used depends on ``kind``."""

    kind: str
    input: str | None = None
    gate: str | None = None
    count: str | None = None
    numerator: tuple[str | float, ...] = ()
    denominator: tuple[str | float, ...] = ()
    zero_denominator: str = "zero"
    threshold: float | None = None
    levels: tuple[tuple[float, float], ...] = ()
    tiers: tuple[tuple[float, float], ...] = ()
    points: tuple[tuple[str, float], ...] = ()
    points_each: float | None = None
    cap: float | None = None
    weight: float = 1.0
    parts: tuple[Rule, ...] = ()

    def input_ids(self) -> list[str]:
        """Every input id the rule reads, in order, without constants."""
        ids: list[str] = []
        for name in (self.input, self.gate, self.count):
            if name:
                ids.append(name)
        ids += [t for t in (*self.numerator, *self.denominator) if isinstance(t, str)]
        for p in self.parts:
            ids += p.input_ids()
        return list(dict.fromkeys(ids))

    @property
    def is_relative(self) -> bool:
        return self.kind in REFERENCE_KEYS

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        if self.weight != 1.0:
            d["weight"] = self.weight
        for name in ("input", "gate", "count", "threshold", "points_each", "cap"):
            v = getattr(self, name)
            if v is not None:
                d[name] = v
        if self.numerator or self.kind in ("ratio", "threshold", "all_or_nothing", "stepped", "minmax", "share_of_best"):
            d["numerator"] = list(self.numerator)
            d["denominator"] = list(self.denominator)
            d["zero_denominator"] = self.zero_denominator
        if self.levels:
            d["levels"] = [{"min": m, "fraction": f} for m, f in self.levels]
        if self.tiers:
            d["tiers"] = [{"min": m, "fraction": f} for m, f in self.tiers]
        if self.points:
            d["points"] = dict(self.points)
        if self.parts:
            d["parts"] = [p.to_dict() for p in self.parts]
        if self.kind in REFERENCE_KEYS:
            d["references"] = list(REFERENCE_KEYS[self.kind])
        return d


@dataclass(frozen=True)
class Target:
    """The 2023 target: ``full`` (the max points) or a ``ratio`` to reach (``op`` is > or >=)."""

    text: str
    kind: str | None = None
    value: float | None = None
    op: str = ">="

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text}
        if self.kind:
            d["kind"] = self.kind
        if self.value is not None:
            d["value"] = self.value
            d["op"] = self.op
        return d


@dataclass(frozen=True)
class Pillar:
    code: str
    name_vi: str
    name_en: str
    max_points: float
    scored: bool = True
    note: str | None = None


@dataclass(frozen=True)
class Indicator:
    """A sub-indicator (X.Y) or a child of 5.12 / 8.8 as the appendix lists it."""

    code: str
    parent: str
    name_vi: str
    name_en: str
    max_points: float
    rule: Rule
    inputs: tuple[Input, ...]
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    target: Target
    method_vi: str = ""
    deadline_vi: str = ""
    lead_seed: str = ""
    coordinating_seed: str = ""
    note: str | None = None

    @property
    def pillar(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def depth(self) -> int:
        return self.code.count(".")

    @property
    def is_aggregate(self) -> bool:
        return self.rule.kind == "sum_children"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "max_points": self.max_points,
            "parent": self.parent,
            "rule": self.rule.to_dict(),
            "inputs": [i.to_dict() for i in self.inputs],
            "lead_agencies": list(self.lead),
            "coordinating_agencies": list(self.coordinating),
            "target": self.target.to_dict(),
            "method_vi": self.method_vi,
            "note": self.note,
        }


@dataclass
class Catalogue:
    """Every pillar and indicator, with lookups by code, input id and agency."""

    path: str
    id: str
    version: str
    year: int
    source: str
    total_points: float
    sha256: str
    pillars: dict[str, Pillar]
    indicators: dict[str, Indicator]
    inputs: dict[str, Input] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.inputs = {i.id: i for ind in self.indicators.values() for i in ind.inputs}

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for ind in self.indicators.values():
            out.setdefault(ind.parent, []).append(ind.code)
        return out

    def children(self, code: str) -> list[Indicator]:
        """Direct children of a pillar or an aggregate indicator, in catalogue order."""
        return [self.indicators[c] for c in self._children.get(code, [])]

    def subindicators(self) -> list[Indicator]:
        """The X.Y rows (95 in the 2023 catalogue)."""
        return [i for i in self.indicators.values() if i.depth == 1]

    def leaves(self) -> list[Indicator]:
        """Indicators scored from inputs (every one that is not a sum of children)."""
        return [i for i in self.indicators.values() if not i.is_aggregate]

    def get(self, code: str) -> Indicator:
        from .errors import UnknownNameError

        code = code.strip().rstrip(".")
        if code in self.indicators:
            return self.indicators[code]
        import difflib

        raise UnknownNameError("indicator code", code, difflib.get_close_matches(code, list(self.indicators), n=3, cutoff=0.5))

    def led_by(self, agency: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if agency in i.lead]


# ---------------------------------------------------------------------------------------------
# Loading and validation


def data_path(name: str) -> Path:
    """A data file shipped inside the package."""
    return Path(str(resources.files("dti_cli") / "data" / name))


def _read_toml(path: Path) -> tuple[dict[str, Any], bytes]:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataFileError(str(path), [f"cannot read the file: {e.strerror or e}"]) from None
    try:
        return tomllib.loads(raw.decode("utf-8")), raw
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise DataFileError(str(path), [f"not valid TOML: {e}"]) from None


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, fld: str, msg: str) -> None:
        self.items.append(f"{where}, field '{fld}': {msg}")


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _rule(d: Any, where: str, p: _Problems, top: bool = True) -> Rule:
    if not isinstance(d, dict):
        p.add(where, "rule", "missing or not a table")
        return Rule(kind="sum_children")
    kind = d.get("kind")
    if kind not in RULE_FIELDS:
        p.add(where, "rule.kind", f"unknown kind {kind!r}; expected one of {', '.join(RULE_FIELDS)}")
        return Rule(kind="sum_children")
    for f in RULE_FIELDS[kind]:
        if f not in d:
            p.add(where, f"rule.{f}", f"required for kind {kind!r}")
    known = {"kind", "weight", "input", "gate", "count", "numerator", "denominator", "zero_denominator", "threshold", "levels", "tiers", "points", "points_each", "cap", "parts"}
    for f in d:
        if f not in known:
            p.add(where, f"rule.{f}", "unknown field")
    zero = d.get("zero_denominator", "zero")
    if zero not in ZERO_POLICIES:
        p.add(where, "rule.zero_denominator", f"must be one of {ZERO_POLICIES}, not {zero!r}")
    for f in ("threshold", "points_each", "cap", "weight"):
        if f in d and (not _num(d[f]) or d[f] <= 0):
            p.add(where, f"rule.{f}", f"must be a positive number, not {d[f]!r}")

    def steps(name: str) -> tuple[tuple[float, float], ...]:
        out = []
        for s in d.get(name, []):
            if not isinstance(s, dict) or not _num(s.get("min")) or not _num(s.get("fraction")) or not 0 <= s["fraction"] <= 1:
                p.add(where, f"rule.{name}", f"each step needs a number 'min' and a 'fraction' in 0..1, got {s!r}")
                continue
            out.append((float(s["min"]), float(s["fraction"])))
        if out != sorted(out, reverse=True):
            p.add(where, f"rule.{name}", "steps must be listed from the highest 'min' down")
        return tuple(out)

    points = d.get("points", {})
    if not isinstance(points, dict) or not all(_num(v) and 0 <= v <= 1 for v in points.values()):
        p.add(where, "rule.points", "must map each choice to a fraction of the max in 0..1")
        points = {}
    parts = tuple(_rule(x, where, p, top=False) for x in d.get("parts", []))
    if kind == "parts" and parts and abs(sum(x.weight for x in parts) - 1.0) > 1e-9:
        p.add(where, "rule.parts", f"weights add up to {sum(x.weight for x in parts)}, not 1")
    if not top and kind in ("parts", "sum_children"):
        p.add(where, "rule.parts", f"a part cannot be of kind {kind!r}")
    return Rule(
        kind=kind,
        input=d.get("input"),
        gate=d.get("gate"),
        count=d.get("count"),
        numerator=tuple(d.get("numerator", ())),
        denominator=tuple(d.get("denominator", ())),
        zero_denominator=zero,
        threshold=d.get("threshold"),
        levels=steps("levels"),
        tiers=steps("tiers"),
        points=tuple((str(k), float(v)) for k, v in points.items()),
        points_each=d.get("points_each"),
        cap=d.get("cap"),
        weight=float(d.get("weight", 1.0)),
        parts=parts,
    )


def _input(d: Any, code: str, where: str, p: _Problems) -> Input | None:
    if not isinstance(d, dict):
        p.add(where, "inputs", "each input must be a table")
        return None
    iid = d.get("id", "")
    w = f"{where}, input {iid or '?'}"
    if not isinstance(iid, str) or not iid.startswith(code + ".") or len(iid) <= len(code) + 1:
        p.add(w, "id", f"must start with the indicator code and a dot, like '{code}.a'")
    for f in ("label_vi", "label_en", "type"):
        if not isinstance(d.get(f), str) or not d.get(f):
            p.add(w, f, "required text")
    typ = d.get("type")
    if typ not in INPUT_TYPES:
        p.add(w, "type", f"unknown type {typ!r}; expected one of {', '.join(INPUT_TYPES)}")
    choices = []
    for c in d.get("choices", []):
        if not isinstance(c, dict) or not c.get("value") or not c.get("label_vi"):
            p.add(w, "choices", f"each choice needs 'value' and 'label_vi', got {c!r}")
            continue
        choices.append(Choice(str(c["value"]), c["label_vi"], c.get("label_en", c["label_vi"])))
    if typ == "choice" and not choices:
        p.add(w, "choices", "a choice input needs its list of choices")
    per_unit = tuple(d.get("per_unit", ()))
    for g in per_unit:
        if g not in UNIT_GROUPS:
            p.add(w, "per_unit", f"unknown unit group {g!r}; expected {UNIT_GROUPS}")
    combine = d.get("combine", "sum")
    if combine not in COMBINE:
        p.add(w, "combine", f"must be one of {COMBINE}")
    if combine in ("all", "any") and typ != "yes_no":
        p.add(w, "combine", f"'{combine}' combines yes/no answers; this input is {typ!r}")
    if combine == "sum" and per_unit and typ not in ("count", "number", "amount"):
        p.add(w, "combine", f"'sum' needs numbers; this input is {typ!r}")
    return Input(
        id=iid,
        indicator=code,
        label_vi=d.get("label_vi", ""),
        label_en=d.get("label_en", ""),
        type=typ if typ in INPUT_TYPES else "number",
        unit=d.get("unit", INPUT_TYPES.get(typ, "")),
        evidence_required=bool(d.get("evidence_required", False)),
        choices=tuple(choices),
        per_unit=per_unit,
        combine=combine,
        part_of=d.get("part_of"),
        requires=d.get("requires"),
    )


def _check_rule_inputs(rule: Rule, ind_inputs: dict[str, Input], where: str, p: _Problems) -> None:
    for iid in rule.input_ids():
        if iid not in ind_inputs:
            p.add(where, "rule", f"reads input {iid!r}, which the indicator does not declare")
    for t in (*rule.numerator, *rule.denominator):
        if not isinstance(t, str) and not _num(t):
            p.add(where, "rule", f"terms must be input ids or numbers, not {t!r}")
    if rule.kind == "choice" and rule.input in ind_inputs:
        values = {c.value for c in ind_inputs[rule.input].choices}
        if values != {k for k, _ in rule.points}:
            p.add(where, "rule.points", f"must give points for exactly the choices {sorted(values)}")
    if rule.kind in ("yes_no",) and rule.input in ind_inputs and ind_inputs[rule.input].type != "yes_no":
        p.add(where, "rule.input", "a yes_no rule reads a yes_no input")
    for part in rule.parts:
        _check_rule_inputs(part, ind_inputs, where, p)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and validate a catalogue file (the packaged 2023 catalogue by default)."""
    path = Path(path) if path else data_path("catalogue_2023.toml")
    doc, raw = _read_toml(path)
    p = _Problems()
    head = doc.get("catalogue", {})
    for f in ("id", "version", "year"):
        if f not in head:
            p.add("[catalogue]", f, "required")
    pillars: dict[str, Pillar] = {}
    for i, d in enumerate(doc.get("pillar", [])):
        where = f"pillar {d.get('code', f'#{i + 1}')}"
        if not isinstance(d.get("code"), str) or not _num(d.get("max_points")):
            p.add(where, "code/max_points", "each pillar needs a text code and a number max_points")
            continue
        if d["code"] in pillars:
            p.add(where, "code", "duplicate pillar code")
        pillars[d["code"]] = Pillar(d["code"], d.get("name_vi", ""), d.get("name_en", ""), float(d["max_points"]), bool(d.get("scored", True)), d.get("note"))
    indicators: dict[str, Indicator] = {}
    seen_inputs: set[str] = set()
    for i, d in enumerate(doc.get("indicator", [])):
        code = d.get("code")
        where = f"indicator {code or f'#{i + 1}'}"
        if not isinstance(code, str) or not code:
            p.add(where, "code", "required text")
            continue
        if code in indicators:
            p.add(where, "code", "duplicate indicator code")
        for f in ("name_vi", "name_en", "parent"):
            if not isinstance(d.get(f), str) or not d.get(f):
                p.add(where, f, "required text")
        mx = d.get("max_points")
        if not _num(mx) or mx <= 0:
            p.add(where, "max_points", f"must be a positive number, got {mx!r}")
            mx = 0
        parent = d.get("parent", "")
        if parent and parent not in pillars and parent not in indicators:
            p.add(where, "parent", f"{parent!r} is neither a pillar nor an indicator listed before it")
        if parent and code.rsplit(".", 1)[0] != parent:
            p.add(where, "parent", f"{parent!r} does not match the code {code!r}")
        lead = d.get("lead", [])
        if not lead or not all(isinstance(x, str) and x for x in lead):
            p.add(where, "lead", "at least one lead agency is required")
        rule = _rule(d.get("rule"), where, p)
        inputs = [x for x in (_input(x, code, where, p) for x in d.get("inputs", [])) if x]
        by_id = {x.id: x for x in inputs}
        for x in inputs:
            if x.id in seen_inputs:
                p.add(f"{where}, input {x.id}", "id", "duplicate input id")
            seen_inputs.add(x.id)
            for f in ("part_of", "requires"):
                ref = getattr(x, f)
                if ref and ref not in by_id:
                    p.add(f"{where}, input {x.id}", f, f"refers to {ref!r}, not an input of {code}")
        _check_rule_inputs(rule, by_id, where, p)
        used = set(rule.input_ids())
        for x in inputs:
            if x.id not in used:
                p.add(f"{where}, input {x.id}", "id", "declared but not read by the rule")
        if rule.kind != "sum_children" and not inputs:
            p.add(where, "inputs", f"a {rule.kind!r} rule needs inputs")
        t = d.get("target")
        target = Target(text=d.get("target_vi", ""))
        if isinstance(t, dict):
            if t.get("kind") not in ("full", "ratio"):
                p.add(where, "target.kind", "must be 'full' or 'ratio'")
            elif t["kind"] == "ratio" and (not _num(t.get("value")) or t.get("op", ">=") not in (">", ">=")):
                p.add(where, "target", "a ratio target needs a number 'value' and op '>' or '>='")
            target = Target(text=d.get("target_vi", ""), kind=t.get("kind"), value=t.get("value"), op=t.get("op", ">="))
        indicators[code] = Indicator(
            code=code,
            parent=parent,
            name_vi=d.get("name_vi", ""),
            name_en=d.get("name_en", ""),
            max_points=float(mx),
            rule=rule,
            inputs=tuple(inputs),
            lead=tuple(lead),
            coordinating=tuple(d.get("coordinating", ())),
            target=target,
            method_vi=d.get("method_vi", ""),
            deadline_vi=d.get("deadline_vi", ""),
            lead_seed=d.get("lead_seed", ""),
            coordinating_seed=d.get("coordinating_seed", ""),
            note=d.get("note"),
        )
    parents = {x.parent for x in indicators.values()}
    for ind in indicators.values():
        if ind.is_aggregate and ind.code not in parents:
            p.add(f"indicator {ind.code}", "rule", "sum_children, but no indicator names it as parent")
        if not ind.is_aggregate and ind.code in parents:
            p.add(f"indicator {ind.code}", "rule", "has children, so its rule must be sum_children")
    if p.items:
        raise DataFileError(str(path), p.items)
    return Catalogue(
        path=str(path),
        id=head["id"],
        version=str(head["version"]),
        year=int(head["year"]),
        source=head.get("source", ""),
        total_points=float(head.get("total_points", 1000)),
        sha256=hashlib.sha256(raw).hexdigest(),
        pillars=pillars,
        indicators=indicators,
    )


# ---------------------------------------------------------------------------------------------
# The 2022 baseline


@dataclass(frozen=True)
class PillarResult:
    code: str
    max_points: float
    score: float | None
    change: float | None
    rank: int | None
    rank_change: int | None
    scored: bool = True

    @property
    def score_prev(self) -> float | None:
        """The previous year's score, from the published change."""
        return None if self.score is None or self.change is None else round(self.score - self.change, 3)

    @property
    def rank_prev(self) -> int | None:
        """The previous year's rank: a drop of 12 places (-12) from 52 means 40."""
        return None if self.rank is None or self.rank_change is None else self.rank + self.rank_change


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    score: float
    note_vi: str = ""
    reading: str | None = None


@dataclass
class Baseline:
    """A published year's result: the summary table and the score of every indicator."""

    path: str
    year: int
    province: str
    total: float
    max_points: float
    change: float
    rank: int
    of: int
    rank_change: int
    pillars: dict[str, PillarResult]
    indicators: dict[str, IndicatorResult]

    @property
    def total_prev(self) -> float:
        return round(self.total - self.change, 3)

    @property
    def rank_prev(self) -> int:
        return self.rank + self.rank_change

    def score(self, code: str) -> float | None:
        r = self.indicators.get(code)
        return r.score if r else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "province": self.province,
            "total": self.total,
            "rank": self.rank,
            "of": self.of,
            "change_vs_previous": self.change,
            "rank_change_vs_previous": self.rank_change,
            "previous": {"year": self.year - 1, "total": self.total_prev, "rank": self.rank_prev},
            "pillars": [
                {"code": x.code, "max_points": x.max_points, "score": x.score, "change": x.change, "rank": x.rank,
                 "rank_change": x.rank_change, "score_prev": x.score_prev, "rank_prev": x.rank_prev, "scored": x.scored}
                for x in self.pillars.values()
            ],
            "indicators": {c: r.score for c, r in self.indicators.items()},
        }


def load_baseline(path: str | Path | None = None) -> Baseline:
    """Read and validate a baseline file (the packaged 2022 result by default)."""
    path = Path(path) if path else data_path("baseline_2022.toml")
    doc, _ = _read_toml(path)
    p = _Problems()
    s = doc.get("summary", {})
    for f in ("score", "max_points", "change_vs_2021", "rank", "of", "rank_change_vs_2021"):
        if not _num(s.get(f)):
            p.add("[summary]", f, "required number")
    pillars = {}
    for d in doc.get("pillar", []):
        code = str(d.get("code", "?"))
        scored = bool(d.get("scored", True))
        if scored:
            for f in ("max_points", "score", "change_vs_2021", "rank", "rank_change_vs_2021"):
                if not _num(d.get(f)):
                    p.add(f"pillar {code}", f, "required number")
        pillars[code] = PillarResult(code, float(d.get("max_points", 0)), d.get("score"), d.get("change_vs_2021"), d.get("rank"), d.get("rank_change_vs_2021"), scored)
    indicators = {}
    for d in doc.get("indicator", []):
        code = str(d.get("code", "?"))
        if not _num(d.get("score")) or d["score"] < 0:
            p.add(f"indicator {code}", "score", "required non-negative number")
            continue
        if code in indicators:
            p.add(f"indicator {code}", "code", "duplicate")
        indicators[code] = IndicatorResult(code, float(d["score"]), d.get("note_vi", ""), d.get("reading"))
    if p.items:
        raise DataFileError(str(path), p.items)
    b = doc.get("baseline", {})
    return Baseline(
        path=str(path),
        year=int(b.get("year", 2022)),
        province=b.get("province", ""),
        total=float(s["score"]),
        max_points=float(s["max_points"]),
        change=float(s["change_vs_2021"]),
        rank=int(s["rank"]),
        of=int(s["of"]),
        rank_change=int(s["rank_change_vs_2021"]),
        pillars=pillars,
        indicators=indicators,
    )


# ---------------------------------------------------------------------------------------------
# Checking the data as a whole (`dti catalog check`)


@dataclass(frozen=True)
class CheckItem:
    level: str  # "error" or "warning"
    where: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"level": self.level, "where": self.where, "message": self.message}


#: Published pillar scores may differ from the sum of their sub-indicators by rounding only.
ROUNDING = 0.05


def check_data(cat: Catalogue, baseline: Baseline, profile: Any) -> list[CheckItem]:
    """Everything that must hold across the data files; errors first, then warnings."""
    out: list[CheckItem] = []

    def err(where: str, msg: str) -> None:
        out.append(CheckItem("error", where, msg))

    def warn(where: str, msg: str) -> None:
        out.append(CheckItem("warning", where, msg))

    scored = [x for x in cat.pillars.values() if x.scored]
    total = sum(x.max_points for x in scored)
    if abs(total - cat.total_points) > 1e-9:
        err("catalogue", f"pillar maxima add up to {total:g}, not {cat.total_points:g}")
    for code in list(cat.pillars) + [i.code for i in cat.indicators.values() if i.is_aggregate]:
        kids = cat.children(code)
        mx = cat.pillars[code].max_points if code in cat.pillars else cat.indicators[code].max_points
        if code in cat.pillars and not cat.pillars[code].scored:
            if kids:
                err(f"pillar {code}", "is not scored but has indicators")
            continue
        s = sum(k.max_points for k in kids)
        if abs(s - mx) > 1e-9:
            err(f"{'pillar' if code in cat.pillars else 'indicator'} {code}", f"children add up to {s:g}, not its max {mx:g}")
    for ind in cat.indicators.values():
        if ind.pillar not in cat.pillars:
            err(f"indicator {ind.code}", f"pillar {ind.pillar} does not exist")
        for name in ind.lead:
            try:
                profile.by_name(name)
            except Exception:
                err(f"indicator {ind.code}", f"lead agency {name!r} is not in the profile {profile.path}")
        if ind.lead_seed:
            try:
                got = {u.name for u in profile.resolve_many(ind.lead_seed)}
                if got != set(ind.lead):
                    warn(f"indicator {ind.code}", f"the seed's lead {ind.lead_seed!r} reads as {sorted(got)}, the catalogue says {list(ind.lead)}")
            except Exception as e:
                err(f"indicator {ind.code}", f"the seed's lead {ind.lead_seed!r} does not resolve: {e}")
    for ind in cat.indicators.values():
        if ind.code not in baseline.indicators:
            warn(f"indicator {ind.code}", f"no {baseline.year} score in the baseline")
        elif baseline.indicators[ind.code].score > ind.max_points + 1e-9:
            err(f"indicator {ind.code}", f"{baseline.year} score {baseline.indicators[ind.code].score:g} exceeds the max {ind.max_points:g}")
    for code in baseline.indicators:
        if code not in cat.indicators:
            err(f"baseline {code}", "is not an indicator of the catalogue")
    for ind in cat.indicators.values():
        if ind.is_aggregate and ind.code in baseline.indicators:
            s = sum(baseline.score(k.code) or 0 for k in cat.children(ind.code))
            if abs(s - baseline.indicators[ind.code].score) > ROUNDING:
                warn(f"indicator {ind.code}", f"{baseline.year} children add up to {s:g}, the note says {baseline.indicators[ind.code].score:g}")
    for code, pr in baseline.pillars.items():
        if not pr.scored or pr.score is None:
            continue
        if code in cat.pillars and abs(cat.pillars[code].max_points - pr.max_points) > 1e-9:
            err(f"pillar {code}", f"max {cat.pillars[code].max_points:g} in the catalogue, {pr.max_points:g} in the summary table")
        s = round(sum(baseline.score(i.code) or 0 for i in cat.children(code)), 3)
        if abs(s - pr.score) > ROUNDING:
            warn(f"pillar {code}", f"{baseline.year} sub-indicator scores add up to {s:g} against {pr.score:g} published (difference {s - pr.score:+.3f})")
    s = sum(x.score or 0 for x in baseline.pillars.values() if x.scored)
    if abs(s - baseline.total) > ROUNDING:
        warn("baseline", f"pillar scores add up to {s:g} against the published total {baseline.total:g}")
    out.sort(key=lambda x: x.level != "error")
    return out
