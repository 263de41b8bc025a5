"""Merge: check the returned workbooks again and consolidate them into one merged workbook.

Returned files are untrusted: typed over, pasted into, saved by another program, sent twice,
renamed, half-filled. Each file is read on its own (:func:`read_submission`, safe to run in a
worker process) into a :class:`Submission`: its stamp, cover, one :class:`Answer` per input and
its :class:`Finding` s. :func:`consolidate` then decides one value per input with its
provenance, and :func:`write_merged_workbook` writes it with :func:`dti_cli.merged.write_merged`.

Decisions where the methodology is silent (tested in tests/test_merge.py):

* A value is found by the visible input id in column A first; the defined name (``DTI_7_1_a``)
  is the fall-back. When both exist and point to different rows the rows were sorted (Excel
  sorts cell contents but leaves names in place), so column A wins and a warning says so.
* The same unit twice: the newer submission wins, by the stamp's ``generated_at``, then the
  cover date, then the file time; the older one is kept in Submissions as ``superseded``.
* Two units answering the same (not per-unit) input with different values: ``conflict``; the
  Data row has no value, both figures are in Units and in the finding. Equal answers are used.
* Per-unit inputs (4.5, 4.6, 1.9): combined over the units that answered. When some units
  have not answered, the combined value is still used (the sum of what arrived; for yes/no a
  decisive answer, e.g. one "Có" for ``any``) with a warning naming the missing units, so the
  focal point can score now and knows what the figure lacks. No unit at all: ``missing``.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .errors import UsageError
from .merged import encode_value
from .template import FORMAT, FORMAT_VERSION, assignments, defined_name  # imported before worker processes fork
from .text import clean
from .values import NO_DATA, NoData, parse_date, parse_value

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)

#: Extensions of workbooks merge reads when given a folder.
WORKBOOK_EXTS = (".xlsx", ".xlsm", ".xls", ".ods")
#: From this many files on, files are read in parallel worker processes.
PARALLEL_FROM = 50

NUMERIC = ("count", "number", "amount", "percent")

#: Every finding code merge produces, with its severity (tests check each one is produced).
CODES: dict[str, str] = {
    "FILE_UNREADABLE": ERROR,  # intake refused the file (its own code is kept when it has one)
    "READ_FAILED": ERROR,  # an unexpected exception while reading one file
    "NOT_DTI_TEMPLATE": ERROR,
    "TEMPLATE_VERSION": ERROR,
    "CATALOGUE_MISMATCH": ERROR,
    "PROVINCE_MISMATCH": ERROR,
    "YEAR_MISMATCH": ERROR,
    "UNKNOWN_UNIT": ERROR,
    "DATA_SHEET_MISSING": ERROR,
    "DUPLICATE_SUBMISSION": WARNING,
    "NOT_RECEIVED": WARNING,
    "NAME_MISMATCH": WARNING,
    "ROW_MISSING": WARNING,
    "ROW_DUPLICATED": WARNING,
    "UNEXPECTED_INPUT": WARNING,
    "VALUES_MISSING": WARNING,
    "FORMULA_NO_VALUE": ERROR,
    # What values.parse_value reports for one cell (its codes are kept as they are):
    "value.not_number": ERROR,
    "value.negative": ERROR,
    "value.too_large": ERROR,
    "value.not_whole": ERROR,
    "value.percent_range": ERROR,
    "value.not_yes_no": ERROR,
    "value.unknown_choice": ERROR,
    "value.error": ERROR,
    "value.ambiguous_number": WARNING,
    "value.dash": WARNING,
    "EVIDENCE_MISSING": WARNING,
    "PART_EXCEEDS_WHOLE": ERROR,
    "REQUIRES_UNMET": WARNING,
    "CONFLICT": ERROR,
    "INCOMPLETE_COMBINED": WARNING,
}


@dataclass
class Finding:
    """One problem found in the returned data: a stable code, where it is, and what to do (Vietnamese)."""

    code: str
    severity: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    input_id: str = ""
    unit_id: str = ""

    def to_row(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "file": self.file, "sheet": self.sheet, "cell": self.cell,
                "input_id": self.input_id, "message": self.message}

    def to_dict(self) -> dict[str, Any]:
        return {**self.to_row(), "unit_id": self.unit_id}


@dataclass
class Answer:
    """What one file says about one input."""

    input_id: str
    status: str  # ok | no_data | missing | invalid
    value: Any = None  # float | bool | str (choice code) | NO_DATA | None
    raw: Any = None
    sheet: str = ""
    cell: str = ""
    evidence: str = ""
    note: str = ""
    asked: bool = True  # False: a row the template did not ask for (not used)

    @property
    def usable(self) -> bool:
        return self.status in ("ok", "no_data")


@dataclass
class Submission:
    """One returned file, read and checked on its own."""

    path: str
    sha256: str = ""
    size: int = 0
    mtime: float = 0.0
    verdict: str = "accepted"  # accepted | accepted_with_warnings | rejected | superseded
    reason: str = ""
    unit_id: str = ""
    unit_name: str = ""
    stamp: dict[str, str] = field(default_factory=dict)
    cover: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    superseded_by: str = ""
    data_sheet: str = ""

    @functools.cached_property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def rejected(self) -> bool:
        return self.verdict == "rejected"

    @property
    def current(self) -> bool:
        return self.verdict in ("accepted", "accepted_with_warnings")

    def add(self, code: str, message: str, *, sheet: str = "", cell: str = "", input_id: str = "", severity: str | None = None) -> Finding:
        f = Finding(code, severity or CODES.get(code, ERROR), message, self.name, sheet, cell, input_id, self.unit_id)
        self.findings.append(f)
        return f

    def reject(self, code: str, message: str, exc: BaseException | None = None) -> Submission:
        cls = type(exc).__name__ if exc is not None else ""
        self.verdict = "rejected"
        self.reason = f"{code} ({cls})" if cls else code
        self.add(code, message + (f" [{cls}]" if cls else ""), severity=ERROR)
        return self

    @property
    def completeness(self) -> float:
        if not self.asked:
            return 0.0
        return sum(1 for i in self.asked if i in self.answers and self.answers[i].usable) / len(self.asked)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def order_key(self) -> tuple[str, str, float]:
        """Newer sorts later: the template's generation time, then the cover date, then the file time."""
        cd = self.cover.get("date")
        return (self.stamp.get("generated_at", ""), cd.isoformat() if isinstance(cd, (date, datetime)) else "", self.mtime)


@dataclass(frozen=True)
class Expect:
    """What every returned file must match (picklable, sent once to each worker process)."""

    catalogue: Any
    profile_id: str
    unit_ids: frozenset[str]
    unit_names: dict[str, str]
    year: int
    #: Input ids that clean() leaves as they are: a cell holding exactly one of them needs no cleaning.
    clean_ids: frozenset[str] = frozenset()


def expect_from(ctx: Any, year: int | None = None) -> Expect:
    cat = ctx.catalogue
    return Expect(cat, ctx.profile.id, frozenset(u.id for u in ctx.profile.units),
                  {u.id: u.name for u in ctx.profile.units}, int(year or cat.year), frozenset(i for i in cat.inputs if clean(i) == i))


# ---------------------------------------------------------------------------------------------
# Finding the files


def collect_paths(args: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()) -> list[Path]:
    """Files, folders (searched recursively for workbooks) and glob patterns → sorted unique files.

    Excel's lock files (``~$name.xlsx``) and hidden files inside folders are skipped, and so is
    anything under ``exclude`` (the output file, the feedback folder). A file without any extension
    in a folder is read too (an attachment saved as "noname" is often the workbook): intake knows a
    workbook by its bytes, and anything else is rejected with its reason rather than silently left out.
    """
    excl = [str(Path(e).resolve()) for e in exclude]
    under = [e.rstrip(os.sep) + os.sep for e in excl]
    real_dirs: dict[Path, str] = {}

    def excluded(p: Path) -> bool:
        """p.resolve() is an excluded path or under one (a folder's real path is resolved once, not per file)."""
        if not excl:
            return False
        if p.is_symlink():
            rp = str(p.resolve())
        else:
            real = real_dirs.get(p.parent)
            if real is None:
                real = real_dirs[p.parent] = str(p.parent.resolve())
            rp = os.path.join(real, p.name)
        return any(rp == e or rp.startswith(u) for e, u in zip(excl, under, strict=True))

    found: dict[Path, None] = {}
    for a in args:
        s = str(a)
        p = Path(s)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if (f.is_file() and (f.suffix.lower() in WORKBOOK_EXTS or not f.suffix) and not f.name.startswith(("~$", "."))
                        and not excluded(f)):
                    found.setdefault(f, None)
        elif p.is_file():
            found.setdefault(p, None)
        elif any(ch in s for ch in "*?["):
            hits = [Path(h) for h in sorted(glob.glob(s, recursive=True))]
            files = [h for h in hits if h.is_file() and not h.name.startswith("~$") and not excluded(h)]
            if not files:
                raise UsageError(f"{s}: không có tệp nào khớp mẫu này.")
            for h in files:
                found.setdefault(h, None)
        else:
            raise UsageError(f"{s}: không tìm thấy tệp hoặc thư mục này.")
    if not found:
        raise UsageError("Không tìm thấy tệp Excel (.xlsx, .xlsm, .xls, .ods) nào trong các đường dẫn đã cho.")
    return sorted(found, key=lambda p: str(p))


def file_sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# Reading one file


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return clean(str(v))


def _row_of(ref: str) -> int:
    digits = "".join(ch for ch in ref if ch.isdigit())
    return int(digits) if digits else 0


def _col_of(ref: str) -> str:
    return "".join(ch for ch in ref.replace("$", "") if ch.isalpha()).upper()


@functools.lru_cache(maxsize=4096)
def _value_row(ref: str) -> int | None:
    """The row of a defined name's cell when it is in column F (the value column), else None."""
    return _row_of(ref) if _col_of(ref) == "F" else None


#: An input's defined name, computed once per input id (the catalogue's ids, a few hundred).
_defined_name = functools.lru_cache(maxsize=4096)(defined_name)


def read_stamp(raw: Any) -> dict[str, str] | None:
    """The hidden ``_dti`` sheet as a dict, or None when the workbook has none."""
    sheet = raw.sheets.get("_dti")
    if sheet is None:
        return None
    stamp: dict[str, str] = {}
    for _, values in sheet.rows():
        if values and values[0] is not None and str(values[0]).strip():
            stamp[str(values[0]).strip()] = _text(values[1]) if len(values) > 1 else ""
    return stamp


def _check_stamp(sub: Submission, stamp: dict[str, str] | None, ex: Expect) -> bool:
    cat = ex.catalogue
    if not stamp or stamp.get("format") != FORMAT:
        sub.reject("NOT_DTI_TEMPLATE", f"Tệp {sub.name} không phải phiếu thu thập số liệu DTI do dti tạo ra (không có trang ẩn '_dti'). "
                                       "Hãy dùng đúng phiếu đã gửi cho đơn vị, hoặc gửi lại phiếu bằng lệnh dti template.")
        return False
    if stamp.get("format_version") != FORMAT_VERSION:
        sub.reject("TEMPLATE_VERSION", f"Tệp {sub.name} là phiếu phiên bản định dạng {stamp.get('format_version')!r}, "
                                       f"công cụ này đọc phiên bản {FORMAT_VERSION}. Hãy gửi lại phiếu mới cho đơn vị.")
        return False
    got = (stamp.get("catalogue_id"), stamp.get("catalogue_version"), stamp.get("catalogue_sha256"))
    if got != (cat.id, cat.version, cat.sha256):
        sub.reject("CATALOGUE_MISMATCH", f"Tệp {sub.name} được tạo theo bộ chỉ số {got[0]} phiên bản {got[1]}, khác bộ chỉ số đang dùng "
                                         f"({cat.id} phiên bản {cat.version}). Hãy gửi lại phiếu tạo từ bộ chỉ số hiện hành.")
        return False
    if stamp.get("province_id") != ex.profile_id:
        sub.reject("PROVINCE_MISMATCH", f"Tệp {sub.name} là phiếu của tỉnh {stamp.get('province') or stamp.get('province_id')!r}, "
                                        "không phải của tỉnh đang tổng hợp. Kiểm tra lại tệp nhận được.")
        return False
    if stamp.get("year") != str(ex.year):
        sub.reject("YEAR_MISMATCH", f"Tệp {sub.name} là phiếu năm {stamp.get('year')}, đang tổng hợp năm {ex.year}. "
                                    "Có thể đơn vị gửi nhầm phiếu năm trước.")
        return False
    uid = stamp.get("unit_id", "")
    if uid not in ex.unit_ids:
        sub.reject("UNKNOWN_UNIT", f"Tệp {sub.name} ghi đơn vị {uid!r}, không có trong danh sách cơ quan của tỉnh. Kiểm tra lại tệp.")
        return False
    sub.unit_id = uid
    sub.unit_name = ex.unit_names.get(uid, stamp.get("unit_name", uid))
    return True


def _find_data_sheet(raw: Any, stamp: dict[str, str]) -> str | None:
    title = stamp.get("data_sheet", "")
    if title in raw.sheets:
        return title
    # Renamed: the sheet the input names point to, else the one with the header "Mã số liệu" / "Input id".
    counts: dict[str, int] = {}
    for name, (sheet, _) in raw.defined_names.items():
        if name.startswith("DTI_") and not name.startswith("DTI_COVER_"):
            counts[sheet] = counts.get(sheet, 0) + 1
    if counts:
        best = max(counts, key=lambda s: counts[s])
        if best in raw.sheets:
            return best
    for t in raw.sheet_order:
        v = _text(raw.sheets[t].cell("A4")) if t in raw.sheets else ""
        if v in ("Mã số liệu", "Input id"):
            return t
    return None


def _read_cover(raw: Any) -> dict[str, Any]:
    cover: dict[str, Any] = {}
    for key in ("AGENCY", "NAME", "POSITION", "PHONE", "EMAIL", "DATE"):
        loc = raw.defined_names.get(f"DTI_COVER_{key}")
        if not loc or loc[0] not in raw.sheets:
            continue
        v = raw.sheets[loc[0]].cell(loc[1].replace("$", ""))
        if key == "DATE":
            d = parse_date(v) if v not in (None, "") else None
            cover["date"] = d
            cover["date_text"] = _text(v) if not isinstance(v, (date, datetime)) else v.strftime("%d/%m/%Y")
        else:
            cover[key.lower()] = _text(v)
    return cover


def read_submission(path: str | os.PathLike, ex: Expect) -> Submission:
    """Read and check one returned workbook. Never raises: every problem is a finding on the submission."""
    p = Path(path)
    sub = Submission(path=str(p))
    try:
        return _read_submission(p, sub, ex)
    except Exception as e:  # one bad file never stops the others: record it and go on
        from .intake import IntakeError

        if isinstance(e, IntakeError):
            # Raised while a sheet was being read: what was read before it is dropped, as if the open had refused the file.
            refused = Submission(path=sub.path, size=sub.size, mtime=sub.mtime)  # no sha256: never opened again (feedback)
            msg = getattr(e, "message_vi", "") or str(e)
            code = getattr(e, "code", "") or "FILE_UNREADABLE"
            refused.reject(code, f"Không đọc được tệp {p.name}: {msg}", e)
            return refused
        sub.reject("READ_FAILED", f"Lỗi khi đọc tệp {p.name}: {type(e).__name__}: {e}. Tệp bị bỏ qua; hãy mở thử bằng Excel, "
                                  "lưu lại dạng .xlsx rồi gửi lại.", e)
        return sub


def _read_submission(p: Path, sub: Submission, ex: Expect) -> Submission:
    from .intake import open_workbook

    st = p.stat()
    sub.size, sub.mtime = st.st_size, st.st_mtime
    # Lazily: only the sheets merge reads (stamp, cover, data) are parsed. raw.finish() then checks
    # the others (a hostile or malformed part refuses the file, whatever the verdict); a file already
    # rejected has them read in full, so its reason is the one an eager open would have given.
    raw = open_workbook(p, lazy=True)
    sub.sha256 = getattr(raw, "sha256", "") or file_sha256(p)
    _read_opened(p, raw, sub, ex)
    raw.finish(full=sub.rejected)
    return sub


def _read_opened(p: Path, raw: Any, sub: Submission, ex: Expect) -> None:
    for note in getattr(raw, "notes", ()):  # read anyway, e.g. saved as .xls or .ods
        sub.add(note.code, note.message_vi, severity=WARNING)
    stamp = read_stamp(raw)
    sub.stamp = dict(stamp or {})
    if not _check_stamp(sub, stamp, ex):
        return
    assert stamp is not None
    sub.cover = _read_cover(raw)
    data = _find_data_sheet(raw, stamp)
    if data is None:
        sub.reject("DATA_SHEET_MISSING", f"Tệp {p.name}: không tìm thấy trang '{stamp.get('data_sheet')}' chứa số liệu "
                                         "(trang bị xoá hoặc đổi tên). Hãy điền lại vào phiếu gốc.")
        return
    sub.data_sheet = data
    cat = ex.catalogue
    sub.asked = [i for i in (x.strip() for x in stamp.get("input_ids", "").split(",")) if i and i in cat.inputs]
    _read_answers(raw, sub, data, cat, ex.clean_ids)
    _check_file_pairs(sub, cat)
    empty = [i for i in sub.asked if sub.answers.get(i) and sub.answers[i].status == "missing"]
    if empty:
        sub.add("VALUES_MISSING", f"Còn {len(empty)}/{len(sub.asked)} số liệu chưa điền: {', '.join(empty[:15])}"
                                  f"{' …' if len(empty) > 15 else ''}. Đề nghị đơn vị điền giá trị hoặc ghi 'Không có số liệu'.",
                sheet=data)
    sub.verdict = "accepted_with_warnings" if any(f.severity in (ERROR, WARNING) for f in sub.findings) else "accepted"


def _read_answers(raw: Any, sub: Submission, data: str, cat: Any, exact: frozenset[str] = frozenset()) -> None:
    sheet = raw.sheets[data]
    rows: dict[int, list[Any]] = {}
    by_id: dict[str, list[int]] = {}
    for n, values in sheet.rows():
        a = values[0] if values else ""
        if not (type(a) is str and a in exact):  # the usual id in column A is used as it is
            a = _text(a)
        if a in cat.inputs:
            rows[n] = values
            by_id.setdefault(a, []).append(n)
    formulas = getattr(sheet, "formulas", {}) or {}

    def col(values: list[Any] | None, letter: str) -> Any:
        j = ord(letter) - ord("A")
        return values[j] if values is not None and j < len(values) else None

    asked = set(sub.asked)
    for iid in [*sub.asked, *(i for i in by_id if i not in asked)]:
        inp = cat.inputs[iid]
        a_rows = by_id.get(iid, [])
        row = a_rows[0] if a_rows else None
        if len(a_rows) > 1:
            filled = [r for r in a_rows if col(rows[r], "F") not in (None, "")]
            row = filled[0] if filled else a_rows[0]
            sub.add("ROW_DUPLICATED", f"Mã số liệu {iid} xuất hiện ở {len(a_rows)} dòng ({', '.join(map(str, a_rows))}); "
                                      f"lấy dòng {row}. Đề nghị xoá các dòng thừa.", sheet=data, cell=f"A{row}", input_id=iid)
        loc = raw.defined_names.get(_defined_name(iid))
        name_row = _value_row(loc[1]) if loc and loc[0] == data else None
        if row is not None and name_row is not None and name_row != row:
            sub.add("NAME_MISMATCH", f"Số liệu {iid} nay nằm ở dòng {row} (theo cột A) nhưng tên vùng {defined_name(iid)} chỉ ô F{name_row}: "
                                     f"các dòng có thể đã bị sắp xếp lại. Đã lấy giá trị ở ô F{row}; đề nghị kiểm tra.",
                    sheet=data, cell=f"F{row}", input_id=iid)
        elif row is None and name_row is not None and _text(sheet.cell(f"A{name_row}")) == "" and sheet.cell(f"F{name_row}") not in (None, ""):
            # Column A was cleared but the name still points to a filled value cell: use it, and say so.
            # (When a row is deleted the name points to the next row, which has another id: not used.)
            row = name_row
            rows.setdefault(row, _row_values(sheet, row))
            sub.add("NAME_MISMATCH", f"Không thấy mã {iid} ở cột A; đã lấy giá trị theo tên vùng {defined_name(iid)} (ô F{row}). "
                                     "Đề nghị không sửa cột Mã số liệu.", sheet=data, cell=f"F{row}", input_id=iid)
        if row is None:
            if iid in asked:
                sub.add("ROW_MISSING", f"Không tìm thấy dòng của số liệu {iid} ({inp.label_vi}); có thể dòng đã bị xoá. "
                                       "Đề nghị điền lại vào phiếu gốc.", sheet=data, input_id=iid)
                sub.answers[iid] = Answer(iid, "missing", sheet=data)
            continue
        values = rows[row]
        ref = f"F{row}"
        ans = _answer(sub, inp, col(values, "F"), formulas.get(ref), data, ref)
        ans.evidence = " | ".join(x for x in (_text(col(values, "G")), _text(col(values, "H"))) if x)
        ans.note = _text(col(values, "I"))
        if iid not in asked:
            ans.asked = False
            sub.add("UNEXPECTED_INPUT", f"Dòng {row} có số liệu {iid}, không thuộc phiếu của {sub.unit_name}; giá trị này không được dùng. "
                                        "Nếu đơn vị có số liệu này, đề nghị gửi cho cơ quan chủ trì.", sheet=data, cell=ref, input_id=iid)
        elif ans.status == "ok":
            _check_evidence(sub, inp, ans, cat)
        sub.answers[iid] = ans


def _row_values(sheet: Any, row: int) -> list[Any]:
    return [sheet.cell(f"{c}{row}") for c in "ABCDEFGHI"]


def _answer(sub: Submission, inp: Any, raw: Any, formula: str | None, sheet: str, ref: str) -> Answer:
    ans = Answer(inp.id, "missing", raw=raw, sheet=sheet, cell=ref)
    if formula and (raw is None or raw == ""):
        ans.status, ans.raw = "invalid", "=" + formula.lstrip("=")
        sub.add("FORMULA_NO_VALUE", f"Ô {ref} ({inp.id}) chứa công thức ={formula.lstrip('=')} nhưng không có giá trị đã tính "
                                    "(tệp lưu bởi chương trình không tính công thức). Đề nghị nhập trực tiếp con số.",
                sheet=sheet, cell=ref, input_id=inp.id)
        return ans
    lang = sub.stamp.get("lang", "vi")
    parsed = parse_value(raw, inp, lang=lang)
    if not parsed.ok:
        ans.status = "invalid"
        sub.add(parsed.code or "INVALID_VALUE", f"Ô {ref} ({inp.id}): {parsed.message_vi or f'giá trị {raw!r} không hợp lệ.'}",
                sheet=sheet, cell=ref, input_id=inp.id, severity=ERROR)
        return ans
    if parsed.code and parsed.message_vi:  # read, with a warning (e.g. an ambiguous "1.234")
        sub.add(parsed.code, f"Ô {ref} ({inp.id}): {parsed.message_vi}", sheet=sheet, cell=ref, input_id=inp.id, severity=WARNING)
    v = parsed.value
    if v is None:
        return ans
    if isinstance(v, NoData):
        ans.status, ans.value = "no_data", NO_DATA
        return ans
    ans.status, ans.value = "ok", v  # range, sign and wholeness are checked by values.parse_value
    return ans


def _show(v: Any) -> str:
    if isinstance(v, bool):
        return "Có" if v else "Không"
    if isinstance(v, NoData):
        return "Không có số liệu"
    if isinstance(v, float):
        return f"{v:,.6f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",").replace("\u202f", ".")
    return str(v)


def _zero_points_choice(cat: Any, inp: Any, value: Any) -> bool:
    """True when the answer earns nothing (then no evidence is needed): 'Không', 0, or a 0-point choice."""
    if value is False or value == 0:
        return True
    if inp.type == "choice":
        rules = [cat.indicators[inp.indicator].rule, *cat.indicators[inp.indicator].rule.parts]
        for r in rules:
            if r.kind == "choice" and r.input == inp.id:
                return dict(r.points).get(value, 1.0) == 0
    return False


def _check_evidence(sub: Submission, inp: Any, ans: Answer, cat: Any) -> None:
    if not inp.evidence_required or ans.evidence or _zero_points_choice(cat, inp, ans.value):
        return
    row = _row_of(ans.cell)
    sub.add("EVIDENCE_MISSING", f"Số liệu {inp.id} ({_show(ans.value)}) cần văn bản minh chứng: đề nghị ghi số, ngày văn bản (cột G) "
                                "hoặc đường dẫn (cột H).", sheet=ans.sheet, cell=f"G{row}", input_id=inp.id)


def _check_file_pairs(sub: Submission, cat: Any) -> None:
    """A part never larger than its whole, when both are in this file."""
    for iid, ans in sub.answers.items():
        inp = cat.inputs[iid]
        whole = sub.answers.get(inp.part_of or "")
        if inp.part_of and ans.status == "ok" and whole is not None and whole.status == "ok" and _gt(ans.value, whole.value):
            ans.status = "invalid"
            sub.add("PART_EXCEEDS_WHOLE", f"Ô {ans.cell} ({iid} = {_show(ans.value)}) lớn hơn {inp.part_of} = {_show(whole.value)} "
                                          f"(ô {whole.cell}); phần không thể lớn hơn tổng. Đề nghị kiểm tra lại hai số liệu.",
                    sheet=ans.sheet, cell=ans.cell, input_id=iid)


def _gt(a: Any, b: Any) -> bool:
    num = (int, float)
    return isinstance(a, num) and isinstance(b, num) and not isinstance(a, bool) and not isinstance(b, bool) and a > b + 1e-9


# ---------------------------------------------------------------------------------------------
# Reading many files

_WORKER_EXPECT: Expect | None = None


def _init_worker(ex: Expect) -> None:
    global _WORKER_EXPECT
    _WORKER_EXPECT = ex
    import gc

    gc.freeze()  # what the worker inherits (modules, the catalogue) is never garbage: the collector need not scan it again


def _read_in_worker(path: str) -> Submission:
    assert _WORKER_EXPECT is not None
    return read_submission(path, _WORKER_EXPECT)


def read_submissions(paths: list[Path], ex: Expect, *, on_file: Callable[[Submission], None] | None = None,
                     workers: int | None = None) -> list[Submission]:
    """Read every file (in parallel from PARALLEL_FROM files on); results in path order."""
    paths = sorted(paths, key=str)
    n = workers if workers is not None else (min(os.cpu_count() or 1, 8) if len(paths) >= PARALLEL_FROM else 1)
    out: list[Submission] = []
    if n <= 1:
        for p in paths:
            s = read_submission(p, ex)
            out.append(s)
            if on_file:
                on_file(s)
        return out
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=n, initializer=_init_worker, initargs=(ex,)) as pool:
        for s in pool.map(_read_in_worker, [str(p) for p in paths], chunksize=max(1, min(16, len(paths) // (n * 8)))):
            out.append(s)
            if on_file:
                on_file(s)
    return out


# ---------------------------------------------------------------------------------------------
# Consolidating


@dataclass
class MergeResult:
    """Everything the merged workbook holds, as data."""

    submissions: list[Submission]
    data: list[dict[str, Any]]
    units: list[dict[str, Any]]
    expected: dict[str, list[str]]  # unit id → input ids it was asked for
    findings: list[Finding]  # file findings and consolidation findings, in a stable order
    not_received: list[str]  # unit ids expected and absent
    references: list[dict[str, Any]]
    year: int
    stamp: dict[str, str]
    unit_names: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)

    def statuses(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.data:
            out[r["status"]] = out.get(r["status"], 0) + 1
        return out


def _ts(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).astimezone().isoformat(timespec="seconds") if t else ""


def _resolve_duplicates(subs: list[Submission]) -> list[Finding]:
    found: list[Finding] = []
    by_unit: dict[str, list[Submission]] = {}
    for s in subs:
        if s.current:
            by_unit.setdefault(s.unit_id, []).append(s)
    for group in by_unit.values():
        if len(group) < 2:
            continue
        # Newest last; an identical copy (same bytes) loses to the first one by path.
        group.sort(key=lambda s: (s.order_key(), -subs.index(s)))
        winner = group[-1]
        for old in group[:-1]:
            old.verdict, old.superseded_by = "superseded", winner.name
            same = old.sha256 == winner.sha256
            msg = (f"Tệp {old.name} giống hệt tệp {winner.name} của {winner.unit_name} (gửi hai lần); chỉ dùng một tệp." if same else
                   f"{winner.unit_name} gửi nhiều tệp: dùng tệp mới hơn {winner.name}; tệp {old.name} bị thay thế và không được dùng.")
            f = Finding("DUPLICATE_SUBMISSION", INFO if same else WARNING, msg, old.name, unit_id=old.unit_id)
            old.findings.append(f)
            found.append(f)
    return found


def consolidate(ctx: Any, subs: list[Submission], *, year: int | None = None, expected: dict[str, list[str]] | None = None) -> MergeResult:
    """One value per input of the catalogue, with provenance; findings for what needs a person."""
    cat, prof = ctx.catalogue, ctx.profile
    year = int(year or cat.year)
    if expected is None:
        expected = {a.unit.id: [i.id for i in a.inputs] for a in assignments(ctx)}
    _resolve_duplicates(subs)
    current = {s.unit_id: s for s in subs if s.current}
    # Who answers what: the assignments, and whatever a current file's stamp says it was asked.
    suppliers: dict[str, list[str]] = {}
    supplying: set[tuple[str, str]] = set()  # (input, unit) pairs already in suppliers: no list scan per file
    for uid, ids in expected.items():
        for iid in ids:
            suppliers.setdefault(iid, []).append(uid)
            supplying.add((iid, uid))
    for s in current.values():
        for iid in s.asked:
            if (iid, s.unit_id) not in supplying:
                supplying.add((iid, s.unit_id))
                suppliers.setdefault(iid, []).append(s.unit_id)
    names = {u.id: u.name for u in prof.units}
    extra: list[Finding] = []
    data: list[dict[str, Any]] = []
    units_rows: list[dict[str, Any]] = []
    not_received = [uid for uid in expected if uid not in current]
    for uid in not_received:
        extra.append(Finding("NOT_RECEIVED", WARNING, f"Chưa nhận được phiếu của {names.get(uid, uid)} ({len(expected[uid])} số liệu). "
                                                      "Đề nghị đôn đốc đơn vị gửi phiếu.", unit_id=uid))

    for inp in cat.inputs.values():
        ind = cat.indicators[inp.indicator]
        row: dict[str, Any] = {"input_id": inp.id, "indicator": inp.indicator, "label": inp.label_vi, "value": None,
                               "unit": inp.unit, "status": "missing", "source_agency": "", "source_file": "", "sheet": "",
                               "cell": "", "evidence": "", "note": "", "sha256": ""}
        who = suppliers.get(inp.id, [])
        if inp.per_unit:
            _combine(inp, who, current, names, row, units_rows, extra)
        else:
            _single(inp, who, current, names, row, units_rows, extra)
        if row["status"] in ("ok", "no_data"):
            row["value"] = encode_value(row["value"])
        row["_ind"] = ind
        data.append(row)
    _check_requires(cat, data, extra)
    for r in data:
        r.pop("_ind", None)
        r.pop("_value", None)

    findings = [f for s in subs for f in s.findings] + extra
    references = [{"indicator": ind.code, "key": k, "value": None, "source": ""}
                  for ind in cat.indicators.values() for k in _reference_keys(ind.rule)]
    stamp = {"catalogue_id": cat.id, "catalogue_version": cat.version, "catalogue_sha256": cat.sha256,
             "province_id": prof.id, "year": str(year)}
    return MergeResult(subs, data, units_rows, expected, findings, not_received, references, year, stamp, names)


def _reference_keys(rule: Any) -> list[str]:
    from .catalogue import REFERENCE_KEYS

    keys = list(REFERENCE_KEYS.get(rule.kind, ()))
    for p in rule.parts:
        keys += [k for k in _reference_keys(p) if k not in keys]
    return keys


def _provenance(row: dict[str, Any], s: Submission, a: Answer) -> None:
    row.update(source_agency=s.unit_name, source_file=s.name, sheet=a.sheet, cell=a.cell, evidence=a.evidence, note=a.note, sha256=s.sha256)


def _single(inp: Any, who: list[str], current: dict[str, Submission], names: dict[str, str], row: dict[str, Any],
            units_rows: list[dict[str, Any]], extra: list[Finding]) -> None:
    answers = [(current[u], current[u].answers[inp.id]) for u in who if u in current and inp.id in current[u].answers]
    usable = [(s, a) for s, a in answers if a.usable]
    if not usable:
        if answers:
            s, a = answers[0]
            _provenance(row, s, a)
            row["status"] = a.status
            if a.status == "invalid":
                row["value"] = _text(a.raw) if a.raw is not None else None
                row["note"] = "; ".join(x for x in (a.note, "giá trị không hợp lệ, xem Findings") if x)
        else:
            absent = [names.get(u, u) for u in who if u not in current]
            row["note"] = f"chưa nhận được phiếu của {', '.join(absent)}" if absent else ("không đơn vị nào được giao" if not who else "")
            if who:
                row["source_agency"] = ", ".join(names.get(u, u) for u in who)
        return
    distinct = {_key(a.value) for _, a in usable}
    if len(distinct) == 1:
        s, a = usable[0]
        _provenance(row, s, a)
        row["status"] = "no_data" if a.status == "no_data" else "ok"
        row["value"] = a.value
        if len(usable) > 1:
            row["source_agency"] = ", ".join(s.unit_name for s, _ in usable)
            row["note"] = "; ".join(x for x in (a.note, "các đơn vị báo cùng giá trị") if x)
        return
    row["status"] = "conflict"
    parts = [f"{s.unit_name} = {_show(a.value)} ({s.name}, {a.cell})" for s, a in usable]
    row["source_agency"] = ", ".join(s.unit_name for s, _ in usable)
    row["source_file"] = ", ".join(s.name for s, _ in usable)
    row["note"] = "mâu thuẫn: " + "; ".join(parts)
    for s, a in usable:
        units_rows.append({"input_id": inp.id, "unit_id": s.unit_id, "unit_name": s.unit_name, "value": _unit_value(a),
                           "status": "conflict", "source_file": s.name, "cell": f"{a.sheet}!{a.cell}"})
    extra.append(Finding("CONFLICT", ERROR, f"Số liệu {inp.id} ({inp.label_vi}) có giá trị khác nhau: {'; '.join(parts)}. "
                                            "Chưa dùng giá trị nào; đề nghị thống nhất với các đơn vị rồi ghi vào trang Adjustments.",
                         ", ".join(s.name for s, _ in usable), input_id=inp.id))


def _key(v: Any) -> Any:
    if isinstance(v, NoData):
        return ("no_data",)
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, (int, float)):
        return ("num", round(float(v), 9))
    return ("text", str(v))


def _unit_value(a: Answer) -> Any:
    if a.status == "invalid":
        return _text(a.raw) if a.raw is not None else None
    return encode_value(a.value)


def _combine(inp: Any, who: list[str], current: dict[str, Submission], names: dict[str, str], row: dict[str, Any],
             units_rows: list[dict[str, Any]], extra: list[Finding]) -> None:
    got: list[tuple[Submission, Answer]] = []
    lacking: list[str] = []  # units whose figure is not usable (not sent, empty, invalid)
    no_data = 0
    for uid in who:
        s = current.get(uid)
        a = s.answers.get(inp.id) if s else None
        if s is None or a is None:
            units_rows.append({"input_id": inp.id, "unit_id": uid, "unit_name": names.get(uid, uid), "value": None,
                               "status": "missing", "source_file": "", "cell": ""})
            lacking.append(names.get(uid, uid))
            continue
        units_rows.append({"input_id": inp.id, "unit_id": uid, "unit_name": s.unit_name, "value": _unit_value(a),
                           "status": a.status, "source_file": s.name, "cell": f"{a.sheet}!{a.cell}" if a.cell else ""})
        if a.status == "ok":
            got.append((s, a))
        elif a.status == "no_data":
            no_data += 1
        else:
            lacking.append(s.unit_name)
    row["source_agency"] = f"{len(got)}/{len(who)} đơn vị (xem trang Units)"
    row["sheet"] = "Units"
    if not got:
        row["status"] = "no_data" if no_data and not lacking else "missing"
        row["note"] = "không đơn vị nào có số liệu" if row["status"] == "no_data" else f"chưa có số liệu của {len(lacking)} đơn vị"
        return
    vals = [a.value for _, a in got]
    if inp.combine == "sum":
        value: Any = float(sum(float(v) for v in vals))
        decided = False
    elif inp.combine == "any":
        value = any(bool(v) for v in vals)
        decided = value  # one "Có" settles "any"
    else:  # all
        value = all(bool(v) for v in vals)
        decided = not value  # one "Không" settles "all"
    row["status"], row["value"] = "ok", value
    how = {"sum": "tổng", "any": "có ít nhất một đơn vị", "all": "tất cả các đơn vị"}[inp.combine]
    row["note"] = f"{how} của {len(got)} đơn vị" + (f"; {no_data} đơn vị không có số liệu" if no_data else "")
    if lacking and not decided:
        shown = ", ".join(lacking[:8]) + (f" và {len(lacking) - 8} đơn vị khác" if len(lacking) > 8 else "")
        row["note"] += f"; THIẾU {len(lacking)} đơn vị"
        extra.append(Finding("INCOMPLETE_COMBINED", WARNING,
                             f"Số liệu {inp.id} ({inp.label_vi}) mới tổng hợp từ {len(got)}/{len(who)} đơn vị; còn thiếu: {shown}. "
                             f"Giá trị tạm tính = {_show(value)}; sẽ thay đổi khi các đơn vị còn lại gửi số liệu.", input_id=inp.id))


def _check_requires(cat: Any, data: list[dict[str, Any]], extra: list[Finding]) -> None:
    """Cross-field checks across files: parts against wholes from another file, and ``requires``."""
    by_id = {r["input_id"]: r for r in data}
    from .merged import decode_value

    def val(r: dict[str, Any]) -> Any:
        return decode_value(r["value"], r["status"], cat.inputs[r["input_id"]].type) if r["status"] == "ok" else None

    for r in data:
        inp = cat.inputs[r["input_id"]]
        if inp.part_of and not inp.per_unit and inp.part_of in by_id:
            w = by_id[inp.part_of]
            if r["status"] == "ok" and w["status"] == "ok" and r["source_file"] != w["source_file"] and _gt(val(r), val(w)):
                r["status"] = "invalid"
                extra.append(Finding("PART_EXCEEDS_WHOLE", ERROR,
                                     f"{inp.id} = {_show(val(r))} ({r['source_agency']}) lớn hơn {inp.part_of} = {_show(val(w))} "
                                     f"({w['source_agency']}); phần không thể lớn hơn tổng. Đề nghị các đơn vị kiểm tra lại.",
                                     r["source_file"], r["sheet"], r["cell"], inp.id))
        if inp.requires and inp.requires in by_id and r["status"] == "ok":
            need = by_id[inp.requires]
            v = val(r)
            if need["status"] == "ok" and val(need) is False and v not in (False, 0, 0.0):
                extra.append(Finding("REQUIRES_UNMET", WARNING,
                                     f"{inp.id} có giá trị {_show(v)} nhưng {inp.requires} trả lời 'Không'; hai số liệu mâu thuẫn. "
                                     "Đề nghị kiểm tra lại.", r["source_file"], r["sheet"], r["cell"], inp.id))


# ---------------------------------------------------------------------------------------------
# Writing


def submission_rows(result: MergeResult) -> list[dict[str, Any]]:
    """The Submissions sheet: every file (with its verdict) and every expected unit that sent nothing."""
    rows = []
    for s in result.submissions:
        person = ", ".join(x for x in (s.cover.get("name", ""), s.cover.get("position", "")) if x)
        rows.append({"unit_id": s.unit_id, "unit_name": s.unit_name, "file": s.name, "verdict": s.verdict, "reason": s.reason,
                     "received": _ts(s.mtime), "person": person, "cover_date": s.cover.get("date_text", ""),
                     "completeness": round(s.completeness, 4) if not s.rejected else None,
                     "errors": s.count(ERROR), "warnings": s.count(WARNING), "superseded_by": s.superseded_by, "sha256": s.sha256})
    for uid in result.not_received:
        rows.append({"unit_id": uid, "unit_name": result.unit_names.get(uid, uid), "file": "", "verdict": "not_received",
                     "reason": "", "received": "", "person": "", "cover_date": "", "completeness": 0.0,
                     "errors": 0, "warnings": 1, "superseded_by": "", "sha256": ""})
    return rows


def sheets_of(result: MergeResult) -> dict[str, list[dict[str, Any]]]:
    return {
        "Data": result.data,
        "Units": result.units,
        "Submissions": submission_rows(result),
        "Findings": [f.to_row() for f in result.findings],
        "Adjustments": [],
        "References": result.references,
    }


def to_merged(result: MergeResult, catalogue: Any, path: str = "") -> Any:
    """The merge result as scoring reads a merged workbook, without writing one."""
    from .merged import from_rows

    sheets = {name: list(enumerate(rows, 2)) for name, rows in sheets_of(result).items()}
    return from_rows(path, dict(result.stamp), sheets, catalogue)


def write_merged_workbook(result: MergeResult, out: str | os.PathLike, *, force: bool = False,
                          inputs: Iterable[str | os.PathLike] = ()) -> Path:
    from .merged import write_merged
    from .safety import atomic_output

    with atomic_output(out, force=force, inputs=inputs) as tmp:
        write_merged(tmp, sheets_of(result), result.stamp)
    return Path(out)


def run_merge(ctx: Any, paths: list[Path], *, year: int | None = None, on_file: Callable[[Submission], None] | None = None,
              workers: int | None = None) -> MergeResult:
    """Read and check every file, then consolidate (nothing is written)."""
    ex = expect_from(ctx, year)
    subs = read_submissions(paths, ex, on_file=on_file, workers=workers)
    return consolidate(ctx, subs, year=ex.year)


# ---------------------------------------------------------------------------------------------
# Feedback copies for the agencies

FEEDBACK_SHEET = "Phản hồi"


def feedback_name(s: Submission) -> str:
    """From the unit id (else the file's checksum), never from the returned file's name (which may be anything)."""
    base = s.unit_id or f"khong-ro-don-vi-{s.sha256[:8]}"
    return f"{base}_phan_hoi.xlsx"


def write_feedback(result: MergeResult, out_dir: str | os.PathLike, *, force: bool = False) -> tuple[list[Path], list[str]]:
    """A copy of each returned file with problems, cells highlighted and commented, a summary sheet first.

    The original is never touched: it is read, and the copy is written under the unit's id.
    Returns the files written and the names of files that could not be annotated (e.g. .xls).
    """
    from .errors import OutputError

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: không phải là thư mục; --feedback nhận một thư mục.")
    if not out.exists():
        if not out.parent.exists():
            raise OutputError(f"{out.parent}: thư mục không tồn tại; hãy tạo trước.")
        out.mkdir()
    written: list[Path] = []
    skipped: list[str] = []
    used: dict[str, int] = {}
    inputs = [x.path for x in result.submissions]
    for s in result.submissions:
        if s.verdict == "superseded":
            continue
        if not s.sha256:  # intake refused it (a zip bomb, entities, not a workbook): openpyxl must not open it either
            skipped.append(s.name)
            continue
        problems = [f for f in s.findings if f.severity in (ERROR, WARNING)]
        if not problems:
            continue
        name = feedback_name(s)
        used[name] = used.get(name, 0) + 1
        if used[name] > 1:
            name = name.replace("_phan_hoi.xlsx", f"_phan_hoi_{used[name]}.xlsx")
        try:
            wb = _annotated(s, problems)
        except Exception:  # not openable by openpyxl (.xls, .ods, damaged): the summary in Findings must do
            skipped.append(s.name)
            continue
        from .safety import atomic_output

        with atomic_output(out / name, force=force, inputs=inputs) as tmp:
            wb.save(tmp)
        written.append(out / name)
    return written, skipped


def _annotated(s: Submission, problems: list[Finding]) -> Any:
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    from .safety import cell_text, set_cell

    if Path(s.path).suffix.lower() not in (".xlsx", ".xlsm"):
        raise ValueError("not an xlsx file")
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
                Finding("VALUES_MISSING", WARNING, f"Chưa điền số liệu {a.input_id}: ghi giá trị hoặc 'Không có số liệu'.", s.name,
                        a.sheet, a.cell, a.input_id))
    for (sheet, ref), fs in marks.items():
        cell = wb[sheet][ref]
        cell.fill = red if any(f.severity == ERROR for f in fs) else yellow
        cell.comment = Comment(cell_text("\n".join(f.message for f in fs)[:2000]), "dti")
    ws = wb.create_sheet(FEEDBACK_SHEET, 0)
    set_cell(ws["A1"], f"Phản hồi về phiếu của {s.unit_name or 'đơn vị'} (tệp {s.name})")
    ws["A1"].font = Font(bold=True, size=13)
    set_cell(ws["A2"], "Các ô có vấn đề được tô màu (đỏ: lỗi phải sửa; vàng: cần kiểm tra) và có ghi chú. "
                       "Đề nghị sửa trên phiếu này hoặc phiếu gốc và gửi lại.")
    head = ["Mức độ", "Trang", "Ô", "Mã số liệu", "Nội dung", "Mã lỗi"]
    for j, h in enumerate(head, 1):
        set_cell(ws.cell(4, j), h)
        ws.cell(4, j).font = Font(bold=True)
    level = {ERROR: "Lỗi", WARNING: "Cần kiểm tra", INFO: "Thông tin"}
    for i, f in enumerate(problems, 5):
        for j, v in enumerate([level.get(f.severity, f.severity), f.sheet, f.cell, f.input_id, f.message, f.code], 1):
            set_cell(ws.cell(i, j), v)
            ws.cell(i, j).alignment = Alignment(wrap_text=True, vertical="top")
    for col, w in zip("ABCDEF", (12, 14, 8, 11, 90, 22), strict=True):
        ws.column_dimensions[col].width = w
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False
    return wb


# ---------------------------------------------------------------------------------------------
# The round's status: who has returned, who has not


def round_status(result: MergeResult, *, deadline: date | None = None, today: date | None = None) -> dict[str, Any]:
    """The chase list as data: every expected unit, returned or not, completeness, and inputs no one supplied."""
    today = today or date.today()
    current = {s.unit_id: s for s in result.submissions if s.current}
    units = []
    for uid, asked in result.expected.items():
        s = current.get(uid)
        units.append({
            "unit_id": uid, "unit_name": result.unit_names.get(uid, uid), "returned": s is not None,
            "file": s.name if s else "", "received": _ts(s.mtime) if s else "", "verdict": s.verdict if s else "not_received",
            "asked": len(asked), "completeness": round(s.completeness, 4) if s else 0.0,
            "errors": s.count(ERROR) if s else 0, "warnings": s.count(WARNING) if s else 0,
        })
    units.sort(key=lambda u: (u["returned"], u["completeness"], u["unit_id"]))
    rejected = [{"file": s.name, "reason": s.reason, "message": s.findings[-1].message if s.findings else ""}
                for s in result.submissions if s.rejected]
    missing = [r["input_id"] for r in result.data if r["status"] == "missing"]
    out: dict[str, Any] = {
        "year": result.year,
        "expected": len(result.expected),
        "returned": sum(1 for u in units if u["returned"]),
        "not_returned": [u["unit_id"] for u in units if not u["returned"]],
        "units": units,
        "rejected_files": rejected,
        "inputs_missing": missing,
        "statuses": result.statuses(),
        "deadline": deadline.isoformat() if deadline else None,
        "days_left": (deadline - today).days if deadline else None,
    }
    return out
