"""``dti merge`` and ``dti status``: check and consolidate the returned workbooks; follow the round."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..core.i18n import N_, _
from .base import Format, command, context, err, inert, out, parse_day, write_json

#: Where the guide (docs/HUONG_DAN.md) tells officials to save what the agencies send back.
RETURNS_FOLDER = "nhan-ve"


def _progress(total: int) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn(_("Reading")), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"),
                    console=err(), transient=True, disable=total < 2)


def _read(files: list[Path], skipped: list[Any]) -> Any:
    from ..merge import run_merge

    ctx = context()
    with _progress(len(files)) as bar:
        task = bar.add_task("", total=len(files))

        def advance(s: Any) -> None:
            bar.update(task, advance=1, description=inert(s.name))

        return run_merge(ctx, files, on_file=advance, skipped=skipped)


@command("merge", reads_workbooks=True)
def merge(
    paths: Annotated[list[str] | None, typer.Argument(help=N_("Returned workbooks: files, folders or glob patterns (default: the folder nhan-ve)."),
                                                      show_default=False)] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help=N_("The merged workbook to write."))] = Path("merged.xlsx"),
    feedback: Annotated[Path | None, typer.Option("--feedback", help=N_("Folder for annotated copies to send back to the agencies with problems."))] = None,
    strict: Annotated[bool, typer.Option("--strict", help=N_("Write nothing when any file has an error."))] = False,
    force: Annotated[bool, typer.Option("--force", help=N_("Replace an existing output file."))] = False,
) -> None:
    """Check the returned workbooks again and consolidate them into one merged workbook.

    Every file is recognised by its hidden stamp and every value is checked again (type, range, yes/no, numbers typed as text, parts against wholes, evidence). One value per input, with its source file, sheet and cell; per-unit figures are combined; a unit that sent twice: the newer file is used, unless it has nothing filled in; two agencies disagreeing: a conflict. Returned files are never modified.

    Exit 0 when there is no error, 1 when there is (the merged workbook is still written with every valid value, unless --strict), 2 for a wrong command line. Findings in files that were replaced are listed but do not count.

    Example: dti merge nhan-ve/ -o merged.xlsx --feedback phan-hoi/
    """
    from ..core.safety import check_output_path
    from ..merge import collect_paths, submission_rows, write_feedback, write_merged_workbook
    from ..terminal.merge import summary

    ctx = context()
    files, skipped = collect_paths(paths or [RETURNS_FOLDER], exclude=[output] + ([feedback] if feedback else []))
    check_output_path(output, force=force, inputs=files)  # before the long read, not after
    result = _read(files, skipped)
    con = out()
    summary(con, result, submission_rows(result))
    if strict and result.errors:
        err().print(_("--strict: {n} error(s), so {path} is not written.").format(n=result.errors, path=output), soft_wrap=True, markup=False)
    else:
        _path, cut = write_merged_workbook(result, output, ctx=ctx, force=force, inputs=files)
        for f in cut:
            err().print(f.message, style="yellow", markup=False, soft_wrap=True)
        con.print(_("Written: {path}.").format(path=output), markup=False)
    if feedback:
        written, plain = write_feedback(result, feedback, force=force)
        con.print(_("Feedback: {n} file(s) in {folder}.").format(n=len(written), folder=feedback) +
                  (" " + _("Listed without an annotated copy: {files}.").format(files=", ".join(inert(x) for x in plain)) if plain else ""),
                  markup=False)
    if result.errors:
        raise typer.Exit(1)


@command("status", reads_workbooks=True)
def status(
    paths: Annotated[list[str] | None, typer.Argument(help=N_("Returned workbooks received so far: files, folders or glob patterns "
                                                              "(default: the folder nhan-ve)."), show_default=False)] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help=N_("The deadline, e.g. 15/10/2023 or 2023-10-15."))] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help=N_("table, json or csv."))] = Format.table,
) -> None:
    """Who has returned their workbook and who has not: the chase list.

    For every agency and unit that was sent a workbook: returned or not, how complete, how many errors; the inputs no one has supplied yet; and the days left before (or past) the deadline. Nothing is written.

    Example: dti status nhan-ve/ --deadline 15/10/2023
    """
    from ..merge import collect_paths, round_status

    when = parse_day(deadline, "--deadline")
    files, skipped = collect_paths(paths or [RETURNS_FOLDER])
    data = round_status(_read(files, skipped), deadline=when)
    if fmt is Format.json:
        write_json(data)
        return
    if fmt is Format.csv:
        from .base import csv_text

        out().file.write(csv_text(["unit_id", "unit_name", "returned", "file", "completeness", "errors", "warnings"],
                                  [[u["unit_id"], u["unit_name"], u["returned"], u["file"], u["completeness"], u["errors"], u["warnings"]]
                                   for u in data["units"]]))
        return
    from ..terminal.merge import status_view

    status_view(out(), data)
