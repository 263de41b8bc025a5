"""One data-collection workbook, written with XlsxWriter from what the run shares (:mod:`.shared`).

Sheets, columns, rows, names and the stamp follow :mod:`dti_cli.formats.template` (merge reads
the same module). Only the cells an official fills in are unlocked; every sheet is protected
without a password (so an official can still unprotect it if really needed) and the workbook's
structure is locked, so sheets are not renamed, deleted or unhidden by accident. Every visible
sheet prints on A4: the instructions and the cover on one page each, the data sheet in landscape,
fitted to the page's width with its header row repeated, rows as tall as their wrapped text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from ..core.sheetwriter import footer_code_text, header_code_text, storable
from ..formats import template as layout
from ..methodology.assign import Assignment
from . import texts
from .prefill import shown
from .shared import FORMATS, Shared, height

#: XlsxWriter's options: the zip is built in memory (no temporary files), and text is never
#: turned into a number, formula or link behind our back.
OPTIONS = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
#: What an official may still do on a protected sheet: resize rows and columns, add a link (evidence).
PROTECT = {"format_columns": True, "format_rows": True, "insert_hyperlinks": True, "select_locked_cells": True,
           "select_unlocked_cells": True}
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6}
IDX = {c: layout.col_index(c) for c in layout.COLUMNS}
ROW_KEYS = ("input_id", "indicator", "label", "unit")
#: The reference columns of an indicator's first row, and the input columns of every row.
IND_COLS = tuple(layout.COL[k] for k in ("indicator_name", "max_points", "baseline", "target", "rule", "expected"))


#: The functions the template's formulas use (expected points, validations): none of them is one
#: of the "future" functions Excel stores with an _xlfn. prefix.
PLAIN_FUNCTIONS = frozenset({"IF", "AND", "OR", "NOT", "ISNUMBER", "INT", "MIN", "MAX", "COUNTA", "SUM", "ABS"})
_FUNCTION = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")


@functools.cache
def workbook_class() -> type:
    """XlsxWriter's Workbook with two additions.

    - The workbook protection XlsxWriter has no method for: the structure locked, no password.
    - Formulas made only of :data:`PLAIN_FUNCTIONS` skip XlsxWriter's scan for future functions
      (about a hundred regular expressions per formula, 0.7 ms: two thirds of the time of a run
      of templates, spent finding nothing); any other formula is scanned as usual.
    """
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

    class PlainFormulas(Worksheet):
        def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
            if not formula.startswith("{") and all(f.upper() in PLAIN_FUNCTIONS for f in _FUNCTION.findall(formula)):
                return formula.removeprefix("=")
            return super()._prepare_formula(formula, expand_future_functions)

    class LockedWorkbook(xlsxwriter.Workbook):
        worksheet_class = PlainFormulas

        def _write_workbook_pr(self) -> None:
            super()._write_workbook_pr()  # <workbookProtection> follows <workbookPr> in the schema's order
            self._xml_empty_tag("workbookProtection", [("lockStructure", 1)])

    return LockedWorkbook


def sheet_ref(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def write_book(path: Any, sh: Shared, a: Assignment, stamp: Mapping[str, str], last: Mapping[str, Any] | None = None) -> None:
    """Write the workbook of one assignment to ``path`` (a temporary path from atomic_output)."""
    wb = workbook_class()(str(path), OPTIONS)
    try:
        fmt = {key: wb.add_format(props) for key, props in FORMATS.items()}
        titles = sh.sheets
        sheets = {key: wb.add_worksheet(titles[key]) for key in layout.SHEETS}
        unit = storable(a.unit.name)
        # cut before the codes are written: never half of an "&&" (Excel's limit is 255 with the codes)
        header = "&L" + header_code_text(storable(texts.page_header(sh.round, a.unit.name))[:120])
        if sh.round.banner:
            header += "&C&B" + header_code_text(storable(sh.round.banner)[:60])
        footer = "&C" + footer_code_text(sh.footer)
        figures, indicators = len(a.inputs), len(a.indicators)
        _instructions(sheets["instructions"], sh, fmt, unit, figures, indicators)
        _cover(wb, sheets["cover"], sh, fmt, unit)
        _data(wb, sheets["data"], sheets["lists"], sh, fmt, a, unit, last)
        for key in ("instructions", "cover", "data"):
            ws = sheets[key]
            ws.set_paper(9)  # A4
            ws.set_margins(**MARGINS)
            ws.set_header(header, {"margin": 0.25})
            ws.set_footer(footer, {"margin": 0.25})
            ws.protect("", PROTECT)
        ws = sheets["stamp"]
        ws.set_column(0, 0, 20)
        ws.set_column(1, 1, 60)
        for r, key in enumerate(layout.STAMP_KEYS):
            ws.write_string(r, 0, key, fmt["plain"])
            ws.write_string(r, 1, storable(str(stamp[key])), fmt["plain"])
        for key in ("stamp", "lists"):
            sheets[key].hide()
            sheets[key].protect("", PROTECT)
    finally:
        wb.close()


def _title_rows(ws: Any, sh: Shared, fmt: Mapping[str, Any], first: str, *more: str) -> None:
    ws.write_string(0, 0, first, fmt["title"])
    for r, text in enumerate(more, 1):
        ws.write_string(r, 0, storable(text), fmt["subtitle"])


def _instructions(ws: Any, sh: Shared, fmt: Mapping[str, Any], unit: str, figures: int, indicators: int) -> None:
    label, text = IDX[layout.LABEL_COL], IDX[layout.TEXT_COL]
    ws.set_column(label, label, layout.LABEL_WIDTH)
    ws.set_column(text, text, layout.TEXT_WIDTH)
    _title_rows(ws, sh, fmt, sh.title, f"{sh.round.province} — {unit}")
    r = layout.TEXT_FIRST_ROW - 1
    for name, body in texts.instructions(sh.round, unit, figures, indicators):
        ws.write_string(r, label, name, fmt["label"])
        if body is None:  # the colour legend: one row per colour, in that colour
            for i, (key, words) in enumerate(sh.colours):  # "calc" is centred for figures: its legend is not
                ws.write_string(r + i, text, words, fmt["calc_text" if key == "calc" else key])
            r += len(sh.colours)
            continue
        ws.write_string(r, text, storable(body), fmt["text"])
        ws.set_row(r, height(sh.lines(body, layout.TEXT_WIDTH)))
        r += 1
    ws.set_portrait()
    ws.fit_to_pages(1, 1)


def _cover(wb: Any, ws: Any, sh: Shared, fmt: Mapping[str, Any], unit: str) -> None:
    label, text = IDX[layout.LABEL_COL], IDX[layout.TEXT_COL]
    ws.set_column(label, label, layout.LABEL_WIDTH + 8)
    ws.set_column(text, text, layout.TEXT_WIDTH * 2 // 3)
    _title_rows(ws, sh, fmt, sh.title, sh.round.province)
    ref = sheet_ref(sh.sheets["cover"])
    for key, name, prompt in sh.cover:
        cell = layout.cover_ref(key)
        r = int(cell[len(layout.TEXT_COL):]) - 1
        ws.write_string(r, label, name, fmt["ref_bold"])
        if key == "AGENCY":
            ws.write_string(r, text, unit, fmt["ref_bold"])
        else:
            ws.write_blank(r, text, None, fmt["input_date" if key == "DATE" else "input"])
            ws.data_validation(r, text, r, text, {"validate": "any", "input_title": name[:32], "input_message": (prompt or "")[:255]})
        wb.define_name(layout.cover_name(key), f"={ref}!${layout.TEXT_COL}${r + 1}")
    ws.set_portrait()
    ws.fit_to_pages(1, 1)


def _data(wb: Any, ws: Any, lists: Any, sh: Shared, fmt: Mapping[str, Any], a: Assignment, unit: str,
          last: Mapping[str, Any] | None) -> None:
    cols = sh.columns
    for c in cols:
        ws.set_column(IDX[c], IDX[c], sh.widths[c])
    _title_rows(ws, sh, fmt, f"{sh.title} — {unit}", sh.subtitle, texts.round_line(sh.round, len(a.inputs), len(a.indicators)))
    head = layout.HEADER_ROW - 1
    for c in cols:
        ws.write_string(head, IDX[c], sh.headers[c], fmt["header"])
    ws.set_row(head, sh.header_height)

    data_ref, lists_ref = sheet_ref(sh.sheets["data"]), sheet_ref(sh.sheets["lists"])
    row_cols = [IDX[layout.COL[k]] for k in ROW_KEYS]
    value, value_letter = IDX[layout.VALUE_COL], layout.VALUE_COL
    inputs = [IDX[c] for c in layout.INPUT_COLS if c != layout.VALUE_COL]
    name_c, max_c, base_c, target_c, rule_c, exp_c = (IDX[c] for c in IND_COLS)
    prefill_c = IDX[layout.PREFILL_COL] if layout.PREFILL_COL in cols else None
    list_cols: dict[tuple[str, ...], str] = {}
    seen: set[str] = set()
    ref, ref_points, calc, input_fmt = fmt["ref"], fmt["ref_points"], fmt["calc"], fmt["input"]
    write_string, write_blank = ws.write_string, ws.write_blank
    r = head
    for n, inp in enumerate(a.inputs):
        r = layout.FIRST_ROW - 1 + n
        ic = sh.input(inp.id)
        for j, v in zip(row_cols, ic.cells, strict=True):
            write_string(r, j, v, ref)
        lines = ic.lines
        if inp.indicator not in seen:
            seen.add(inp.indicator)
            ind = sh.indicator(inp.indicator)
            write_string(r, name_c, ind.name, ref)
            ws.write_number(r, max_c, ind.max_points, ref)
            if ind.baseline is None:
                write_blank(r, base_c, None, ref_points)
            else:
                ws.write_number(r, base_c, ind.baseline, ref_points)
            write_string(r, target_c, ind.target, ref)
            write_string(r, rule_c, ind.rule, ref)
            if ind.formula is not None:
                ws.write_formula(r, exp_c, ind.formula, calc, "")  # blank until something is typed
            else:
                write_string(r, exp_c, ind.centrally or "", ref)
            lines = max(lines, ind.lines)
        else:
            for j in (name_c, max_c, base_c, target_c, rule_c, exp_c):
                write_blank(r, j, None, ref)
        write_blank(r, value, None, fmt[ic.value_format])
        for j in inputs:
            write_blank(r, j, None, input_fmt)
        cell = f"{value_letter}{r + 1}"
        options = dict(ic.validation)
        if options["validate"] == "custom":
            options["value"] = options["value"].replace("{ref}", cell)
        elif not ic.inline:
            options["source"] = f"={lists_ref}!{_list_range(lists, list_cols, ic.entries, fmt['plain'])}"
        ws.data_validation(r, value, r, value, options)
        wb.define_name(layout.defined_name(inp.id), f"={data_ref}!${value_letter}${r + 1}")
        if prefill_c is not None:
            v = shown(last[inp.id], inp, sh.lang) if last and inp.id in last else None
            if isinstance(v, str):
                write_string(r, prefill_c, storable(v), ref)
                lines = max(lines, sh.lines(v, sh.widths[layout.PREFILL_COL]))
            elif isinstance(v, (int, float)):
                ws.write_number(r, prefill_c, v, ref)
            else:
                write_blank(r, prefill_c, None, ref)
        if lines > 1:
            ws.set_row(r, height(lines))
    ws.freeze_panes(layout.FIRST_ROW - 1, IDX[layout.ID_COL] + 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(head)
    ws.print_area(0, 0, max(r, head), IDX[cols[-1]])


def _list_range(lists: Any, list_cols: dict[tuple[str, ...], str], entries: tuple[str, ...], plain: Any) -> str:
    """The range of a list on the hidden lists sheet ("$A$1:$A$4"), written there the first time this workbook needs it."""
    letter = list_cols.get(entries)
    if letter is None:
        j = len(list_cols)
        letter = list_cols[entries] = _letter(j)
        for k, e in enumerate(entries):
            lists.write_string(k, j, e, plain)
    return f"${letter}$1:${letter}${len(entries)}"


def _letter(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, rem = divmod(j - 1, 26)
        s = chr(65 + rem) + s
    return s
