"""Consolidating: one value per input of the catalogue, with where it came from, and findings for
what needs a person. Decisions where the methodology is silent (each is tested):

* The same unit twice: the newer file wins (the stamp's ``generated_at``, then the cover date,
  then the file time) — unless it has nothing filled in: a blank template dropped beside a
  filled return never replaces it (``merge.blank_resubmission``). A newer file that leaves
  empty what the older one filled is used, and a finding lists what it emptied and the old
  values (``merge.values_emptied``). The file not used is kept in Submissions as replaced; its
  findings are listed but do not count.
* Only the unit assigned an input supplies it (the catalogue and the profile say which), whatever
  a file's stamp claims.
* Two units answering the same (not per-unit) input with different values: ``conflict``; no
  value is used, both figures are in the units sheet and in the finding. Equal answers are used.
* Per-unit inputs (4.5, 4.6, 1.9): combined over the units that answered. When some have not,
  the combined value is still used (the sum of what arrived; for yes/no a decisive answer, e.g.
  one "Có" for ``any``) with a warning naming the units it lacks. No unit at all: ``missing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..core import i18n
from ..core.findings import ERROR, INFO, WARNING, Finding
from ..core.i18n import _
from ..formats.merged import decode_value, encode_value
from ..formats.references import needed as references_needed
from ..methodology.assign import expected_inputs
from ..methodology.context import Context
from ..methodology.model import NoData
from .collect import Skipped
from .read import gt, show
from .submission import Answer, Submission


@dataclass
class MergeResult:
    """Everything the merged workbook holds, as data."""

    submissions: list[Submission]
    data: list[dict[str, Any]]
    units: list[dict[str, Any]]
    expected: dict[str, list[str]]  # unit id → input ids it was asked for
    findings: list[Finding]  # file findings and consolidation findings, in a stable order
    not_received: list[str]  # unit ids expected and absent
    references: list[dict[str, Any]]
    year: int
    stamp: dict[str, str]
    unit_names: dict[str, str] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # input id → its type (the data rows' values are as the sheet stores them)

    def counted(self) -> list[Finding]:
        """The findings that count: not those of a file replaced by another or not read."""
        quiet = {s.name for s in self.submissions if not s.counts}
        return [f for f in self.findings if not (f.file and f.file in quiet)]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.counted() if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.counted() if f.severity == WARNING)

    def statuses(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.data:
            out[r["status"]] = out.get(r["status"], 0) + 1
        return out

    def typed_value(self, row: dict[str, Any]) -> Any:
        """A data (or units) row's value typed for its input: float, bool, a choice's code, NO_DATA, None; the
        text as it was typed for a value that could not be used."""
        status = row.get("status", "")
        if status in ("ok", "no_data"):
            return decode_value(row.get("value"), status, self.types.get(row["input_id"]))
        return row.get("value")

    def to_dict(self) -> dict[str, Any]:
        """The merged workbook's content as JSON (``dti merge`` writes it as merged.xlsx; there is no JSON of it on the command line).

        Values are typed (numbers, ``true``/``false``, a choice's code, ``"no_data"``; an invalid or
        conflicting figure as it was typed); findings carry ``counted`` (false for a file replaced
        by another or not read).
        """
        from ..formats.scores import json_value

        def typed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{**r, "value": json_value(self.typed_value(r))} for r in rows]

        quiet = {s.name for s in self.submissions if not s.counts}
        return {
            "year": self.year,
            "stamp": dict(self.stamp),
            "errors": self.errors,
            "warnings": self.warnings,
            "statuses": self.statuses(),
            "not_received": list(self.not_received),
            "data": typed(self.data),
            "units": typed(self.units),
            "submissions": submission_rows(self),
            "findings": [{**f.to_dict(), "counted": not (f.file and f.file in quiet)} for f in self.findings],
            "references": [dict(r) for r in self.references],
        }

    # -- pandas (imported by these methods only) ------------------------------------------------

    def to_frame(self) -> Any:
        """The data rows as a pandas DataFrame, one per input, with where each value came from (:data:`FRAME_COLUMNS`).

        Values as :meth:`dti_cli.formats.scores.Scores.inputs_frame` gives them (``value``,
        ``value_type``, ``number``), plus ``text`` as the value type of an invalid or conflicting
        figure kept as it was typed; ``status`` is a category (ok, missing, no_data, conflict,
        invalid); ``unit_of_measure`` is the Data sheet's unit (%, people…); the rest is text (``<NA>`` when empty).
        """
        from ..core.frames import frame

        cols = FRAME_COLUMNS
        return frame(cols, (self._row(r, [c.name for c in cols]) for r in self.data))

    def units_frame(self) -> Any:
        """The per-unit figures behind a combined input (4.5, 4.6, 1.9), one row per input and unit (:data:`UNIT_FRAME_COLUMNS`)."""
        from ..core.frames import frame

        cols = UNIT_FRAME_COLUMNS
        return frame(cols, (self._row(r, [c.name for c in cols]) for r in self.units))

    def findings_frame(self) -> Any:
        """Every finding (:func:`dti_cli.core.findings.findings_frame`), with ``counted`` (False: a file replaced or not read)."""
        from ..core.findings import findings_frame

        quiet = {s.name for s in self.submissions if not s.counts}
        return findings_frame(self.findings, counted=[not (f.file and f.file in quiet) for f in self.findings])

    def _row(self, r: dict[str, Any], names: list[str]) -> list[Any]:
        from ..formats.scores import value_fields

        v = self.typed_value(r)
        if r.get("status") in ("invalid", "conflict") and v not in (None, ""):
            text, kind, number = str(v), "text", None
        else:
            text, kind, number = value_fields(v)
        d = {**r, "year": self.year, "input": r["input_id"], "value": text, "value_type": kind, "number": number,
             "unit_of_measure": r.get("unit")}
        return [d.get(n) for n in names]


def _frame_columns() -> tuple[list[Any], list[Any]]:
    from ..core.frames import Col
    from ..formats.merged import STATUS
    from ..formats.scores import VALUE_TYPES

    value = [Col("value", "string"), Col("value_type", "category", VALUE_TYPES), Col("number", "float64")]
    status = Col("status", "category", tuple(STATUS))
    data = [Col("year", "Int64"), Col("input", "string"), Col("indicator", "string"), Col("label", "string"), *value, Col("unit_of_measure", "string"),
            status, Col("source_agency", "string"), Col("source_file", "string"), Col("sheet", "string"), Col("cell", "string"),
            Col("evidence", "string"), Col("note", "string"), Col("sha256", "string")]
    units = [Col("year", "Int64"), Col("input", "string"), Col("unit_id", "string"), Col("unit_name", "string"), *value, status,
             Col("source_file", "string"), Col("cell", "string")]
    return data, units


#: The columns of :meth:`MergeResult.to_frame` and :meth:`MergeResult.units_frame`.
FRAME_COLUMNS, UNIT_FRAME_COLUMNS = _frame_columns()


def _ts(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).astimezone().isoformat(timespec="seconds") if t else ""


def resolve_duplicates(subs: list[Submission]) -> list[Finding]:
    """The file each unit's figures come from, when a unit sent several."""
    found: list[Finding] = []
    by_unit: dict[str, list[Submission]] = {}
    for s in subs:
        if s.current:
            by_unit.setdefault(s.unit_id, []).append(s)
    position = {id(s): k for k, s in enumerate(subs)}
    for group in by_unit.values():
        if len(group) < 2:
            continue
        # Oldest first; an identical copy (same bytes) loses to the first one by path.
        group.sort(key=lambda s: (s.order_key(), -position[id(s)]))
        answering = [s for s in group if s.filled > 0]
        winner = answering[-1] if answering else group[-1]
        for other in group:
            if other is winner:
                continue
            other.verdict, other.superseded_by = "superseded", winner.name
            if other.sha256 == winner.sha256:
                f = other.add("merge.duplicate_copy", _("The file {file} is the same as {winner} from {unit} (sent twice); only one is used.").format(
                    file=other.name, winner=winner.name, unit=winner.unit_name), severity=INFO)
            elif group.index(other) > group.index(winner):  # newer, and nothing filled in
                f = other.add("merge.blank_resubmission", _(
                    "{unit} sent {file}, newer than {winner} but with nothing filled in (a blank template?); it does not replace "
                    "{winner}, whose figures are used.").format(unit=winner.unit_name, file=other.name, winner=winner.name))
            else:
                f = other.add("merge.superseded", _("{unit} sent several files: the newer {winner} is used; {file} is replaced and not used.").format(
                    unit=winner.unit_name, winner=winner.name, file=other.name))
            found.append(f)
        older = [s for s in answering if s is not winner and group.index(s) < group.index(winner)]
        if older:
            prev = older[-1]
            emptied = [i for i in winner.asked if i in prev.answers and prev.answers[i].usable
                       and (i not in winner.answers or not winner.answers[i].usable)]
            if emptied:
                was = "; ".join(f"{i} = {show(prev.answers[i].value)}" for i in emptied[:10]) + (" …" if len(emptied) > 10 else "")
                found.append(winner.add("merge.values_emptied", _(
                    "{file} ({unit}) leaves empty {n} figure(s) that the earlier {prev} gave: {values}. They count as missing; "
                    "if the earlier values still hold, ask the unit to fill them in again, or write them in the Adjustments sheet.").format(
                    file=winner.name, unit=winner.unit_name, n=len(emptied), prev=prev.name, values=was), inputs=emptied))
    return found


def consolidate(ctx: Context, subs: list[Submission], *, year: int | None = None, expected: dict[str, list[str]] | None = None,
                skipped: list[Skipped] | None = None) -> MergeResult:
    """One value per input of the catalogue, with provenance; findings for what needs a person."""
    cat, prof = ctx.catalogue, ctx.profile
    year = int(year or cat.year)
    if expected is None:
        expected = expected_inputs(ctx)
    resolve_duplicates(subs)
    current = {s.unit_id: s for s in subs if s.current}
    suppliers: dict[str, list[str]] = {}
    for uid, ids in expected.items():
        for iid in ids:
            suppliers.setdefault(iid, []).append(uid)
    names = {u.id: u.name for u in prof.units}
    extra: list[Finding] = []
    skipped = list(skipped or [])
    for k in skipped:
        extra.append(Finding("file.skipped", _("{file}: not read: {reason}.").format(file=k.path.name, reason=k.words()), file=k.path.name,
                             severity=INFO, data={"reason": k.reason}))
    data: list[dict[str, Any]] = []
    units_rows: list[dict[str, Any]] = []
    not_received = [uid for uid in expected if uid not in current]
    for uid in not_received:
        extra.append(Finding("merge.not_received", _("No workbook received yet from {unit} ({n} figures). Please remind the unit to send it.").format(
            unit=names.get(uid, uid), n=len(expected[uid])), unit=uid))
    lang = i18n.language()
    for inp in cat.inputs.values():
        row: dict[str, Any] = {"input_id": inp.id, "indicator": inp.indicator, "label": inp.label(lang), "value": None, "unit": inp.unit_in(lang),
                               "status": "missing", "source_agency": "", "source_file": "", "sheet": "", "cell": "", "evidence": "",
                               "note": "", "sha256": ""}
        who = suppliers.get(inp.id, [])
        if inp.per_unit:
            _combine(inp, who, current, names, row, units_rows, extra)
        else:
            _single(inp, who, current, names, row, units_rows, extra)
        if row["status"] in ("ok", "no_data"):
            row["value"] = encode_value(row["value"])
        data.append(row)
    _check_across(cat, data, extra)
    findings = [f for s in subs for f in s.findings] + extra
    stamp = {"catalogue_id": cat.id, "catalogue_version": cat.version, "catalogue_sha256": cat.sha256,
             "province_id": prof.id, "province": prof.name, "year": str(year)}
    return MergeResult(subs, data, units_rows, expected, findings, not_received, references_needed(cat), year, stamp, names, skipped,
                       {i.id: i.type for i in cat.inputs.values()})


def _provenance(row: dict[str, Any], s: Submission, a: Answer) -> None:
    row.update(source_agency=s.unit_name, source_file=s.name, sheet=a.sheet, cell=a.cell, evidence=a.evidence, note=a.note, sha256=s.sha256)


def _unit_value(a: Answer) -> Any:
    if a.status == "invalid":
        return str(a.raw) if a.raw is not None else None
    return encode_value(a.value)


def _key(v: Any) -> Any:
    if isinstance(v, NoData):
        return ("no_data",)
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, (int, float)):
        return ("num", round(float(v), 9))
    return ("text", str(v))


def _single(inp: Any, who: list[str], current: dict[str, Submission], names: dict[str, str], row: dict[str, Any],
            units_rows: list[dict[str, Any]], extra: list[Finding]) -> None:
    answers = [(current[u], current[u].answers[inp.id]) for u in who if u in current and inp.id in current[u].answers
               and current[u].answers[inp.id].asked]
    usable = [(s, a) for s, a in answers if a.usable]
    if not usable:
        if answers:
            s, a = answers[0]
            _provenance(row, s, a)
            row["status"] = a.status
            if a.status == "invalid":
                row["value"] = str(a.raw) if a.raw is not None else None
                row["note"] = "; ".join(x for x in (a.note, _("value not valid, see the findings")) if x)
        else:
            absent = [names.get(u, u) for u in who if u not in current]
            row["note"] = (_("no workbook received yet from {units}").format(units=", ".join(absent)) if absent else
                           _("no unit is assigned this figure") if not who else "")
            if who:
                row["source_agency"] = ", ".join(names.get(u, u) for u in who)
        return
    distinct = {_key(a.value) for _s, a in usable}
    if len(distinct) == 1:
        s, a = usable[0]
        _provenance(row, s, a)
        row["status"] = "no_data" if a.status == "no_data" else "ok"
        row["value"] = a.value
        if len(usable) > 1:
            row["source_agency"] = ", ".join(s.unit_name for s, _a in usable)
            row["note"] = "; ".join(x for x in (a.note, _("the units give the same value")) if x)
        return
    row["status"] = "conflict"
    parts = [f"{s.unit_name} = {show(a.value)} ({s.name}, {a.cell})" for s, a in usable]
    row["source_agency"] = ", ".join(s.unit_name for s, _a in usable)
    row["source_file"] = ", ".join(s.name for s, _a in usable)
    row["note"] = _("conflict: {values}").format(values="; ".join(parts))
    for s, a in usable:
        units_rows.append({"input_id": inp.id, "unit_id": s.unit_id, "unit_name": s.unit_name, "value": _unit_value(a),
                           "status": "conflict", "source_file": s.name, "cell": f"{a.sheet}!{a.cell}"})
    extra.append(Finding("merge.conflict", _("The figure {id} ({label}) has different values: {values}. None is used; please agree on "
                                             "one with the units and write it in the Adjustments sheet.").format(
        id=inp.id, label=inp.label(i18n.language()), values="; ".join(parts)), file=", ".join(s.name for s, _a in usable), input=inp.id))


def _combine(inp: Any, who: list[str], current: dict[str, Submission], names: dict[str, str], row: dict[str, Any],
             units_rows: list[dict[str, Any]], extra: list[Finding]) -> None:
    got: list[tuple[Submission, Answer]] = []
    lacking: list[str] = []  # units whose figure is not usable (not sent, empty, invalid)
    no_data = 0
    for uid in who:
        s = current.get(uid)
        a = s.answers.get(inp.id) if s else None
        if s is None or a is None:
            units_rows.append({"input_id": inp.id, "unit_id": uid, "unit_name": names.get(uid, uid), "value": None,
                               "status": "missing", "source_file": "", "cell": ""})
            lacking.append(names.get(uid, uid))
            continue
        units_rows.append({"input_id": inp.id, "unit_id": uid, "unit_name": s.unit_name, "value": _unit_value(a),
                           "status": a.status, "source_file": s.name, "cell": f"{a.sheet}!{a.cell}" if a.cell else ""})
        if a.status == "ok":
            got.append((s, a))
        elif a.status == "no_data":
            no_data += 1
        else:
            lacking.append(s.unit_name)
    row["source_agency"] = _("{n}/{total} units (see the units sheet)").format(n=len(got), total=len(who))
    row["sheet"] = _("By unit")
    if not got:
        row["status"] = "no_data" if no_data and not lacking else "missing"
        row["note"] = _("no unit has the figure") if row["status"] == "no_data" else _("missing from {n} unit(s)").format(n=len(lacking))
        return
    vals = [a.value for _s, a in got]
    if inp.combine == "sum":
        value: Any = float(sum(float(v) for v in vals))
        decided = False
    elif inp.combine == "any":
        value = any(bool(v) for v in vals)
        decided = value  # one "Có" settles "any"
    else:  # all
        value = all(bool(v) for v in vals)
        decided = not value  # one "Không" settles "all"
    row["status"], row["value"] = "ok", value
    how = {"sum": _("sum of {n} unit(s)"), "any": _("at least one of {n} unit(s)"), "all": _("every one of {n} unit(s)")}[inp.combine]
    row["note"] = how.format(n=len(got)) + ("; " + _("{n} unit(s) without data").format(n=no_data) if no_data else "")
    if lacking and not decided:
        shown = ", ".join(lacking[:8]) + (" " + _("and {n} more").format(n=len(lacking) - 8) if len(lacking) > 8 else "")
        row["note"] += "; " + _("LACKS {n} unit(s)").format(n=len(lacking))
        extra.append(Finding("merge.incomplete_combined", _(
            "The figure {id} ({label}) is combined from {n}/{total} units so far; still missing: {units}. The value for now = {value}; "
            "it will change when the other units send their figures.").format(
            id=inp.id, label=inp.label(i18n.language()), n=len(got), total=len(who), units=shown, value=show(value)),
            input=inp.id, data={"lacking": lacking}))


def _check_across(cat: Any, data: list[dict[str, Any]], extra: list[Finding]) -> None:
    """Cross-field checks across files: parts against wholes from another file, and ``requires``."""
    by_id = {r["input_id"]: r for r in data}

    def val(r: dict[str, Any]) -> Any:
        return decode_value(r["value"], r["status"], cat.inputs[r["input_id"]].type) if r["status"] == "ok" else None

    for r in data:
        inp = cat.inputs[r["input_id"]]
        if inp.part_of and not inp.per_unit and inp.part_of in by_id:
            w = by_id[inp.part_of]
            if r["status"] == "ok" and w["status"] == "ok" and r["source_file"] != w["source_file"] and gt(val(r), val(w)):
                r["status"] = "invalid"
                extra.append(Finding("merge.part_exceeds_whole", _(
                    "{id} = {value} ({agency}) is larger than {whole_id} = {whole} ({whole_agency}); a part cannot be larger than its whole. "
                    "Please ask the units to check.").format(id=inp.id, value=show(val(r)), agency=r["source_agency"], whole_id=inp.part_of,
                                                             whole=show(val(w)), whole_agency=w["source_agency"]),
                    file=r["source_file"], sheet=r["sheet"], cell=r["cell"], input=inp.id))
        if inp.requires and inp.requires in by_id and r["status"] == "ok":
            need = by_id[inp.requires]
            v = val(r)
            if need["status"] == "ok" and val(need) is False and v not in (False, 0, 0.0):
                extra.append(Finding("merge.requires_unmet", _(
                    "{id} is {value} but {requires} answers 'No'; the two figures contradict each other. Please check.").format(
                    id=inp.id, value=show(v), requires=inp.requires), file=r["source_file"], sheet=r["sheet"], cell=r["cell"], input=inp.id))


def submission_rows(result: MergeResult) -> list[dict[str, Any]]:
    """The submissions sheet: every file (with its verdict), every expected unit that sent nothing, every file not read.

    Built once per result (the workbook and the terminal's summary both show it; 10,000 files make it worth keeping).
    """
    cached = result.__dict__.get("_submission_rows")
    if cached is not None:
        return cached
    rows = result.__dict__["_submission_rows"] = _submission_rows(result)
    return rows


def _submission_rows(result: MergeResult) -> list[dict[str, Any]]:
    rows = []
    for s in result.submissions:
        person = ", ".join(x for x in (s.cover.get("name", ""), s.cover.get("position", "")) if x)
        rows.append({"unit_id": s.unit_id, "unit_name": s.unit_name, "file": s.name, "verdict": s.verdict, "reason": s.reason,
                     "received": _ts(s.mtime), "person": person, "cover_date": s.cover.get("date_text", ""),
                     "completeness": round(s.completeness, 4) if not s.rejected else None,
                     "errors": s.count(ERROR), "warnings": s.count(WARNING), "superseded_by": s.superseded_by, "sha256": s.sha256})
    for uid in result.not_received:
        rows.append({"unit_id": uid, "unit_name": result.unit_names.get(uid, uid), "file": "", "verdict": "not_received",
                     "reason": "", "received": "", "person": "", "cover_date": "", "completeness": 0.0,
                     "errors": 0, "warnings": 1, "superseded_by": "", "sha256": ""})
    for k in result.skipped:
        rows.append({"unit_id": "", "unit_name": "", "file": k.path.name, "verdict": "skipped", "reason": k.words(), "received": "",
                     "person": "", "cover_date": "", "completeness": None, "errors": 0, "warnings": 0, "superseded_by": "", "sha256": ""})
    return rows
