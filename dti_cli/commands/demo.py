"""``dti demo``: the whole yearly round on the bundled sample figures, narrated."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..core.i18n import N_, _
from .base import Lang, command, context, out, use_lang


@command("demo", reads_workbooks=True)
def demo(
    folder: Annotated[Path, typer.Argument(help=N_("Folder for everything the demo writes."))] = Path("dti-demo"),
    force: Annotated[bool, typer.Option("--force", help=N_("Write into a folder that already has files."))] = False,
    lang: Annotated[Lang | None, typer.Option("--lang", help=N_("vi (default) or en."))] = None,
) -> None:
    """Run the whole round on sample figures: templates, returned workbooks, merge, score, report and plan.

    The figures and the national reference values are illustrative sample data, not official statistics; every page the demo writes says so. Every file is written inside FOLDER (default ./dti-demo).

    Example: dti demo dti-demo
    """
    from rich.markup import escape

    from ..demo import REFERENCES, run_demo

    use_lang(lang)
    ctx = context()
    con = out()
    con.print("[bold]dti demo[/]: " + escape(_("the DTI {year} round of {province} on sample figures").format(
        year=ctx.year, province=ctx.profile.name_full)) + "\n")
    n = [0]

    def show(step) -> None:  # noqa: ANN001
        n[0] += 1
        label = _("Step {n}").format(n=n[0])
        con.print(f"[bold cyan]{escape(label)}. {escape(step.title)}[/]: {escape(step.detail)}")
        for f in step.files:
            con.print(f"    → {escape(str(f))}")

    run_demo(ctx, folder, force=force, on_step=show)
    report = folder / "bao-cao-dti.html"
    con.print("\n" + escape(_("Done. Open {report} to read the report; try `dti score {merged} --references {refs} --explain 6.12`.").format(
        report=report if report.exists() else folder, merged=folder / "merged.xlsx", refs=folder / REFERENCES)))
