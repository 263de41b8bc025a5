"""Reading one returned file: recognise it by its stamp, then read and check every value it gives.

Returned files are untrusted: typed over, pasted into, saved by another program, sent twice,
renamed, half-filled. :func:`read_submission` never raises (safe to run in a worker process):
every problem is a finding on the :class:`Submission`. Decisions where the methodology is
silent (each is tested):

* A value is found by the visible input id in column A first; the defined name (``DTI_7_1_a``)
  is the fall-back. When both exist and point to different rows the rows were sorted (Excel
  sorts cell contents but leaves names in place), so column A wins and a warning says so.
* What a unit may supply comes from the catalogue and the profile: an input its stamp lists
  but it was not assigned is a finding, and its value is not used.
* A formula in a value cell: its cached value is used and a warning shows both; a formula
  with no cached value (saved by a program that does not calculate) is an error.
* Text longer than a cell can hold (32,767 characters) is cut, with a finding.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.findings import ERROR, WARNING
from ..core.i18n import _
from ..core.text import text_of
from ..formats import template as layout
from ..formats.stamp import read_stamp
from ..methodology.model import NO_DATA, NoData
from ..values import parse_date, parse_value
from .submission import Answer, Expect, Submission

#: The most characters an .xlsx cell holds.
MAX_TEXT = 32_767


def show(v: Any) -> str:
    """A value in a message, in the reader's style."""
    if isinstance(v, bool):
        return i18n.yes_no(v)
    if isinstance(v, NoData):
        return _("No data")
    if isinstance(v, (int, float)):
        return i18n.num(v, 6)
    return str(v)


def read_submission(path: str | os.PathLike, ex: Expect) -> Submission:
    """Read and check one returned workbook. Never raises: every problem is a finding on the submission."""
    p = Path(path)
    sub = Submission(path=str(p))
    try:
        return _read_submission(p, sub, ex)
    except Exception as e:  # one bad file never stops the others: record it and go on
        from ..intake import IntakeError

        if isinstance(e, IntakeError):
            # Raised while a sheet was being read: what was read before it is dropped, as if the open had refused the file.
            refused = Submission(path=sub.path, size=sub.size, mtime=sub.mtime)  # no sha256: never opened again (feedback)
            refused.reject(e.code or "file.unreadable", _("Cannot read the file {file}: {reason}").format(
                file=p.name, reason=e.message.removeprefix(f"{p.name}: ")), e)  # intake's message starts with the name too
            return refused
        sub.reject("file.read_failed", _("Error while reading the file {file}: {error}. The file is left out; open it in Excel, "
                                         "save it again as .xlsx and send it again.").format(file=p.name, error=f"{type(e).__name__}: {e}"), e)
        return sub


def _read_submission(p: Path, sub: Submission, ex: Expect) -> Submission:
    from ..intake import open_workbook

    st = p.stat()
    sub.size, sub.mtime = st.st_size, st.st_mtime
    # Lazily: only the sheets merge reads (stamp, cover, data) are parsed. raw.finish() then checks
    # the others (a hostile or malformed part refuses the file, whatever the verdict); a file already
    # rejected has them read in full, so its reason is the one an eager open would have given.
    raw = open_workbook(p, lazy=True)
    sub.sha256 = raw.sha256
    _read_opened(p, raw, sub, ex)
    raw.finish(full=sub.rejected)
    return sub


def _read_opened(p: Path, raw: Any, sub: Submission, ex: Expect) -> None:
    for note in getattr(raw, "notes", ()):  # read anyway, e.g. saved as .xls or .ods
        sub.add(note.code, note.message, severity=WARNING)
    stamp = read_stamp(raw)
    sub.stamp = dict(stamp or {})
    if not _check_stamp(sub, stamp, ex):
        return
    assert stamp is not None
    sub.cover = _read_cover(raw)
    data = _find_data_sheet(raw, stamp)
    if data is None:
        sub.reject("sheet.data_missing", _("File {file}: the sheet '{sheet}' that holds the figures is not there (deleted or renamed). "
                                           "Please fill in the original workbook again.").format(file=p.name, sheet=stamp.get("data_sheet")))
        return
    sub.data_sheet = data
    cat = ex.catalogue
    listed = [i for i in (x.strip() for x in stamp.get("input_ids", "").split(",")) if i and i in cat.inputs]
    mine = ex.assigned.get(sub.unit_id, frozenset())
    sub.asked = [i for i in listed if i in mine]
    extra = [i for i in listed if i not in mine]
    if extra:
        sub.add("sheet.unassigned_input", _("File {file}: its stamp lists {n} input(s) that {unit} is not assigned ({ids}); "
                                            "their values are not used. Figures come from the unit each is assigned to "
                                            "(see `dti catalog show CODE`).").format(
            file=p.name, n=len(extra), unit=sub.unit_name, ids=", ".join(extra[:10]) + (" …" if len(extra) > 10 else "")),
            inputs=extra)
    _read_answers(raw, sub, data, cat, ex.clean_ids)
    _check_file_pairs(sub, cat)
    empty = [i for i in sub.asked if sub.answers.get(i) and sub.answers[i].status == "missing"]
    if empty:
        sub.add("merge.values_missing", _("{n}/{total} figures are not filled in yet: {ids}. Please fill in a value or write '{no_data}'.").format(
            n=len(empty), total=len(sub.asked), ids=", ".join(empty[:15]) + (" …" if len(empty) > 15 else ""),
            no_data=layout.NO_DATA_TEXT.get(stamp.get("lang", "vi"), layout.NO_DATA_TEXT["vi"])), sheet=data, inputs=empty)
    sub.verdict = "accepted_with_warnings" if any(f.severity in (ERROR, WARNING) for f in sub.findings) else "accepted"


def _check_stamp(sub: Submission, stamp: dict[str, str] | None, ex: Expect) -> bool:
    cat = ex.catalogue
    if not stamp or stamp.get("format") != layout.FORMAT:
        sub.reject("stamp.not_dti", _("The file {file} is not a DTI data-collection workbook made by dti (it has no hidden '_dti' sheet). "
                                      "Use the workbook that was sent to the unit, or send it again with dti template.").format(file=sub.name))
        return False
    if stamp.get("format_version") != layout.FORMAT_VERSION:
        sub.reject("stamp.version", _("The file {file} is a workbook of format version {found}; this tool reads version {version}. "
                                      "Please send the unit a new workbook.").format(file=sub.name, found=stamp.get("format_version"),
                                                                                     version=layout.FORMAT_VERSION))
        return False
    got = (stamp.get("catalogue_id"), stamp.get("catalogue_version"), stamp.get("catalogue_sha256"))
    if got[:2] == (cat.id, cat.version) and got[2] != cat.sha256:
        # The same methodology and version, its file edited since the workbook was made (a translation, a note, a
        # target's wording): the workbook is still the one sent; every value is checked against the file in use.
        sub.add("stamp.catalogue_edited", _("The file {file} was made from an earlier edit of the methodology file ({id} version "
                                            "{version}); its values are checked against the file in use. If an input changed its type "
                                            "or its choices, send the unit a new workbook.").format(file=sub.name, id=got[0], version=got[1]))
    elif got != (cat.id, cat.version, cat.sha256):
        sub.reject("stamp.catalogue", _("The file {file} was made for the methodology {id} version {version}, not the one in use "
                                        "({id_now} version {version_now}). Please send a workbook made from the methodology in use.").format(
            file=sub.name, id=got[0], version=got[1], id_now=cat.id, version_now=cat.version))
        return False
    if stamp.get("province_id") != ex.profile_id:
        sub.reject("stamp.province", _("The file {file} is a workbook of the province {province!r}, not of the province being merged. "
                                       "Check the file received.").format(file=sub.name, province=stamp.get("province") or stamp.get("province_id")))
        return False
    if stamp.get("year") != str(ex.year):
        sub.reject("stamp.year", _("The file {file} is a workbook of {found}; the round being merged is {year}. The unit may have sent "
                                   "last year's workbook.").format(file=sub.name, found=stamp.get("year"), year=ex.year))
        return False
    uid = stamp.get("unit_id", "")
    if uid not in ex.unit_ids:
        sub.reject("stamp.unit", _("The file {file} names the unit {unit!r}, which is not in the province's list of agencies. "
                                   "Check the file.").format(file=sub.name, unit=uid))
        return False
    sub.unit_id = uid
    sub.unit_name = ex.unit_names.get(uid, stamp.get("unit_name", uid))
    return True


def _find_data_sheet(raw: Any, stamp: dict[str, str]) -> str | None:
    title = stamp.get("data_sheet", "")
    if title in raw.sheets:
        return title
    # Renamed: the sheet the input names point to, else the one whose column A header is the input id's.
    counts: dict[str, int] = {}
    for name, (sheet, _ref) in raw.defined_names.items():
        if name.startswith("DTI_") and not name.startswith("DTI_COVER_"):
            counts[sheet] = counts.get(sheet, 0) + 1
    if counts:
        best = max(counts, key=lambda s: counts[s])
        if best in raw.sheets:
            return best
    for t in raw.sheet_order:
        v = text_of(raw.sheets[t].cell(f"{layout.ID_COL}{layout.HEADER_ROW}")) if t in raw.sheets else ""
        if v in layout.ID_HEADERS:
            return t
    return None


def _read_cover(raw: Any) -> dict[str, Any]:
    cover: dict[str, Any] = {}
    for key in layout.COVER_FIELDS:
        loc = raw.defined_names.get(layout.cover_name(key))
        if not loc or loc[0] not in raw.sheets:
            continue
        v = raw.sheets[loc[0]].cell(loc[1].replace("$", ""))
        if key == "DATE":
            d = parse_date(v) if v not in (None, "") else None
            cover["date"] = d
            cover["date_text"] = text_of(v) if not isinstance(v, (date, datetime)) else v.strftime("%d/%m/%Y")
        else:
            cover[key.lower()] = text_of(v)[:MAX_TEXT]
    return cover


_COL = {c: ord(c) - ord("A") for c in "ABCDEFGHIJKLMNO"}


def _read_answers(raw: Any, sub: Submission, data: str, cat: Any, exact: frozenset[str] = frozenset()) -> None:
    sheet = raw.sheets[data]
    rows: dict[int, list[Any]] = {}
    by_id: dict[str, list[int]] = {}
    for n, values in sheet.rows():
        a = values[0] if values else ""
        if not (type(a) is str and a in exact):  # the usual id in column A is used as it is
            a = text_of(a)
        if a in cat.inputs:
            rows[n] = values
            by_id.setdefault(a, []).append(n)
        sub.cells += len(values)
    formulas = getattr(sheet, "formulas", {}) or {}
    vcol = layout.VALUE_COL

    def col(values: list[Any] | None, letter: str) -> Any:
        j = _COL[letter]
        return values[j] if values is not None and j < len(values) else None

    asked = set(sub.asked)
    for iid in [*sub.asked, *(i for i in by_id if i not in asked)]:
        inp = cat.inputs[iid]
        a_rows = by_id.get(iid, [])
        row = a_rows[0] if a_rows else None
        if len(a_rows) > 1:
            filled = [r for r in a_rows if col(rows[r], vcol) not in (None, "")]
            row = filled[0] if filled else a_rows[0]
            sub.add("sheet.row_duplicated", _("The input {id} is on {n} rows ({rows}); row {row} is used. Please delete the extra rows.").format(
                id=iid, n=len(a_rows), rows=", ".join(map(str, a_rows)), row=row), sheet=data, cell=f"{layout.ID_COL}{row}", input_id=iid)
        loc = raw.defined_names.get(layout.defined_name(iid))
        name_row = layout.value_row(loc[1]) if loc and loc[0] == data else None
        if row is not None and name_row is not None and name_row != row:
            sub.add("sheet.name_mismatch", _("The input {id} is now on row {row} (by column A) but the name {name} points to cell {vcol}{name_row}: "
                                             "the rows may have been sorted. The value in cell {vcol}{row} is used; please check.").format(
                id=iid, row=row, name=layout.defined_name(iid), vcol=vcol, name_row=name_row), sheet=data, cell=f"{vcol}{row}", input_id=iid)
        elif row is None and name_row is not None and text_of(sheet.cell(f"{layout.ID_COL}{name_row}")) == "" \
                and sheet.cell(f"{vcol}{name_row}") not in (None, ""):
            # Column A was cleared but the name still points to a filled value cell: use it, and say so.
            # (When a row is deleted the name points to the next row, which has another id: not used.)
            row = name_row
            rows.setdefault(row, [sheet.cell(f"{c}{row}") for c in "ABCDEFGHI"])
            sub.add("sheet.name_mismatch", _("The id {id} is not in column A; the value was taken by the name {name} (cell {vcol}{row}). "
                                             "Please do not edit the input id column.").format(id=iid, name=layout.defined_name(iid), vcol=vcol, row=row),
                    sheet=data, cell=f"{vcol}{row}", input_id=iid)
        if row is None:
            if iid in asked:
                sub.add("sheet.row_missing", _("The row of the input {id} ({label}) is not there; it may have been deleted. "
                                               "Please fill in the original workbook again.").format(id=iid, label=inp.label(i18n.language())),
                        sheet=data, input_id=iid)
                sub.answers[iid] = Answer(iid, "missing", sheet=data)
            continue
        values = rows[row]
        ref = f"{vcol}{row}"
        ans = _answer(sub, inp, col(values, vcol), formulas.get(ref), data, ref)
        ans.evidence = " | ".join(x for x in (_cut(sub, col(values, c), data, f"{c}{row}", iid) for c in layout.EVIDENCE_COLS) if x)
        ans.note = _cut(sub, col(values, layout.NOTE_COL), data, f"{layout.NOTE_COL}{row}", iid)
        if iid not in asked:
            ans.asked = False
            if iid not in sub.stamp.get("input_ids", "").split(","):
                sub.add("sheet.unexpected_input", _("Row {row} holds the input {id}, which is not in {unit}'s workbook; its value is not used. "
                                                    "If the unit has this figure, please send it to the lead agency.").format(
                    row=row, id=iid, unit=sub.unit_name), sheet=data, cell=ref, input_id=iid)
        elif ans.status == "ok":
            _check_evidence(sub, inp, ans, cat)
        sub.answers[iid] = ans


def _cut(sub: Submission, v: Any, sheet: str, ref: str, iid: str) -> str:
    """A text cell (evidence, note), cut with a finding when longer than a cell can hold."""
    t = text_of(v)
    if len(t) > MAX_TEXT:
        sub.add("value.text_cut", _("Cell {cell} ({id}) holds {n} characters; only the first {limit} are kept. "
                                    "Please shorten it or give a link to the document instead.").format(
            cell=ref, id=iid, n=i18n.integer(len(t)), limit=i18n.integer(MAX_TEXT)), sheet=sheet, cell=ref, input_id=iid)
        t = t[:MAX_TEXT]
    return t


def _answer(sub: Submission, inp: Any, raw: Any, formula: str | None, sheet: str, ref: str) -> Answer:
    ans = Answer(inp.id, "missing", raw=raw, sheet=sheet, cell=ref)
    if formula:
        f = "=" + formula.lstrip("=")
        if raw is None or raw == "":
            ans.status, ans.raw = "invalid", f
            sub.add("value.formula_no_value", _("Cell {cell} ({id}) holds the formula {formula} but no computed value (the file was saved by a "
                                                "program that does not calculate formulas). Please type the figure itself.").format(
                cell=ref, id=inp.id, formula=f), sheet=sheet, cell=ref, input_id=inp.id, formula=f)
            return ans
        sub.add("value.formula", _("Cell {cell} ({id}) holds the formula {formula}; the value it showed when saved, {value}, is used. "
                                   "Please type the figure itself, so that it cannot change or be faked.").format(
            cell=ref, id=inp.id, formula=f, value=show(raw) if not isinstance(raw, str) else repr(raw)),
            sheet=sheet, cell=ref, input_id=inp.id, formula=f, cached=raw if isinstance(raw, (int, float, str)) else str(raw))
    if isinstance(raw, str) and len(raw) > MAX_TEXT:
        raw = raw[:MAX_TEXT]
    lang = sub.stamp.get("lang", "vi")
    parsed = parse_value(raw, inp, lang=lang)
    if not parsed.ok:
        ans.status = "invalid"
        sub.add(parsed.code or "value.not_number", _("Cell {cell} ({id}): {reason}").format(cell=ref, id=inp.id, reason=parsed.message),
                sheet=sheet, cell=ref, input_id=inp.id, severity=ERROR)
        return ans
    if parsed.code and parsed.message:  # read, with a warning (e.g. an ambiguous "1.234")
        sub.add(parsed.code, _("Cell {cell} ({id}): {reason}").format(cell=ref, id=inp.id, reason=parsed.message),
                sheet=sheet, cell=ref, input_id=inp.id, severity=WARNING)
    v = parsed.value
    if v is None:
        return ans
    if isinstance(v, NoData):
        ans.status, ans.value = "no_data", NO_DATA
        return ans
    ans.status, ans.value = "ok", v  # range, sign and wholeness are checked by values.parse_value
    return ans


def _check_evidence(sub: Submission, inp: Any, ans: Answer, cat: Any) -> None:
    """A figure that earns points and needs a document: its number and date, or a link."""
    if not inp.evidence_required or ans.evidence or cat.indicators[inp.indicator].rule.earns_nothing(inp.id, ans.value):
        return
    row = "".join(ch for ch in ans.cell if ch.isdigit())
    doc, link = layout.EVIDENCE_COLS
    sub.add("merge.evidence_missing", _("The figure {id} ({value}) needs an evidence document: please write the document's number and date "
                                        "(column {doc}) or its link (column {link}).").format(id=inp.id, value=show(ans.value), doc=doc, link=link),
            sheet=ans.sheet, cell=f"{doc}{row}", input_id=inp.id)


def gt(a: Any, b: Any) -> bool:
    num = (int, float)
    return isinstance(a, num) and isinstance(b, num) and not isinstance(a, bool) and not isinstance(b, bool) and a > b + 1e-9


def _check_file_pairs(sub: Submission, cat: Any) -> None:
    """A part never larger than its whole, when both are in this file (only inputs truly part of another)."""
    for iid, ans in sub.answers.items():
        inp = cat.inputs[iid]
        whole = sub.answers.get(inp.part_of or "")
        if inp.part_of and ans.status == "ok" and whole is not None and whole.status == "ok" and gt(ans.value, whole.value):
            ans.status = "invalid"
            sub.add("merge.part_exceeds_whole", _("Cell {cell} ({id} = {value}) is larger than {whole_id} = {whole} (cell {whole_cell}); "
                                                  "a part cannot be larger than its whole. Please check both figures.").format(
                cell=ans.cell, id=iid, value=show(ans.value), whole_id=inp.part_of, whole=show(whole.value), whole_cell=whole.cell),
                    sheet=ans.sheet, cell=ans.cell, input_id=iid)
