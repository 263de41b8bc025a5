"""The commitment workbook: what `dti plan --commitment-templates` writes per lead agency and
`dti plan --commitments` reads back.

One visible sheet lists, for each figure the agency's indicators need to move (an input, or the
sum of several the rule reads together), the value now and the value each level needs with the
points it brings. The sheet is protected except the five columns the agency fills: the value it
commits to, by when, and the evidence it will rest on (document number, date, summary). A
hidden ``_dti`` sheet stamps the format, the methodology, the province, the round, the agency,
and each row's key with the value it had when the workbook was written.

A returned workbook is untrusted, as any returned file: it is opened by intake (format by its
bytes, bounded zip and XML, no DTD), recognised by its stamp (another format, methodology,
province or round is refused), and each row is read by its key, which must be one the stamp
lists; a value is read as a returned template's value is ("1.234,5", "85%", "Có"). What cannot
be used is a finding naming the file, the sheet and the cell. Only this module knows the layout.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.findings import Finding
from ..core.i18n import N_, _
from ..core.text import clean
from ..methodology.context import Context
from ..methodology.model import NO_DATA, NoData
from .stamp import read_stamp

FORMAT = "dti-commitments"
FORMAT_VERSION = "1"
SHEET = N_("Commitments")
HEADER_ROW = 3  # 1-based: a title line and the instructions above it
#: The columns: key, header message id, width, whether the agency fills it. The key column is hidden (machines read it).
COLUMNS: tuple[tuple[str, str, float, bool], ...] = (
    ("key", N_("Input id"), 12, False),
    ("indicator", N_("Code"), 7, False),
    ("indicator_name", N_("Indicator"), 28, False),
    ("what", N_("What the figure is"), 28, False),
    ("unit", N_("Unit of measure"), 8, False),
    ("now", N_("Value now"), 11, False),
    ("steps", N_("Value each level needs → points it brings"), 30, False),
    ("committed", N_("Committed value"), 13, True),
    ("by", N_("By (date)"), 11, True),
    ("doc_no", N_("Evidence: document no."), 13, True),
    ("doc_date", N_("Document date"), 11, True),
    ("summary", N_("Evidence: what the document says"), 24, True),
)
KEYS = [c[0] for c in COLUMNS]
FILLED = tuple(c[0] for c in COLUMNS if c[3])


def file_name(unit_id: str, year: int) -> str:
    """DTI2023_cam-ket_so-tttt.xlsx in 2023 (the year of the round)."""
    return f"DTI{year}_cam-ket_{unit_id}.xlsx"


def row_key(inputs: Sequence[str]) -> str:
    return "+".join(inputs)


@dataclass(frozen=True)
class CommitmentLine:
    """A row the plan asks an agency about: one figure of one of its indicators."""

    inputs: tuple[str, ...]
    indicator: str
    indicator_name: str
    what: str
    unit: str
    now: Any  # a number, True/False, a choice code, NO_DATA or None
    steps: str  # each level in words, one per line
    choices: tuple[tuple[str, Any], ...] = ()  # (label, value) of a yes/no or a choice; () for a figure


@dataclass
class Commitment:
    """What an agency committed to for one figure."""

    inputs: tuple[str, ...]
    indicator: str
    value: Any
    by: date | None
    doc_no: str
    doc_date: date | None
    summary: str
    then: Any  # the value when the workbook was written
    unit_id: str
    written: date | None
    file: str
    cell: str  # "Cam kết!H5"

    def to_dict(self) -> dict[str, Any]:
        def plain(v: Any) -> Any:
            return "no_data" if isinstance(v, NoData) else v.isoformat() if isinstance(v, date) else v

        return {"inputs": list(self.inputs), "indicator": self.indicator, "value": plain(self.value), "by": plain(self.by),
                "doc_no": self.doc_no, "doc_date": plain(self.doc_date), "summary": self.summary, "then": plain(self.then),
                "unit": self.unit_id, "written": plain(self.written), "file": self.file, "cell": self.cell}


@dataclass
class CommitmentFile:
    path: str
    unit_id: str = ""
    commitments: list[Commitment] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    written: date | None = None


# ---------------------------------------------------------------------------------------------
# Writing


def _now_cell(line: CommitmentLine) -> Any:
    v = line.now
    if v is None:
        return None
    if isinstance(v, NoData):
        return _("No data")
    if isinstance(v, bool) or line.choices:
        return next((label for label, value in line.choices if value == v), str(v))
    return float(v)


def _json(v: Any) -> Any:
    return "no_data" if isinstance(v, NoData) else v


def write_commitments(path: str | Path, ctx: Context, unit_id: str, lines: Sequence[CommitmentLine], *, banner: str | None = None,
                      generated_at: datetime | None = None) -> None:
    """One agency's commitment workbook (XlsxWriter directly: protection and validation); callers make ``path`` atomic."""
    import xlsxwriter

    from ..core.sheetwriter import LINE_HEIGHT, MAX_ROW_HEIGHT, footer_code_text, header_code_text, row_lines, storable

    prof, year = ctx.profile, ctx.year
    when = generated_at or datetime.now(UTC)
    agency = prof.name_of(unit_id)
    title = _("DTI {year}: commitments of {agency}").format(year=year, agency=agency)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    try:
        border = {"border": 1, "border_color": "#808080", "valign": "top"}
        f_head = wb.add_format({**border, "bold": True, "bg_color": "#DDEBF7", "text_wrap": True})
        f_title = wb.add_format({"bold": True, "font_size": 13, "text_wrap": True, "valign": "top"})
        f_note = wb.add_format({"italic": True, "text_wrap": True, "valign": "top"})
        f_text = wb.add_format({**border, "text_wrap": True})
        f_num = wb.add_format({**border, "num_format": "#,##0.###"})
        fill = {"locked": False, "bg_color": "#FFF2CC"}
        f_fill = wb.add_format({**border, **fill, "text_wrap": True})
        f_fill_num = wb.add_format({**border, **fill, "num_format": "#,##0.###"})
        f_fill_date = wb.add_format({**border, **fill, "num_format": "dd/mm/yyyy"})
        ws = wb.add_worksheet(_(SHEET))
        last = len(COLUMNS) - 1
        for j, (key, _t, width, _f) in enumerate(COLUMNS):
            ws.set_column(j, j, width, None, {"hidden": key == "key"})
        ws.merge_range(0, 0, 0, last, "", f_title)
        ws.write_string(0, 0, storable(title + (f"   {banner}" if banner else "")), f_title)
        ws.set_row(0, LINE_HEIGHT * 1.4)
        note = _("Fill in the yellow columns only: the value your agency commits to reach, by when, and the document it will rest on. "
                 "A yes/no or a choice is picked from the list; a number is typed as usual (1.234,5). Save and send the file back as it is.")
        ws.merge_range(1, 0, 1, last, "", f_note)
        ws.write_string(1, 0, note, f_note)
        ws.set_row(1, LINE_HEIGHT * row_lines(note, sum(c[2] for c in COLUMNS[1:])) + 2)
        h = HEADER_ROW - 1
        for j, (_k, t, _w, _f) in enumerate(COLUMNS):
            ws.write_string(h, j, _(t), f_head)
        ws.set_row(h, LINE_HEIGHT * 3 + 2)
        for r, line in enumerate(lines, HEADER_ROW):
            cells = {"key": row_key(line.inputs), "indicator": line.indicator, "indicator_name": line.indicator_name, "what": line.what,
                     "unit": line.unit, "now": _now_cell(line), "steps": line.steps}
            height = 1
            for j, (key, _t, width, _f) in enumerate(COLUMNS):
                v = cells.get(key)
                if key in FILLED:
                    fmt = f_fill_date if key in ("by", "doc_date") else f_fill_num if key == "committed" and not line.choices else f_fill
                    ws.write_blank(r, j, None, fmt)
                elif isinstance(v, float):
                    ws.write_number(r, j, v, f_num)
                elif v is None:
                    ws.write_blank(r, j, None, f_text)
                else:
                    text = storable(str(v))
                    ws.write_string(r, j, text, f_text)
                    height = max(height, row_lines(text, width))
            ws.set_row(r, min(MAX_ROW_HEIGHT, LINE_HEIGHT * height + 2))
            col = KEYS.index("committed")
            labels = [label for label, _v in line.choices]
            if labels and len(",".join(labels)) <= 250:
                ws.data_validation(r, col, r, col, {"validate": "list", "source": labels, "error_type": "warning",
                                                     "error_message": _("Please pick an entry from the list.")})
            elif not labels:
                ws.data_validation(r, col, r, col, {"validate": "decimal", "criteria": ">=", "value": 0, "error_type": "warning",
                                                     "error_message": _("Please type a number (e.g. 1.234,5).")})
        end = HEADER_ROW + max(len(lines), 1) - 1
        for key in ("by", "doc_date"):
            col = KEYS.index(key)
            ws.data_validation(HEADER_ROW, col, end, col, {"validate": "date", "criteria": "between", "minimum": date(2000, 1, 1),
                                                           "maximum": date(2100, 12, 31), "error_type": "warning",
                                                           "error_message": _("Please type a date: {example}.").format(example=f"15/10/{year}")})
        ws.freeze_panes(HEADER_ROW, 0)
        ws.protect("", {"format_rows": True, "format_columns": True, "select_locked_cells": True, "select_unlocked_cells": True})
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(h)
        ws.hide_gridlines(1)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        head = " · ".join(x for x in (prof.name_full, f"DTI {year}", agency) if x)
        ws.set_header("&L" + header_code_text(head)[:200] + (f"&C&B{header_code_text(banner)}" if banner else ""), {"margin": 0.25})
        ws.set_footer("&C" + footer_code_text(_("Page &P of &N")), {"margin": 0.25})
        stamp = {"format": FORMAT, "format_version": FORMAT_VERSION, "catalogue_id": ctx.catalogue.id,
                 "catalogue_version": ctx.catalogue.version, "catalogue_sha256": ctx.catalogue.sha256, "province_id": prof.id,
                 "province": prof.name, "unit_id": unit_id, "unit_name": agency, "year": str(year),
                 "generated_at": when.isoformat(timespec="seconds"), "lang": i18n.language(), "data_sheet": _(SHEET),
                 "rows": json.dumps([{"key": row_key(x.inputs), "indicator": x.indicator, "now": _json(x.now)} for x in lines],
                                    ensure_ascii=False)}
        st = wb.add_worksheet("_dti")
        for r, (k, v) in enumerate(stamp.items()):
            st.write_string(r, 0, k)
            st.write_string(r, 1, storable(str(v)))
        st.hide()
        ws.activate()
    finally:
        wb.close()


# ---------------------------------------------------------------------------------------------
# Reading


def _header_map(sheet: Any) -> tuple[int, dict[str, int]] | None:
    """The header row (1-based) and each column key's 1-based column, found by the headers in either language."""
    wanted = {key: {clean(v).lower() for v in i18n.variants(title)} for key, title, _w, _f in COLUMNS}
    for n, values in sheet.rows():
        found: dict[str, int] = {}
        for j, v in enumerate(values, 1):
            if isinstance(v, str):
                text = clean(v).lower()
                for key, names in wanted.items():
                    if text in names and key not in found:
                        found[key] = j
        if "key" in found and "committed" in found:
            return n, found
        if n > 10:
            break
    return None


def read_commitments(ctx: Context, path: str | Path) -> CommitmentFile:
    """A returned commitment workbook: what it commits to, and a finding for whatever cannot be used. Never raises for the file's content."""
    from ..intake import IntakeError, open_workbook
    from ..intake.cells import col_letters
    from ..values import parse_date, parse_text, parse_value

    p = Path(path)
    out = CommitmentFile(str(p))

    def refuse(message: str) -> CommitmentFile:
        out.findings.append(Finding("plan.commitment_file", message, file=p.name))
        return out

    try:
        raw = open_workbook(p)
    except IntakeError as e:
        return refuse(_("{file}: cannot be read ({reason}); it is left out.").format(file=p.name, reason=e.message.removeprefix(f"{p.name}: ")))
    stamp = read_stamp(raw) or {}
    if stamp.get("format") != FORMAT:
        return refuse(_("{file}: not a commitment workbook written by `dti plan --commitment-templates` (no hidden '_dti' sheet "
                        "saying {format}); it is left out.").format(file=p.name, format=FORMAT))
    cat, prof = ctx.catalogue, ctx.profile
    checks = [(stamp.get("format_version") == FORMAT_VERSION, _("another version of the format")),
              (stamp.get("catalogue_sha256") == cat.sha256, _("another methodology ({found})").format(found=stamp.get("catalogue_version"))),
              (stamp.get("province_id") == prof.id, _("another province ({found})").format(found=stamp.get("province"))),
              (stamp.get("year") == str(ctx.year), _("another round ({found})").format(found=stamp.get("year")))]
    for ok, why in checks:
        if not ok:
            return refuse(_("{file}: a commitment workbook of {why}; it is left out. Write this round's with "
                            "`dti plan --commitment-templates`.").format(file=p.name, why=why))
    unit = stamp.get("unit_id", "")
    if unit not in {u.id for u in prof.units}:
        return refuse(_("{file}: its agency {unit!r} is not in the profile; it is left out.").format(file=p.name, unit=unit))
    out.unit_id = unit
    try:
        out.written = datetime.fromisoformat(stamp.get("generated_at", "")).date()
    except ValueError:
        out.written = None
    try:
        listed = {str(r["key"]): r for r in json.loads(stamp.get("rows") or "[]")}
    except (ValueError, TypeError, KeyError):
        return refuse(_("{file}: its hidden '_dti' sheet was edited (the rows it lists cannot be read); it is left out.").format(file=p.name))
    title = stamp.get("data_sheet", "")
    sheet = raw.sheets.get(title) if title in raw.sheets else None
    found = _header_map(sheet) if sheet is not None else None
    if found is None:
        return refuse(_("{file}: the sheet '{sheet}' with its header row is not there (deleted or renamed); it is left out.").format(
            file=p.name, sheet=title))
    header, cols = found

    def cell(n: int, key: str) -> tuple[Any, str]:
        j = cols.get(key)
        if j is None:
            return None, ""
        ref = f"{col_letters(j)}{n}"
        return sheet.value(n, j), ref

    def bad(ref: str, message: str, **data: Any) -> None:
        out.findings.append(Finding("plan.commitment_bad_row", message, file=p.name, sheet=title, cell=ref, unit=unit, data=data))

    for n, _values in sheet.rows():
        if n <= header:
            continue
        key_raw, key_ref = cell(n, "key")
        key = clean(str(key_raw or ""))
        if not key:
            continue
        value_raw, ref = cell(n, "committed")
        where = f"{p.name}, {title}!{ref}"
        if key not in listed:
            bad(key_ref, _("{file}, {sheet} row {row}: {key!r} is not a row this workbook was written with; the row is not used.").format(
                file=p.name, sheet=title, row=n, key=key), key=key)
            continue
        inputs = tuple(key.split("+"))
        inp = cat.inputs.get(inputs[0])
        if inp is None:
            bad(key_ref, _("{where}: unknown input {key!r}; the row is not used.").format(where=where, key=key), key=key)
            continue
        if value_raw is None and ref and ref in sheet.formulas:
            bad(ref, _("{where}: a formula without a computed value; please type the value itself.").format(where=where), key=key)
            continue
        parsed = parse_value(value_raw, inp)
        if not parsed.ok:
            bad(ref, f"{where}: {parsed.message}", key=key)
            continue
        if parsed.value is None or isinstance(parsed.value, NoData):
            continue  # nothing committed on this row
        by_raw, by_ref = cell(n, "by")
        by = parse_date(by_raw, raw.date1904)
        if by_raw not in (None, "") and by is None:
            bad(by_ref, _("{where}: {value!r} is not a date; type it as {example}. The commitment is read without a date.").format(
                where=f"{p.name}, {title}!{by_ref}", value=by_raw, example=f"15/10/{ctx.year}"), key=key)
        doc_date_raw, _dref = cell(n, "doc_date")
        then = listed[key].get("now")
        out.commitments.append(Commitment(
            inputs=inputs, indicator=str(listed[key].get("indicator") or inp.indicator), value=parsed.value, by=by,
            doc_no=parse_text(cell(n, "doc_no")[0]) or "", doc_date=parse_date(doc_date_raw, raw.date1904),
            summary=(parse_text(cell(n, "summary")[0]) or "")[:2000], then=NO_DATA if then == "no_data" else then, unit_id=unit,
            written=out.written, file=p.name, cell=f"{title}!{ref}"))
    return out
