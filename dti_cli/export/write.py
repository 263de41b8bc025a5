"""Writing the long table (:mod:`.tidy`) and reading it back.

- ``.csv``: UTF-8 with a byte-order mark (Excel then reads Vietnamese correctly), a header of
  the column names, numbers in Python's notation (a decimal point, no grouping: Power Query and
  pandas read them whatever the computer's locale), empty for none; text that a spreadsheet
  would take for a formula starts with an apostrophe.
- ``.xlsx``: through the sheet writer (print-ready): the table on the sheet ``data`` (header in
  row 1, so that Power Query promotes it), a sheet that says what each column holds, and the
  hidden stamp. Numbers stay numbers.
- ``.parquet``: through pandas and pyarrow (``pip install 'dti[parquet]'``), the frame's types kept.
- ``.json``: :meth:`.tidy.Tidy.to_dict`.

Column names are the same ASCII keys in every language, so a query written once keeps working.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

from ..core.errors import InputFileError, UsageError
from ..core.i18n import _
from .tidy import COLUMNS, FORMAT, FORMAT_VERSION, NAMES, Tidy

FORMATS = (".csv", ".xlsx", ".parquet", ".json")
#: The sheet the table is on, in every language (a query finds it by this name).
DATA_SHEET = "data"


def check_format(path: Path) -> str:
    """The output's format from its extension; UsageError for another, and for Parquet without pyarrow."""
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise UsageError(_("{path}: an export ends in .csv, .xlsx, .parquet or .json.").format(path=path))
    if ext == ".parquet":
        import importlib.util

        if importlib.util.find_spec("pyarrow") is None:
            raise UsageError(_("{path}: writing Parquet needs pyarrow; install it with: pip install 'dti[parquet]' (or write .csv or .xlsx).").format(
                path=path))
    return ext


def write_table(t: Tidy, path: Path, ext: str) -> None:
    """Write ``t`` to ``path`` (a temporary file the caller renames) in the format ``ext``."""
    if ext == ".csv":
        _csv(t, path)
    elif ext == ".xlsx":
        _xlsx(t, path)
    elif ext == ".parquet":
        t.to_frame().to_parquet(path, index=False)
    elif ext == ".json":
        path.write_text(json.dumps(t.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    else:  # check_format said so first
        raise UsageError(_("{path}: an export ends in .csv, .xlsx, .parquet or .json.").format(path=path))


def _plain(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float):
        return repr(v)
    return v


def _csv(t: Tidy, path: Path) -> None:
    from ..core.safety import write_csv

    write_csv(path, NAMES, ([_plain(v) for v in r] for r in t.records()))


def _xlsx(t: Tidy, path: Path) -> None:
    from ..core.sheetwriter import Column, PageText, Sheet, write_workbook

    def cell(v: Any) -> Any:
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else v

    cols = [Column(key=c.name, title=c.name, kind=c.kind, wrap=c.name == "name", width=40 if c.name == "name" else None) for c in COLUMNS]
    about = [Column("column", _("Column"), "id"), Column("type", _("Type"), "id"), Column("about", _("What it holds"), wrap=True, width=90)]
    years = sorted({r["year"] for r in t.rounds if r.get("year") is not None})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    sheets = [Sheet(DATA_SHEET, cols, ([cell(v) for v in r] for r in t.records())),
              Sheet(_("Columns"), about, [[c.name, c.dtype, _(c.about)] for c in COLUMNS], title=_("The columns of the table"))]
    page = PageText(header=" · ".join(x for x in (f"DTI {span}".strip(), _("Export")) if x), footer=_("Page &P of &N"))
    write_workbook(path, sheets, page=page, stamp={"format": FORMAT, "format_version": FORMAT_VERSION, "data_sheet": DATA_SHEET})


# ---------------------------------------------------------------------------------------------
# Reading back


def read_export(path: str | Path) -> Any:
    """An export (.csv, .xlsx, .parquet or .json) back as a pandas DataFrame typed as :meth:`Tidy.to_frame` types it.

    The workbook is read with intake's reader; a CSV's apostrophe before formula-like text is
    taken off again.
    """
    from ..core.frames import frame
    from ..core.safety import FORMULA_START

    p = Path(path)
    if not p.is_file():
        raise InputFileError(_("{path}: file not found.").format(path=p))
    ext = p.suffix.lower()
    if ext == ".parquet":
        import pandas as pd

        df = pd.read_parquet(p)
        return frame(COLUMNS, ([_none(v) for v in row] for row in df[list(NAMES)].itertuples(index=False, name=None)))
    if ext == ".json":
        doc = json.loads(p.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise InputFileError(_("{path}: not an export written by `dti export`.").format(path=p))
        return frame(COLUMNS, ([r.get(n) for n in NAMES] for r in doc.get("rows") or []))
    if ext == ".csv":
        with p.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        head = rows[0] if rows else []
        where = {n: head.index(n) for n in NAMES if n in head}

        def text(v: str) -> Any:
            if v == "":
                return None
            return v[1:] if v.startswith("'") and v[1:].startswith(FORMULA_START) else v

        return frame(COLUMNS, ([text(r[where[n]]) if n in where and where[n] < len(r) else None for n in NAMES] for r in rows[1:]))
    if ext == ".xlsx":
        from ..intake import open_workbook

        raw = open_workbook(p)
        if DATA_SHEET not in raw.sheets:
            raise InputFileError(_("{path}: no sheet {sheet!r}; not an export written by `dti export`.").format(path=p, sheet=DATA_SHEET))
        it = raw.sheets[DATA_SHEET].rows()
        head = [str(v) for v in next(it, (0, []))[1]]
        where = {n: head.index(n) for n in NAMES if n in head}
        return frame(COLUMNS, ([_none(vals[where[n]]) if n in where and where[n] < len(vals) else None for n in NAMES] for _r, vals in it))
    raise UsageError(_("{path}: an export ends in .csv, .xlsx, .parquet or .json.").format(path=p))


def _none(v: Any) -> Any:
    """pandas' and the readers' "nothing" (NaN, <NA>, empty text) as None."""
    import pandas as pd

    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and v == ""):
        return None
    return v
