"""Data-collection workbooks: one per agency that leads an indicator, one per unit for per-unit inputs.

The layout (sheet names, stamp keys, columns, defined names) is fixed by docs/FORMATS.md, because
`dti merge` reads what this module writes. Each workbook carries, next to every input, the
indicator's max, its 2022 score, the 2023 target and the rule in words, and an "expected points"
column computed by Excel formulas from the agency's own entries, so an official sees at once
what a figure is worth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from .catalogue import Indicator, Input, Rule
from .describe import rule_words
from .errors import OutputError, UsageError
from .profile import Unit
from .values import NO_DATA, NO_DATA_TEXT

FORMAT = "dti-template"
FORMAT_VERSION = "1"
FIRST_ROW = 5  # header on row 4, one input per row from row 5
HEADER_ROW = 4
LANGS = ("vi", "en")

SHEET_TITLES = {
    "instructions": {"vi": "Hướng dẫn", "en": "Instructions"},
    "cover": {"vi": "Thông tin", "en": "Cover"},
    "data": {"vi": "Dữ liệu", "en": "Data"},
    "stamp": {"vi": "_dti", "en": "_dti"},
    "lists": {"vi": "_lists", "en": "_lists"},
}
#: Data sheet columns: letter → (header vi, header en, width).
COLUMNS: dict[str, tuple[str, str, float]] = {
    "A": ("Mã số liệu", "Input id", 10),
    "B": ("Mã chỉ số", "Indicator", 9),
    "C": ("Tên chỉ số", "Indicator name", 34),
    "D": ("Nội dung số liệu", "What the figure is", 40),
    "E": ("Đơn vị", "Unit", 11),
    "F": ("Giá trị", "Value", 16),
    "G": ("Số, ngày văn bản minh chứng", "Evidence: document no. and date", 22),
    "H": ("Đường dẫn minh chứng", "Evidence link", 22),
    "I": ("Ghi chú", "Note", 20),
    "J": ("Điểm tối đa", "Max points", 8),
    "K": ("Điểm 2022", "2022 score", 8),
    "L": ("Mục tiêu 2023", "2023 target", 26),
    "M": ("Cách tính điểm", "How it is scored", 40),
    "N": ("Điểm dự kiến", "Expected points", 11),
    "O": ("Giá trị năm trước", "Last year's value", 16),
}
VALUE_COL, EXPECTED_COL, PREFILL_COL = "F", "N", "O"
INPUT_COLS = ("F", "G", "H", "I")
COVER_FIELDS = ("AGENCY", "NAME", "POSITION", "PHONE", "EMAIL", "DATE")
YES_NO = {"vi": ("Có", "Không"), "en": ("Yes", "No")}
#: Inline list validations are limited to 255 characters by Excel; longer lists go to `_lists`.
INLINE_LIST_MAX = 255


def defined_name(input_id: str) -> str:
    """The workbook-level name of an input's value cell: '7.1.a' → 'DTI_7_1_a'."""
    return "DTI_" + re.sub(r"[^0-9A-Za-z_]", "_", input_id)


@dataclass
class Assignment:
    """What one workbook asks of one agency or district-level unit."""

    unit: Unit
    inputs: list[Input] = field(default_factory=list)

    @property
    def indicators(self) -> list[str]:
        return list(dict.fromkeys(i.indicator for i in self.inputs))

    @property
    def unit_kind(self) -> str:
        return "district" if self.unit.kind == "district" else "agency"

    def file_name(self, year: int) -> str:
        return f"DTI{year}_{self.unit.id}.xlsx"


def assignments(ctx: Any) -> list[Assignment]:
    """Every workbook to send, in profile order: lead agencies' own inputs, and per-unit inputs per unit.

    An indicator with several leads goes to its first lead. An input reported per unit
    (``per_unit = ["departments", "districts"]``) goes to every member of those groups and to no
    lead. Units with nothing to report get no workbook.
    """
    prof, cat = ctx.profile, ctx.catalogue
    wanted: dict[str, list[Input]] = {u.id: [] for u in prof.units}
    for ind in cat.leaves():
        for inp in ind.inputs:
            if inp.per_unit:
                members = {u.id for g in inp.per_unit for u in prof.members(g)}
                for u in prof.units:
                    if u.id in members:
                        wanted[u.id].append(inp)
            elif ind.lead:
                wanted[prof.by_name(ind.lead[0]).id].append(inp)
    return [Assignment(u, wanted[u.id]) for u in prof.units if wanted[u.id]]


def assignments_for(ctx: Any, name: str) -> list[Assignment]:
    """The workbook(s) for one agency name as typed; a group (e.g. 'UBND các huyện') means its members."""
    unit = ctx.profile.resolve(name)
    every = {a.unit.id: a for a in assignments(ctx)}
    if unit.is_group:
        ids = {u.id for u in ctx.profile.members(unit.members or "")}
        found = [a for uid, a in every.items() if uid in ids]
    else:
        found = [every[unit.id]] if unit.id in every else []
    if not found:
        raise UsageError(f"'{unit.name}' không chủ trì chỉ số nào cần thu thập số liệu, nên không có phiếu. "
                         "Xem danh sách bằng lệnh: dti catalog agencies")
    return found


def parse_deadline(text: str | None) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--deadline {text!r}: hạn gửi phải ghi theo dạng NĂM-THÁNG-NGÀY, ví dụ 2023-10-15.") from None


# ---------------------------------------------------------------------------------------------
# Expected points as Excel formulas


def _num_literal(x: float) -> str:
    r = repr(float(x))
    return r[:-2] if r.endswith(".0") else r


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


#: Tolerance at a boundary (≥ 10%, = 100%), as score.py applies it: (0.03 + 0.04)/1 lands a hair below 7%.
EPS = "1E-9"


class _Formulas:
    """Builds the Excel formula of an indicator's points from its rule, exactly as score.py scores it.

    Every input is read through its defined name. A rule (or a part of a ``parts`` rule) that reads
    an empty cell, the explicit "no data" text or an unreadable entry earns 0, as the Ministry
    scores missing data. Yes/no: the yes word; choices: the label or the value code. Each fraction
    is clamped to 0..1, a ratio above 100% counts as 100%, a zero denominator follows the rule.
    """

    def __init__(self, ind: Indicator, lang: str):
        self.ind = ind
        self.lang = lang
        self.inputs = {i.id: i for i in ind.inputs}

    def num(self, term: str | float) -> str:
        return defined_name(term) if isinstance(term, str) else _num_literal(term)

    def total(self, terms: tuple[str | float, ...]) -> str:
        parts = [self.num(t) for t in terms]
        return parts[0] if len(parts) == 1 else "(" + "+".join(parts) + ")"

    def is_yes(self, iid: str) -> str:
        return f"{defined_name(iid)}={_q(YES_NO[self.lang][0])}"

    def valid(self, iid: str) -> str:
        """True when the cell holds a value the scorer can use."""
        inp, name = self.inputs[iid], defined_name(iid)
        if inp.type == "yes_no":
            return "OR(" + ",".join(f"{name}={_q(w)}" for w in YES_NO[self.lang]) + ")"
        if inp.type == "choice":
            words = [c.label_vi if self.lang == "vi" else c.label_en for c in inp.choices] + [c.value for c in inp.choices]
            return "OR(" + ",".join(f"{name}={_q(w)}" for w in dict.fromkeys(words)) + ")"
        return f"ISNUMBER({name})"

    def guarded(self, ids: list[str], expr: str) -> str:
        checks = [self.valid(i) for i in ids]
        if not checks:
            return expr
        cond = checks[0] if len(checks) == 1 else "AND(" + ",".join(checks) + ")"
        return f"IF({cond},{expr},0)"

    def ratio_fraction(self, r: Rule, inner: str) -> str:
        """``inner`` uses {ratio}; a zero denominator gives the rule's zero_denominator policy."""
        if not r.denominator:
            return inner.format(ratio=self.total(r.numerator))
        zero = "1" if r.zero_denominator == "full" else "0"
        den = self.total(r.denominator)
        if not any(isinstance(t, str) for t in r.denominator):  # a constant denominator, e.g. 3.6's "/7"
            return zero if sum(float(t) for t in r.denominator) == 0 else inner.format(ratio=f"{self.total(r.numerator)}/{den}")
        return f"IF({den}=0,{zero},{inner.format(ratio=f'{self.total(r.numerator)}/{den}')})"

    def fraction(self, r: Rule) -> str:
        """An expression in 0..1: the share of the rule's points earned, 0 when a needed input is missing."""
        k = r.kind
        if k == "yes_no":
            return self.guarded([r.input or ""], f"IF({self.is_yes(r.input or '')},1,0)")
        if k == "choice":
            inp = self.inputs[r.input or ""]
            name = defined_name(inp.id)
            pts = dict(r.points)
            expr = "0"
            for c in reversed(inp.choices):
                label = c.label_vi if self.lang == "vi" else c.label_en
                expr = f"IF(OR({name}={_q(label)},{name}={_q(c.value)}),{_num_literal(pts.get(c.value, 0.0))},{expr})"
            return expr
        if k == "counted_tiers":
            count = self.num(r.count or "")
            expr = "0"
            for m, f in reversed(r.tiers):
                expr = f"IF({count}>={_num_literal(m)}-{EPS},{_num_literal(f)},{expr})"
            # the count matters only when the gate is yes
            return f"IF({self.is_yes(r.gate or '')},{self.guarded([r.count or ''], expr)},0)"
        if k == "ratio":
            body = self.ratio_fraction(r, "MAX(0,MIN(1,{ratio}))")
        elif k == "threshold":
            t = _num_literal(r.threshold or 1)
            body = self.ratio_fraction(r, "IF({ratio}>=" + t + "-" + EPS + ",1,MAX(0,MIN(1,{ratio}/" + t + ")))")
        elif k == "all_or_nothing":
            body = self.ratio_fraction(r, "IF({ratio}>=1-" + EPS + ",1,0)")
        elif k == "stepped":
            expr = "0"
            for m, f in reversed(r.levels):
                expr = f"IF({{ratio}}>={_num_literal(m)}-{EPS},{_num_literal(f)},{expr})"
            body = self.ratio_fraction(r, expr)
        else:
            raise ValueError(f"no formula for rule kind {k!r}")
        return self.guarded(r.input_ids(), body)

    def points(self, r: Rule, mx: float) -> str:
        if r.kind == "parts":
            return "+".join(f"({self.points(p, p.weight * mx)})" for p in r.parts)
        if r.kind == "per_item":
            cap = _num_literal(min(r.cap or mx, mx))
            n = self.num(r.input or "")
            return self.guarded([r.input or ""], f"MIN({cap},MAX(0,{n}*{_num_literal(r.points_each or 0)}))")
        return f"{self.fraction(r)}*{_num_literal(mx)}"

    def formula(self) -> str:
        mx = _num_literal(self.ind.max_points)
        names = ",".join(defined_name(i.id) for i in self.ind.inputs)
        # Nothing typed yet: show nothing rather than a score of 0 the agency has not been given.
        return f'=IF(COUNTA({names})=0,"",MAX(0,MIN({mx},{self.points(self.ind.rule, self.ind.max_points)})))'


def expected_points_formula(ind: Indicator, lang: str = "vi") -> str | None:
    """The Excel formula of an indicator's points from its own inputs, or None when it cannot have one."""
    if ind.is_aggregate or ind.rule.is_relative or any(i.per_unit for i in ind.inputs):
        return None
    return _Formulas(ind, lang).formula()


def _no_formula_text(ind: Indicator, lang: str) -> str:
    vi = lang == "vi"
    if ind.rule.is_relative:
        return "Cần số liệu các tỉnh (Sở TT&TT tính)" if vi else "Needs national references (computed centrally)"
    return "Tổng hợp từ các đơn vị (Sở TT&TT tính)" if vi else "Summed over all units (computed centrally)"


# ---------------------------------------------------------------------------------------------
# Styles, created once and shared by every workbook (openpyxl interns them by value)


@cache
def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="A6A6A6")
    return {
        "title": Font(bold=True, size=14, color="1F4E78"),
        "subtitle": Font(italic=True, size=10, color="404040"),
        "bold": Font(bold=True),
        "header_font": Font(bold=True, color="FFFFFF"),
        "header_fill": PatternFill("solid", fgColor="1F4E78"),
        "input_fill": PatternFill("solid", fgColor="FFF2CC"),
        "ref_fill": PatternFill("solid", fgColor="F2F2F2"),
        "calc_fill": PatternFill("solid", fgColor="E2EFDA"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "wrap_center": Alignment(wrap_text=True, vertical="top", horizontal="center"),
        "unlocked": Protection(locked=False),
    }


def _texts(lang: str) -> dict[str, str]:
    if lang == "en":
        return {"title": "DIGITAL TRANSFORMATION INDEX (DTI) {year} — DATA COLLECTION WORKBOOK", "unit": "Agency / unit",
                "deadline_none": "as set by the focal point's letter", "contact": "contact {focal}"}
    return {"title": "PHIẾU THU THẬP SỐ LIỆU CHỈ SỐ CHUYỂN ĐỔI SỐ (DTI) NĂM {year}", "unit": "Cơ quan, đơn vị",
            "deadline_none": "theo văn bản đề nghị của Sở TT&TT", "contact": "liên hệ {focal}"}


def _deadline_text(deadline: date | None, lang: str) -> str:
    if deadline is None:
        return _texts(lang)["deadline_none"]
    return deadline.strftime("%d/%m/%Y")


def _focal(ctx: Any, lang: str) -> tuple[str, str, str, str]:
    fp = ctx.profile.focal_point
    agency = fp.get("agency", "")
    short = agency
    try:
        short = ctx.profile.by_name(agency).short if agency else "Sở TT&TT"
    except Exception:  # a profile whose focal agency is not listed still gets templates
        short = agency or "Sở TT&TT"
    empty = _texts(lang)["contact"].format(focal=short)
    return (agency or short, fp.get("contact_name") or empty, fp.get("phone") or empty, fp.get("email") or empty)


def _est_height(texts: list[tuple[str, float]]) -> float:
    """Row height (points) for wrapped text: enough lines for the longest cell at its width."""
    lines = 1
    for text, width in texts:
        if text:
            per_line = max(1.0, width * 1.1)
            n = sum(max(1, -(-len(part) // int(per_line))) for part in str(text).split("\n"))
            lines = max(lines, n)
    return min(409.0, 15.0 * lines + 2)


def _setup_print(ws: Any, title_rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows


def _protect(ws: Any) -> None:
    """Protect the sheet without a password; users may still resize and select."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False
    p.insertHyperlinks = False  # evidence links (column H)


# ---------------------------------------------------------------------------------------------
# The workbook


def _display_value(v: Any, inp: Input, lang: str) -> Any:
    """Last year's value as an official reads it."""
    if v is NO_DATA:
        return NO_DATA_TEXT[lang]
    if isinstance(v, bool):
        return YES_NO[lang][0 if v else 1]
    if inp.type == "choice" and isinstance(v, str):
        for c in inp.choices:
            if c.value == v:
                return c.label_vi if lang == "vi" else c.label_en
    return v


def prefill_values(merged: Any, unit: Unit) -> dict[str, Any]:
    """Last year's value of each input, from a merged workbook; per-unit inputs: this unit's own figure."""
    values = dict(merged.values)
    for row in merged.units:
        if str(row.get("unit_id") or "") == unit.id and str(row.get("status") or "ok") in ("ok", "no_data"):
            iid = str(row.get("input_id") or "")
            values[iid] = NO_DATA if row.get("status") == "no_data" else row.get("value")
    return {k: v for k, v in values.items() if v is not None and v != ""}


def build_workbook(ctx: Any, assignment: Assignment, *, year: int | None = None, deadline: date | str | None = None,
                   lang: str = "vi", prefill: Any = None, generated_at: datetime | None = None):
    """The openpyxl Workbook of one assignment. ``prefill``: a merged workbook (read_merged) of last year."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    if lang not in LANGS:
        raise UsageError(f"--lang {lang!r}: chọn vi hoặc en.")
    if isinstance(deadline, str):
        deadline = parse_deadline(deadline)
    year = year or ctx.catalogue.year
    wb = Workbook()
    ws_instr = wb.active
    ws_instr.title = SHEET_TITLES["instructions"][lang]
    ws_cover = wb.create_sheet(SHEET_TITLES["cover"][lang])
    ws_data = wb.create_sheet(SHEET_TITLES["data"][lang])
    ws_stamp = wb.create_sheet(SHEET_TITLES["stamp"][lang])
    ws_lists = wb.create_sheet(SHEET_TITLES["lists"][lang])
    last_year = prefill_values(prefill, assignment.unit) if prefill is not None else None

    _fill_data(ctx, wb, ws_data, ws_lists, assignment, year, deadline, lang, last_year)
    _fill_cover(ctx, wb, ws_cover, assignment, year, lang)
    _fill_instructions(ctx, ws_instr, assignment, year, deadline, lang)
    _fill_stamp(ctx, ws_stamp, assignment, year, lang, ws_data.title, generated_at)
    ws_stamp.sheet_state = "hidden"
    ws_lists.sheet_state = "hidden"
    _protect(ws_lists)
    _protect(ws_stamp)
    # No password: the lock only keeps sheets from being renamed, deleted or unhidden by accident.
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    return wb


def _put(ws: Any, ref: str, value: Any, *styles: Any) -> Any:
    from .safety import set_cell

    cell = ws[ref]
    set_cell(cell, value)
    for s in styles:
        _apply(cell, s)
    return cell


def _apply(cell: Any, style: Any) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection

    if isinstance(style, Font):
        cell.font = style
    elif isinstance(style, PatternFill):
        cell.fill = style
    elif isinstance(style, Alignment):
        cell.alignment = style
    elif isinstance(style, Border):
        cell.border = style
    elif isinstance(style, Protection):
        cell.protection = style


def _fill_instructions(ctx: Any, ws: Any, a: Assignment, year: int, deadline: date | None, lang: str) -> None:
    st = _styles()
    vi = lang == "vi"
    agency, person, phone, email = _focal(ctx, lang)
    data_title, cover_title = SHEET_TITLES["data"][lang], SHEET_TITLES["cover"][lang]
    nd = NO_DATA_TEXT[lang]
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 100
    _put(ws, "A1", _texts(lang)["title"].format(year=year), st["title"])
    _put(ws, "A2", f"{ctx.profile.name_full} — {a.unit.name}", st["subtitle"])
    if vi:
        rows = [
            ("Mục đích", f"Sở TT&TT tổng hợp số liệu để tự đánh giá Chỉ số chuyển đổi số (DTI) cấp tỉnh năm {year} của "
                         f"{ctx.profile.name_full} ({ctx.catalogue.source}). Phiếu này chỉ gồm {len(a.inputs)} số liệu "
                         f"do {a.unit.name} cung cấp, thuộc {len(a.indicators)} chỉ số."),
            ("Cách điền", f"1. Sheet \"{cover_title}\": ghi họ tên, chức vụ, điện thoại, email của người điền và ngày điền.\n"
                          f"2. Sheet \"{data_title}\": nhập giá trị vào cột F (Giá trị) của từng dòng; ghi số, ngày văn bản minh chứng "
                          "(cột G), đường dẫn minh chứng (cột H) và ghi chú nếu cần (cột I).\n"
                          "3. Số: chỉ ghi con số, không ghi đơn vị (ví dụ 1234 hoặc 1234,5). Có/Không và các lựa chọn: chọn trong danh sách của ô.\n"
                          f"4. Không có số liệu: chọn hoặc gõ \"{nd}\". Không để trống, không ghi 0 thay cho \"không có số liệu\".\n"
                          "5. Lưu tệp dạng .xlsx (giữ nguyên tên tệp) và gửi lại cho đầu mối dưới đây."),
            ("Hạn gửi", _deadline_text(deadline, lang)),
            ("Đầu mối", f"{agency}\nNgười liên hệ: {person}\nĐiện thoại: {phone}\nEmail: {email}"),
            ("Màu ô", None),
            ("Lưu ý", "Không xóa, không chèn dòng, không đổi tên sheet, không sửa cột A (Mã số liệu): Sở TT&TT đọc số liệu theo mã này.\n"
                      "Cột N (Điểm dự kiến) tự tính theo số liệu đã nhập, chỉ để tham khảo; điểm chính thức do Sở TT&TT tổng hợp."),
        ]
        colours = [("input_fill", "Ô màu vàng: ô cần nhập (giá trị, minh chứng, ghi chú)."),
                   ("ref_fill", "Ô màu xám: thông tin tham khảo, đã khóa."),
                   ("calc_fill", "Ô màu xanh: điểm dự kiến, tự tính.")]
    else:
        rows = [
            ("Purpose", f"The focal point collects the figures for the {year} provincial Digital Transformation Index self-assessment of "
                        f"{ctx.profile.name_full} ({ctx.catalogue.source}). This workbook holds only the {len(a.inputs)} figures "
                        f"{a.unit.name} supplies, for {len(a.indicators)} indicators."),
            ("How to fill it", f"1. Sheet \"{cover_title}\": name, position, phone, e-mail of the person filling in, and the date.\n"
                               f"2. Sheet \"{data_title}\": enter each value in column F; the evidence document number and date in G, "
                               "its link in H, a note in I if needed.\n"
                               "3. Numbers only, without units. Yes/no and choices: pick from the cell's list.\n"
                               f"4. No data: pick or type \"{nd}\". Do not leave the cell empty and do not write 0 instead.\n"
                               "5. Save as .xlsx (keep the file name) and send it back to the focal point below."),
            ("Deadline", _deadline_text(deadline, lang)),
            ("Focal point", f"{agency}\nContact: {person}\nPhone: {phone}\nE-mail: {email}"),
            ("Cell colours", None),
            ("Please note", "Do not delete or insert rows, rename sheets or edit column A (input id): figures are read by that id.\n"
                            "Column N (expected points) is computed from your entries, for guidance only."),
        ]
        colours = [("input_fill", "Yellow: cells to fill in (value, evidence, note)."),
                   ("ref_fill", "Grey: reference information, locked."),
                   ("calc_fill", "Green: expected points, computed.")]
    r = 4
    for label, text in rows:
        if text is None:
            for i, (fill, words) in enumerate(colours):
                if i == 0:
                    _put(ws, f"A{r}", label, st["bold"], st["wrap"])
                _put(ws, f"B{r}", words, st[fill], st["border"], st["wrap"])
                r += 1
            continue
        _put(ws, f"A{r}", label, st["bold"], st["wrap"])
        _put(ws, f"B{r}", text, st["wrap"])
        ws.row_dimensions[r].height = _est_height([(text, 100)])
        r += 1
    _setup_print(ws)
    _protect(ws)


def _fill_cover(ctx: Any, wb: Any, ws: Any, a: Assignment, year: int, lang: str) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    st = _styles()
    vi = lang == "vi"
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 60
    _put(ws, "A1", _texts(lang)["title"].format(year=year), st["title"])
    _put(ws, "A2", ctx.profile.name_full, st["subtitle"])
    labels = (["Cơ quan, đơn vị", "Họ và tên người điền", "Chức vụ", "Điện thoại", "Email", "Ngày điền"] if vi
              else ["Agency / unit", "Name of the person filling in", "Position", "Phone", "E-mail", "Date"])
    prompts = ([None, "Ghi họ và tên người điền phiếu.", "Ghi chức vụ.", "Ghi số điện thoại liên hệ.", "Ghi địa chỉ email.",
                "Ghi ngày điền, ví dụ 15/10/2023."] if vi else
               [None, "Name of the person filling in.", "Position.", "Phone number.", "E-mail address.", "Date, e.g. 15/10/2023."])
    from openpyxl.worksheet.datavalidation import DataValidation

    for i, (key, label, prompt) in enumerate(zip(COVER_FIELDS, labels, prompts, strict=True)):
        r = 4 + i
        _put(ws, f"A{r}", label, st["bold"], st["border"], st["wrap"])
        ref = f"B{r}"
        if key == "AGENCY":
            _put(ws, ref, a.unit.name, st["ref_fill"], st["border"], st["wrap"], st["bold"])
        else:
            _put(ws, ref, None, st["input_fill"], st["border"], st["unlocked"], st["wrap"])
            dv = DataValidation(type=None, allow_blank=True, showInputMessage=True, promptTitle=label[:32], prompt=prompt)
            dv.add(ref)
            ws.add_data_validation(dv)
        if key == "DATE":
            ws[ref].number_format = "dd/mm/yyyy"
        wb.defined_names[f"DTI_COVER_{key}"] = DefinedName(f"DTI_COVER_{key}", attr_text=f"{_sheet_ref(ws.title)}!${ref[0]}${ref[1:]}")
    ws.freeze_panes = "A4"
    _setup_print(ws)
    _protect(ws)


def _sheet_ref(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _validation(inp: Input, ref: str, lang: str, list_ref: str | None):
    """The data validation of one value cell: its type, the explicit no-data text, messages."""
    from openpyxl.worksheet.datavalidation import DataValidation

    vi = lang == "vi"
    nd = NO_DATA_TEXT[lang]
    ndq = _q(nd)
    yes, no = YES_NO[lang]
    unit = f" ({inp.unit})" if inp.unit and inp.type in ("count", "amount", "number") else ""
    if inp.type == "count":
        formula = f"OR(AND(ISNUMBER({ref}),{ref}>=0,{ref}=INT({ref})),{ref}={ndq})"
        prompt = f"Nhập số nguyên ≥ 0{unit}, hoặc \"{nd}\"." if vi else f"A whole number ≥ 0{unit}, or \"{nd}\"."
        error = f"Ô này nhận số nguyên không âm (ví dụ 12) hoặc \"{nd}\". Không ghi đơn vị, chữ hay dấu %." if vi else \
            f"Enter a whole number ≥ 0 (e.g. 12) or \"{nd}\"."
    elif inp.type in ("amount", "number"):
        formula = f"OR(AND(ISNUMBER({ref}),{ref}>=0),{ref}={ndq})"
        prompt = f"Nhập số ≥ 0{unit}, hoặc \"{nd}\"." if vi else f"A number ≥ 0{unit}, or \"{nd}\"."
        error = f"Ô này nhận số không âm (ví dụ 1234,5) hoặc \"{nd}\". Không ghi đơn vị hay chữ." if vi else \
            f"Enter a number ≥ 0 (e.g. 1234.5) or \"{nd}\"."
    elif inp.type == "percent":
        formula = f"OR(AND(ISNUMBER({ref}),{ref}>=0,{ref}<=100),{ref}={ndq})"
        prompt = f"Nhập tỷ lệ phần trăm từ 0 đến 100 (ví dụ 85 nghĩa là 85%), hoặc \"{nd}\"." if vi else \
            f"A percentage from 0 to 100 (85 means 85%), or \"{nd}\"."
        error = f"Ô này nhận số từ 0 đến 100 hoặc \"{nd}\"." if vi else f"Enter a number from 0 to 100 or \"{nd}\"."
    else:
        dv = DataValidation(type="list", formula1=list_ref, allow_blank=True)
        if inp.type == "yes_no":
            prompt = f"Chọn {yes}, {no} hoặc \"{nd}\"." if vi else f"Pick {yes}, {no} or \"{nd}\"."
        else:
            prompt = f"Chọn một mục trong danh sách, hoặc \"{nd}\"." if vi else f"Pick an entry from the list, or \"{nd}\"."
        error = "Chọn một mục trong danh sách của ô (bấm vào mũi tên bên phải ô)." if vi else "Pick an entry from the cell's list."
        formula = None
    if formula is not None:
        dv = DataValidation(type="custom", formula1=formula, allow_blank=True)
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.promptTitle = (f"Số liệu {inp.id}" if vi else f"Input {inp.id}")[:32]
    dv.prompt = prompt[:255]
    dv.errorTitle = ("Giá trị không hợp lệ" if vi else "Invalid value")[:32]
    dv.error = error[:225]
    dv.add(ref)
    return dv


def _list_entries(inp: Input, lang: str) -> list[str]:
    if inp.type == "yes_no":
        return [*YES_NO[lang], NO_DATA_TEXT[lang]]
    return [c.label_vi if lang == "vi" else c.label_en for c in inp.choices] + [NO_DATA_TEXT[lang]]


def _fill_data(ctx: Any, wb: Any, ws: Any, ws_lists: Any, a: Assignment, year: int, deadline: date | None,
               lang: str, last_year: dict[str, Any] | None) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    st = _styles()
    vi = lang == "vi"
    cat, base = ctx.catalogue, ctx.baseline
    cols = [c for c in COLUMNS if c != PREFILL_COL or last_year is not None]
    for c in cols:
        ws.column_dimensions[c].width = COLUMNS[c][2]
    _put(ws, "A1", f"{_texts(lang)['title'].format(year=year)} — {a.unit.name}", st["title"])
    deadline_label = "Hạn gửi" if vi else "Deadline"
    _put(ws, "A2", f"{ctx.profile.name_full} · {deadline_label}: {_deadline_text(deadline, lang)} · "
                   + ("Nhập vào các ô màu vàng; không xóa hay chèn dòng." if vi else "Fill in the yellow cells; do not delete or insert rows."),
         st["subtitle"])
    _put(ws, "A3", f"{cat.id} {cat.version} · " + (f"{len(a.inputs)} số liệu, {len(a.indicators)} chỉ số" if vi
                                                   else f"{len(a.inputs)} figures, {len(a.indicators)} indicators"), st["subtitle"])
    for c in cols:
        head = COLUMNS[c][0 if vi else 1]
        if c == "K":
            head = f"{'Điểm' if vi else 'Score'} {base.year}"
        elif c == "L":
            head = f"{'Mục tiêu' if vi else 'Target'} {cat.year}"
        _put(ws, f"{c}{HEADER_ROW}", head, st["header_font"], st["header_fill"], st["border"], st["wrap_center"])
    ws.row_dimensions[HEADER_ROW].height = 32
    lists_col = 0
    seen_ind: set[str] = set()
    sheet = _sheet_ref(ws.title)
    for n, inp in enumerate(a.inputs):
        r = FIRST_ROW + n
        ind = cat.indicators[inp.indicator]
        first = ind.code not in seen_ind
        seen_ind.add(ind.code)
        name = ind.name_vi if vi else ind.name_en
        label = inp.label_vi if vi else inp.label_en
        unit = inp.unit if vi or inp.type not in ("yes_no",) else "Yes/No"
        row: dict[str, Any] = {"A": inp.id, "B": ind.code, "C": name, "D": label, "E": unit}
        if first:
            row["J"] = ind.max_points
            row["K"] = base.score(ind.code)
            row["L"] = ind.target.text if vi else (ind.target.text or "")
            row["M"] = rule_words(ind, lang)
        for c, v in row.items():
            _put(ws, f"{c}{r}", v, st["ref_fill"], st["border"], st["wrap"])
        for c in ("J", "K", "L", "M", "N"):
            if c not in row:
                _put(ws, f"{c}{r}", None, st["ref_fill"], st["border"], st["wrap"])
        for c in INPUT_COLS:
            _put(ws, f"{c}{r}", None, st["input_fill"], st["border"], st["unlocked"], st["wrap"])
        vref = f"{VALUE_COL}{r}"
        if inp.type == "count":
            ws[vref].number_format = "#,##0"
        elif inp.type in ("amount", "number"):
            ws[vref].number_format = "#,##0.###"
        wb.defined_names[defined_name(inp.id)] = DefinedName(defined_name(inp.id), attr_text=f"{sheet}!${VALUE_COL}${r}")
        list_ref = None
        if inp.type in ("yes_no", "choice"):
            entries = _list_entries(inp, lang)
            inline = ",".join(entries)
            if len(inline) + 2 <= INLINE_LIST_MAX and not any("," in e or '"' in e for e in entries):
                list_ref = _q(inline)
            else:
                from openpyxl.utils import get_column_letter

                lists_col += 1
                col = get_column_letter(lists_col)
                for k, e in enumerate(entries, 1):
                    _put(ws_lists, f"{col}{k}", e)
                list_ref = f"{_sheet_ref(ws_lists.title)}!${col}$1:${col}${len(entries)}"
        ws.add_data_validation(_validation(inp, vref, lang, list_ref))
        if first:
            formula = expected_points_formula(ind, lang) if not inp.per_unit else None
            if formula:
                cell = _put(ws, f"{EXPECTED_COL}{r}", None, st["calc_fill"], st["border"], st["wrap_center"])
                cell.value = formula
                cell.number_format = "0.00"
            else:
                _put(ws, f"{EXPECTED_COL}{r}", _no_formula_text(ind, lang), st["ref_fill"], st["border"], st["wrap"])
        if last_year is not None:
            v = last_year.get(inp.id)
            _put(ws, f"{PREFILL_COL}{r}", _display_value(v, inp, lang) if v is not None else None, st["ref_fill"], st["border"], st["wrap"])
        ws.row_dimensions[r].height = _est_height([(str(row.get(c) or ""), COLUMNS[c][2]) for c in ("C", "D", "L", "M")])
    last = FIRST_ROW + len(a.inputs) - 1
    ws.freeze_panes = f"B{FIRST_ROW}"
    _setup_print(ws, f"{HEADER_ROW}:{HEADER_ROW}")
    ws.print_area = f"A1:{cols[-1]}{max(last, HEADER_ROW)}"
    _protect(ws)


def _fill_stamp(ctx: Any, ws: Any, a: Assignment, year: int, lang: str, data_title: str, generated_at: datetime | None) -> None:
    from .safety import set_cell

    cat = ctx.catalogue
    when = (generated_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    stamp = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "catalogue_id": cat.id, "catalogue_version": cat.version,
        "catalogue_sha256": cat.sha256, "province_id": ctx.profile.id, "province": ctx.profile.name, "unit_id": a.unit.id,
        "unit_name": a.unit.name, "unit_kind": a.unit_kind, "year": str(year), "generated_at": when, "lang": lang,
        "data_sheet": data_title, "input_ids": ",".join(i.id for i in a.inputs),
    }
    for r, (k, v) in enumerate(stamp.items(), 1):
        set_cell(ws.cell(r, 1), k)
        set_cell(ws.cell(r, 2), str(v))


# ---------------------------------------------------------------------------------------------
# Writing


def write_templates(ctx: Any, items: list[Assignment], out_dir: str | Path, *, force: bool = False, year: int | None = None,
                    deadline: date | str | None = None, lang: str = "vi", prefill: str | Path | None = None) -> list[tuple[Assignment, Path]]:
    """Write one workbook per assignment into ``out_dir``; nothing is written if any file exists without ``force``."""
    from .safety import atomic_output

    out = Path(out_dir)
    if not out.exists():
        raise OutputError(f"{out}: thư mục không tồn tại; hãy tạo thư mục trước hoặc chọn thư mục khác với -o.")
    if not out.is_dir():
        raise OutputError(f"{out}: không phải là thư mục; -o nhận một thư mục.")
    if isinstance(deadline, str):
        deadline = parse_deadline(deadline)
    year = year or ctx.catalogue.year
    targets = [(a, out / a.file_name(year)) for a in items]
    if not force:
        existing = [p for _, p in targets if p.exists()]
        if existing:
            shown = ", ".join(p.name for p in existing[:5]) + (f" và {len(existing) - 5} tệp khác" if len(existing) > 5 else "")
            raise OutputError(f"{out}: đã có {len(existing)} tệp cùng tên ({shown}); không tệp nào được ghi. "
                              "Thêm --force để ghi đè, hoặc chọn thư mục khác với -o.")
    merged = None
    if prefill is not None:
        from .merged import read_merged

        merged = read_merged(prefill, ctx.catalogue)
    now = datetime.now(UTC)
    written = []
    for a, path in targets:
        wb = build_workbook(ctx, a, year=year, deadline=deadline, lang=lang, prefill=merged, generated_at=now)
        with atomic_output(path, force=force, inputs=[prefill] if prefill else ()) as tmp:
            wb.save(tmp)
        written.append((a, path))
    return written
