"""Problems found in the data are data: one :class:`Finding` type, and every code in one registry.

A finding says what is wrong, where (file, sheet, cell, unit, input) and what to do, in the
run's language (``message``), with a stable ASCII ``code`` that machines read and its
``severity``. Intake, merge, scoring, the catalogue checks, the report and the plan all make
findings of this one type; workbooks store them as rows (one column per field, ``data`` as
JSON), never as strings to split.

Every code is registered here once, with its severity and a short title (a message id, in
words a person reads in summaries: "3 × the value is not a number"). Codes are
``area.name``: ``file``/``xml`` (a file intake refuses or skips), ``stamp`` (which template,
round and unit a file is), ``sheet`` (the data sheet's rows), ``value`` (one cell),
``merge`` (across files), ``merged`` (the merged workbook as edited), ``score``,
``catalogue``/``baseline`` (the data files), ``report``, ``plan``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .i18n import N_, _


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class Code:
    id: str
    severity: Severity
    title: str  # message id: what kind of problem, in a few words

    def title_text(self) -> str:
        return _(self.title)


CODES: dict[str, Code] = {}


def register(code: str, severity: Severity, title: str) -> Code:
    """Add a finding code (once); extensions (a rule kind in a test, say) register theirs the same way."""
    if code in CODES and CODES[code] != Code(code, severity, title):
        raise ValueError(f"finding code {code!r} registered twice with different meanings")
    CODES[code] = Code(code, severity, title)
    return CODES[code]


for _code, _sev, _title in (
    # A file intake refuses (or merge skips) as a whole.
    ("file.not_found", ERROR, N_("File not found")),
    ("file.unreadable", ERROR, N_("File cannot be read")),
    ("file.empty", ERROR, N_("Empty file")),
    ("file.lock_file", ERROR, N_("Excel lock file, not a workbook")),
    ("file.too_large", ERROR, N_("File too large")),
    ("file.legacy_xls", WARNING, N_("Old Excel 97-2003 format (.xls)")),
    ("file.ods", WARNING, N_("OpenDocument spreadsheet (.ods)")),
    ("file.encrypted", ERROR, N_("Workbook protected by a password")),
    ("file.xlsb", ERROR, N_("Binary workbook (.xlsb)")),
    ("file.csv", ERROR, N_("CSV text renamed as a workbook")),
    ("file.html", ERROR, N_("Web page renamed as a workbook")),
    ("file.xml_spreadsheet", ERROR, N_("XML 2003 spreadsheet")),
    ("file.not_xlsx", ERROR, N_("Not an Excel workbook")),
    ("file.truncated", ERROR, N_("Truncated file")),
    ("file.corrupt", ERROR, N_("Damaged file")),
    ("file.zip_bomb", ERROR, N_("Abnormal compression, refused")),
    ("file.zip_method", ERROR, N_("Unsupported compression")),
    ("file.too_many_sheets", ERROR, N_("Too many sheets")),
    ("file.too_many_cells", ERROR, N_("Too many cells")),
    ("file.too_many_strings", ERROR, N_("Too many text strings")),
    ("file.read_failed", ERROR, N_("Unexpected error while reading the file")),
    ("file.skipped", WARNING, N_("File not read")),
    ("xml.entities", ERROR, N_("XML entities (a DTD), refused")),
    ("xml.invalid", ERROR, N_("Invalid XML")),
    # Which template, round and unit a returned file is.
    ("stamp.not_dti", ERROR, N_("Not a dti data-collection workbook")),
    ("stamp.version", ERROR, N_("Template of another format version")),
    ("stamp.catalogue", ERROR, N_("Template of another methodology")),
    ("stamp.catalogue_edited", WARNING, N_("Template of an earlier edit of the methodology")),
    ("stamp.province", ERROR, N_("Template of another province")),
    ("stamp.year", ERROR, N_("Template of another year")),
    ("stamp.unit", ERROR, N_("Unknown reporting unit")),
    # The data sheet's rows.
    ("sheet.data_missing", ERROR, N_("Data sheet missing")),
    ("sheet.row_missing", WARNING, N_("Row of an input missing")),
    ("sheet.row_duplicated", WARNING, N_("Input on several rows")),
    ("sheet.name_mismatch", WARNING, N_("Rows moved")),
    ("sheet.unexpected_input", WARNING, N_("Row of an input the unit does not report")),
    ("sheet.unassigned_input", WARNING, N_("Input the unit was not assigned")),
    # One value cell.
    ("value.not_number", ERROR, N_("Not a number")),
    ("value.negative", ERROR, N_("Negative value")),
    ("value.too_large", ERROR, N_("Implausibly large value")),
    ("value.not_whole", ERROR, N_("Count not a whole number")),
    ("value.percent_range", ERROR, N_("Percentage above 100%")),
    ("value.not_yes_no", ERROR, N_("Not a yes/no answer")),
    ("value.unknown_choice", ERROR, N_("Not one of the choices")),
    ("value.error", ERROR, N_("Error value in the cell")),
    ("value.ambiguous_number", WARNING, N_("Number that reads two ways")),
    ("value.dash", WARNING, N_("Dash read as no data")),
    ("value.formula", WARNING, N_("Formula in a value cell")),
    ("value.formula_no_value", ERROR, N_("Formula without a computed value")),
    ("value.text_cut", WARNING, N_("Text too long, cut")),
    ("value.unknown_input", ERROR, N_("Unknown input id")),
    # Across files.
    ("merge.values_missing", WARNING, N_("Inputs left blank")),
    ("merge.evidence_missing", WARNING, N_("Evidence missing")),
    ("merge.part_exceeds_whole", ERROR, N_("Part larger than its whole")),
    ("merge.requires_unmet", WARNING, N_("Answers that contradict each other")),
    ("merge.conflict", ERROR, N_("Different values from several units")),
    ("merge.incomplete_combined", WARNING, N_("Sum over units still incomplete")),
    ("merge.superseded", WARNING, N_("File replaced by a newer one")),
    ("merge.duplicate_copy", INFO, N_("Same file sent twice")),
    ("merge.blank_resubmission", WARNING, N_("Newer file with nothing filled in, not used")),
    ("merge.values_emptied", WARNING, N_("Newer file empties values filled before")),
    ("merge.not_received", WARNING, N_("Workbook not received")),
    # The merged workbook as the focal point edited it.
    ("merged.bad_status", ERROR, N_("Unknown status in the Data sheet")),
    ("merged.bad_reference", ERROR, N_("Reference value not a number")),
    # Scoring.
    ("score.adjustment_no_input", ERROR, N_("Adjustment without an input id")),
    ("score.adjustment_unknown_input", ERROR, N_("Adjustment of an unknown input")),
    ("score.adjustment_bad_value", ERROR, N_("Adjustment value not usable")),
    ("score.reference_unknown_indicator", ERROR, N_("Reference for an indicator that needs none")),
    ("score.reference_unknown_key", ERROR, N_("Unknown reference key")),
    ("score.reference_bad_value", ERROR, N_("Reference value not a number")),
    ("score.catalogue_mismatch", ERROR, N_("Merged with another methodology")),
    ("score.few_inputs", WARNING, N_("Fewer than half of the inputs received")),
    # The data files (dti catalog check).
    ("catalogue.pillar_sum", ERROR, N_("Pillar maxima do not add up to the total")),
    ("catalogue.children_sum", ERROR, N_("Children do not add up to their parent's max")),
    ("catalogue.unscored_pillar", ERROR, N_("Unscored pillar with indicators")),
    ("catalogue.unknown_pillar", ERROR, N_("Indicator of an unknown pillar")),
    ("catalogue.unknown_lead", ERROR, N_("Lead agency not in the profile")),
    ("catalogue.lead_reading", WARNING, N_("The appendix's lead agency reads differently")),
    ("catalogue.lead_unresolved", ERROR, N_("The appendix's lead agency names no unit")),
    ("catalogue.profile_year", WARNING, N_("The profile names another year")),
    ("catalogue.no_english", WARNING, N_("A text of the catalogue has no English")),
    ("baseline.missing_score", WARNING, N_("No baseline score")),
    ("baseline.above_max", ERROR, N_("Baseline score above the max")),
    ("baseline.unknown_indicator", ERROR, N_("Baseline score of an unknown indicator")),
    ("baseline.retired_indicator", WARNING, N_("Baseline score of an indicator the methodology dropped")),
    ("baseline.pillar_max", ERROR, N_("Pillar max differs from the summary table")),
    ("baseline.children_sum", WARNING, N_("Baseline children do not add up")),
    ("baseline.pillar_sum", WARNING, N_("Baseline indicators do not add up to the published pillar")),
    ("baseline.total_sum", WARNING, N_("Baseline pillars do not add up to the published total")),
    # The report and the plan.
    ("report.not_in_scores", WARNING, N_("Indicator missing from the scores")),
    ("plan.effort_bad_row", ERROR, N_("Effort file row not usable")),
    ("plan.commitment_bad_row", ERROR, N_("Commitment not usable")),
    ("plan.commitment_below_now", WARNING, N_("Commitment below the value now")),
    ("plan.commitment_above_use", WARNING, N_("Commitment above what the rule can use")),
    ("plan.commitment_file", ERROR, N_("Commitment workbook not usable")),
    ("plan.commitment_duplicate", WARNING, N_("Commitment given twice")),
):
    register(_code, _sev, _title)


#: The columns of a findings table (the Findings sheet of merged.xlsx, the Problems sheet of scores).
COLUMNS = ("code", "severity", "file", "sheet", "cell", "unit", "input", "message", "data")


@dataclass
class Finding:
    """One problem: a registered code, its severity, where it is and what to do."""

    code: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    unit: str = ""
    input: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    severity: str = ""

    def __post_init__(self) -> None:
        if not self.severity:
            known = CODES.get(self.code)
            self.severity = str(known.severity) if known else str(ERROR)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def where(self) -> str:
        """``file sheet!cell`` as far as it is known."""
        place = "!".join(x for x in (self.sheet, self.cell) if x)
        return " ".join(x for x in (self.file, place) if x)

    def title(self) -> str:
        known = CODES.get(self.code)
        return known.title_text() if known else self.code

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "file": self.file, "sheet": self.sheet, "cell": self.cell,
                "unit": self.unit, "input": self.input, "message": self.message, "data": dict(self.data)}

    def to_row(self) -> list[Any]:
        """The finding as a table row in :data:`COLUMNS` order; ``data`` as compact JSON text."""
        d = self.to_dict()
        d["data"] = json.dumps(self.data, ensure_ascii=False, sort_keys=True, default=str) if self.data else ""
        return [d[c] for c in COLUMNS]

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Finding:
        """Back from a table row (a workbook or CSV a person may have edited: anything missing is empty)."""
        def text(k: str) -> str:
            v = row.get(k)
            return "" if v is None else str(v).strip()

        data: dict[str, Any] = {}
        raw = row.get("data")
        if isinstance(raw, str) and raw.strip():
            try:
                loaded = json.loads(raw)
            except ValueError:
                loaded = {"text": raw}
            data = loaded if isinstance(loaded, dict) else {"value": loaded}
        return cls(code=text("code") or "unknown", message=text("message"), file=text("file"), sheet=text("sheet"),
                   cell=text("cell"), unit=text("unit"), input=text("input"), data=data, severity=text("severity"))


def findings_frame(findings: Iterable[Finding], **extra: Iterable[Any]) -> Any:
    """Findings as a pandas DataFrame, one row each, in the columns of :data:`COLUMNS`.

    ``code`` and the places are text (``string``), ``severity`` a category (error, warning,
    info), ``data`` compact JSON text as the workbooks store it (empty: ``<NA>``). ``extra``
    adds columns after them, one value per finding: ``counted=[True, False, …]`` (a boolean
    column; anything else is text).
    """
    from .frames import Col, frame

    items = list(findings)
    cols = [Col(c, "category", tuple(str(s) for s in Severity)) if c == "severity" else Col(c, "string") for c in COLUMNS]
    rows = [f.to_row() for f in items]
    for name, values in extra.items():
        vals = list(values)
        if len(vals) != len(items):
            raise ValueError(f"{name}: {len(vals)} values for {len(items)} findings")
        cols.append(Col(name, "boolean" if all(isinstance(v, bool) for v in vals) else "string"))
        rows = [[*r, v] for r, v in zip(rows, vals, strict=True)]
    return frame(cols, rows)


def count(findings: Iterable[Finding], severity: str) -> int:
    return sum(1 for f in findings if f.severity == severity)


def by_code(findings: Iterable[Finding]) -> list[tuple[str, str, int]]:
    """(code, title in words, count), most frequent first: how a summary says findings in words."""
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.code] = counts.get(f.code, 0) + 1
    rows = [(c, CODES[c].title_text() if c in CODES else c, n) for c, n in counts.items()]
    return sorted(rows, key=lambda r: (-r[2], r[0]))
