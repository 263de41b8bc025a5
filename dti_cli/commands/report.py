"""``dti report``: where DTI points are lost and who must act, in the terminal or as files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..core.i18n import N_, _
from .base import Lang, command, context, err, out, use_lang


@command("report", reads_workbooks=True)
def report(
    scores: Annotated[Path | None, typer.Argument(help=N_(
        "Scores file from `dti score` (.xlsx/.json), or a merged workbook scored now; default: scores.xlsx, scores.json or merged.xlsx in this folder."))] = None,
    compare: Annotated[str | None, typer.Option("--compare", "-c", help=N_(
        "What to compare with: the baseline year (indicator by indicator; the default), the year before it (published by pillar "
        "only), or an earlier scores file."))] = None,
    output: Annotated[list[Path] | None, typer.Option("--output", "-o", help=N_(
        "Write the report; the format by the extension: .html .xlsx .md .json .csv (repeatable). Folders are created."))] = None,
    agency: Annotated[str | None, typer.Option("--agency", "-a", help=N_("One agency's own page (any spelling): what it leads, and what it shares."))] = None,
    top: Annotated[int | None, typer.Option("--top", "-n", min=0, help=N_(
        "How many of the ranked gaps to show: the terminal shows 15, files all; 0 = all."))] = None,
    national: Annotated[Path | None, typer.Option("--national", help=N_(
        "National totals (CSV or xlsx: province, total): the rank the new total would have."))] = None,
    banner: Annotated[str | None, typer.Option("--banner", help=N_(
        "Text printed on every page, e.g. SỐ LIỆU MẪU (scores from the demo's sample data get it without asking)."))] = None,
    history: Annotated[list[Path] | None, typer.Option("--history", help=N_(
        "An earlier round's scores file (repeatable): the total and the pillars in each round and year, beside the baseline's "
        "published years and this round."))] = None,
    lang: Annotated[Lang | None, typer.Option("--lang", help=N_("Language of the report: vi (default) or en."))] = None,
    force: Annotated[bool, typer.Option("--force", help=N_("Replace output files that exist."))] = False,
) -> None:
    """Where DTI points are lost and who must act: the total and the pillars against the baseline, every indicator short of its max ranked by points at stake with the concrete step it asks, quick wins, regressions, points at stake per lead agency, and the data's problems.

    Without -o the report is printed: the first page in words, the pillars, the first 15 gaps and how to see more. With -o each file is written (never over an existing file without --force, never over an input) and one line per file is printed. The HTML page and the workbook have charts and print on A4.

    Each pillar and the total are compared with the sum of their indicators' baseline scores; where the published figure differs (pillar 6), both are shown and the difference explained. An indicator led by several bodies counts once in the by-agency table.

    Example: dti report -o bao-cao.html -o bao-cao.xlsx --compare 2022

    Example: dti report --history 2023/scores.xlsx -o bao-cao.html
    """
    use_lang(lang)
    from .. import api
    from ..core.errors import UsageError
    from ..core.safety import check_output_path
    from ..report import check_format, write_report
    from ..terminal.report import report_view, written_line

    outputs = list(output or [])
    for o in outputs:
        check_format(o)
    if len({o.resolve() for o in outputs}) != len(outputs):
        raise UsageError(_("the same output file is given twice with -o."))

    def warn(message: str) -> None:
        err().print(message, style="yellow", markup=False, soft_wrap=True)

    rep = api.report(context(), scores, compare=compare, agency=agency, national=national, history=history or (), warn=warn)
    inputs = rep.inputs
    if banner is None and rep.meta["sample"]:
        banner = _("SAMPLE DATA")
    if not outputs:
        out().print(report_view(rep, top=top, banner=banner))
        return
    if rep.headline["few_inputs"]:
        err().print(rep.summary[0], style="bold red", markup=False, soft_wrap=True)
    for o in outputs:  # refuse before writing anything, so that a run never stops half-way
        check_output_path(o, force=force, inputs=inputs)
    console = out()
    for o in outputs:
        write_report(rep, o, top=top or None, banner=banner, force=force, inputs=tuple(str(p) for p in inputs))
        console.print(written_line(rep, o), markup=False, soft_wrap=True)
