"""The ranked gap report: where DTI points are lost against the baseline, and who must act.

:func:`build_report` turns scores (through the small adapter :class:`ReportInput`, so the report
depends only on what a score *is*: points, max, status, inputs used) into a :class:`Report`, plain
data whose :meth:`Report.to_dict` is the JSON output. The writers below render that same data as
an Excel workbook (formatting, conditional colours, a native chart), a self-contained printable
HTML page, Markdown, CSV and rich tables. Text that came from returned files (agency names,
adjustment reasons) is never written so that a spreadsheet could read it as a formula.
"""

from __future__ import annotations

import csv
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalogue import Indicator, Rule
from .describe import fmt_num
from .errors import DtiError, InputFileError, UsageError
from .safety import atomic_output, looks_like_formula, safe_csv_cell
from .text import fold

EPS = 1e-9
#: Status codes of a row in the ranked list (JSON keeps the code; tables show the words).
STATUSES = ("improved", "declined", "unchanged", "no_data", "needs_reference", "no_previous")

LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Báo cáo chỉ số chuyển đổi số (DTI) {year} — {province}",
        "subtitle": "Tự đánh giá, so sánh với {compare}",
        "headline": "Tổng quan",
        "total_now": "Tổng điểm tự đánh giá (ước tính)",
        "total_confirmed": "Tổng điểm đã xác định",
        "total_prev": "Tổng điểm {compare}",
        "change": "Tăng/giảm",
        "estimate_note": "{n} chỉ số cần giá trị tham chiếu quốc gia được tạm tính bằng điểm 2022 ({points} điểm).",
        "indicator_prev_note": "Cấp chỉ số so sánh với 2022 (năm 2021 chỉ công bố điểm theo trụ cột).",
        "pillars": "Điểm theo trụ cột",
        "pillar": "Trụ cột",
        "max": "Tối đa",
        "now": "Hiện tại",
        "gap": "Còn thiếu",
        "index": "Chỉ số (0-1)",
        "gaps": "Các chỉ số còn mất điểm, xếp theo số điểm còn thiếu",
        "rank": "TT",
        "code": "Mã",
        "name": "Chỉ số",
        "lead": "Cơ quan chủ trì",
        "at_stake": "Điểm còn thiếu",
        "status": "Tình trạng",
        "target": "Mục tiêu 2023",
        "met": "Đạt mục tiêu",
        "yes": "Đạt",
        "no": "Chưa đạt",
        "quick_wins": "Việc làm ngay: chỉ số 0 điểm chỉ cần đáp ứng điều kiện Có/Không",
        "priorities": "Làm gì trước: việc làm ngay và các chỉ số mất nhiều điểm nhất",
        "action": "Việc cần làm",
        "action_quick": "Đáp ứng điều kiện (ban hành, tổ chức, triển khai): đạt ngay điểm tối đa",
        "action_gap": "Cải thiện kết quả thực hiện chỉ số",
        "action_no_data": "Cung cấp số liệu (đang 0 điểm vì thiếu số liệu)",
        "points_gain": "Điểm có thể đạt",
        "regressions": "Chỉ số giảm điểm so với {prev}",
        "by_agency": "Theo cơ quan chủ trì",
        "agency": "Cơ quan",
        "lagging": "Chỉ số còn mất điểm",
        "agency_page": "Trang của cơ quan: {agency}",
        "agency_stake": "Điểm còn thiếu ở các chỉ số do {agency} chủ trì (kể cả chủ trì chung)",
        "problems": "Vấn đề về số liệu",
        "no_data": "Không có số liệu",
        "needs_reference": "Cần giá trị tham chiếu quốc gia",
        "adjustments": "Điều chỉnh đã áp dụng",
        "findings": "Phát hiện khi tổng hợp (merge)",
        "messages": "Ghi chú khác",
        "national": "Xếp hạng dự kiến",
        "national_text": "Với {total} điểm, tỉnh đứng thứ {rank}/{of} trong bảng {source}.",
        "none": "Không có.",
        "more": "… và {n} chỉ số khác (xem tệp JSON/CSV/XLSX để có đầy đủ).",
        "source": "Nguồn điểm: {source}",
        "input_id": "Mã số liệu",
        "new_value": "Giá trị mới",
        "reason": "Lý do",
        "by": "Người điều chỉnh",
        "date": "Ngày",
        "count": "Số lượng",
        "severity": "Mức độ",
        "improved": "Tăng",
        "declined": "Giảm",
        "unchanged": "Không đổi",
        "no_previous": "Chưa có số liệu so sánh",
        "sheet_summary": "Tổng quan",
        "sheet_gaps": "Điểm còn thiếu",
        "sheet_quick": "Việc làm ngay",
        "sheet_regressions": "Giảm điểm",
        "sheet_agencies": "Theo cơ quan",
        "sheet_problems": "Vấn đề số liệu",
        "chart": "Điểm theo trụ cột: {prev} và hiện tại",
    },
    "en": {
        "title": "Digital Transformation Index (DTI) {year} report — {province}",
        "subtitle": "Self-assessment compared with {compare}",
        "headline": "Summary",
        "total_now": "Self-assessed total (estimate)",
        "total_confirmed": "Confirmed total",
        "total_prev": "Total {compare}",
        "change": "Change",
        "estimate_note": "{n} indicators that need national reference values are estimated at their 2022 score ({points} points).",
        "indicator_prev_note": "Indicators are compared with 2022 (2021 was published by pillar only).",
        "pillars": "Points by pillar",
        "pillar": "Pillar",
        "max": "Max",
        "now": "Now",
        "gap": "Gap to max",
        "index": "Index (0-1)",
        "gaps": "Indicators still losing points, ranked by points at stake",
        "rank": "#",
        "code": "Code",
        "name": "Indicator",
        "lead": "Lead agency",
        "at_stake": "Points at stake",
        "status": "Status",
        "target": "2023 target",
        "met": "Target met",
        "yes": "Met",
        "no": "Not met",
        "quick_wins": "Quick wins: indicators at 0 that depend only on yes/no facts",
        "priorities": "What to do first: quick wins and the indicators losing the most points",
        "action": "Action",
        "action_quick": "Meet the condition (issue, hold, deploy): full points at once",
        "action_gap": "Improve the figure",
        "action_no_data": "Supply the data (0 points for want of it)",
        "points_gain": "Points it would bring",
        "regressions": "Indicators below their {prev} score",
        "by_agency": "By lead agency",
        "agency": "Agency",
        "lagging": "Lagging indicators",
        "agency_page": "Agency page: {agency}",
        "agency_stake": "Points at stake in the indicators {agency} leads (alone or with others)",
        "problems": "Data problems",
        "no_data": "No data",
        "needs_reference": "Needs national reference",
        "adjustments": "Adjustments applied",
        "findings": "Merge findings",
        "messages": "Other notes",
        "national": "Expected rank",
        "national_text": "With {total} points the province would rank {rank} of {of} in {source}.",
        "none": "None.",
        "more": "… and {n} more (the JSON/CSV/XLSX outputs hold them all).",
        "source": "Scores from: {source}",
        "input_id": "Input",
        "new_value": "New value",
        "reason": "Reason",
        "by": "By",
        "date": "Date",
        "count": "Count",
        "severity": "Severity",
        "improved": "improved",
        "declined": "declined",
        "unchanged": "unchanged",
        "no_previous": "no comparison",
        "sheet_summary": "Summary",
        "sheet_gaps": "Points at stake",
        "sheet_quick": "Quick wins",
        "sheet_regressions": "Regressions",
        "sheet_agencies": "By agency",
        "sheet_problems": "Data problems",
        "chart": "Points by pillar: {prev} and now",
    },
}


def code_key(code: str) -> tuple[int, ...]:
    """Natural order of indicator codes: 1.9 before 1.10."""
    return tuple(int(p) if p.isdigit() else 0 for p in code.split("."))


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def _round(v: float | None, digits: int = 3) -> float | None:
    return None if v is None else round(v + 0.0, digits)


# ---------------------------------------------------------------------------------------------
# The adapter: what the report needs from scores


@dataclass(frozen=True)
class ScoreRow:
    """One indicator's score as the report reads it."""

    code: str
    points: float | None
    max_points: float
    status: str  # scored, no_data, needs_reference, sum
    inputs: dict[str, Any] = field(default_factory=dict)
    trace: str = ""
    estimate: float | None = None  # the estimated points (a needs-reference indicator's 2022 score)


@dataclass
class ReportInput:
    """Scores from any source (a fresh ``Scores``, a scores file, a merged workbook scored on the fly)."""

    rows: dict[str, ScoreRow]
    source: str = ""
    year: int | None = None
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] | None = None  # None: no merged workbook at hand
    findings_source: str | None = None
    messages: list[str] = field(default_factory=list)

    @classmethod
    def from_scores(cls, scores: Any, source: str = "") -> ReportInput:
        """Read anything shaped like ``score.Scores``: ``.indicators[code]`` with points, max_points, status, inputs, trace."""
        rows = {}
        for code, s in scores.indicators.items():
            rows[code] = ScoreRow(
                code=str(getattr(s, "code", code)),
                points=_num(getattr(s, "points", None)),
                max_points=float(getattr(s, "max_points", 0) or 0),
                status=str(getattr(s, "status", "scored")),
                inputs=dict(getattr(s, "inputs", None) or {}),
                trace=str(getattr(s, "trace", "") or ""),
                estimate=_num(getattr(s, "estimated_points", None)),
            )
        src = getattr(scores, "source", None) or {}
        cat = getattr(scores, "catalogue", None) or {}
        return cls(rows=rows, source=source or str(src.get("path", "") if isinstance(src, dict) else src),
                   year=_year(src.get("year") if isinstance(src, dict) else None) or _year(cat.get("year") if isinstance(cat, dict) else None),
                   adjustments=[dict(a) for a in (getattr(scores, "adjustments", None) or ())],
                   messages=[_message(m) for m in (getattr(scores, "problems", None) or ())])

    @classmethod
    def from_dict(cls, doc: dict[str, Any], source: str = "") -> ReportInput:
        """Read the dict of ``Scores.to_dict()`` / ``score.read_scores`` (inputs as a list from JSON, as text from .xlsx)."""
        rows = {}
        for d in doc.get("indicators") or []:
            code = str(d.get("code") or "").strip()
            if not code:
                continue
            raw = d.get("inputs")
            inputs = {str(x.get("id")): x.get("value") for x in raw if isinstance(x, dict)} if isinstance(raw, list) else _inputs_from_text(str(raw or ""))
            rows[code] = ScoreRow(code=code, points=_num(d.get("points")), max_points=float(_num(d.get("max_points")) or 0.0),
                                  status=str(d.get("status") or "scored"), inputs=inputs, trace=str(d.get("trace") or ""),
                                  estimate=_num(d.get("estimated_points")))
        src = doc.get("source") or {}
        cat = doc.get("catalogue") or {}
        return cls(rows=rows, source=source or str(src.get("path", "")), year=_year(src.get("year")) or _year(cat.get("year")),
                   adjustments=[{k: v for k, v in dict(a).items() if k != "row"} for a in doc.get("adjustments") or []],
                   messages=[_message(m) for m in doc.get("problems") or []])


def _year(v: Any) -> int | None:
    try:
        y = int(str(v).strip())
    except (TypeError, ValueError):
        return None
    return y if 2000 <= y <= 2100 else None


def _message(m: Any) -> str:
    return str(m.get("message") or m) if isinstance(m, dict) else str(m)


def _inputs_from_text(text: str) -> dict[str, Any]:
    """The Inputs column of a scores workbook ("7.1.a = 1,234.5; 7.1.b = 40") back to numbers where they are numbers."""
    from .values import parse_number_text

    out: dict[str, Any] = {}
    for part in text.split("; "):
        if " = " not in part:
            continue
        k, v = part.split(" = ", 1)
        v = v.removesuffix(" (điều chỉnh)").strip()
        n = parse_number_text(v) if re.fullmatch(r"[-+]?[\d.,]+", v) else None
        out[k.strip()] = n if n is not None else v
    return out


# ---------------------------------------------------------------------------------------------
# Finding and loading the scores


def _findings_of(merged_path: Path, ctx: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from .merged import read_merged

    m = read_merged(merged_path, ctx.catalogue)
    return m.findings, m.adjustments


def load_input(ctx: Any, path: str | Path | None = None, cwd: str | Path | None = None) -> ReportInput:
    """The scores to report on: the file given, else ./scores.xlsx (or .json), else ./merged.xlsx scored now."""
    from . import score

    here = Path(cwd) if cwd else Path.cwd()
    if path is None:
        looked = [here / "scores.xlsx", here / "scores.json", here / "merged.xlsx"]
        found = next((p for p in looked if p.is_file()), None)
        if found is None:
            raise InputFileError(f"Không tìm thấy điểm (no scores found): đã tìm {', '.join(str(p) for p in looked)}. "
                                 "Hãy chạy `dti score` trước (run dti score first), hoặc chỉ tệp điểm hay bảng tổng hợp: dti report TỆP.")
        p = found
    else:
        p = Path(path)
        if not p.is_file():
            raise InputFileError(f"{p}: không tìm thấy tệp. Hãy chỉ tệp điểm do `dti score` tạo (hoặc merged.xlsx); chưa có thì chạy `dti score` trước.")
    merged_path: Path | None = None
    kind = score.file_kind(p) if p.suffix.lower() in (".xlsx", ".xlsm") else ""
    if kind in ("dti-merged", "dti-template"):  # not scored yet: score it now, as `dti score` would
        inp = ReportInput.from_scores(score.score_merged(ctx, p), source=str(p))
        merged_path = p if kind == "dti-merged" else None
    else:
        inp = ReportInput.from_dict(score.read_scores(p), source=str(p))
        beside = p.parent / "merged.xlsx"
        if beside.is_file():
            merged_path = beside
    if merged_path is not None:
        try:
            findings, adjustments = _findings_of(merged_path, ctx)
        except InputFileError as e:
            inp.messages.append(f"merge findings not read: {e}")
        else:
            inp.findings, inp.findings_source = findings, str(merged_path)
            if not inp.adjustments:
                inp.adjustments = [{k: v for k, v in a.items() if k != "row"} for a in adjustments]
    return inp


def load_national(path: str | Path) -> list[tuple[str, float]]:
    """A national table of totals (CSV or .xlsx with columns ``province`` and ``total``)."""
    from .values import parse_number_text

    p = Path(path)
    if not p.is_file():
        raise InputFileError(f"{p}: không tìm thấy bảng điểm các tỉnh (--national).")
    rows: list[list[Any]]
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(p, read_only=True, data_only=True)
        except Exception:
            raise InputFileError(f"{p}: không mở được tệp .xlsx.") from None
        try:
            rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
    else:
        try:
            with p.open(encoding="utf-8-sig", newline="") as f:
                rows = [list(r) for r in csv.reader(f)]
        except UnicodeDecodeError:
            raise InputFileError(f"{p}: không phải CSV UTF-8; hãy lưu lại dạng CSV UTF-8.") from None
    if not rows:
        raise InputFileError(f"{p}: bảng trống; cần hai cột province,total.")
    header = [fold(str(h or "")) for h in rows[0]]
    if "province" not in header or "total" not in header:
        raise InputFileError(f"{p}: dòng đầu phải có tên cột 'province' và 'total' (đang có: {', '.join(str(h) for h in rows[0])}).")
    ip, it = header.index("province"), header.index("total")
    out = []
    for n, r in enumerate(rows[1:], 2):
        name = r[ip] if ip < len(r) else None
        raw = r[it] if it < len(r) else None
        if (name is None or str(name).strip() == "") and raw in (None, ""):
            continue
        total = _num(raw)
        if total is None and isinstance(raw, str):
            total = parse_number_text(raw)
        if total is None or name is None:
            raise InputFileError(f"{p}, dòng {n}: cần tên tỉnh và tổng điểm là một số (đang có {name!r}, {raw!r}).")
        out.append((str(name).strip(), float(total)))
    if not out:
        raise InputFileError(f"{p}: không có dòng tỉnh nào.")
    return out


def national_rank(ctx: Any, table: list[tuple[str, float]], total: float) -> dict[str, Any]:
    """The rank ``total`` would have among the table's provinces (the province's own row, if any, is replaced)."""
    own = {fold(ctx.profile.name), fold(ctx.profile.id), fold(getattr(ctx.profile, "name_full", "") or ctx.profile.name)}
    others = [(n, t) for n, t in table if fold(n) not in own]
    rank = 1 + sum(1 for _, t in others if t > total + EPS)
    return {"rank": rank, "of": len(others) + 1, "total": _round(total), "replaced_own_row": len(others) != len(table)}


# ---------------------------------------------------------------------------------------------
# Building the report


@dataclass
class Report:
    """The report as data; :meth:`to_dict` is the JSON output and the source of every other format."""

    lang: str
    meta: dict[str, Any]
    headline: dict[str, Any]
    pillars: list[dict[str, Any]]
    gaps: list[dict[str, Any]]
    quick_wins: list[dict[str, Any]]
    regressions: list[dict[str, Any]]
    agencies: list[dict[str, Any]]
    problems: dict[str, Any]
    agency: dict[str, Any] | None = None
    national: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "dti-report",
            "format_version": 1,
            "lang": self.lang,
            **self.meta,
            "headline": self.headline,
            "national": self.national,
            "agency": self.agency,
            "pillars": self.pillars,
            "gaps": self.gaps,
            "quick_wins": self.quick_wins,
            "regressions": self.regressions,
            "agencies": self.agencies,
            "problems": self.problems,
        }

    def label(self, key: str, **kw: Any) -> str:
        return LABELS[self.lang][key].format(**kw)

    def status_text(self, code: str) -> str:
        return self.label(code)


def _is_yes_no_only(rule: Rule) -> bool:
    if rule.kind == "yes_no":
        return True
    return rule.kind == "parts" and bool(rule.parts) and all(p.kind == "yes_no" for p in rule.parts)


def measured_ratio(rule: Rule, inputs: dict[str, Any]) -> float | None | str:
    """Σnumerator/Σdenominator from the inputs used; None when a figure is missing; "zero" for b = 0."""
    def total(terms: tuple[str | float, ...]) -> float | None:
        s = 0.0
        for t in terms:
            v = inputs.get(t) if isinstance(t, str) else t
            n = _num(v)
            if n is None:
                return None
            s += n
        return s

    if not rule.numerator:
        return None
    num = total(rule.numerator)
    if num is None:
        return None
    if not rule.denominator:
        return num
    den = total(rule.denominator)
    if den is None:
        return None
    if abs(den) < EPS:
        return "zero"
    return num / den


def target_met(ind: Indicator, row: ScoreRow, now: float | None) -> bool | None:
    """Whether the 2023 target is met: ``full`` = the max; ``ratio`` = the rule's measured ratio against the value."""
    t = ind.target
    if t.kind == "full":
        return None if now is None else now >= ind.max_points - EPS
    if t.kind == "ratio" and t.value is not None:
        r = measured_ratio(ind.rule, row.inputs)
        if r is None:
            return None
        if r == "zero":  # nothing to measure: met only where the rule says b = 0 leaves nothing undone
            return ind.rule.zero_denominator == "full"
        return r > t.value if t.op == ">" else r >= t.value - EPS
    return None


def _short(ctx: Any, name: str) -> str:
    """An agency's short form ("Sở TT&TT") for narrow displays; the full name when the profile has none."""
    try:
        return ctx.profile.by_name(name).short
    except DtiError:
        return name


def _name(ind: Indicator, lang: str) -> str:
    return ind.name_en if lang == "en" and ind.name_en else ind.name_vi


def _agency_units(ctx: Any, lead: str) -> set[str]:
    """Names that a lead stands for: itself, and the members of a group lead."""
    names = {lead}
    try:
        u = ctx.profile.by_name(lead)
    except Exception:
        return names
    if u.is_group and u.members:
        names |= {m.name for m in ctx.profile.members(u.members)}
    return names


def _prev_estimate(r: ScoreRow) -> float:
    if r.status == "needs_reference":
        return r.estimate or 0.0
    return r.points or 0.0


def build_report(ctx: Any, inp: ReportInput, *, compare: str | ReportInput = "2022", agency: str | None = None,
                 national: list[tuple[str, float]] | None = None, national_source: str = "", lang: str = "vi") -> Report:
    """The report data. ``compare``: "2022" (the baseline), "2021" (pillar level) or an earlier year's scores."""
    if lang not in LABELS:
        raise UsageError(f"Ngôn ngữ {lang!r} không hỗ trợ; dùng vi hoặc en.")
    cat, base = ctx.catalogue, ctx.baseline
    unit = ctx.profile.resolve(agency) if agency else None

    # What the indicators are compared with, and what the totals and pillars are compared with.
    if isinstance(compare, ReportInput):
        prev_in: ReportInput | None = compare
        cmp_kind, cmp_year = "file", compare.year
        cmp_label = str(compare.year) if compare.year else Path(compare.source).name or "previous scores"
    elif str(compare) in (str(base.year), str(base.year - 1)):
        prev_in, cmp_kind, cmp_year = None, "baseline" if str(compare) == str(base.year) else "baseline_previous", int(compare)
        cmp_label = str(compare)
    else:
        raise UsageError(f"--compare nhận {base.year}, {base.year - 1} hoặc một tệp điểm năm trước, không phải {compare!r}.")

    def prev_ind(code: str) -> float | None:
        if prev_in is not None:
            r = prev_in.rows.get(code)
            return None if r is None or r.status == "needs_reference" else (r.points if r.points is not None else 0.0)
        return base.score(code)

    ind_prev_label = cmp_label if prev_in is not None else str(base.year)

    leaves = sorted(cat.leaves(), key=lambda i: code_key(i.code))
    messages = list(inp.messages)
    rows: list[dict[str, Any]] = []
    for ind in leaves:
        if not cat.pillars.get(ind.pillar) or not cat.pillars[ind.pillar].scored:
            continue
        r = inp.rows.get(ind.code)
        if r is None:
            messages.append(f"{ind.code}: not in the scores; counted as no data.")
            r = ScoreRow(ind.code, 0.0, ind.max_points, "no_data")
        prev = prev_ind(ind.code)
        if r.status == "needs_reference":
            now, estimate = None, base.score(ind.code) or 0.0
            status = "needs_reference"
        else:
            now = r.points if r.points is not None else 0.0
            estimate = now
            if r.status == "no_data":
                status = "no_data"
            elif prev is None:
                status = "no_previous"
            elif now > prev + EPS:
                status = "improved"
            elif now < prev - EPS:
                status = "declined"
            else:
                status = "unchanged"
        met = target_met(ind, r, now)
        rows.append({
            "code": ind.code,
            "name": _name(ind, lang),
            "pillar": ind.pillar,
            "lead": list(ind.lead),
            "lead_short": [_short(ctx, x) for x in ind.lead],
            "max_points": ind.max_points,
            "score_2022": base.score(ind.code),
            "previous": prev,
            "now": _round(now),
            "estimate": _round(estimate),
            "change": None if now is None or prev is None else _round(now - prev),
            "at_stake": _round(max(0.0, ind.max_points - estimate)),
            "status": status,
            "target": ind.target.text,
            "target_met": met,
            "rule_kind": ind.rule.kind,
            "_ind": ind,
        })

    confirmed = sum(x["now"] or 0.0 for x in rows)
    estimated = sum(x["estimate"] or 0.0 for x in rows)
    carried = [x for x in rows if x["status"] == "needs_reference"]

    # Pillars
    pillars = []
    for code, p in cat.pillars.items():
        if not p.scored:
            continue
        mine = [x for x in rows if x["pillar"] == code]
        now_c = sum(x["now"] or 0.0 for x in mine)
        now_e = sum(x["estimate"] or 0.0 for x in mine)
        if prev_in is not None:
            # The earlier year's estimate, as "now" is one (they differ only where references were missing).
            prev_rows = [prev_in.rows.get(x["code"]) for x in mine]
            pv: float | None = sum(_prev_estimate(r) for r in prev_rows if r is not None)
            prank = None
        else:
            bp = base.pillars.get(code)
            if cmp_kind == "baseline":
                pv, prank = (bp.score, bp.rank) if bp else (None, None)
            else:
                pv, prank = (bp.score_prev, bp.rank_prev) if bp else (None, None)
        pillars.append({
            "code": code,
            "name": p.name_en if lang == "en" and p.name_en else p.name_vi,
            "max_points": p.max_points,
            "previous": _round(pv),
            "previous_rank": prank,
            "now_confirmed": _round(now_c),
            "now": _round(now_e),
            "change": None if pv is None else _round(now_e - pv),
            "gap": _round(p.max_points - now_e),
            "index": round(now_e / p.max_points, 4) if p.max_points else None,
        })

    if prev_in is not None:
        prev_total: float | None = sum(x["previous"] or 0.0 for x in pillars)
        prev_rank = None
    elif cmp_kind == "baseline":
        prev_total, prev_rank = base.total, base.rank
    else:
        prev_total, prev_rank = base.total_prev, base.rank_prev
    headline = {
        "total_confirmed": _round(confirmed),
        "total_estimated": _round(estimated),
        "max_points": cat.total_points,
        "previous_total": _round(prev_total),
        "previous_rank": prev_rank,
        "change": None if prev_total is None else _round(estimated - prev_total),
        "change_confirmed": None if prev_total is None else _round(confirmed - prev_total),
        "needs_reference": len(carried),
        "needs_reference_points_carried": _round(sum(x["estimate"] or 0.0 for x in carried)),
        "points_at_stake": _round(sum(x["at_stake"] for x in rows)),
    }

    # Filters for one agency's page
    def mine(row: dict[str, Any]) -> bool:
        if unit is None:
            return True
        return any(unit.name in _agency_units(ctx, lead) for lead in row["lead"])

    gaps = [x for x in rows if x["at_stake"] > EPS and mine(x)]
    gaps.sort(key=lambda x: (-x["at_stake"], code_key(x["code"])))
    for i, g in enumerate(gaps, 1):
        g["rank"] = i
    quick = [{"code": x["code"], "name": x["name"], "lead": x["lead"], "points": x["max_points"], "status": x["status"]}
             for x in rows if mine(x) and x["now"] is not None and abs(x["now"]) < EPS and _is_yes_no_only(x["_ind"].rule)]
    quick.sort(key=lambda x: (-x["points"], code_key(x["code"])))
    regressions = [{k: x[k] for k in ("code", "name", "lead", "max_points", "previous", "now", "change", "status")}
                   for x in rows if mine(x) and x["now"] is not None and x["previous"] is not None and x["now"] < x["previous"] - EPS]
    regressions.sort(key=lambda x: (x["change"], code_key(x["code"])))

    by_agency: dict[str, dict[str, Any]] = {}
    for g in gaps:
        for lead in g["lead"]:
            a = by_agency.setdefault(lead, {"agency": lead, "at_stake": 0.0, "indicators": [], "shared": []})
            a["at_stake"] += g["at_stake"]
            a["indicators"].append(g["code"])
            if len(g["lead"]) > 1:
                a["shared"].append(g["code"])
    agencies = sorted(by_agency.values(), key=lambda a: (-a["at_stake"], a["agency"]))
    for a in agencies:
        a["at_stake"] = _round(a["at_stake"])

    agency_page = None
    if unit is not None:
        agency_page = {"name": unit.name, "id": unit.id, "at_stake": _round(sum(g["at_stake"] for g in gaps)),
                       "indicators": [g["code"] for g in gaps]}

    problems = {
        "no_data": [{"code": x["code"], "name": x["name"], "lead": x["lead"]} for x in rows if x["status"] == "no_data" and mine(x)],
        "needs_reference": [{"code": x["code"], "name": x["name"], "estimate_2022": x["estimate"]} for x in carried if mine(x)],
        "adjustments": [{k: a.get(k) for k in ("input_id", "new_value", "reason", "by", "date")} for a in inp.adjustments],
        "findings": None,
        "messages": messages,
    }
    if inp.findings is not None:
        counts: dict[str, int] = {}
        sev: dict[str, int] = {}
        for f in inp.findings:
            counts[str(f.get("code") or "?")] = counts.get(str(f.get("code") or "?"), 0) + 1
            sev[str(f.get("severity") or "?")] = sev.get(str(f.get("severity") or "?"), 0) + 1
        problems["findings"] = {"source": inp.findings_source, "total": len(inp.findings), "by_severity": dict(sorted(sev.items())),
                                "by_code": dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))}

    nat = None
    if national is not None:
        nat = {"source": national_source, **national_rank(ctx, national, estimated),
               "rank_confirmed": national_rank(ctx, national, confirmed)["rank"]}

    for x in rows:
        x.pop("_ind", None)
    meta = {
        "province": ctx.profile.name,
        "year": cat.year,
        "catalogue": {"id": cat.id, "version": cat.version, "sha256": cat.sha256},
        "source": inp.source,
        "compare": {"kind": cmp_kind, "label": cmp_label, "year": cmp_year, "indicators_against": ind_prev_label,
                    "source": compare.source if isinstance(compare, ReportInput) else base.path},
    }
    return Report(lang=lang, meta=meta, headline=headline, pillars=pillars, gaps=gaps, quick_wins=quick, regressions=regressions,
                  agencies=agencies, problems=problems, agency=agency_page, national=nat)


# ---------------------------------------------------------------------------------------------
# Shared rendering helpers


def _n(v: Any) -> str:
    return fmt_num(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else ("—" if v is None else str(v))


def _signed(v: float | None) -> str:
    if v is None:
        return "—"
    s = fmt_num(v)
    return s if s.startswith("-") or s == "0" else "+" + s


def _met(rep: Report, v: bool | None) -> str:
    return "—" if v is None else rep.label("yes") if v else rep.label("no")


def gap_table(rep: Report, top: int | None = None) -> tuple[list[str], list[list[str]]]:
    """Header and text rows of the ranked list, as the terminal, HTML and Markdown show it."""
    prev = rep.meta["compare"]["indicators_against"]
    head = [rep.label("rank"), rep.label("code"), rep.label("name"), rep.label("lead"), rep.label("max"), prev, rep.label("now"),
            rep.label("change"), rep.label("at_stake"), rep.label("status"), rep.label("target"), rep.label("met")]
    rows = [[str(g["rank"]), g["code"], g["name"], "; ".join(g["lead"]), _n(g["max_points"]), _n(g["previous"]), _n(g["now"]),
             _signed(g["change"]), _n(g["at_stake"]), rep.status_text(g["status"]), g["target"] or "—", _met(rep, g["target_met"])]
            for g in (rep.gaps[:top] if top else rep.gaps)]
    return head, rows


def pillar_table(rep: Report) -> tuple[list[str], list[list[str]]]:
    prev = rep.meta["compare"]["label"]
    head = [rep.label("pillar"), rep.label("name"), rep.label("max"), prev, rep.label("now"), rep.label("change"), rep.label("gap"), rep.label("index")]
    rows = [[p["code"], p["name"], _n(p["max_points"]), _n(p["previous"]), _n(p["now"]), _signed(p["change"]), _n(p["gap"]),
             fmt_num(p["index"], 3) if p["index"] is not None else "—"] for p in rep.pillars]
    h = rep.headline
    rows.append(["", "Tổng" if rep.lang == "vi" else "Total", _n(h["max_points"]), _n(h["previous_total"]), _n(h["total_estimated"]),
                 _signed(h["change"]), _n(h["max_points"] - h["total_estimated"]), fmt_num(h["total_estimated"] / h["max_points"], 3)])
    return head, rows


def priority_rows(rep: Report, n: int = 5) -> list[list[str]]:
    """The first page's answer to "what first?": every quick win, then the ``n`` largest other gaps."""
    quick = {q["code"] for q in rep.quick_wins}
    rows = [[g["code"], g["name"], "; ".join(g.get("lead_short") or g["lead"]), _n(g["at_stake"]), rep.label("action_quick")]
            for g in rep.gaps if g["code"] in quick]
    others = [g for g in rep.gaps if g["code"] not in quick][:n]
    rows += [[g["code"], g["name"], "; ".join(g.get("lead_short") or g["lead"]), _n(g["at_stake"]),
              rep.label("action_no_data" if g["status"] == "no_data" else "action_gap")] for g in others]
    return rows


def _sections(rep: Report, top: int | None) -> list[tuple[str, list[str], list[list[str]], str | None]]:
    """Every table of the report as (title, header, rows, note): one source for HTML, Markdown and the terminal."""
    out = []
    h, r = pillar_table(rep)
    out.append((rep.label("pillars"), h, r, None))
    out.append((rep.label("priorities"), [rep.label("code"), rep.label("name"), rep.label("lead"), rep.label("at_stake"), rep.label("action")],
                priority_rows(rep), None))
    h, r = gap_table(rep, top)
    more = len(rep.gaps) - len(r)
    out.append((rep.label("agency_page", agency=rep.agency["name"]) + " — " + rep.label("gaps") if rep.agency else rep.label("gaps"),
                h, r, rep.label("more", n=more) if more > 0 else None))
    out.append((rep.label("quick_wins"), [rep.label("code"), rep.label("name"), rep.label("lead"), rep.label("points_gain")],
                [[q["code"], q["name"], "; ".join(q["lead"]), _n(q["points"])] for q in rep.quick_wins], None))
    prev = rep.meta["compare"]["indicators_against"]
    out.append((rep.label("regressions", prev=prev), [rep.label("code"), rep.label("name"), rep.label("lead"), prev, rep.label("now"), rep.label("change")],
                [[x["code"], x["name"], "; ".join(x["lead"]), _n(x["previous"]), _n(x["now"]), _signed(x["change"])] for x in rep.regressions], None))
    out.append((rep.label("by_agency"), [rep.label("agency"), rep.label("at_stake"), rep.label("lagging")],
                [[a["agency"], _n(a["at_stake"]), ", ".join(a["indicators"])] for a in rep.agencies], None))
    pr = rep.problems
    out.append((rep.label("no_data"), [rep.label("code"), rep.label("name"), rep.label("lead")],
                [[x["code"], x["name"], "; ".join(x["lead"])] for x in pr["no_data"]], None))
    out.append((rep.label("needs_reference"), [rep.label("code"), rep.label("name"), str(rep.meta["compare"]["indicators_against"]) + " (ước tính)" if rep.lang == "vi" else "estimate"],
                [[x["code"], x["name"], _n(x["estimate_2022"])] for x in pr["needs_reference"]], None))
    out.append((rep.label("adjustments"), [rep.label("input_id"), rep.label("new_value"), rep.label("reason"), rep.label("by"), rep.label("date")],
                [[_n(a.get("input_id")), _n(a.get("new_value")), _n(a.get("reason")), _n(a.get("by")), _n(a.get("date"))] for a in pr["adjustments"]], None))
    if pr["findings"] is not None:
        f = pr["findings"]
        out.append((rep.label("findings"), [rep.label("code"), rep.label("count")], [[k, str(v)] for k, v in f["by_code"].items()],
                    f"{f['source']}: {f['total']} — " + ", ".join(f"{k}: {v}" for k, v in f["by_severity"].items())))
    if pr["messages"]:
        out.append((rep.label("messages"), ["", ""], [[str(i), m] for i, m in enumerate(pr["messages"], 1)], None))
    return out


def headline_lines(rep: Report) -> list[str]:
    h = rep.headline
    cmp = rep.meta["compare"]["label"]
    lines = [
        f"{rep.label('total_now')}: {_n(h['total_estimated'])} / {_n(h['max_points'])}",
        f"{rep.label('total_confirmed')}: {_n(h['total_confirmed'])}",
        f"{rep.label('total_prev', compare=cmp)}: {_n(h['previous_total'])}" + (f" (#{h['previous_rank']})" if h["previous_rank"] else ""),
        f"{rep.label('change')}: {_signed(h['change'])}",
    ]
    if h["needs_reference"]:
        lines.append(rep.label("estimate_note", n=h["needs_reference"], points=_n(h["needs_reference_points_carried"])))
    if rep.meta["compare"]["kind"] == "baseline_previous":
        lines.append(rep.label("indicator_prev_note"))
    if rep.national:
        n = rep.national
        lines.append(rep.label("national_text", total=_n(n["total"]), rank=n["rank"], of=n["of"], source=Path(n["source"]).name or n["source"]))
    if rep.agency:
        lines.append(f"{rep.label('agency_stake', agency=rep.agency['name'])}: {_n(rep.agency['at_stake'])}")
    lines.append(rep.label("source", source=rep.meta["source"]))
    return lines


# ---------------------------------------------------------------------------------------------
# Terminal


def _terminal_gaps(rep: Report, top: int | None) -> tuple[list[str], list[list[str]]]:
    """The ranked list for a terminal: short agency names, no target text."""
    head = [rep.label("rank"), rep.label("code"), rep.label("name"), rep.label("lead"), rep.meta["compare"]["indicators_against"],
            rep.label("now"), rep.label("at_stake"), rep.label("status")]
    rows = [[str(g["rank"]), g["code"], g["name"], "; ".join(g.get("lead_short") or g["lead"]), _n(g["previous"]), _n(g["now"]),
             _n(g["at_stake"]), rep.status_text(g["status"])] for g in (rep.gaps[:top] if top else rep.gaps)]
    return head, rows


def render_terminal(rep: Report, top: int | None = None):
    """A rich renderable of the whole report."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = [Text(rep.label("title", year=rep.meta["year"], province=rep.meta["province"]), style="bold"),
                        Text(rep.label("subtitle", compare=rep.meta["compare"]["label"]))]
    parts += [Text(x) for x in headline_lines(rep)]
    reg_title = rep.label("regressions", prev=rep.meta["compare"]["indicators_against"])
    for title, head, rows, note in _sections(rep, top):
        if not rows:
            parts.append(Text(f"{title}: {rep.label('none')}"))
            continue
        if title == rep.label("gaps"):  # the terminal is narrow: the files carry the target columns
            head, rows = _terminal_gaps(rep, top)
        t = Table(title=title, title_justify="left")
        for j, h in enumerate(head):
            numeric = all(not c or c[0] in "+-—0123456789" for c in (r[j] for r in rows))
            t.add_column(h, justify="right" if numeric else "left", overflow="fold")
        for r in rows:
            t.add_row(*[Text(c) for c in r], style="red" if title == reg_title else None)
        parts.append(t)
        if note:
            parts.append(Text(note, style="dim"))
    return Group(*parts)


# ---------------------------------------------------------------------------------------------
# JSON and CSV


def write_json(rep: Report, path: str | Path, *, force: bool = False, inputs: tuple[str, ...] = ()) -> Path:
    with atomic_output(path, force=force, inputs=inputs) as tmp:
        tmp.write_text(json.dumps(rep.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return Path(path)


CSV_COLUMNS = ["rank", "code", "name", "pillar", "lead", "max_points", "previous", "now", "change", "at_stake", "status", "target", "target_met"]


def write_csv(rep: Report, path: str | Path, *, force: bool = False, inputs: tuple[str, ...] = ()) -> Path:
    """The whole ranked list, UTF-8 with BOM (Excel opens it with the diacritics right)."""
    with atomic_output(path, force=force, inputs=inputs) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(CSV_COLUMNS)
        for g in rep.gaps:
            vals = {**g, "lead": "; ".join(g["lead"]), "target_met": "" if g["target_met"] is None else ("yes" if g["target_met"] else "no")}
            w.writerow([safe_csv_cell(vals[c]) for c in CSV_COLUMNS])
    return Path(path)


# ---------------------------------------------------------------------------------------------
# Markdown


_MD_SPECIAL = re.compile(r"([\\|*_`<>\[\]])")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*%?")


def md_escape(value: Any) -> str:
    """Markdown-safe cell text: special characters escaped, line breaks as spaces, no leading formula sign."""
    s = str(value).replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " ")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    if (looks_like_formula(str(value)) or s.startswith(("=", "+", "-", "@"))) and not _PLAIN_NUMBER.fullmatch(s):
        s = "\\" + s
    return s


def render_markdown(rep: Report, top: int | None = None) -> str:
    lines = [f"# {md_escape(rep.label('title', year=rep.meta['year'], province=rep.meta['province']))}", "",
             md_escape(rep.label("subtitle", compare=rep.meta["compare"]["label"])), "", f"## {rep.label('headline')}", ""]
    lines += [f"- {md_escape(x)}" for x in headline_lines(rep)]
    for title, head, rows, note in _sections(rep, top):
        lines += ["", f"## {md_escape(title)}", ""]
        if not rows:
            lines.append(md_escape(rep.label("none")))
            continue
        lines.append("| " + " | ".join(md_escape(h) for h in head) + " |")
        lines.append("|" + "|".join("---" for _ in head) + "|")
        lines += ["| " + " | ".join(md_escape(c) for c in r) + " |" for r in rows]
        if note:
            lines += ["", md_escape(note)]
    return "\n".join(lines) + "\n"


def write_markdown(rep: Report, path: str | Path, *, top: int | None = None, force: bool = False, inputs: tuple[str, ...] = ()) -> Path:
    with atomic_output(path, force=force, inputs=inputs) as tmp:
        tmp.write_text(render_markdown(rep, top), encoding="utf-8")
    return Path(path)


# ---------------------------------------------------------------------------------------------
# HTML (self-contained, printable on A4)

_CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "Times New Roman", "Noto Serif", serif; font-size: 11pt; color: #111; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 13pt; margin: 14pt 0 6pt; border-bottom: 1px solid #999; }
h3 { font-size: 11.5pt; margin: 10pt 0 4pt; }
section { page-break-before: always; break-before: page; } section.first { page-break-before: auto; break-before: auto; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; page-break-inside: auto; }
tr { page-break-inside: avoid; break-inside: avoid; } thead { display: table-header-group; }
th, td { border: 1px solid #888; padding: 2pt 4pt; vertical-align: top; text-align: left; }
th { background: #dde7f3; } td.num { text-align: right; white-space: nowrap; }
tr.declined td, tr.regression td { background: #fbe3e3; } tr.improved td { background: #e6f4e6; }
tr.no_data td, tr.needs_reference td { background: #fff4d6; }
.neg { color: #b00000; font-weight: bold; } .pos { color: #176b17; }
.txt { mso-number-format: "\\@"; } .note { color: #444; font-size: 9pt; } ul.head { padding-left: 16pt; }
"""


def _h(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _td(value: str, numeric: bool = False) -> str:
    cls = []
    if numeric:
        cls.append("num")
        if value.startswith("-") and value[1:2].isdigit():
            cls.append("neg")
        elif value.startswith("+"):
            cls.append("pos")
    if looks_like_formula(value) and not numeric:
        cls.append("txt")  # Excel's HTML import keeps the cell as text
    c = f' class="{" ".join(cls)}"' if cls else ""
    return f"<td{c}>{_h(value)}</td>"


_NUMERIC_HEADS = ("max", "now", "change", "at_stake", "gap", "index", "points_gain", "count")


def _problem_titles(rep: Report) -> set[str]:
    return {rep.label(k) for k in ("no_data", "needs_reference", "adjustments", "findings", "messages")}


def render_html(rep: Report, top: int | None = None) -> str:
    title = rep.label("title", year=rep.meta["year"], province=rep.meta["province"])
    numeric = {rep.label(k) for k in _NUMERIC_HEADS} | {rep.meta["compare"]["label"], rep.meta["compare"]["indicators_against"]}
    out = [f'<!DOCTYPE html>\n<html lang="{rep.lang}">\n<head>\n<meta charset="utf-8">\n<title>{_h(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>']
    out.append(f'<section class="first" id="headline"><h1>{_h(title)}</h1><p>{_h(rep.label("subtitle", compare=rep.meta["compare"]["label"]))}</p>')
    out.append('<ul class="head">' + "".join(f"<li>{_h(x)}</li>" for x in headline_lines(rep)) + "</ul>")
    status_of = {g["code"]: g["status"] for g in rep.gaps}
    reg_title = rep.label("regressions", prev=rep.meta["compare"]["indicators_against"])
    sections = _sections(rep, top)
    # A new printed page for: the ranked list, quick wins (with regressions), agencies, data problems.
    page_starts = {sections[2][0], rep.label("quick_wins"), rep.label("by_agency"), rep.label("no_data")}
    for title_s, head, rows, note in sections:
        if title_s in page_starts:
            out.append("</section>\n<section>")
        if title_s == rep.label("no_data"):
            out.append(f"<h2>{_h(rep.label('problems'))}</h2>")
        tag = "h3" if title_s in _problem_titles(rep) else "h2"
        out.append(f"<{tag}>{_h(title_s)}</{tag}>")
        if not rows:
            out.append(f"<p>{_h(rep.label('none'))}</p>")
        else:
            num_cols = {i for i, h in enumerate(head) if h in numeric}
            out.append("<table><thead><tr>" + "".join(f"<th>{_h(h)}</th>" for h in head) + "</tr></thead><tbody>")
            code_col = head.index(rep.label("code")) if rep.label("code") in head else None
            for r in rows:
                cls = ""
                if title_s == reg_title:
                    cls = ' class="regression"'
                elif code_col is not None and r[code_col] in status_of and head == gap_table(rep, 1)[0]:
                    cls = f' class="{status_of[r[code_col]]}"'
                out.append(f"<tr{cls}>" + "".join(_td(c, i in num_cols) for i, c in enumerate(r)) + "</tr>")
            out.append("</tbody></table>")
        if note:
            out.append(f'<p class="note">{_h(note)}</p>')
    out.append("</section>\n</body>\n</html>\n")
    return "\n".join(out)


def write_html(rep: Report, path: str | Path, *, top: int | None = None, force: bool = False, inputs: tuple[str, ...] = ()) -> Path:
    with atomic_output(path, force=force, inputs=inputs) as tmp:
        tmp.write_text(render_html(rep, top), encoding="utf-8")
    return Path(path)


# ---------------------------------------------------------------------------------------------
# Excel


def write_xlsx(rep: Report, path: str | Path, *, force: bool = False, inputs: tuple[str, ...] = ()) -> Path:
    """The report as a formatted workbook: summary with a native pillar chart, the full ranked list with
    conditional colours on change and status, quick wins, regressions, agencies and data problems."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.formatting.rule import CellIsRule, FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .safety import set_cell

    red = PatternFill("solid", fgColor="F8CBAD")
    green = PatternFill("solid", fgColor="C6EFCE")
    amber = PatternFill("solid", fgColor="FFEB9C")
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    bold = Font(bold=True)

    def header(ws, row: int, cols: list[str]) -> None:
        for j, c in enumerate(cols, 1):
            cell = ws.cell(row, j)
            set_cell(cell, c)
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    def put_rows(ws, start: int, rows: list[list[Any]]) -> None:
        for i, r in enumerate(rows, start):
            for j, v in enumerate(r, 1):
                set_cell(ws.cell(i, j), v)
                if isinstance(v, str):
                    ws.cell(i, j).alignment = Alignment(wrap_text=True, vertical="top")

    def widths(ws, w: list[int]) -> None:
        for j, x in enumerate(w, 1):
            ws.column_dimensions[get_column_letter(j)].width = x

    def landscape(ws) -> None:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

    wb = Workbook()
    ws = wb.active
    ws.title = rep.label("sheet_summary")
    set_cell(ws.cell(1, 1), rep.label("title", year=rep.meta["year"], province=rep.meta["province"]))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    for i, line in enumerate(headline_lines(rep), 2):
        set_cell(ws.cell(i, 1), line)
    top_row = len(headline_lines(rep)) + 3
    prev_label = rep.meta["compare"]["label"]
    cols = [rep.label("pillar"), rep.label("name"), rep.label("max"), prev_label, rep.label("now"), rep.label("change"), rep.label("gap"), rep.label("index")]
    header(ws, top_row, cols)
    put_rows(ws, top_row + 1, [[p["code"], p["name"], p["max_points"], p["previous"], p["now"], p["change"], p["gap"], p["index"]] for p in rep.pillars])
    last = top_row + len(rep.pillars)
    h = rep.headline
    put_rows(ws, last + 1, [["", "Tổng" if rep.lang == "vi" else "Total", h["max_points"], h["previous_total"], h["total_estimated"], h["change"],
                             round(h["max_points"] - h["total_estimated"], 3), round(h["total_estimated"] / h["max_points"], 4)]])
    for c in range(1, len(cols) + 1):
        ws.cell(last + 1, c).font = bold
    rng = f"F{top_row + 1}:F{last + 1}"
    ws.conditional_formatting.add(rng, CellIsRule(operator="lessThan", formula=["0"], fill=red))
    ws.conditional_formatting.add(rng, CellIsRule(operator="greaterThan", formula=["0"], fill=green))
    widths(ws, [8, 48, 9, 10, 10, 10, 10, 11])
    chart = BarChart()
    chart.type = "col"
    chart.title = rep.label("chart", prev=prev_label)
    chart.y_axis.title = "Điểm" if rep.lang == "vi" else "Points"
    chart.x_axis.title = rep.label("pillar")
    chart.x_axis.delete = chart.y_axis.delete = False  # recent Excel hides axes openpyxl leaves unset
    data = Reference(ws, min_col=4, max_col=5, min_row=top_row, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=top_row + 1, max_row=last))
    chart.height, chart.width = 8, 18
    ws.add_chart(chart, f"A{last + 3}")
    landscape(ws)

    # The whole ranked list (no --top): leaders filter in Excel.
    g = wb.create_sheet(rep.label("sheet_gaps"))
    head, _ = gap_table(rep, 1)
    header(g, 1, head)
    status_words = {s: rep.status_text(s) for s in STATUSES}
    put_rows(g, 2, [[x["rank"], x["code"], x["name"], "; ".join(x["lead"]), x["max_points"], x["previous"], x["now"], x["change"],
                     x["at_stake"], status_words[x["status"]], x["target"], _met(rep, x["target_met"])] for x in rep.gaps])
    n = len(rep.gaps) + 1
    if n > 1:
        g.conditional_formatting.add(f"H2:H{n}", CellIsRule(operator="lessThan", formula=["0"], fill=red))
        g.conditional_formatting.add(f"H2:H{n}", CellIsRule(operator="greaterThan", formula=["0"], fill=green))
        for st, fill in (("declined", red), ("improved", green), ("no_data", amber), ("needs_reference", amber)):
            word = status_words[st].replace('"', '""')
            g.conditional_formatting.add(f"J2:J{n}", FormulaRule(formula=[f'$J2="{word}"'], fill=fill))
        g.auto_filter.ref = f"A1:{get_column_letter(len(head))}{n}"
    g.freeze_panes = "C2"
    widths(g, [5, 9, 48, 30, 8, 9, 9, 9, 10, 16, 40, 10])
    g.print_title_rows = "1:1"
    landscape(g)

    for title, cols2, rows2 in (
        (rep.label("sheet_quick"), [rep.label("code"), rep.label("name"), rep.label("lead"), rep.label("points_gain")],
         [[q["code"], q["name"], "; ".join(q["lead"]), q["points"]] for q in rep.quick_wins]),
        (rep.label("sheet_regressions"), [rep.label("code"), rep.label("name"), rep.label("lead"), rep.meta["compare"]["indicators_against"], rep.label("now"), rep.label("change")],
         [[x["code"], x["name"], "; ".join(x["lead"]), x["previous"], x["now"], x["change"]] for x in rep.regressions]),
        (rep.label("sheet_agencies"), [rep.label("agency"), rep.label("at_stake"), rep.label("lagging")],
         [[a["agency"], a["at_stake"], ", ".join(a["indicators"])] for a in rep.agencies]),
    ):
        s = wb.create_sheet(title)
        header(s, 1, cols2)
        put_rows(s, 2, rows2)
        widths(s, [9 if len(cols2) > 3 else 40, 48, 30, 10, 10, 10][: len(cols2)] if len(cols2) > 3 else [40, 12, 60])
        s.freeze_panes = "A2"
        landscape(s)
        if title == rep.label("sheet_regressions") and rows2:
            s.conditional_formatting.add(f"A2:F{len(rows2) + 1}", FormulaRule(formula=["$F2<0"], fill=red))

    p = wb.create_sheet(rep.label("sheet_problems"))
    row = 1
    for title, cols3, rows3, note in [x for x in _sections(rep, None) if x[0] in (rep.label("no_data"), rep.label("needs_reference"), rep.label("adjustments"),
                                                                               rep.label("findings"), rep.label("messages"))]:
        set_cell(p.cell(row, 1), title)
        p.cell(row, 1).font = Font(bold=True, size=12)
        row += 1
        if note:
            set_cell(p.cell(row, 1), note)
            row += 1
        header(p, row, cols3)
        put_rows(p, row + 1, rows3 or [[rep.label("none")]])
        row += len(rows3 or [1]) + 2
    widths(p, [14, 48, 40, 20, 14])
    landscape(p)
    with atomic_output(path, force=force, inputs=inputs) as tmp:
        wb.save(tmp)
    return Path(path)


WRITERS = {".json": "json", ".csv": "csv", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def read_from(rep: Report) -> tuple[str, ...]:
    """Every file the report was built from: the scores, the comparison, and the merged workbook its findings came from."""
    found = (rep.meta.get("source"), (rep.meta.get("compare") or {}).get("source"), (rep.problems.get("findings") or {}).get("source"))
    return tuple(str(f) for f in found if f)


def write_report(rep: Report, path: str | Path, *, top: int | None = None, force: bool = False, inputs: tuple[str, ...] = ()) -> Path:
    """Write the report in the format its extension names (.xlsx, .html, .md, .json, .csv).

    Never over a file the report was read from, whatever ``inputs`` says: merged.xlsx beside the
    scores holds the focal point's adjustments and references, typed by hand.
    """
    kind = WRITERS.get(Path(path).suffix.lower())
    if kind is None:
        raise UsageError(f"{path}: không biết định dạng này; dùng một trong {', '.join(sorted(WRITERS))}.")
    inputs = (*inputs, *read_from(rep))
    if kind == "json":
        return write_json(rep, path, force=force, inputs=inputs)
    if kind == "csv":
        return write_csv(rep, path, force=force, inputs=inputs)
    if kind == "md":
        return write_markdown(rep, path, top=top, force=force, inputs=inputs)
    if kind == "html":
        return write_html(rep, path, top=top, force=force, inputs=inputs)
    return write_xlsx(rep, path, force=force, inputs=inputs)
