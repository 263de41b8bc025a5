"""The merged workbook: what `dti merge` writes and `dti score` reads (layout in docs/FORMATS.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import InputFileError
from .values import NO_DATA, NoData

FORMAT = "dti-merged"
FORMAT_VERSION = "1"
STATUSES = ("ok", "missing", "no_data", "conflict", "invalid")

SHEETS: dict[str, list[str]] = {
    "Data": ["input_id", "indicator", "label", "value", "unit", "status", "source_agency", "source_file", "sheet", "cell", "evidence", "note", "sha256"],
    "Units": ["input_id", "unit_id", "unit_name", "value", "status", "source_file", "cell"],
    "Submissions": ["unit_id", "unit_name", "file", "verdict", "reason", "received", "person", "cover_date", "completeness", "errors", "warnings", "superseded_by", "sha256"],
    "Findings": ["code", "severity", "file", "sheet", "cell", "input_id", "message"],
    "Adjustments": ["input_id", "new_value", "reason", "by", "date"],
    "References": ["indicator", "key", "value", "source"],
}
YES, NO = "Có", "Không"


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
    findings: list[dict[str, Any]] = field(default_factory=list)
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    references: dict[tuple[str, str], float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # unreadable adjustments / references, with their cell


def encode_value(value: Any) -> Any:
    """A value as the Data sheet stores it: yes/no as Có/Không, no data as empty (status says so)."""
    if value is NO_DATA or value is None:
        return None
    if isinstance(value, bool):
        return YES if value else NO
    return value


def decode_value(raw: Any, status: str, input_type: str | None) -> Any:
    if status == "no_data":
        return NO_DATA
    if raw is None or raw == "":
        return None
    if input_type == "yes_no" or raw in (YES, NO):
        if isinstance(raw, str):
            return raw.strip().lower() in ("có", "co", "yes", "true", "1", "x")
        return bool(raw)
    if input_type in ("choice",):
        return str(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    from .values import parse_number_text  # tolerant reading of an edited cell

    n = parse_number_text(str(raw))
    return n if n is not None else str(raw)


def write_merged(path: str | Path, sheets: dict[str, list[dict[str, Any]]], stamp: dict[str, str]) -> None:
    """Write the merged workbook to ``path`` (callers wrap this in safety.atomic_output).

    ``sheets`` maps each sheet of :data:`SHEETS` to its rows (dicts keyed by the column names).
    Text is always stored as text, never as a formula. Every sheet has a bold, coloured header
    row, frozen below it, an auto-filter and column widths from the first 500 rows; ``_dti`` is
    hidden. The plain values merge produces are written by :mod:`dti_cli.xlsx` (fast, the same
    parts openpyxl writes); any other value (e.g. a date a caller passes) goes through openpyxl.
    """
    from .xlsx import Table, Unsupported, write_tables

    full = _full_stamp(stamp)
    tables = []
    for name, cols in SHEETS.items():
        rows = sheets.get(name, [])
        tables.append(Table(name, cols, [[r.get(c) for c in cols] for r in rows], _widths(cols, rows)))
    items = [[k, str(v)] for k, v in full.items()]
    tables.append(Table("_dti", items[0], items[1:], styled_header=False, hidden=True))
    try:
        write_tables(path, tables)
    except Unsupported:
        _write_merged_openpyxl(path, sheets, full)


def _full_stamp(stamp: dict[str, str]) -> dict[str, Any]:
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "generated_at": datetime.now(UTC).isoformat(timespec="seconds"), **stamp}


def _widths(cols: list[str], rows: list[dict[str, Any]]) -> list[int]:
    """Each column as wide as its header or its longest value in the first 500 rows, from 8 to 60."""
    return [max(8, min(60, max([len(c)] + [len(str(r.get(c) or "")) for r in rows[:500]]) + 2)) for c in cols]


def _write_merged_openpyxl(path: str | Path, sheets: dict[str, list[dict[str, Any]]], full: dict[str, Any]) -> None:
    """The same workbook through openpyxl (any value type openpyxl can store)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .safety import set_cell

    wb = Workbook()
    wb.remove(wb.active)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for name, cols in SHEETS.items():
        ws = wb.create_sheet(name)
        for j, c in enumerate(cols, 1):
            cell = ws.cell(1, j)
            set_cell(cell, c)
            cell.font = Font(bold=True)
            cell.fill = head_fill
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for i, row in enumerate(sheets.get(name, []), 2):
            for j, c in enumerate(cols, 1):
                set_cell(ws.cell(i, j), row.get(c))
        ws.freeze_panes = "A2"
        if ws.max_row > 1:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{ws.max_row}"
        for j, w in enumerate(_widths(cols, sheets.get(name, [])), 1):
            ws.column_dimensions[get_column_letter(j)].width = w
    st = wb.create_sheet("_dti")
    for i, (k, v) in enumerate(full.items(), 1):
        set_cell(st.cell(i, 1), k)
        set_cell(st.cell(i, 2), str(v))
    st.sheet_state = "hidden"
    wb.save(path)


def _rows(ws) -> list[tuple[int, dict[str, Any]]]:
    it = ws.iter_rows(values_only=True)
    try:
        header = [str(h).strip() if h is not None else "" for h in next(it)]
    except StopIteration:
        return []
    out = []
    for n, r in enumerate(it, 2):
        if r is None or all(v is None or v == "" for v in r):
            continue
        out.append((n, {h: (r[j] if j < len(r) else None) for j, h in enumerate(header) if h}))
    return out


def read_merged(path: str | Path, catalogue: Any = None) -> Merged:
    """Read a merged workbook. Bad rows of Adjustments/References become ``problems``, not exceptions."""
    from openpyxl import load_workbook

    p = Path(path)
    if not p.exists():
        raise InputFileError(f"{p}: không tìm thấy tệp.")
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds on damaged files
        raise InputFileError(f"{p}: không mở được như một tệp .xlsx ({type(e).__name__}). Có phải tệp do `dti merge` tạo?") from None
    try:
        stamp = {}
        if "_dti" in wb.sheetnames:
            for r in wb["_dti"].iter_rows(values_only=True):
                if r and r[0] is not None:
                    stamp[str(r[0])] = "" if len(r) < 2 or r[1] is None else str(r[1])
        if stamp.get("format") != FORMAT or "Data" not in wb.sheetnames:
            raise InputFileError(f"{p}: không phải bảng tổng hợp do `dti merge` tạo (thiếu dấu '_dti' dạng {FORMAT}).")
        sheets = {name: _rows(wb[name]) for name in SHEETS if name in wb.sheetnames}
        return from_rows(str(p), stamp, sheets, catalogue)
    finally:
        wb.close()


def from_rows(path: str, stamp: dict[str, str], sheets: dict[str, list[tuple[int, dict[str, Any]]]], catalogue: Any = None) -> Merged:
    """A :class:`Merged` from the sheets' rows ((row number, {column: value}) per sheet).

    Used for a merged workbook on disk and for a merge result held in memory (scoring one
    agency's own template goes through the same checks as a full merge).
    """
    types = {i.id: i.type for i in catalogue.inputs.values()} if catalogue is not None else {}
    m = Merged(path=path, stamp=stamp, values={}, statuses={}, provenance={})
    for n, r in sheets.get("Data", []):
        iid = str(r.get("input_id") or "").strip()
        if not iid:
            continue
        status = str(r.get("status") or "missing").strip()
        if status not in STATUSES:
            m.problems.append(f"Data!F{n}: trạng thái {status!r} không hợp lệ; coi như 'invalid'.")
            status = "invalid"
        m.statuses[iid] = status
        m.provenance[iid] = {k: r.get(k) for k in ("source_agency", "source_file", "sheet", "cell", "evidence", "note", "sha256")}
        if status in ("ok", "no_data"):
            v = decode_value(r.get("value"), status, types.get(iid))
            if v is None:
                m.statuses[iid] = "missing"
            else:
                m.values[iid] = v
    for name, attr in (("Units", "units"), ("Submissions", "submissions"), ("Findings", "findings")):
        setattr(m, attr, [r for _, r in sheets.get(name, [])])
    for n, r in sheets.get("Adjustments", []):
        m.adjustments.append({**r, "row": n})
    for n, r in sheets.get("References", []):
        v = r.get("value")
        if v is None or v == "":
            continue
        num = v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
        if num is None:
            from .values import parse_number_text

            num = parse_number_text(str(v))
        if num is None:
            m.problems.append(f"References!C{n}: {v!r} không phải là số; bỏ qua giá trị tham chiếu {r.get('indicator')} {r.get('key')}.")
            continue
        m.references[(str(r.get("indicator")).strip(), str(r.get("key")).strip())] = float(num)
    return m


def is_no_data(v: Any) -> bool:
    return isinstance(v, NoData)
