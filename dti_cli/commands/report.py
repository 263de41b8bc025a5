"""`dti report`: the ranked gap report against the baseline, in the terminal or as files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .common import context, handle_errors, out


class Lang(StrEnum):
    vi = "vi"
    en = "en"


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""

    @app.command("report")
    @handle_errors
    def report(
        scores: Annotated[Path | None, typer.Argument(help="Scores file from `dti score` (.xlsx/.json) or a merged workbook; default ./scores.xlsx, else ./merged.xlsx.")] = None,
        compare: Annotated[str, typer.Option("--compare", "-c", help="2022 (the baseline, by indicator), 2021 (by pillar), or an earlier year's scores file.")] = "2022",
        output: Annotated[list[Path] | None, typer.Option("--output", "-o", help="Write the report; format by extension: .xlsx .html .md .json .csv (repeatable).")] = None,
        agency: Annotated[str | None, typer.Option("--agency", "-a", help="One agency's own page (any spelling).")] = None,
        top: Annotated[int | None, typer.Option("--top", "-n", min=1, help="Show only the first N of the ranked list (terminal, HTML, Markdown).")] = None,
        lang: Annotated[Lang, typer.Option("--lang", help="vi (default) or en headings and indicator names.")] = Lang.vi,
        national: Annotated[Path | None, typer.Option("--national", help="National totals (CSV or xlsx: province,total) to show the rank the new total would have.")] = None,
        force: Annotated[bool, typer.Option("--force", help="Replace existing output files.")] = False,
    ) -> None:
        """Where DTI points are lost and who must act: the total and pillars against the baseline, every
        indicator short of its max ranked by points at stake (lead agency, 2022 score, now, target met),
        quick wins, regressions, points at stake per agency, and the data problems carried from merge and scoring.

        Reads ./scores.xlsx (written by `dti score`) when no file is given, else scores ./merged.xlsx on the fly.
        Without -o the report is printed; with -o each file is written (never over an existing one without --force)
        and one line per file is printed. --compare 2021 compares totals and pillars (the only 2021 figures published).

        Example: dti report --compare 2022 -o report.html -o report.xlsx --top 20
        """
        from ..errors import UsageError
        from ..report import WRITERS, ReportInput, build_report, load_input, load_national, render_terminal, write_report

        outputs = list(output or [])
        for o in outputs:
            if o.suffix.lower() not in WRITERS:
                raise UsageError(f"{o}: không biết định dạng này; dùng một trong {', '.join(sorted(WRITERS))}.")
        ctx = context()
        inp = load_input(ctx, scores)
        cmp: str | ReportInput = compare.strip()
        inputs = [p for p in (scores, national) if p]
        if inp.source:
            inputs.append(Path(inp.source))
        if not str(cmp).isdigit():
            cmp_path = Path(compare)
            cmp = load_input(ctx, cmp_path)
            inputs.append(cmp_path)
        table = load_national(national) if national else None
        rep = build_report(ctx, inp, compare=cmp, agency=agency, national=table, national_source=str(national or ""), lang=lang.value)
        if not outputs:
            out().print(render_terminal(rep, top))
            return
        from ..report import read_from
        from ..safety import check_output_path

        inputs += [Path(p) for p in read_from(rep)]  # the merged workbook beside the scores too
        if len({o.resolve() for o in outputs}) != len(outputs):
            raise UsageError("cùng một tệp kết quả được ghi hai lần với -o.")
        for o in outputs:  # refuse before writing anything, so a run never stops half-way
            check_output_path(o, force=force, inputs=inputs)
        console = out()
        for o in outputs:
            written = write_report(rep, o, top=top, force=force, inputs=tuple(str(p) for p in inputs))
            h = rep.headline
            sign = "+" if (h["change"] or 0) >= 0 else ""
            said = (f"{len(rep.gaps)} chỉ số còn mất điểm, tổng {h['total_estimated']:g} ({sign}{h['change'] or 0:g} so với {rep.meta['compare']['label']})"
                    if rep.lang == "vi" else
                    f"{len(rep.gaps)} indicators short of max, total {h['total_estimated']:g} ({sign}{h['change'] or 0:g} vs {rep.meta['compare']['label']})")
            console.print(f"{written}: {said}", markup=False, soft_wrap=True)
