"""What every workbook of a run shares, built once per run rather than once per workbook.

A run writes one workbook per agency or unit, and most of what a workbook holds does not depend
on who it is for: the words, the cell formats, the headers and their heights, and for each input
and indicator its reference cells, its validation (type, formula, messages, list), its expected
points formula, its rule in words and the height of its row. :class:`Shared` builds each of them
the first time a workbook asks and hands the same object to every later workbook (issue 18: a
run of 35 or 150 workbooks costs what writing them costs, not what re-deriving them costs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..core import i18n
from ..core.sheetwriter import LINE_HEIGHT, MAX_ROW_HEIGHT, row_lines, storable
from ..formats import template as layout
from ..methodology.assign import Assignment
from ..methodology.context import Context
from ..methodology.rules.formula import Formula, quoted
from . import texts
from .texts import Round

#: Cell formats (XlsxWriter properties), by key; each workbook registers them once.
_BORDER = {"border": 1, "border_color": "#A6A6A6"}
_TOP = {"valign": "top", "text_wrap": True}
FORMATS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14, "font_color": "#1F4E78"},
    "subtitle": {"italic": True, "font_size": 10, "font_color": "#404040"},
    "label": {"bold": True, **_TOP},
    "text": {**_TOP},
    "header": {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78", "align": "center", **_TOP, **_BORDER},
    "ref": {"bg_color": "#F2F2F2", **_TOP, **_BORDER},
    "ref_bold": {"bold": True, "bg_color": "#F2F2F2", **_TOP, **_BORDER},
    "ref_points": {"bg_color": "#F2F2F2", "num_format": "0.00", **_TOP, **_BORDER},
    "input": {"bg_color": "#FFF2CC", "locked": False, **_TOP, **_BORDER},
    "input_count": {"bg_color": "#FFF2CC", "locked": False, "num_format": "#,##0", **_TOP, **_BORDER},
    "input_date": {"bg_color": "#FFF2CC", "locked": False, "num_format": "dd/mm/yyyy", **_TOP, **_BORDER},
    "calc": {"bg_color": "#E2EFDA", "num_format": "0.00", "align": "center", **_TOP, **_BORDER},
    "calc_text": {"bg_color": "#E2EFDA", **_TOP, **_BORDER},
    "plain": {},
}
#: The value cell's format by input type (a count shows its thousands; other figures as typed).
VALUE_FORMAT = {"count": "input_count"}


def height(lines: int) -> float | None:
    """A row's height in points for ``lines`` lines of wrapped text; None for one line (the default)."""
    return None if lines <= 1 else min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 2)


@dataclass(frozen=True)
class IndicatorCells:
    """What the first row of an indicator shows: max, baseline score, target, rule, expected points."""

    name: str
    max_points: float
    baseline: float | None
    target: str
    rule: str
    formula: str | None  # the whole cell formula ("=IF(COUNTA(…")
    centrally: str | None  # the text shown instead, when the workbook cannot compute it
    lines: int  # lines its wrapped texts need


@dataclass(frozen=True)
class InputCells:
    """What an input's row shows and how its value cell is checked."""

    cells: tuple[str, str, str, str]  # input id, indicator code, label, unit (the indicator's name is the indicator's)
    value_format: str
    validation: dict[str, Any]  # XlsxWriter options; a custom formula's cell is "{ref}"
    entries: tuple[str, ...]  # the list of a yes/no or choice cell
    inline: bool  # the list fits in the validation itself; else it is written on the lists sheet
    lines: int  # lines its own wrapped texts need


class Shared:
    """Everything a run's workbooks share; ``input()`` and ``indicator()`` build each entry once."""

    def __init__(self, ctx: Context, rnd: Round, *, prefill: bool = False):
        self.ctx = ctx
        self.round = rnd
        self.lang = rnd.lang
        self.columns = [c for c in layout.COLUMNS if c != layout.PREFILL_COL or prefill]
        self.widths = {c: float(layout.COLUMNS[c][2]) for c in layout.COLUMNS}
        self.headers = {c: texts.column_title(c, rnd) for c in self.columns}
        self.header_height = height(max(row_lines(t, self.widths[c]) for c, t in self.headers.items()))
        self.title = texts.title(rnd)
        self.subtitle = texts.subtitle_data(rnd)
        self.footer = texts.page_footer()
        self.colours = texts.colours()
        self.cover = texts.cover_rows(rnd)
        self.sheets = {key: layout.sheet_title(key, self.lang) for key in layout.SHEETS}
        self.prompt_error = texts.error_title()
        self.no_data = layout.NO_DATA_TEXT[self.lang]
        self._inputs: dict[str, InputCells] = {}
        self._indicators: dict[str, IndicatorCells] = {}
        self._lines: dict[tuple[str, float], int] = {}

    def prepare(self, items: Iterable[Assignment]) -> None:
        """Build every entry these workbooks need, and load what formats numbers and writes workbooks.

        Workbooks written in forked processes (:mod:`.parallel`) then inherit all of it instead
        of each building its own.
        """
        from .book import workbook_class

        for a in items:
            for inp in a.inputs:
                self.input(inp.id)
                self.indicator(inp.indicator)
        i18n.integer(0)
        workbook_class()

    def lines(self, text: str, width: float) -> int:
        """Lines ``text`` needs in a column ``width`` wide (texts repeat across workbooks: measured once)."""
        key = (text, width)
        n = self._lines.get(key)
        if n is None:
            n = self._lines[key] = row_lines(text, width) if text else 1
        return n

    def indicator(self, code: str) -> IndicatorCells:
        got = self._indicators.get(code)
        if got is None:
            got = self._indicators[code] = self._indicator(code)
        return got

    def _indicator(self, code: str) -> IndicatorCells:
        ind = self.ctx.catalogue.indicators[code]
        per_unit = any(i.per_unit for i in ind.inputs)
        formula = centrally = None
        if not per_unit:
            fx = Formula(ind, name=layout.defined_name, yes_no=layout.YES_NO[self.lang], lang=self.lang)
            points = ind.rule.formula(fx, ind.max_points)
            if points is not None:
                formula = fx.indicator(points)
        if formula is None:
            centrally = texts.computed_centrally(ind.rule.is_relative, per_unit)
        rule = storable(ind.rule.words(ind, ind.max_points))
        target = storable(ind.target_text(self.lang) or "")
        name = storable(ind.name(self.lang))
        w, col = self.widths, layout.COL
        lines = max(self.lines(name, w[col["indicator_name"]]), self.lines(target, w[col["target"]]), self.lines(rule, w[col["rule"]]),
                    self.lines(centrally or "", w[layout.EXPECTED_COL]))
        return IndicatorCells(name, ind.max_points, self.ctx.baseline.score(code), target, rule, formula, centrally, lines)

    def input(self, iid: str) -> InputCells:
        got = self._inputs.get(iid)
        if got is None:
            got = self._inputs[iid] = self._input(iid)
        return got

    def _input(self, iid: str) -> InputCells:
        cat, lang = self.ctx.catalogue, self.lang
        inp = cat.inputs[iid]
        ind = cat.indicators[inp.indicator]
        unit = "/".join(layout.YES_NO[lang]) if inp.type == "yes_no" else inp.unit_in(lang)
        cells = (inp.id, ind.code, storable(inp.label(lang)), storable(unit))
        prompt, error = texts.validation_words(inp.type, lang, "" if inp.type in ("yes_no", "choice", "percent") else inp.unit_in(lang))
        options: dict[str, Any] = {"input_title": texts.prompt_title(iid), "input_message": prompt[:255], "error_title": self.prompt_error,
                                   "error_message": error[:255], "error_type": "stop", "ignore_blank": True}
        entries: tuple[str, ...] = ()
        inline = True
        if inp.type in ("yes_no", "choice"):
            words = list(layout.YES_NO[lang]) if inp.type == "yes_no" else [c.label(lang) for c in inp.choices]
            entries = tuple(storable(w) for w in [*words, self.no_data])
            inline = len(",".join(entries)) + 2 <= layout.INLINE_LIST_MAX and not any("," in e or '"' in e for e in entries)
            options["validate"] = "list"
            if inline:
                options["source"] = list(entries)
        else:
            options["validate"] = "custom"
            options["value"] = _number_check(inp.type, self.no_data)
        w, col = self.widths, layout.COL
        lines = max(self.lines(cells[2], w[col["label"]]), self.lines(cells[3], w[col["unit"]]))
        return InputCells(cells, VALUE_FORMAT.get(inp.type, "input"), options, entries, inline, lines)


def _number_check(kind: str, no_data: str) -> str:
    """The custom validation of a numeric value cell ("{ref}" stands for the cell): a number in range, or the no-data text."""
    nd = quoted(no_data)
    if kind == "count":
        ok = "AND(ISNUMBER({ref}),{ref}>=0,{ref}=INT({ref}))"
    elif kind == "percent":
        ok = "AND(ISNUMBER({ref}),{ref}>=0,{ref}<=100)"
    else:
        ok = "AND(ISNUMBER({ref}),{ref}>=0)"
    return f"OR({ok},{{ref}}={nd})"
