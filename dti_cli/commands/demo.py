"""`dti demo`: the whole yearly round on the bundled sample figures, narrated."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import context, handle_errors, out


def register(app: typer.Typer) -> None:
    """Add `dti demo` to the main app."""

    @app.command("demo")
    @handle_errors
    def demo(
        folder: Annotated[Path, typer.Argument(help="Folder for everything the demo writes.")] = Path("dti-demo"),
        force: Annotated[bool, typer.Option("--force", help="Write into a folder that already has files.")] = False,
    ) -> None:
        """Run the whole round on sample figures: templates, returned workbooks, merge, score, report.

        The figures and the national reference values are illustrative sample data, not official
        statistics. Every file is written inside FOLDER (default ./dti-demo).

        Example: dti demo dti-demo
        """
        from ..demo import run_demo

        con = out()
        con.print(f"[bold]dti demo[/] — đợt đánh giá DTI {context().catalogue.year} của tỉnh {context().profile.name} trên số liệu mẫu\n")
        n = [0]

        def show(step) -> None:
            n[0] += 1
            con.print(f"[bold cyan]Bước {n[0]}/5. {step.title}[/]: {step.detail}")
            for f in step.files:
                con.print(f"    → {f}")

        run_demo(context(), folder, force=force, on_step=show)
        con.print(f"\nXong. Mở [bold]{folder / 'bao-cao-dti.html'}[/] để xem báo cáo; "
                  f"thử `dti score {folder / 'merged.xlsx'} --references {folder / 'references.csv'} --explain 6.12`.")
