"""``dti catalog …``: the methodology, its agencies and its checks."""

from __future__ import annotations

from typing import Annotated

import typer

from ..core.i18n import N_
from .base import Format, command, context, csv_text, out, write_json


@command("list", group="catalog")
def list_(
    pillar: Annotated[str | None, typer.Option("--pillar", "-p", help=N_("Only this pillar (1-9)."))] = None,
    agency: Annotated[str | None, typer.Option("--agency", "-a", help=N_("Only the indicators this agency leads (any spelling)."))] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help=N_("table, json or csv."))] = Format.table,
) -> None:
    """List the indicators with their max points, rule, lead agency and baseline score.

    Example: dti catalog list --pillar 7 --format json
    """
    from ..methodology.describe import catalogue_rows

    ctx = context()
    rows = catalogue_rows(ctx, pillar=pillar, agency=agency)
    if fmt is Format.json:
        write_json(rows)
    elif fmt is Format.csv:
        out().file.write(csv_text(["code", "name_vi", "name_en", "max_points", "rule", "lead", "score_baseline"],
                                  [[r["code"], r["name_vi"], r["name_en"], r["max_points"], r["rule"]["kind"], " ".join(r["lead"]),
                                    r["score_baseline"]] for r in rows]))
    else:
        from ..terminal.catalog import catalogue_table

        out().print(catalogue_table(rows, ctx))


@command("show", group="catalog")
def show(
    code: Annotated[str, typer.Argument(help=N_("Indicator code, e.g. 6.12 or 8.8.2.3."))],
    fmt: Annotated[Format, typer.Option("--format", "-f", help=N_("table or json."))] = Format.table,
) -> None:
    """Everything about one indicator: its inputs, its rule in words, its agencies, target and baseline score.

    Example: dti catalog show 6.12
    """
    from ..methodology.describe import indicator_row

    ctx = context()
    ind = ctx.catalogue.get(code)
    if fmt is Format.json:
        write_json(indicator_row(ctx, ind))
    else:
        from ..terminal.catalog import indicator_view

        out().print(indicator_view(ctx, ind))


@command("agencies", group="catalog")
def agencies(fmt: Annotated[Format, typer.Option("--format", "-f", help=N_("table, json or csv."))] = Format.table) -> None:
    """Each agency and district-level unit, its other spellings, and the indicators it leads.

    Example: dti catalog agencies --format csv
    """
    from ..methodology.describe import agency_rows

    rows = agency_rows(context())
    if fmt is Format.json:
        write_json(rows)
    elif fmt is Format.csv:
        out().file.write(csv_text(["id", "name", "short", "kind", "aliases", "leads", "max_points_led"],
                                  [[r["id"], r["name"], r["short"], r["kind"], "; ".join(r["aliases"]), " ".join(r["leads"]), r["max_points_led"]]
                                   for r in rows]))
    else:
        from ..terminal.catalog import agencies_table

        out().print(agencies_table(rows))


@command("check", group="catalog")
def check(fmt: Annotated[Format, typer.Option("--format", "-f", help=N_("table or json."))] = Format.table) -> None:
    """Check the data files: sums of children and pillars, leads, rules, ids, and the baseline.

    Exit 1 when there is an error, 0 when there are only warnings (such as the published pillar 6 score, 77.76, against its sub-indicators' 72.78).

    Example: dti catalog check
    """
    from ..methodology.check import check_data

    ctx = context()
    items = check_data(ctx)
    errors = [i for i in items if i.is_error]
    if fmt is Format.json:
        write_json({"catalogue": ctx.catalogue.path, "version": ctx.catalogue.version, "sha256": ctx.catalogue.sha256,
                    "indicators": len(ctx.catalogue.indicators), "inputs": len(ctx.catalogue.inputs),
                    "errors": len(errors), "warnings": len(items) - len(errors), "items": [i.to_dict() for i in items]})
    else:
        from ..terminal.catalog import check_view

        out().print(check_view(ctx, items))
    if errors:
        raise typer.Exit(1)
