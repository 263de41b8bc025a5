"""``dti score``: apply every rule of the methodology to the merged workbook and explain each score."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..core.i18n import N_, _
from .base import Format, command, context, csv_text, err, out, write_json


def default_output(input_path: Path, kind: str) -> Path:
    """scores.xlsx beside a merged workbook (where `dti report` looks); <name>.scores.xlsx beside a single template."""
    return input_path.with_name("scores.xlsx") if kind != "template" else input_path.with_name(input_path.stem + ".scores.xlsx")


@command("score", reads_workbooks=True)
def score(
    merged: Annotated[Path, typer.Argument(help=N_("merged.xlsx from `dti merge`, or one agency's returned template."))] = Path("merged.xlsx"),
    references: Annotated[Path | None, typer.Option("--references", "-r", help=N_(
        "National reference values (CSV or xlsx: indicator, key, value, source); they override the workbook's References sheet."))] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help=N_("table, json or csv (what is printed)."))] = Format.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=N_("Scores file (.xlsx, .json or .csv); default scores.xlsx beside MERGED."))] = None,
    explain: Annotated[str | None, typer.Option("--explain", "-e", help=N_("Show one indicator in full: inputs and their source, rule, arithmetic, points."))] = None,
    force: Annotated[bool, typer.Option("--force", help=N_("Replace an existing scores file written from other inputs, or not by dti."))] = False,
) -> None:
    """Score every indicator, pillar and the total out of 1,000, and say how each score was reached.

    Missing inputs score 0 and are shown as "no data"; relative indicators (min-max, share of the best) need national reference values (the References sheet or --references) and until then count only in the estimated total, with their baseline score. Adjustments in the merged workbook are applied and listed.

    The scores file is written as scores.xlsx beside MERGED, where `dti report` finds it; a scores file dti wrote from the same merged workbook and references is replaced, one written from other inputs is kept unless --force. With --explain nothing is written unless -o is given. Exit 1 when an adjustment, reference or value could not be used (the file is still written, the problems listed).

    Example: dti score merged.xlsx --references refs.csv --explain 3.6
    """
    from .. import api
    from ..core.safety import atomic_output
    from ..formats.scores import INDICATOR_COLUMNS, indicator_rows, same_options, write_scores, written_by_dti
    from ..terminal.score import explain_view, scores_view

    ctx = context()
    code = ctx.catalogue.get(explain).code if explain else None
    scores = api.score_file(ctx, merged, references)
    kind = scores.source.get("kind", "merged")
    target = output or (None if code else default_output(merged, kind))
    written = None
    if target is not None:
        ours = written_by_dti(target)
        replace = force or (ours and (output is not None or same_options(target, scores.source)))
        if ours and not replace:
            from ..core.errors import OutputError

            raise OutputError(_("{path}: a scores file written from other inputs (another merged workbook or other references) is there; "
                                "it is kept. Use --force to replace it, or -o to write another file.").format(path=target))
        with atomic_output(target, force=replace, inputs=[p for p in (merged, references) if p]) as tmp:
            write_scores(scores, tmp, ext=target.suffix, province=ctx.profile.name_full, names={u.id: u.name for u in ctx.profile.units})
        written = target
    if code:
        from ..score.explain import explain_dict

        d = explain_dict(ctx, scores, code)
        if fmt is Format.json:
            write_json(d)
        else:
            out().print(explain_view(ctx, scores, d))
    elif fmt is Format.json:
        write_json(scores.to_dict())
    elif fmt is Format.csv:
        out().file.write(csv_text(INDICATOR_COLUMNS, indicator_rows(scores)))
    else:
        out().print(scores_view(ctx, scores))
    e = err()
    if written is not None:
        e.print(_("Scores written to {path}").format(path=written), soft_wrap=True, markup=False)
    errors = [p for p in scores.problems if p.is_error]
    for p in scores.problems:
        if p.code != "score.few_inputs" or fmt is not Format.table or code:
            e.print(p.message, style="red" if p.is_error else "yellow", soft_wrap=True, markup=False)
    if errors:
        e.print(_("{n} problem(s) to correct (above); the scores computed leave those values out.").format(n=len(errors)), style="bold red",
                markup=False)
        raise typer.Exit(1)
