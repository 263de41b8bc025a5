"""The `dti` command line: a thin layer over catalogue → template → merge → score → report.

Each stage's commands live in :mod:`dti_cli.commands`; heavy libraries are imported inside the
commands that need them, so `dti --help` starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .commands import catalog, demo, merge, report, score, template
from .commands.common import STATE

app = typer.Typer(
    name="dti",
    help="dti: collect, merge, score and report the provincial Digital Transformation Index (DTI).\n\n"
    "The yearly round: dti template --all → agencies fill the workbooks → dti merge → dti score → dti report --compare 2022.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(catalog.app, name="catalog")
for _stage in (template, merge, score, report, demo):
    _stage.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dti {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    profile: Annotated[Path | None, typer.Option("--profile", envvar="DTI_PROFILE", help="Province profile file (TOML); default: Cà Mau.")] = None,
    catalogue: Annotated[Path | None, typer.Option("--catalogue", envvar="DTI_CATALOGUE", help="Methodology catalogue file (TOML); default: the profile's.")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of an unexpected error.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    STATE.clear()
    STATE.update(profile=profile, catalogue=catalogue, debug=debug)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
