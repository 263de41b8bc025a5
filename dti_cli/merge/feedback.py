"""Feedback copies for the agencies: their own file with the problem cells coloured and commented,
and a first sheet that lists every problem, ready to print on A4.

The original is never touched: it is read, and the copy is written under the unit's id. A file
that openpyxl cannot edit (.xls, .ods, damaged) or that is too large to annotate quickly (more
than ANNOTATE_UP_TO cells or bytes) gets a feedback workbook with the list alone, so that a
huge returned file costs no more than merging it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.errors import OutputError
from ..core.findings import ERROR, INFO, WARNING, Finding
from ..core.i18n import N_, _
from ..core.safety import atomic_output
from ..formats import template as layout
from .consolidate import MergeResult
from .submission import Submission

SHEET = N_("Feedback")
#: Files larger than this (cells read, or bytes) get the list of problems without an annotated copy.
ANNOTATE_UP_TO = 200_000
ANNOTATE_BYTES_UP_TO = 2 * 1024 * 1024
LEVEL = {ERROR: N_("Error"), WARNING: N_("To check"), INFO: N_("Information")}


def feedback_name(s: Submission) -> str:
    """From the unit id (else the file's checksum), never from the returned file's name (which may be anything)."""
    # A file name: its translation stays ASCII, without spaces (it goes into e-mails and zip files).
    if s.unit_id:
        return _("{unit}_feedback.xlsx").format(unit=s.unit_id)
    return _("unknown-unit-{checksum}_feedback.xlsx").format(checksum=(s.sha256 or _checksum(s.path))[:8])


def _checksum(path: str) -> str:
    """The checksum of a file intake refused before reading it (its bytes hashed, never parsed)."""
    import hashlib

    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        h.update(path.encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def write_feedback(result: MergeResult, out_dir: str | os.PathLike, *, force: bool = False) -> tuple[list[Path], list[str]]:
    """One feedback workbook per returned file with problems; returns (files written, files listed without an annotated copy)."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputError(_("{path}: is not a folder; --feedback takes a folder.").format(path=out))
    written: list[Path] = []
    plain: list[str] = []
    used: dict[str, int] = {}
    inputs = [x.path for x in result.submissions]
    for s in result.submissions:
        if not s.counts:
            continue
        problems = [f for f in s.findings if f.severity in (ERROR, WARNING)]
        if not problems:
            continue
        name = feedback_name(s)
        used[name] = used.get(name, 0) + 1
        if used[name] > 1:
            name = name.replace(".xlsx", f"_{used[name]}.xlsx")
        with atomic_output(out / name, force=force, inputs=inputs) as tmp:
            if _can_annotate(s):
                try:
                    _annotated(s, problems).save(tmp)
                except Exception:  # not editable by openpyxl after all: the list alone must do
                    _list_only(s, problems, tmp)
                    plain.append(s.name)
            else:
                _list_only(s, problems, tmp)
                plain.append(s.name)
        written.append(out / name)
    return written, plain


def _can_annotate(s: Submission) -> bool:
    """Only a readable .xlsx of ordinary size (intake refused nothing; openpyxl must not open what intake refused)."""
    return (bool(s.sha256) and Path(s.path).suffix.lower() in (".xlsx", ".xlsm") and s.cells <= ANNOTATE_UP_TO
            and s.size <= ANNOTATE_BYTES_UP_TO)


def _rows(problems: Iterable[Finding]) -> list[list[Any]]:
    return [[_(LEVEL.get(f.severity, f.severity)), f.sheet, f.cell, f.input, f.message, f.code] for f in problems]


def _heads() -> list[str]:
    return [_("Level"), _("Sheet"), _("Cell"), _("Input id"), _("What to do"), _("Code")]


def _title(s: Submission) -> str:
    return _("Feedback on the workbook of {unit} (file {file})").format(unit=s.unit_name or _("the unit"), file=s.name)


def _intro() -> str:
    return _("The cells with a problem are coloured (red: an error to correct; yellow: to check) and carry a comment. "
             "Please correct this workbook or the original and send it again.")


def _list_only(s: Submission, problems: list[Finding], path: Path) -> None:
    from ..core.sheetwriter import Column, PageText, Sheet, write_workbook

    widths = (12, 14, 8, 11, 90, 22)
    cols = [Column(key=f"c{j}", title=h, width=w, wrap=j == 4) for j, (h, w) in enumerate(zip(_heads(), widths, strict=True))]
    write_workbook(path, [Sheet(name=_(SHEET), columns=cols, rows=_rows(problems), title=_title(s), subtitle=_intro(), landscape=True)],
                   page=PageText(header=s.unit_name, footer=_("Page &P of &N")))


def _annotated(s: Submission, problems: list[Finding]) -> Any:
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    from ..core.safety import cell_text, set_cell

    wb = load_workbook(s.path)
    red = PatternFill("solid", fgColor="FFC7CE")
    yellow = PatternFill("solid", fgColor="FFEB9C")
    marks: dict[tuple[str, str], list[Finding]] = {}
    for f in problems:
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            marks.setdefault((f.sheet, f.cell), []).append(f)
    for a in s.answers.values():  # empty cells the template asked for
        if a.asked and a.status == "missing" and a.sheet in wb.sheetnames and a.cell:
            marks.setdefault((a.sheet, a.cell), []).append(
                Finding("merge.values_missing", _("The figure {id} is not filled in: write a value or '{no_data}'.").format(
                    id=a.input_id, no_data=layout.NO_DATA_TEXT.get(s.stamp.get("lang", "vi"), layout.NO_DATA_TEXT["vi"])),
                        file=s.name, sheet=a.sheet, cell=a.cell, input=a.input_id))
    for (sheet, ref), fs in marks.items():
        cell = wb[sheet][ref]
        cell.fill = red if any(f.severity == ERROR for f in fs) else yellow
        cell.comment = Comment(cell_text("\n".join(f.message for f in fs)[:2000]), "dti")
        cell.comment.width, cell.comment.height = 320, 160
    ws = wb.create_sheet(_(SHEET)[:31], 0)
    set_cell(ws["A1"], _title(s))
    ws["A1"].font = Font(bold=True, size=13)
    set_cell(ws["A2"], _intro())
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:F2")
    ws.row_dimensions[2].height = 32
    for j, h in enumerate(_heads(), 1):
        set_cell(ws.cell(4, j), h)
        ws.cell(4, j).font = Font(bold=True)
    widths = (12, 14, 8, 11, 90, 22)
    for i, row in enumerate(_rows(problems), 5):
        for j, v in enumerate(row, 1):
            set_cell(ws.cell(i, j), v)
            ws.cell(i, j).alignment = Alignment(wrap_text=True, vertical="top")
        lines = max(1, -(-len(str(row[4])) // 95))
        ws.row_dimensions[i].height = min(409, 15 * lines + 3)
    for col, w in zip("ABCDEF", widths, strict=True):
        ws.column_dimensions[col].width = w
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:4"
    ws.oddFooter.center.text = _("Page &P of &N")
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False
    return wb
