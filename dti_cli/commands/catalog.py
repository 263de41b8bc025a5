"""`dti catalog …`: the methodology, its agencies and its checks."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import Format, context, csv_text, handle_errors, out, write_json

app = typer.Typer(help="Look at the methodology: indicators, rules, agencies, and check the data files.", no_args_is_help=True)


@app.command("list")
@handle_errors
def list_(
    pillar: Annotated[str | None, typer.Option("--pillar", "-p", help="Only this pillar (1-9).")] = None,
    agency: Annotated[str | None, typer.Option("--agency", "-a", help="Only indicators this agency leads (any spelling).")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table, json or csv.")] = Format.table,
) -> None:
    """List the indicators with their max points, rule, lead agency and 2022 score.

    Example: dti catalog list --pillar 7 --format json
    """
    from ..describe import catalogue_rows

    ctx = context()
    rows = catalogue_rows(ctx, pillar=pillar, agency=agency)
    if fmt is Format.json:
        write_json(rows)
    elif fmt is Format.csv:
        out().file.write(csv_text(["code", "name_vi", "name_en", "max_points", "rule", "lead_agencies", "score_2022"],
                                  [[r["code"], r["name_vi"], r["name_en"], r["max_points"], r["rule"]["kind"], "; ".join(r["lead_agencies"]), r["score_2022"]] for r in rows]))
    else:
        from ..describe import render_catalogue_table

        out().print(render_catalogue_table(rows, ctx))


@app.command("show")
@handle_errors
def show(
    code: Annotated[str, typer.Argument(help="Indicator code, e.g. 6.12 or 8.8.2.3.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.table,
) -> None:
    """Everything about one indicator: its inputs, its rule in words, its agencies, target and 2022 score.

    Example: dti catalog show 6.12
    """
    from ..describe import indicator_row, render_indicator

    ctx = context()
    ind = ctx.catalogue.get(code)
    if fmt is Format.json:
        write_json(indicator_row(ctx, ind))
    else:
        out().print(render_indicator(ctx, ind))


@app.command("agencies")
@handle_errors
def agencies(fmt: Annotated[Format, typer.Option("--format", "-f", help="table, json or csv.")] = Format.table) -> None:
    """Each agency and district-level unit, its other spellings, and the indicators it leads.

    Example: dti catalog agencies --format csv
    """
    from ..describe import agency_rows, render_agencies

    rows = agency_rows(context())
    if fmt is Format.json:
        write_json(rows)
    elif fmt is Format.csv:
        out().file.write(csv_text(["id", "name", "short", "kind", "aliases", "leads", "max_points_led"],
                                  [[r["id"], r["name"], r["short"], r["kind"], "; ".join(r["aliases"]), " ".join(r["leads"]), r["max_points_led"]] for r in rows]))
    else:
        out().print(render_agencies(rows))


@app.command("check")
@handle_errors
def check(fmt: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.table) -> None:
    """Check the data files: sums of children and pillars, leads, rules, ids, and the 2022 baseline.

    Exit 1 when there is an error, 0 when there are only warnings (such as the published
    pillar 6 score, 77.76, against its sub-indicators' 72.78).

    Example: dti catalog check
    """
    from ..catalogue import check_data

    ctx = context()
    items = check_data(ctx.catalogue, ctx.baseline, ctx.profile)
    errors = [i for i in items if i.level == "error"]
    if fmt is Format.json:
        write_json({"catalogue": ctx.catalogue.path, "version": ctx.catalogue.version, "sha256": ctx.catalogue.sha256,
                    "indicators": len(ctx.catalogue.indicators), "inputs": len(ctx.catalogue.inputs),
                    "errors": len(errors), "warnings": len(items) - len(errors), "items": [i.to_dict() for i in items]})
    else:
        from ..describe import render_check

        out().print(render_check(ctx, items))
    if errors:
        raise typer.Exit(1)
