"""The merged workbook: what ``dti merge`` writes and ``dti score`` reads (people: docs/FORMATS.md).

Sheets (titles in the run's language; the hidden stamp names each sheet's key):

- ``data``: one row per input: its value, status and where it came from;
- ``units``: the per-unit figures behind a combined input (4.5, 4.6, 1.9);
- ``submissions``: every file received (its verdict) and every unit that sent nothing;
- ``findings``: every finding, one column per field (:data:`dti_cli.core.findings.COLUMNS`);
- ``adjustments``: the focal point's corrections (input id, new value, reason, by, date);
- ``references``: the national reference values the relative rules need.

Columns are found by their header in either language (or the ASCII key), so a person may
reorder them; statuses, verdicts and severities are written as words and read back in either
language. The file is read with intake's reader (fast, and safe against a workbook edited by
hand); values keep their types: numbers as numbers, yes/no as the words, choices as their codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.errors import InputFileError
from ..core.findings import COLUMNS as FINDING_COLUMNS
from ..core.findings import Finding
from ..core.i18n import N_, _
from ..core.text import clean
from ..methodology.model import NO_DATA, Catalogue, NoData
from .stamp import read_stamp

FORMAT = "dti-merged"
FORMAT_VERSION = "2"

#: Sheet key → (title message id, [(column key, header message id, kind)]); kinds as the sheet writer knows them.
SHEETS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "data": (N_("Data"), [
        ("input_id", N_("Input id"), "id"), ("indicator", N_("Indicator"), "id"), ("label", N_("What the figure is"), "wrap"),
        ("value", N_("Value"), "value"), ("unit", N_("Unit of measure"), "text"), ("status", N_("Status"), "text"),
        ("source_agency", N_("Supplied by"), "wrap"), ("source_file", N_("File"), "text"), ("sheet", N_("Sheet"), "text"),
        ("cell", N_("Cell"), "id"), ("evidence", N_("Evidence"), "wrap"), ("note", N_("Note"), "wrap"), ("sha256", N_("File checksum"), "id"),
    ]),
    "units": (N_("By unit"), [
        ("input_id", N_("Input id"), "id"), ("unit_id", N_("Unit id"), "id"), ("unit_name", N_("Unit"), "wrap"),
        ("value", N_("Value"), "value"), ("status", N_("Status"), "text"), ("source_file", N_("File"), "text"), ("cell", N_("Cell"), "id"),
    ]),
    "submissions": (N_("Submissions"), [
        ("unit_id", N_("Unit id"), "id"), ("unit_name", N_("Unit"), "wrap"), ("file", N_("File"), "wrap"), ("verdict", N_("Verdict"), "text"),
        ("reason", N_("Reason"), "wrap"), ("received", N_("Received"), "text"), ("person", N_("Filled in by"), "wrap"),
        ("cover_date", N_("Date on the cover"), "text"), ("completeness", N_("Complete"), "percent"), ("errors", N_("Errors"), "int"),
        ("warnings", N_("Warnings"), "int"), ("superseded_by", N_("Replaced by"), "text"), ("sha256", N_("File checksum"), "id"),
    ]),
    "findings": (N_("Findings"), [
        ("code", N_("Code"), "id"), ("severity", N_("Severity"), "text"), ("file", N_("File"), "wrap"), ("sheet", N_("Sheet"), "text"),
        ("cell", N_("Cell"), "id"), ("unit", N_("Unit id"), "id"), ("input", N_("Input id"), "id"), ("message", N_("Message"), "wrap"),
        ("data", N_("Details (for machines)"), "text"),
    ]),
    "adjustments": (N_("Adjustments"), [
        ("input_id", N_("Input id"), "id"), ("new_value", N_("New value"), "value"), ("reason", N_("Reason"), "wrap"),
        ("by", N_("By"), "text"), ("date", N_("Date"), "text"),
    ]),
    "references": (N_("References"), [
        ("indicator", N_("Indicator"), "id"), ("key", N_("Key"), "id"), ("value", N_("Value"), "value"), ("source", N_("Source"), "wrap"),
    ]),
}
assert [c for c, _t, _k in SHEETS["findings"][1]] == list(FINDING_COLUMNS)

#: Status of an input in the Data sheet: key → words.
STATUS = {"ok": N_("ok"), "missing": N_("missing"), "no_data": N_("no data"), "conflict": N_("conflict"), "invalid": N_("invalid")}
#: Verdict of a file in the Submissions sheet.
VERDICT = {"accepted": N_("accepted"), "accepted_with_warnings": N_("accepted, to check"), "rejected": N_("rejected"),
           "superseded": N_("replaced"), "not_received": N_("not received"), "skipped": N_("not read")}
SEVERITY = {"error": N_("error"), "warning": N_("warning"), "info": N_("information")}
#: Yes/no values as the Data sheet stores them, by the run's language (both are read back).
YES_NO_WORDS = {"vi": ("Có", "Không"), "en": ("Yes", "No")}


def words(table: Mapping[str, str], key: str) -> str:
    """A status, verdict or severity in the run's language (an unknown key as itself)."""
    return _(table[key]) if key in table else key


def key_of(table: Mapping[str, str], text: Any) -> str | None:
    """Back from words in either language (or the key itself) to the key."""
    t = clean(str(text or "")).lower()
    for key, msg in table.items():
        if t == key or t in {v.lower() for v in i18n.variants(msg)}:
            return key
    return None


# ---------------------------------------------------------------------------------------------
# Values


def encode_value(value: Any) -> Any:
    """A value as the Data sheet stores it: yes/no as the run's words, no data as empty (the status says so)."""
    if value is NO_DATA or value is None:
        return None
    if isinstance(value, bool):
        yes, no = YES_NO_WORDS[i18n.language()]
        return yes if value else no
    return value


_YES = {"có", "co", "yes", "true", "1", "x"}
_NO = {"không", "khong", "no", "false", "0"}


def decode_value(raw: Any, status: str, input_type: str | None) -> Any:
    """A Data cell back to a typed value for its input (a person may have edited it)."""
    if status == "no_data":
        return NO_DATA
    if raw is None or raw == "":
        return None
    if input_type == "yes_no":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, (int, float)):
            return raw != 0
        t = clean(str(raw)).lower()
        return True if t in _YES else False if t in _NO else str(raw)
    if input_type == "choice":
        return str(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    from ..values import parse_number_text  # tolerant reading of an edited cell

    n = parse_number_text(str(raw))
    return n if n is not None else str(raw)


# ---------------------------------------------------------------------------------------------
# Writing


def write_merged(path: str | Path, sheets: Mapping[str, Iterable[Mapping[str, Any]]], stamp: Mapping[str, str], *,
                 province: str = "", year: int | str = "", banner: str | None = None) -> list[Finding]:
    """Write the merged workbook to ``path`` (callers wrap this in safety.atomic_output).

    ``sheets`` maps each key of :data:`SHEETS` to its rows (dicts keyed by column key; findings
    may be :class:`Finding` objects). Returns a finding for every text cut to the cell limit.
    """
    from ..core.sheetwriter import CELL_LIMIT, Column, PageText, Sheet, write_workbook

    titles = {key: _(title) for key, (title, _cols) in SHEETS.items()}
    out = []
    for key, (_title, cols) in SHEETS.items():
        rows = sheets.get(key, [])
        out.append(Sheet(name=titles[key], columns=[_column(Column, c, t, k) for c, t, k in cols], rows=list(_cells(key, cols, rows))))
    full = {"format": FORMAT, "format_version": FORMAT_VERSION, "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "lang": i18n.language(), **stamp, **{f"sheet.{k}": v for k, v in titles.items()}}
    page = PageText(header=" · ".join(x for x in (province, f"DTI {year}" if year else "", _("Merged data")) if x),
                    footer=_("Page &P of &N"), banner=banner)
    report = write_workbook(path, out, page=page, stamp=full)
    return [Finding("value.text_cut", _("{sheet}!{cell}: a text of {n} characters was cut to the {limit} characters a cell holds.").format(
        sheet=t.sheet, cell=t.cell, n=i18n.integer(t.length), limit=i18n.integer(CELL_LIMIT)), sheet=t.sheet, cell=t.cell)
        for t in report.truncated]


def _column(cls: Any, key: str, title: str, kind: str) -> Any:
    wrap = kind == "wrap"
    return cls(key=key, title=_(title), kind="text" if kind in ("wrap", "value") else kind, wrap=wrap)


def _cells(key: str, cols: list[tuple[str, str, str]], rows: Iterable[Any]) -> Iterable[list[Any]]:
    names = [c for c, _t, _k in cols]
    for r in rows:
        if isinstance(r, Finding):
            d = dict(zip(FINDING_COLUMNS, r.to_row(), strict=True))
        else:
            d = dict(r)
        if key == "data" or key == "units":
            d["status"] = words(STATUS, d.get("status", ""))
        elif key == "submissions":
            d["verdict"] = words(VERDICT, d.get("verdict", ""))
        elif key == "findings":
            d["severity"] = words(SEVERITY, d.get("severity", ""))
        yield [d.get(c) for c in names]


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass
class Merged:
    """A merged workbook as scoring sees it."""

    path: str
    stamp: dict[str, str]
    values: dict[str, Any]  # input id → float | bool | str (choice code) | NO_DATA; only usable values
    statuses: dict[str, str]
    provenance: dict[str, dict[str, Any]]
    units: list[dict[str, Any]] = field(default_factory=list)
    submissions: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    adjustments: list[dict[str, Any]] = field(default_factory=list)  # each with its "row" number
    references: list[dict[str, Any]] = field(default_factory=list)  # each with its "row" number
    problems: list[Finding] = field(default_factory=list)  # what the workbook as edited holds that cannot be used

    @property
    def year(self) -> str:
        return self.stamp.get("year", "")


def read_merged(path: str | Path, catalogue: Catalogue | None = None, *, only: Iterable[str] | None = None) -> Merged:
    """Read a merged workbook; a bad row of Data or References is a finding in ``problems``, not an exception.

    ``only``: the keys of the sheets wanted (the report reads its findings and submissions): the
    workbook is opened lazily and the other sheets are not parsed; their parts of the result stay empty.
    """
    from ..intake import IntakeError, open_workbook

    keys = list(SHEETS) if only is None else [k for k in SHEETS if k in set(only)]

    p = Path(path)
    if not p.exists():
        raise InputFileError(_("{path}: file not found.").format(path=p))
    try:
        raw = open_workbook(p, merged_limits(), lazy=only is not None)
    except IntakeError as e:
        raise InputFileError(_("{path}: cannot be opened as a merged workbook ({reason}).").format(path=p, reason=e)) from None
    stamp = read_stamp(raw) or {}
    if stamp.get("format") != FORMAT:
        raise InputFileError(_("{path}: not a merged workbook written by `dti merge` (its hidden '_dti' sheet does not say {format}).").format(
            path=p, format=FORMAT))
    if stamp.get("format_version") != FORMAT_VERSION:
        raise InputFileError(_("{path}: a merged workbook of format version {found}; this dti reads version {version}. "
                               "Run `dti merge` again on the returned files.").format(path=p, found=stamp.get("format_version"),
                                                                                      version=FORMAT_VERSION))
    sheets = {key: _rows(raw, stamp, key) for key in keys}
    return from_rows(str(p), stamp, sheets, catalogue)


def read_rows(path: str | Path, key: str) -> list[dict[str, Any]]:
    """One sheet of a merged workbook as rows keyed by column key (statuses, verdicts, severities as keys), whatever its language."""
    from ..intake import open_workbook

    raw = open_workbook(path, merged_limits())
    stamp = read_stamp(raw) or {}
    rows = [r for _n, r in _rows(raw, stamp, key)]
    table = {"data": STATUS, "units": STATUS, "submissions": VERDICT, "findings": SEVERITY}.get(key)
    field_ = {"data": "status", "units": "status", "submissions": "verdict", "findings": "severity"}.get(key)
    if table and field_:
        for r in rows:
            r[field_] = key_of(table, r.get(field_)) or r.get(field_)
    return rows


def merged_limits() -> Any:
    """The merged workbook is dti's own and may be large (a 10,000-file round): wider bounds than a returned file's."""
    from ..intake import Limits

    return Limits(max_file_bytes=200 * 1024 * 1024, max_cells=20_000_000, max_total_cells=40_000_000, max_shared_strings=20_000_000)


def _rows(raw: Any, stamp: Mapping[str, str], key: str) -> list[tuple[int, dict[str, Any]]]:
    """One sheet's rows as (row number, {column key: value}), columns found by their headers."""
    title, cols = SHEETS[key]
    names = [stamp.get(f"sheet.{key}", "")] + sorted(i18n.variants(title))
    sheet = next((raw.sheets[n] for n in names if n and n in raw.sheets), None)
    if sheet is None:
        return []
    header: dict[int, str] = {}
    by_header = {}
    for col, head, _kind in cols:
        for v in (col, *i18n.variants(head)):
            by_header[clean(v).lower()] = col
    out = []
    for n, values in sheet.rows():
        if not header:
            header = {j: by_header[clean(str(v)).lower()] for j, v in enumerate(values)
                      if v is not None and clean(str(v)).lower() in by_header}
            continue
        if all(v is None or v == "" for v in values):
            continue
        out.append((n, {col: values[j] if j < len(values) else None for j, col in header.items()}))
    return out


def from_rows(path: str, stamp: dict[str, str], sheets: Mapping[str, list[tuple[int, dict[str, Any]]]],
              catalogue: Catalogue | None = None) -> Merged:
    """A :class:`Merged` from each sheet's rows ((row number, {column key: value})).

    Used for a merged workbook on disk and for a merge result held in memory (scoring one
    agency's own template goes through the same checks as a full merge).
    """
    types = {i.id: i.type for i in catalogue.inputs.values()} if catalogue is not None else {}
    m = Merged(path=path, stamp=stamp, values={}, statuses={}, provenance={})
    data_title = stamp.get("sheet.data") or _(SHEETS["data"][0])
    for n, r in sheets.get("data", []):
        iid = clean(str(r.get("input_id") or ""))
        if not iid:
            continue
        status = key_of(STATUS, r.get("status")) or ""
        if not status:
            m.problems.append(Finding("merged.bad_status", _("{sheet}!F{row}: the status {status!r} is not one of {known}; counted as invalid.").format(
                sheet=data_title, row=n, status=r.get("status"), known=", ".join(words(STATUS, k) for k in STATUS)),
                file=Path(path).name, sheet=data_title, cell=f"F{n}", input=iid))
            status = "invalid"
        m.statuses[iid] = status
        m.provenance[iid] = {k: r.get(k) for k in ("source_agency", "source_file", "sheet", "cell", "evidence", "note", "sha256")}
        if status in ("ok", "no_data"):
            v = decode_value(r.get("value"), status, types.get(iid))
            if v is None:
                m.statuses[iid] = "missing"
            else:
                m.values[iid] = v
    for _n, r in sheets.get("units", []):
        r["status"] = key_of(STATUS, r.get("status")) or r.get("status")
        m.units.append(r)
    for _n, r in sheets.get("submissions", []):
        r["verdict"] = key_of(VERDICT, r.get("verdict")) or r.get("verdict")
        m.submissions.append(r)
    for _n, r in sheets.get("findings", []):
        f = Finding.from_row(r)
        f.severity = key_of(SEVERITY, r.get("severity")) or f.severity
        m.findings.append(f)
    m.adjustments = [{**r, "row": n} for n, r in sheets.get("adjustments", [])]
    m.references = [{**r, "row": n} for n, r in sheets.get("references", [])]
    return m


def is_no_data(v: Any) -> bool:
    return isinstance(v, NoData)
