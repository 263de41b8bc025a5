"""The methodology as data: pillars, indicators and the inputs they are scored from.

Plain frozen dataclasses built by :mod:`.catalogue` from the catalogue file. An indicator's
scoring rule is an instance of a registered rule kind (:mod:`.rules`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .rules.base import Rule

#: Input types, with the unit shown when the catalogue gives none.
INPUT_TYPES = {
    "count": "số lượng",
    "number": "",
    "percent": "%",
    "amount": "tỷ đồng",
    "yes_no": "Có/Không",
    "choice": "",
}
#: The English of those units (a catalogue's ``[units]`` table gives the English of its own units).
DEFAULT_UNITS_EN = {"số lượng": "count", "%": "%", "tỷ đồng": "billion VND", "Có/Không": "Yes/No"}
#: The smallest step of a figure of each type (a count moves by 1, an amount in billion VND by a million).
RESOLUTION = {"count": 1.0, "number": 0.01, "percent": 0.0001, "amount": 0.001}
NUMERIC_TYPES = ("count", "number", "percent", "amount")
COMBINE = ("sum", "all", "any")
UNIT_GROUPS = ("departments", "districts")


class NoData:
    """The explicit "no data" answer ("Không có số liệu"): distinct from 0 and from an empty cell."""

    _instance: NoData | None = None

    def __new__(cls) -> NoData:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_DATA"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self):
        return (NoData, ())


NO_DATA = NoData()


@dataclass(frozen=True)
class Choice:
    value: str
    label_vi: str
    label_en: str

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" and self.label_en else self.label_vi


@dataclass(frozen=True)
class Input:
    """One figure an agency supplies, e.g. ``7.1.a`` (value added of the digital economy).

    ``part_of`` names the input this one is truly a part of (staff trained out of all staff):
    only then may merge refuse a value larger than its whole. ``resolution`` is the smallest
    step of the figure (the plan rounds what must be reached to it).
    """

    id: str
    indicator: str
    label_vi: str
    label_en: str
    type: str
    unit: str = ""
    unit_en: str = ""
    evidence_required: bool = False
    choices: tuple[Choice, ...] = ()
    per_unit: tuple[str, ...] = ()
    combine: str = "sum"
    part_of: str | None = None
    requires: str | None = None
    resolution: float | None = None

    @property
    def letter(self) -> str:
        return self.id[len(self.indicator) + 1 :]

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def step(self) -> float:
        """The smallest step of this figure (``resolution``, else its type's)."""
        return self.resolution if self.resolution is not None else RESOLUTION.get(self.type, 0.01)

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" and self.label_en else self.label_vi

    def unit_in(self, lang: str) -> str:
        """The unit of measure in ``lang`` ("người", "people"; the Vietnamese when the catalogue gives no English)."""
        return self.unit_en if lang == "en" and self.unit_en else self.unit

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "label": self.label_vi, "label_en": self.label_en, "unit": self.unit, "unit_en": self.unit_en,
                             "type": self.type}
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


def unusable(inp: Input | None, value: Any) -> str | None:
    """Why a value cannot be scored, as a short code (None when it can).

    ``missing`` (no value), ``no_data`` (declared "no data"), ``not_yes_no``, ``not_choice``,
    ``not_number``, ``not_finite``.
    """
    if value is None:
        return "missing"
    if isinstance(value, NoData):
        return "no_data"
    kind = inp.type if inp else "number"
    if kind == "yes_no":
        return None if isinstance(value, bool) else "not_yes_no"
    if kind == "choice":
        codes = {c.value for c in inp.choices} if inp else set()
        return None if isinstance(value, str) and value in codes else "not_choice"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "not_number"
    if not math.isfinite(value):
        return "not_finite"
    return None


@dataclass(frozen=True)
class Target:
    """The round's target: ``full`` (the max points) or a ``ratio`` to reach (``op`` is > or >=).

    ``text`` is the plan's own words (``target_vi``), ``text_en`` their English (``target_en``).
    """

    text: str
    kind: str | None = None
    value: float | None = None
    op: str = ">="
    text_en: str = ""

    def text_in(self, lang: str) -> str:
        return self.text_en if lang == "en" and self.text_en else self.text

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text}
        if self.text_en:
            d["text_en"] = self.text_en
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
    note_vi: str | None = None
    note_en: str | None = None

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_vi


@dataclass(frozen=True)
class Indicator:
    """A sub-indicator (X.Y) or a child of an aggregate (5.12.1, 8.8.2.3) as the appendix lists it.

    ``lead`` and ``coordinating`` are profile unit ids where the body is one of the province's
    units; coordinating bodies that are not (``"Các cơ quan, đơn vị có liên quan"``) stay text, and
    ``coordinating_en`` holds the English of each (the catalogue's ``[phrases]``; "" for a unit's
    name, or where the catalogue gives none). ``deadline_en`` is the deadline's English likewise.
    """

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
    deadline_en: str = ""
    coordinating_en: tuple[str, ...] = ()
    lead_seed: str = ""
    coordinating_seed: str = ""
    note_vi: str | None = None
    note_en: str | None = None

    @property
    def pillar(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def depth(self) -> int:
        return self.code.count(".")

    @property
    def is_aggregate(self) -> bool:
        return self.rule.kind == "sum_children"

    @cached_property
    def input_map(self) -> dict[str, Input]:
        return {i.id: i for i in self.inputs}

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_vi

    def note(self, lang: str) -> str | None:
        return self.note_en if lang == "en" and self.note_en else self.note_vi

    def target_text(self, lang: str) -> str:
        """The round's target in ``lang`` ("Trên 85%", "Over 85%"; the plan's words when there is no English)."""
        return self.target.text_in(lang)

    def deadline(self, lang: str) -> str:
        return self.deadline_en if lang == "en" and self.deadline_en else self.deadline_vi

    def coordinating_in(self, lang: str) -> tuple[str, ...]:
        """The coordinating bodies: unit ids and names as they are, texts in ``lang`` where the catalogue gives their English."""
        if lang != "en":
            return self.coordinating
        en = (*self.coordinating_en, *[""] * len(self.coordinating))
        return tuple(e or c for c, e in zip(self.coordinating, en, strict=False))

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "max_points": self.max_points,
            "parent": self.parent,
            "rule": self.rule.to_dict(),
            "inputs": [i.to_dict() for i in self.inputs],
            "lead": list(self.lead),
            "coordinating": list(self.coordinating),
            "coordinating_en": list(self.coordinating_in("en")),
            "target": self.target.to_dict(),
            "method_vi": self.method_vi,
            "deadline_vi": self.deadline_vi,
            "deadline_en": self.deadline_en,
            "note_vi": self.note_vi,
            "note_en": self.note_en,
        }


@dataclass
class Catalogue:
    """Every pillar and indicator of one year's methodology, with lookups by code and input id."""

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
    source_en: str = ""

    def source_in(self, lang: str) -> str:
        """The documents the methodology comes from, in ``lang`` (the Vietnamese when there is no English)."""
        return self.source_en if lang == "en" and self.source_en else self.source

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

    def scored_leaves(self) -> list[Indicator]:
        """Leaves of the scored pillars (pillar 9 of 2023 was not scored)."""
        return [i for i in self.leaves() if i.pillar in self.pillars and self.pillars[i.pillar].scored]

    def get(self, code: str) -> Indicator:
        """The indicator with this code; UnknownNameError with the closest codes otherwise."""
        code = str(code).strip().rstrip(".")
        if code in self.indicators:
            return self.indicators[code]
        import difflib

        from ..core.errors import UnknownNameError

        raise UnknownNameError("indicator code", code, difflib.get_close_matches(code, list(self.indicators), n=3, cutoff=0.5))

    def led_by(self, unit_id: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if unit_id in i.lead]


def code_key(code: str) -> tuple[int, ...]:
    """Natural order of indicator and input codes: 1.9 before 1.10."""
    return tuple(int(p) if p.isdigit() else 0 for p in code.split("."))
