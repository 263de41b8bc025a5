"""``dti plan``: what each agency must reach, in each indicator's own units, and the cheapest route to a goal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..core.i18n import N_, _
from .base import Lang, command, context, err, out, use_lang


@command("plan", reads_workbooks=True)
def plan(
    scores: Annotated[Path | None, typer.Argument(help=N_(
        "scores.xlsx from `dti score` (or merged.xlsx, scored now); default: scores.xlsx, scores.json or merged.xlsx in this folder."))] = None,
    goal: Annotated[float | None, typer.Option("--goal", help=N_("The total to reach (out of 1,000): the cheapest route to it."))] = None,
    rank: Annotated[int | None, typer.Option("--rank", help=N_("The rank to reach among the provinces (needs --national)."))] = None,
    national: Annotated[Path | None, typer.Option("--national", help=N_(
        "National totals of the last published round (CSV or xlsx: province, total), for --rank."))] = None,
    effort: Annotated[Path | None, typer.Option("--effort", help=N_(
        "Effort file (CSV or xlsx: code, effort, most, fixed; agency and cap rows) over the defaults of each rule kind."))] = None,
    commitments: Annotated[list[Path] | None, typer.Option("--commitments", help=N_(
        "Returned commitment workbooks (files or folders; repeat the option for several)."))] = None,
    templates: Annotated[Path | None, typer.Option("--commitment-templates", help=N_(
        "Write one commitment workbook per lead agency into this folder."))] = None,
    sets: Annotated[list[str] | None, typer.Option("--set", help=N_(
        "What if: an input's value as officials type it, INPUT_ID=VALUE (repeat for several)."))] = None,
    agency: Annotated[str | None, typer.Option("--agency", "-a", help=N_("Show one lead agency's page (name, alias or short form)."))] = None,
    output: Annotated[list[Path] | None, typer.Option("--output", "-o", help=N_(
        "Write the plan: .html, .xlsx (a sheet per agency), .md, .json or .csv (repeat for several)."))] = None,
    force: Annotated[bool, typer.Option("--force", help=N_("Replace files that exist."))] = False,
    lang: Annotated[Lang | None, typer.Option("--lang", help=N_("Language of the plan: vi (default) or en."))] = None,
) -> None:
    """From points to actions: what each agency must reach, in each indicator's own units, and the cheapest route to a goal.

    For every indicator short of its max: the value now, the values that reach the next step and full points with what each brings, the rate of a linear rule, the round's target as values, the national reference assumed for a relative rule, or what is missing. Scenarios: now, every target of the plan met, every commitment kept, and what if (--set).

    With --goal (or --rank and --national), the levels that reach the goal for the least effort, exactly, with up to two alternatives; effort comes from the defaults of each rule kind, or the effort file. With --commitment-templates, a workbook per lead agency to commit to values; returned, they are read with --commitments and each commitment is shown as met, on track or behind.

    Without -o every indicator's row is printed; with -o the files hold them, and the terminal shows the totals, the scenarios and the route.

    Exit 1 when a row of the effort file or a commitment could not be used (the plan is still made, without it).

    Example: dti plan scores.xlsx --goal 650 -o plan.html -o plan.xlsx --effort effort.csv
    """
    from .. import api
    from ..core.errors import UsageError
    from ..terminal.plan import agency_view, plan_view, summary_view

    use_lang(lang)
    if goal is not None and rank is not None:
        raise UsageError(_("Give either --goal or --rank, not both."))
    ctx = context()
    unit = ctx.profile.resolve(agency).id if agency else None
    result = api.plan(ctx, scores, goal=goal, rank=rank, national=national, effort=effort, commitments=commitments or (), sets=sets or ())
    inputs = [p for p in (scores, national, effort, *(commitments or ())) if p]
    written = []
    for path in output or ():
        from ..plan.outputs import write_plan

        written.append(write_plan(result, path, force=force, inputs=inputs))
    if templates is not None:
        written += api.commitment_templates(ctx, result, templates, force=force, unit=unit)
    console = out()
    if unit is not None:
        console.print(agency_view(result, result.agency(unit)))
    elif written:
        console.print(summary_view(result))  # every indicator's row is in the files
    else:
        console.print(plan_view(result))
    e = err()
    for path in written:
        e.print(_("Written: {path}").format(path=path), soft_wrap=True, markup=False)
    for f in result.findings:
        e.print(f.message, style="red" if f.is_error else "yellow", soft_wrap=True, markup=False)
    errors = [f for f in result.findings if f.is_error]
    if errors:
        e.print(_("{n} problem(s) to correct (above); the plan leaves those rows out.").format(n=len(errors)), style="bold red", markup=False)
        raise typer.Exit(1)
