"""One returned file as merge sees it: its stamp, cover, one answer per input, and its findings."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..core.findings import ERROR, WARNING, Finding
from ..core.text import clean
from ..methodology.context import Context
from ..methodology.model import Catalogue

#: Verdicts of a file; ``skipped``: found but not read (a lock file, not a workbook).
VERDICTS = ("accepted", "accepted_with_warnings", "rejected", "superseded", "not_received", "skipped")


@dataclass
class Answer:
    """What one file says about one input."""

    input_id: str
    status: str  # ok | no_data | missing | invalid
    value: Any = None  # float | bool | str (choice code) | NO_DATA | None
    raw: Any = None
    sheet: str = ""
    cell: str = ""
    evidence: str = ""
    note: str = ""
    asked: bool = True  # False: a row the template did not ask of this unit (not used)

    @property
    def usable(self) -> bool:
        return self.status in ("ok", "no_data")


@dataclass
class Submission:
    """One returned file, read and checked on its own."""

    path: str
    sha256: str = ""
    size: int = 0
    mtime: float = 0.0
    verdict: str = "accepted"
    reason: str = ""
    unit_id: str = ""
    unit_name: str = ""
    stamp: dict[str, str] = field(default_factory=dict)
    cover: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    superseded_by: str = ""
    data_sheet: str = ""
    cells: int = 0  # cells intake read in the sheets merge parsed (the feedback copy is annotated only when this is small)

    @functools.cached_property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def rejected(self) -> bool:
        return self.verdict == "rejected"

    @property
    def current(self) -> bool:
        return self.verdict in ("accepted", "accepted_with_warnings")

    @property
    def counts(self) -> bool:
        """Whether its findings count (those of a replaced or skipped file are listed, not counted)."""
        return self.verdict not in ("superseded", "skipped")

    def add(self, code: str, message: str, *, sheet: str = "", cell: str = "", input_id: str = "", severity: str | None = None,
            **data: Any) -> Finding:
        f = Finding(code, message, file=self.name, sheet=sheet, cell=cell, unit=self.unit_id, input=input_id, data=dict(data),
                    severity=severity or "")
        self.findings.append(f)
        return f

    def reject(self, code: str, message: str, exc: BaseException | None = None) -> Submission:
        cls = type(exc).__name__ if exc is not None else ""
        self.verdict = "rejected"
        self.reason = f"{code} ({cls})" if cls else code
        self.add(code, message + (f" [{cls}]" if cls else ""), severity=ERROR)
        return self

    @property
    def filled(self) -> int:
        """How many of the inputs it was asked for it answers (a value or "no data")."""
        return sum(1 for i in self.asked if i in self.answers and self.answers[i].usable)

    @property
    def completeness(self) -> float:
        return self.filled / len(self.asked) if self.asked else 0.0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def order_key(self) -> tuple[str, str, float]:
        """Newer sorts later: the template's generation time, then the cover date, then the file time."""
        cd = self.cover.get("date")
        return (self.stamp.get("generated_at", ""), cd.isoformat() if isinstance(cd, (date, datetime)) else "", self.mtime)


@dataclass(frozen=True)
class Expect:
    """What every returned file must match (picklable, sent once to each worker process)."""

    catalogue: Catalogue
    profile_id: str
    unit_ids: frozenset[str]
    unit_names: dict[str, str]
    year: int
    #: Unit id → the inputs it is assigned (what it may supply; a stamp cannot add to it).
    assigned: dict[str, frozenset[str]]
    #: Input ids that clean() leaves as they are: a cell holding exactly one of them needs no cleaning.
    clean_ids: frozenset[str] = frozenset()
    lang: str = "vi"


def expect_from(ctx: Context, year: int | None = None) -> Expect:
    from ..core import i18n
    from ..methodology.assign import expected_inputs

    cat = ctx.catalogue
    assigned = {uid: frozenset(ids) for uid, ids in expected_inputs(ctx).items()}
    return Expect(cat, ctx.profile.id, frozenset(u.id for u in ctx.profile.units), {u.id: u.name for u in ctx.profile.units},
                  int(year or cat.year), assigned, frozenset(i for i in cat.inputs if clean(i) == i), i18n.language())


__all__ = ["ERROR", "VERDICTS", "WARNING", "Answer", "Expect", "Submission", "expect_from"]
