"""``dti export`` and ``dti history``: rounds and years as one long table, and side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..core.i18n import N_
from .base import Format, command, context, csv_text, out, write_json


@command("export", reads_workbooks=True)
def export(
    files: Annotated[list[Path], typer.Argument(help=N_("Scores files (.xlsx or .json, from `dti score`) and merged workbooks (from "
                                                        "`dti merge`), of any rounds and years."), show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help=N_("The table to write: .csv, .xlsx, .parquet or .json."), show_default=False)],
    no_baseline: Annotated[bool, typer.Option("--no-baseline", help=N_("Leave out the baseline's published figures."))] = False,
    force: Annotated[bool, typer.Option("--force", help=N_("Replace an existing output file."))] = False,
) -> None:
    """Write the figures and scores of several rounds and years as one long table, for Power Query, Power BI or pandas.

    One row for the total, each pillar, each indicator and each figure of every round: year, round, pillar, indicator, input, unit, value, points, maximum, status, the value's type, and the file and cell the figure came from. The baseline's published result comes first (the baseline year, and the year before it for the total and the pillars). A scores file gives the points and the figures it scored; a merged workbook gives its figures as merged and each unit's figure behind a combined one, without points.

    Column names are the same in every language. CSV is UTF-8 with a byte-order mark, numbers with a decimal point; Parquet needs pyarrow (pip install 'dti[parquet]').

    Example: dti export 2023/scores.xlsx 2024/scores.xlsx -o dti.csv
    """
    from .. import api
    from ..export.write import check_format
    from ..terminal.export import export_summary

    check_format(output)  # before reading anything
    table = api.export(context(), *files, baseline=not no_baseline)
    path = table.write(output, force=force, inputs=files)
    out().print(export_summary(table, path), markup=False, soft_wrap=True)


@command("history", reads_workbooks=True)
def history(
    files: Annotated[list[Path] | None, typer.Argument(help=N_("Scores files, or merged workbooks (scored now), of the rounds to line up."),
                                                       show_default=False)] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help=N_("table, json or csv (one row per line and round)."))] = Format.table,
    confirmed: Annotated[bool, typer.Option("--confirmed", help=N_(
        "Confirmed points: an indicator without its national reference values counts 0 (by default it carries its baseline score)."))] = False,
    pillars: Annotated[bool, typer.Option("--pillars", help=N_("Only the total and the pillars."))] = False,
) -> None:
    """Line up rounds and years: the total, each pillar and each indicator, with the change from one to the next.

    The baseline's published results come first (the year before the baseline: the total and the pillars; the baseline year: every indicator too), then each round given, oldest year first. Nothing is written.

    Example: dti history 2023/scores.xlsx 2024/scores.xlsx --pillars
    """
    from .. import api
    from ..export.history import FRAME_COLUMNS

    h = api.history(context(), *(files or []), measure="confirmed" if confirmed else "estimated")
    if pillars:
        h.lines = [ln for ln in h.lines if ln.level != "indicator"]
    if fmt is Format.json:
        write_json(h.to_dict())
    elif fmt is Format.csv:
        out().file.write(csv_text([c.name for c in FRAME_COLUMNS], h.rows()))
    else:
        from ..terminal.export import history_view

        out().print(history_view(h))
