""".xls and .ods through python-calamine, in a child process with a time and a memory limit.

A crash or an abort in calamine's native code, or a file built to exhaust it, ends the child, not
dti. The child is ``python -c "from dti_cli.intake.legacy import _calamine_main; _calamine_main()"``
and answers in JSON; values only (no defined names, no formulas).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.i18n import _
from .cells import ErrorValue
from .model import PASSWORD, SAVE_AS, IntakeNote, Limits, RawWorkbook, Sheet, _fail


def _open_with_calamine(p: Path, fmt: str, meta: dict[str, Any], limits: Limits) -> RawWorkbook:
    code = "file.legacy_xls" if fmt == "xls" else "file.ods"
    what = "Excel 97-2003 (.xls)" if fmt == "xls" else "OpenDocument (.ods)"
    result = _run_child(p, limits, code, what)
    if not result.get("sheets"):
        raise _fail(code, p, _("a file in the {format} format, but none of its sheets can be read (the file is damaged).").format(format=what),
                    _(SAVE_AS))
    wb = RawWorkbook(format=fmt, sheets={}, sheet_order=[], **meta)
    for sh in result["sheets"]:
        sheet = Sheet(sh["title"])
        for rn, values in sh["rows"]:
            sheet._rows[rn] = [_from_json(v) for v in values]
        wb.sheets[sheet.title] = sheet
        wb.sheet_order.append(sheet.title)
        if sh.get("hidden"):
            wb.hidden.add(sheet.title)
    wb.notes.append(IntakeNote(code, _("{file}: the file is saved as {format}; its values were read by the input ids in column A (this format "
                                       "does not keep the template's named cells and formulas). Next time, please ask the unit to send the .xlsx "
                                       "template file itself.").format(file=p.name, format=what)))
    return wb


def _run_child(p: Path, limits: Limits, code: str, what: str) -> dict[str, Any]:
    import json
    import subprocess
    import sys

    def preexec() -> None:  # pragma: no cover - runs in the child
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limits.child_memory_bytes, limits.child_memory_bytes))
        except (ImportError, ValueError, OSError):
            pass

    cmd = [sys.executable, "-c", "from dti_cli.intake.legacy import _calamine_main; _calamine_main()", str(p), str(limits.max_cells), str(limits.max_sheets)]
    failed = _fail(code, p, _("a file in the {format} format that cannot be read.").format(format=what), _(SAVE_AS))
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=limits.child_timeout, preexec_fn=preexec if os.name == "posix" else None,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise failed from None
    except OSError:
        raise failed from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace")
        last = err.strip().splitlines()[-1] if err.strip() else ""
        if "PASSWORD" in last.upper() or "ENCRYPT" in last.upper():  # calamine's own error line, not any path in a traceback
            raise _fail("file.encrypted", p, _(PASSWORD))
        if "TOO_MANY_SHEETS" in err:
            raise _fail("file.too_many_sheets", p, _("the file has too many sheets (more than {n}). Delete the extra sheets, save it again "
                                                     "as .xlsx and send it.").format(n=i18n.integer(limits.max_sheets)))
        if "TOO_MANY_CELLS" in err:
            raise _fail("file.too_many_cells", p, _("a sheet of the file has too many cells (more than {n}). Delete the data that is not part of "
                                                    "the template, save it again as .xlsx and send it.").format(n=i18n.integer(limits.max_cells)))
        raise failed
    try:
        return json.loads(proc.stdout)
    except ValueError:
        raise failed from None


def _to_json(v: Any) -> Any:
    import datetime as dt

    if isinstance(v, dt.datetime | dt.date):
        return {"d": v.isoformat()}
    if isinstance(v, dt.time):
        return {"t": v.isoformat()}
    if isinstance(v, dt.timedelta):
        return v.total_seconds() / 86400
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return {"e": "#NUM!"}
    if v == "":
        return None
    return v


def _from_json(v: Any) -> Any:
    import datetime as dt

    if isinstance(v, dict):
        if "d" in v:
            d = dt.datetime.fromisoformat(v["d"]) if "T" in v["d"] else dt.datetime.combine(dt.date.fromisoformat(v["d"]), dt.time())
            return d
        if "t" in v:
            return dt.time.fromisoformat(v["t"])
        if "e" in v:
            return ErrorValue(v["e"])
        return None
    if isinstance(v, str) and v.startswith("#") and v in _ERRORS:
        return ErrorValue(v)
    return v


_ERRORS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


def _calamine_main() -> None:  # pragma: no cover - runs in the child process
    """Child process: read argv[1] with calamine, print JSON {sheets: [{title, hidden, rows: [[n, values]]}]}."""
    import json
    import sys

    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    path, max_cells, max_sheets = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    wb = CalamineWorkbook.from_path(path)
    out = []
    metas = wb.sheets_metadata
    if len(metas) > max_sheets:
        sys.stderr.write("TOO_MANY_SHEETS\n")
        sys.exit(3)
    for meta in metas:
        if meta.typ == SheetTypeEnum.ChartSheet:
            out.append({"title": meta.name, "hidden": meta.visible != SheetVisibleEnum.Visible, "rows": []})
            continue
        sheet = wb.get_sheet_by_name(meta.name)
        if sheet.total_height * max(sheet.total_width, 1) > max_cells * 4 and sheet.height * sheet.width > max_cells:
            sys.stderr.write("TOO_MANY_CELLS\n")
            sys.exit(3)
        rows = []
        cells = 0
        for i, r in enumerate(sheet.iter_rows()):
            vals = [_to_json(v) for v in r]
            while vals and vals[-1] is None:
                vals.pop()
            if not vals:
                continue
            cells += len(vals)
            if cells > max_cells:
                sys.stderr.write("TOO_MANY_CELLS\n")
                sys.exit(3)
            rows.append([i + 1, vals])  # iter_rows starts at A1 whatever the first used cell
        out.append({"title": meta.name, "hidden": meta.visible != SheetVisibleEnum.Visible, "rows": rows})
    json.dump({"sheets": out}, sys.stdout, ensure_ascii=False)
