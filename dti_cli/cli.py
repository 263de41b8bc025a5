"""The ``dti`` command line: a thin layer over the library, one module per stage in :mod:`dti_cli.commands`.

The app is built from the commands' registry. The run's language is chosen before anything is
printed (``--lang`` anywhere on the line, else ``DTI_LANG``, else Vietnamese), so help pages and
click's own messages speak it too. Heavy libraries are imported inside the commands that need
them, so ``dti --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .commands import catalog, clihelp, demo, export, merge, plan, report, score, template  # noqa: F401  (they register their commands)
from .commands.base import COMMANDS, STATE, Lang, run, set_language
from .core.i18n import N_


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dti {__version__}")
        raise typer.Exit()


def _lang(value: str | None) -> str | None:
    if value:
        set_language(value)
    return value


def main_options(
    profile: Annotated[Path | None, typer.Option("--profile", envvar="DTI_PROFILE", help=N_("Province profile file (TOML); default: Cà Mau."))] = None,
    catalogue: Annotated[Path | None, typer.Option("--catalogue", envvar="DTI_CATALOGUE",
                                                   help=N_("Methodology catalogue file (TOML); default: the profile's."))] = None,
    lang: Annotated[Lang | None, typer.Option("--lang", envvar="DTI_LANG", callback=_lang, is_eager=True,
                                              help=N_("Language of everything dti says: vi (default) or en."))] = None,
    debug: Annotated[bool, typer.Option("--debug", help=N_("Show the full traceback of an unexpected error."))] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help=N_("Show the version and exit."))] = False,
) -> None:
    """dti: collect, merge, score and report the provincial Digital Transformation Index (DTI).

    The yearly round: dti template --all -o phieu → the agencies fill in their workbooks → dti merge nhan-ve/ → dti score → dti report → dti plan.
    """
    STATE.clear()
    STATE.update(profile=profile, catalogue=catalogue, debug=debug)


#: The order `dti --help` lists the commands in: the round's order, then the rest.
PIPELINE = ("template", "status", "merge", "score", "report", "plan", "history", "export", "demo", "list", "show", "agencies", "check")


def build_app() -> typer.Typer:
    """The typer app, from every declared command."""
    app = typer.Typer(name="dti", cls=clihelp.Group, no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                      rich_markup_mode=None)
    app.callback()(main_options)
    groups = {"catalog": typer.Typer(cls=clihelp.Group, no_args_is_help=True, rich_markup_mode=None,
                                     help=N_("The methodology: indicators, rules, agencies, and checks of the data files."))}
    for name, sub in groups.items():
        app.add_typer(sub, name=name)
    order = {name: k for k, name in enumerate(PIPELINE)}
    for spec in sorted(COMMANDS, key=lambda c: order.get(c.name, len(order))):
        target = groups[spec.group] if spec.group else app
        target.command(spec.name, cls=clihelp.Command)(run(spec, spec.fn))
    return app


app = build_app()


def _lang_in(argv: list[str]) -> str | None:
    """The last ``--lang X`` / ``--lang=X`` on the command line."""
    found = None
    for k, a in enumerate(argv):
        if a == "--lang" and k + 1 < len(argv):
            found = argv[k + 1]
        elif a.startswith("--lang="):
            found = a.split("=", 1)[1]
    return found


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    args = sys.argv[1:] if argv is None else argv
    # dti does no linear algebra: numpy (the planner's route) need not start a BLAS thread per core when it loads
    # (measured: its import 0.90x the wall time, 0.59x the CPU). Set for the command only, never for the library's callers.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        set_language(_lang_in(args))
    except Exception:  # an unknown --lang: click says so in the default language
        set_language(None)
    _terminate_like_interrupt()
    app(args=args)


def _terminate_like_interrupt() -> None:
    """SIGTERM (a service stopping dti, a killed terminal) cleans up as Ctrl-C does: temporary files removed."""
    import signal

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError, OSError):  # not the main thread
        signal.signal(signal.SIGTERM, handler)


if __name__ == "__main__":
    main()
