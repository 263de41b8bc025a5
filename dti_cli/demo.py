"""The sample round: plausible figures for every agency, filled into real templates, run end to end.

``dti demo`` runs the yearly round on these samples: templates → returned workbooks → merge →
score → report → plan. The figures live in ``data/samples/values_2023.csv`` (one row per input
and reporting unit, typed as an official would, e.g. ``"1.234,5"``), the illustrative national
references in ``data/samples/references_2023.csv``. They are sample data, not official
statistics: everything the demo writes says "SỐ LIỆU MẪU" (sample data) on every page.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .core import i18n
from .core.errors import OutputError
from .core.i18n import N_, _
from .methodology.catalogue import data_path
from .methodology.context import Context

#: The demo's files, the same in every language (the guide and the README name them).
TEMPLATES, RETURNED, REFERENCES = "1-phieu-mau", "2-phieu-nhan-ve", "tham-chieu.csv"
#: Printed on every page of everything the demo writes.
BANNER = N_("SAMPLE DATA")
#: Who fills each sample workbook (invented) and when they send it.
DEMO_PERSON = ("Nguyễn Văn An", "Chuyên viên", "0290 3 800 000", "dau-moi@example.gov.vn")
DEMO_CONTACT = "Trần Thị Bình, 0290 3 811 222, ttbinh@example.gov.vn"
#: (month, day) in the year of the round: the sample workbooks are filled in on 2 October, due on 15 October.
DEMO_DAY = (10, 2)
DEADLINE_DAY = (10, 15)
#: The re-submission of the demo: the first file's ambiguous figure, and the corrected file's date.
RESUBMITTED_UNIT = "so-tc"
FIRST_VERSION_MISTAKE = ("6.22.c", "14.250")  # 14.25 or 14 250 billion VND?
CORRECTED_DAY = (10, 5)


@dataclass
class SampleValue:
    unit_id: str
    input_id: str
    value: Any
    evidence: str = ""
    note: str = ""


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


def load_samples(path: str | Path | None = None) -> list[SampleValue]:
    p = Path(path) if path else data_path("samples/values_2023.csv")
    with open(p, encoding="utf-8-sig", newline="") as fh:
        return [SampleValue(r["unit_id"], r["input_id"], _typed(r["value"]), r.get("evidence", ""), r.get("note", "")) for r in csv.DictReader(fh)]


def fill_workbook(template: str | Path, out: str | Path, values: dict[str, SampleValue], *, person: tuple[str, ...] = DEMO_PERSON,
                  when: date | None = None, overrides: dict[str, Any] | None = None, banner: str | None = None) -> int:
    """Fill a template's value cells (found by their defined names) as an official would; returns the count filled.

    Values missing from ``values`` are left blank, as a forgetful official leaves them. ``when``: the date
    on the cover; by default the demo's day (2 October) of the round the template's stamp names.
    """
    from openpyxl import load_workbook

    from .core.safety import set_cell
    from .formats.template import COVER_FIELDS, EVIDENCE_COLS, NOTE_COL, VALUE_COL, col_index, cover_name, defined_name

    wb = load_workbook(template)
    filled = 0

    def target(name: str) -> Any:
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
            set_cell(cell.offset(column=col_index(EVIDENCE_COLS[0]) - col_index(VALUE_COL)), sv.evidence)
        if sv.note:
            set_cell(cell.offset(column=col_index(NOTE_COL) - col_index(VALUE_COL)), sv.note)
    for key, v in zip(("NAME", "POSITION", "PHONE", "EMAIL"), person, strict=True):
        c = target(cover_name(key))
        if c is not None:
            set_cell(c, v)
    c = target(cover_name(COVER_FIELDS[-1]))
    if c is not None:
        c.value = when or date(_round_year(wb), *DEMO_DAY)
        c.number_format = "DD/MM/YYYY"
    if banner:
        for ws in wb.worksheets:
            ws.oddHeader.center.text = banner
            ws.oddHeader.center.font = "-,Bold"
    wb.save(out)
    return filled


def _round_year(wb: Any) -> int:
    """The year of the round a template (opened with openpyxl) was written for, from its stamp."""
    from .formats.stamp import SHEET

    if SHEET in wb.sheetnames:
        for key, value in wb[SHEET].iter_rows(min_col=1, max_col=2, values_only=True):
            if key == "year" and str(value or "").strip().isdigit():
                return int(str(value).strip())
    return date.today().year


@dataclass
class Step:
    title: str
    detail: str
    files: list[Path] = field(default_factory=list)


def make_returned(ctx: Context, templates: list[tuple[Any, Path]], out_dir: Path, samples: list[SampleValue] | None = None,
                  banner: str | None = None) -> list[Path]:
    """Fill every template from the samples as the agencies would, into ``out_dir``.

    One agency (Sở Tài chính) sends twice: a first version with an ambiguous "14.250" and, three
    days later, a corrected one. Sở Công Thương leaves 7.9 blank. 7.1.a is typed as text "1.234,5".
    """
    samples = samples if samples is not None else load_samples()
    by_unit: dict[str, dict[str, SampleValue]] = {}
    for v in samples:
        by_unit.setdefault(v.unit_id, {})[v.input_id] = v
    written = []
    for a, path in templates:
        values = by_unit.get(a.unit.id, {})
        dest = out_dir / path.name
        if a.unit.id == RESUBMITTED_UNIT:
            first = out_dir / path.name.replace(".xlsx", " (ban dau).xlsx")
            fill_workbook(path, first, values, overrides=dict([FIRST_VERSION_MISTAKE]), banner=banner)
            written.append(first)
            fill_workbook(path, dest, values, when=date(ctx.year, *CORRECTED_DAY), banner=banner)
        else:
            fill_workbook(path, dest, values, banner=banner)
        written.append(dest)
    return written


def run_demo(ctx: Context, folder: str | Path, *, force: bool = False, on_step: Callable[[Step], None] | None = None) -> list[Step]:
    """Templates → returned workbooks → merge → score → report → plan, in ``folder``; returns the steps."""
    from . import api
    from .core.safety import atomic_output
    from .formats.scores import write_scores
    from .merge import collect_paths, run_merge, write_merged_workbook
    from .methodology.assign import assignments
    from .template import write_templates

    root = Path(folder)
    if root.exists() and any(root.iterdir()) and not force:
        raise OutputError(_("{path}: the folder already holds files; choose another folder or use --force to write the demo again.").format(path=root))
    banner = _(BANNER)
    tdir, rdir = root / TEMPLATES, root / RETURNED
    for d in (root, tdir, rdir):
        d.mkdir(parents=True, exist_ok=True)
    steps: list[Step] = []

    def done(step: Step) -> None:
        steps.append(step)
        if on_step:
            on_step(step)

    run = write_templates(ctx, assignments(ctx), tdir, force=True, deadline=date(ctx.year, *DEADLINE_DAY), contact=DEMO_CONTACT, banner=banner)
    done(Step(_("Data-collection workbooks"), _("{n} workbooks, one for each lead agency and each district-level People's Committee").format(
        n=len(run.written)), [tdir]))

    returned = make_returned(ctx, run.written, rdir, banner=banner)
    done(Step(_("The agencies fill them in and send them back"),
              _("{n} files (sample figures): Sở Tài chính sends twice, Sở Công Thương leaves indicator 7.9 blank, "
                "Sở KH&ĐT types a number as text \"1.234,5\"").format(n=len(returned)), [rdir]))

    merged = root / "merged.xlsx"
    files, skipped = collect_paths([rdir])
    result = run_merge(ctx, files, skipped=skipped)
    write_merged_workbook(result, merged, ctx=ctx, force=True, inputs=returned, banner=banner)
    st = result.statuses()
    done(Step(_("Merge and checks"), _("{errors} error(s), {warnings} warning(s); figures: {ok} ok, {missing} missing").format(
        errors=result.errors, warnings=result.warnings, ok=st.get("ok", 0), missing=st.get("missing", 0)), [merged]))

    refs = root / REFERENCES
    shutil.copyfile(data_path("samples/references_2023.csv"), refs)
    scores = api.score_file(ctx, merged, refs)
    scores.source["kind"] = "demo"
    scores_path = root / "scores.xlsx"
    with atomic_output(scores_path, force=True, inputs=[merged]) as tmp:
        write_scores(scores, tmp, ext=".xlsx", province=ctx.profile.name_full, names={u.id: u.name for u in ctx.profile.units}, banner=banner)
    done(Step(_("Scoring"), _("total {confirmed} (confirmed), {estimated} (estimated) out of {max}; the national reference values are "
                              "illustrative").format(confirmed=i18n.pts(scores.total_confirmed), estimated=i18n.pts(scores.total_estimated),
                                                     max=i18n.num(scores.max_total)), [refs, scores_path]))

    from .formats.merged import read_merged
    from .report import build_report, write_report

    rep = build_report(ctx, scores, merged=read_merged(merged, ctx.catalogue, only=("findings", "submissions")), source=scores_path)
    outs = [root / f"bao-cao-dti.{ext}" for ext in ("html", "xlsx", "md", "json", "csv")]
    for p in outs:
        write_report(rep, p, banner=banner, force=True, inputs=(str(scores_path), str(merged)))
    done(Step(_("Report against {year}").format(year=ctx.baseline.year),
              _("where points are lost and who must act, with the concrete step; charts; quick wins; by agency"), outs))

    from .plan.outputs import write_plan

    plan = api.plan(ctx, scores, goal=650)
    plans = [root / f"ke-hoach.{ext}" for ext in ("html", "xlsx")]
    for p in plans:
        write_plan(plan, p, force=True, inputs=[scores_path])
    commitments = api.commitment_templates(ctx, plan, root / "3-cam-ket", force=True)
    done(Step(_("Improvement plan"), _("what each agency must reach, the total if the plan's targets are met, the cheapest route to 650 "
                                      "points; {n} commitment workbooks").format(n=len(commitments)), [*plans, root / "3-cam-ket"]))
    return steps
