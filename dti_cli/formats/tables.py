"""Small tables users supply as CSV or .xlsx (references, national totals, effort, commitments).

One reader for all of them: a CSV (UTF-8, with or without BOM; comma, semicolon or tab) or the
first matching sheet of a workbook read through intake (safe against anything a person saves).
Headers are matched case- and accent-insensitively; every row keeps its place ("refs.csv, row
4" or "refs.xlsx, References!C4") for messages.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import InputFileError, UsageError
from ..core.i18n import _
from ..core.text import fold


@dataclass
class Row:
    n: int  # row number in the file (the header is row 1)
    values: dict[str, Any]  # column key → raw value
    where: str  # "refs.csv, row 4"

    def cell(self, key: str, columns: Sequence[str]) -> str:
        """The place of one cell of this row, for a message."""
        return self.where


#: How many rows from the top may hold the header (title lines above it are skipped).
HEADER_SEARCH = 10


def read_table(path: str | Path, columns: dict[str, Sequence[str]], *, required: Sequence[str], sheet_names: Sequence[str] = (),
               what: str = "") -> list[Row]:
    """The rows of a user's table. ``columns``: key → header names it may have (any language, any case).

    Raises InputFileError (file missing, unreadable, required column absent) or UsageError
    (an extension dti does not read).
    """
    p = Path(path)
    if not p.is_file():
        raise InputFileError(_("{path}: file not found ({what}).").format(path=p, what=what))
    ext = p.suffix.lower()
    if ext in (".csv", ".txt"):
        raw_rows, where_of = _csv_rows(p)
    elif ext in (".xlsx", ".xlsm"):
        raw_rows, where_of = _xlsx_rows(p, sheet_names)
    else:
        raise UsageError(_("{path}: {what} is read from a .csv or .xlsx file.").format(path=p, what=what))
    if not raw_rows:
        raise InputFileError(_("{path}: the table is empty; its first row must name the columns {columns}.").format(
            path=p, columns=", ".join(required)))
    wanted = {key: {fold(key), *(fold(n) for n in names)} for key, names in columns.items()}

    def columns_of(row: list[Any]) -> dict[str, int]:
        header = [fold(str(h or "")) for h in row]
        index: dict[str, int] = {}
        for key in columns:
            for j, h in enumerate(header):
                if h in wanted[key] and key not in index:
                    index[key] = j
        return index

    # The header is the first row naming every required column, among the first rows: a title line, a
    # banner or a blank row above it (as officials lay out a sheet, and as dti's own workbooks have) is skipped.
    at = next((k for k, (_n, row) in enumerate(raw_rows[:HEADER_SEARCH]) if all(c in columns_of(row) for c in required)), None)
    if at is None:
        missing = [c for c in required if c not in columns_of(raw_rows[0][1])]
        raise InputFileError(_("{path}: columns {missing} are missing; the first row must name: {columns}.").format(
            path=p, missing=", ".join(missing), columns=", ".join(columns)))
    index = columns_of(raw_rows[at][1])
    out = []
    for n, values in raw_rows[at + 1:]:
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        out.append(Row(n, {k: (values[j] if j < len(values) else None) for k, j in index.items()}, where_of(n)))
    return out


def _csv_rows(p: Path) -> tuple[list[tuple[int, list[Any]]], Any]:
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(_("{path}: not a UTF-8 CSV file; save it again as \"CSV UTF-8\".").format(path=p)) from None
    except OSError as e:
        raise InputFileError(_("{path}: cannot be read ({why}).").format(path=p, why=e.strerror or e)) from None
    first = "\n".join(text.splitlines()[:HEADER_SEARCH])
    try:
        dialect: Any = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [(n, list(r)) for n, r in enumerate(csv.reader(text.splitlines(), dialect), 1)]
    return rows, lambda n: _("{file}, row {n}").format(file=p.name, n=n)


def _xlsx_rows(p: Path, sheet_names: Sequence[str]) -> tuple[list[tuple[int, list[Any]]], Any]:
    from ..intake import IntakeError, open_workbook

    try:
        raw = open_workbook(p)
    except IntakeError as e:
        raise InputFileError(f"{p}: {e}") from None
    wanted = {fold(n) for n in sheet_names}
    visible = [t for t in raw.sheet_order if t not in raw.hidden]
    title = next((t for t in visible if fold(t) in wanted), visible[0] if visible else None)
    if title is None:
        return [], None
    rows = [(n, list(v)) for n, v in raw.sheets[title].rows()]  # the header is the first row that holds anything
    return rows, lambda n: _("{file}, sheet {sheet}, row {n}").format(file=p.name, sheet=title, n=n)
