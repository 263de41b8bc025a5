"""The sample 2023 round: plausible figures for every agency, filled into real templates.

``dti demo`` runs the whole yearly round on these samples: templates → returned workbooks →
merge → score → report. The figures live in ``data/samples/values_2023.csv`` (one row per
input and reporting unit, typed as an official would, e.g. ``"1.234,5"``) and the illustrative
national references in ``data/samples/references_2023.csv``. They are sample data for the demo,
not official statistics.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .catalogue import data_path

#: Who fills each sample workbook (demo names) and when they send it.
DEMO_PERSON = ("Nguyễn Văn An", "Chuyên viên", "0290 3 800 000", "dau-moi@example.gov.vn")
DEMO_DATE = date(2023, 10, 2)

#: The duplicate re-submission of the demo: the first file's mistake and the date of the correction.
RESUBMITTED_UNIT = "so-tc"
FIRST_VERSION_MISTAKE = ("6.22.c", "14.250")  # ambiguous: 14.25 or 14 250 billion VND
CORRECTED_DATE = date(2023, 10, 5)


@dataclass
class SampleValue:
    unit_id: str
    input_id: str
    value: Any
    evidence: str = ""
    note: str = ""


@dataclass
class Samples:
    values: list[SampleValue] = field(default_factory=list)
    references_path: Path = field(default_factory=lambda: data_path("samples/references_2023.csv"))

    def for_unit(self, unit_id: str) -> dict[str, SampleValue]:
        return {v.input_id: v for v in self.values if v.unit_id == unit_id}


def _typed(text: str) -> Any:
    """A CSV cell as the official typed it: plain numbers become numbers, anything else stays text."""
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        f = float(text)
        return f if "," not in text else text
    except ValueError:
        return text


def load_samples(path: str | Path | None = None) -> Samples:
    path = Path(path) if path else data_path("samples/values_2023.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return Samples([SampleValue(r["unit_id"], r["input_id"], _typed(r["value"]), r.get("evidence", ""), r.get("note", "")) for r in rows])


def fill_workbook(template: str | Path, out: str | Path, values: dict[str, SampleValue], *, person=DEMO_PERSON, when: date = DEMO_DATE,
                  overrides: dict[str, Any] | None = None) -> int:
    """Fill a template's value cells (found by their defined names) as an official would; returns the count filled.

    Values missing from ``values`` are left blank, as a forgetful official leaves them.
    """
    from openpyxl import load_workbook

    from .safety import set_cell
    from .template import defined_name

    wb = load_workbook(template)
    filled = 0

    def target(name: str):
        dn = wb.defined_names.get(name)
        if dn is None:
            return None
        for sheet, ref in dn.destinations:
            return wb[sheet][ref.replace("$", "")]
        return None

    for iid, sv in values.items():
        cell = target(defined_name(iid))
        v = (overrides or {}).get(iid, sv.value)
        if cell is None or v is None:
            continue
        set_cell(cell, v)
        filled += 1
        if sv.evidence:
            set_cell(cell.offset(column=1), sv.evidence)
        if sv.note:
            set_cell(cell.offset(column=3), sv.note)
    for key, v in zip(("NAME", "POSITION", "PHONE", "EMAIL"), person, strict=True):
        c = target(f"DTI_COVER_{key}")
        if c is not None:
            set_cell(c, v)
    c = target("DTI_COVER_DATE")
    if c is not None:
        c.value = when
        c.number_format = "DD/MM/YYYY"
    wb.save(out)
    return filled


# ---------------------------------------------------------------------------------------------
# The whole round on the samples


@dataclass
class Step:
    title: str
    detail: str
    files: list[Path] = field(default_factory=list)


def make_returned(ctx: Any, templates: list[tuple[Any, Path]], out_dir: Path, samples: Samples | None = None) -> list[Path]:
    """Fill every template from the samples as the agencies would, into ``out_dir``.

    One agency (Sở Tài chính) sends twice: a first version with an ambiguous "14.250" and, three
    days later, a corrected one. Sở Công Thương leaves 7.9 blank. 7.1.a is typed as text "1.234,5".
    """
    samples = samples or load_samples()
    written = []
    for a, path in templates:
        values = samples.for_unit(a.unit.id)
        dest = out_dir / path.name
        if a.unit.id == RESUBMITTED_UNIT:
            first = out_dir / path.name.replace(".xlsx", " (ban dau).xlsx")
            fill_workbook(path, first, values, overrides=dict([FIRST_VERSION_MISTAKE]))
            written.append(first)
            fill_workbook(path, dest, values, when=CORRECTED_DATE)
        else:
            fill_workbook(path, dest, values)
        written.append(dest)
    return written


def run_demo(ctx: Any, folder: str | Path, *, force: bool = False, on_step: Any = None) -> list[Step]:
    """Templates → returned workbooks → merge → score → report, in ``folder``; returns the steps."""
    import shutil

    from .errors import OutputError
    from .merge import collect_paths, run_merge, write_merged_workbook
    from .report import build_report, load_input, write_report
    from .score import score_merged, write_scores
    from .template import assignments, write_templates

    root = Path(folder)
    if root.exists() and any(root.iterdir()) and not force:
        raise OutputError(f"{root}: thư mục đã có tệp; chọn thư mục khác hoặc dùng --force để ghi lại bản demo.")
    tdir, rdir = root / "1-phieu-mau", root / "2-phieu-nhan-ve"
    for d in (root, tdir, rdir):
        d.mkdir(parents=True, exist_ok=True)
    steps: list[Step] = []

    def done(step: Step) -> None:
        steps.append(step)
        if on_step:
            on_step(step)

    items = write_templates(ctx, assignments(ctx), tdir, force=True)
    done(Step("Tạo phiếu thu thập số liệu", f"{len(items)} phiếu, mỗi cơ quan chủ trì và mỗi UBND cấp huyện một phiếu", [tdir]))

    returned = make_returned(ctx, items, rdir)
    done(Step("Các cơ quan điền phiếu và gửi về",
              f"{len(returned)} tệp (số liệu mẫu): Sở Tài chính gửi hai lần, Sở Công Thương bỏ trống chỉ số 7.9, "
              "Sở KH&ĐT gõ số dạng chữ \"1.234,5\"", [rdir]))

    merged = root / "merged.xlsx"
    result = run_merge(ctx, collect_paths([rdir]))
    write_merged_workbook(result, merged, force=True, inputs=returned)
    done(Step("Tổng hợp và kiểm tra", f"{result.errors} lỗi, {result.warnings} cảnh báo; trạng thái số liệu: "
              + ", ".join(f"{k} {v}" for k, v in result.statuses().items()), [merged]))

    refs = root / "references.csv"
    shutil.copyfile(data_path("samples/references_2023.csv"), refs)
    scores = score_merged(ctx, merged, refs)
    scores_path = write_scores(scores, root / "scores.xlsx", force=True, inputs=[merged])
    from .describe import fmt_num

    done(Step("Tính điểm", f"tổng điểm {fmt_num(scores.total_confirmed)} (chắc chắn), {fmt_num(scores.total_estimated)} (ước tính) / 1.000; "
              "giá trị tham chiếu toàn quốc là số liệu minh họa", [refs, scores_path]))

    report = build_report(ctx, load_input(ctx, scores_path), compare="2022")
    outs = [root / f"bao-cao-dti.{ext}" for ext in ("html", "xlsx", "md", "json", "csv")]
    for p in outs:
        write_report(report, p, force=True)
    done(Step("Báo cáo so với năm 2022", "xếp hạng các chỉ số còn mất điểm, việc làm ngay, chỉ số giảm điểm, theo cơ quan", outs))
    return steps
