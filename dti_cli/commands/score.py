"""`dti score`: apply every rule of the methodology to the merged workbook and explain each score."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import Format, context, csv_text, err, handle_errors, out, write_json


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""

    @app.command("score")
    @handle_errors
    def score(
        merged: Annotated[Path, typer.Argument(help="merged.xlsx from `dti merge`, or one agency's returned template.")] = Path("merged.xlsx"),
        references: Annotated[Path | None, typer.Option("--references", "-r", help="National reference values (CSV or xlsx: indicator,key,value,source); override the workbook's References sheet.")] = None,
        fmt: Annotated[Format, typer.Option("--format", "-f", help="table, json or csv (what is printed).")] = Format.table,
        output: Annotated[Path | None, typer.Option("--output", "-o", help="Scores file (.xlsx, .json or .csv); default scores.xlsx beside MERGED.")] = None,
        explain: Annotated[str | None, typer.Option("--explain", "-e", help="Show one indicator in full: inputs and their source, rule, arithmetic, points.")] = None,
        force: Annotated[bool, typer.Option("--force", help="Replace an existing output file that dti did not write.")] = False,
    ) -> None:
        """Score every indicator, pillar and the total out of 1,000, and say how each score was reached.

        Missing inputs score 0 and are shown as "không có số liệu"; relative indicators (4.5, 4.6,
        4.11, 5.1, 5.9, 5.10, 7.10, 8.6, 8.7) need national reference values (References sheet or
        --references) and until then count only in the estimated total, with their 2022 score.
        Adjustments in the merged workbook are applied and listed. The scores file is written as
        scores.xlsx beside MERGED (a previous one written by dti is replaced), where `dti report`
        finds it. With --explain, nothing is written unless -o is given. Exit 1 when an adjustment,
        reference or value could not be used (the file is still written, the problems listed).

        Example: dti score merged.xlsx --references refs.csv --explain 3.6
        """
        from ..score import default_output, render_explain, render_scores, score_merged, write_scores

        ctx = context()
        code = ctx.catalogue.get(explain).code if explain else None
        scores = score_merged(ctx, merged, references)
        target = output or (None if code else default_output(merged, scores.source.get("kind", "merged")))
        if target is not None:
            written = write_scores(scores, target, force=force, inputs=[p for p in (merged, references) if p])
        if code:
            from ..score import explain_dict

            if fmt is Format.json:
                write_json(explain_dict(ctx, scores, code))
            else:
                out().print(render_explain(ctx, scores, code))
        elif fmt is Format.json:
            write_json(scores.to_dict())
        elif fmt is Format.csv:
            from ..score import INDICATOR_COLUMNS, indicator_rows

            out().file.write(csv_text(INDICATOR_COLUMNS, indicator_rows(scores)))
        else:
            out().print(render_scores(ctx, scores))
        e = err()
        if target is not None:
            e.print(f"Đã ghi điểm vào {written}", soft_wrap=True, markup=False)
        for p in scores.problems:
            e.print(f"Cảnh báo: {p['message']}", style="yellow", soft_wrap=True, markup=False)
        if scores.problems:
            e.print(f"{len(scores.problems)} vấn đề cần sửa (xem trên); điểm đã tính không gồm các giá trị đó.", style="bold red", markup=False)
            raise typer.Exit(1)
