"""What every command shares: how a command is declared and registered, the global options, the
console, one way to render errors, and output formats.

A command is a plain module-level function declared with :func:`command`; ``cli.py`` builds the
app from the registry. Whether a command reads workbooks from outside dti (and so needs
openpyxl's XML parsing defused first) is declared on the command, never guessed from its name.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
import traceback
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

import typer
from rich.console import Console

from ..core.errors import DtiError
from ..core.i18n import _
from ..core.text import inert
from ..methodology.context import Context

F = TypeVar("F", bound=Callable[..., Any])

#: Set by the top-level callback (--profile, --catalogue, --debug).
STATE: dict[str, Any] = {"profile": None, "catalogue": None, "debug": False}


@dataclass(frozen=True)
class Spec:
    """A declared command: its name, the group it belongs to (``catalog``), its function."""

    name: str
    fn: Callable[..., Any]
    group: str | None = None
    reads_workbooks: bool = False


COMMANDS: list[Spec] = []


def command(name: str, *, group: str | None = None, reads_workbooks: bool = False) -> Callable[[F], F]:
    """Declare a CLI command (the function stays importable and callable as it is)."""

    def deco(fn: F) -> F:
        COMMANDS.append(Spec(name, fn, group, reads_workbooks))
        return fn

    return deco


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Lang(StrEnum):
    vi = "vi"
    en = "en"


def out() -> Console:
    """Console for results (stdout); wide enough not to wrap Vietnamese names needlessly."""
    return Console(soft_wrap=False, highlight=False)


def err() -> Console:
    return Console(stderr=True, highlight=False)


def context() -> Context:
    """Profile, catalogue and baseline, as the global options chose them (loaded on first use)."""
    if "ctx" not in STATE:
        from ..methodology.context import load_context

        STATE["ctx"] = load_context(STATE["profile"], STATE["catalogue"])
    return STATE["ctx"]


def set_language(lang: str | None) -> str:
    """Speak ``lang`` from now on: dti's own words, click's, and the help pages."""
    from ..core import i18n
    from . import clihelp

    code = i18n.set_language(lang)
    clihelp.set_translator(i18n._)
    return code


def use_lang(lang: Lang | str | None) -> None:
    """A command's own --lang: the language of everything this run says from now on."""
    if lang:
        set_language(str(lang))


def run(spec: Spec, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn dti's own errors into one clear message on stderr and the right exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            if spec.reads_workbooks:
                from ..intake import ensure_defused

                ensure_defused()
            with warnings.catch_warnings():
                if not STATE.get("debug"):  # openpyxl warns about what it finds in returned files, with its own source line
                    warnings.simplefilter("ignore")
                return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except DtiError as e:
            if STATE.get("debug"):
                traceback.print_exc()
            print_error(str(e))
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            print_error(_("interrupted; nothing half-written was left behind."))
            raise typer.Exit(130) from None
        except Exception as e:  # a bug: say so plainly, show the traceback only with --debug
            if STATE.get("debug"):
                traceback.print_exc()
            else:
                print_error(_("unexpected {error}: {detail}. Run again with --debug for the details, and report it.").format(
                    error=type(e).__name__, detail=e))
            raise typer.Exit(1) from None

    return wrapper


def print_error(message: str) -> None:
    from rich.markup import escape

    err().print(f"[bold red]{escape(_('Error'))}:[/] {escape(inert(message))}", soft_wrap=True)


def write_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """CSV with formula-like cells neutralised (a leading apostrophe), as spreadsheets expect."""
    from ..core.safety import safe_csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([safe_csv_cell(v) for v in r])
    return buf.getvalue()


def parse_day(text: str | None, option: str):
    """A date option as typed: dd/mm/yyyy or ISO (yyyy-mm-dd); UsageError otherwise."""
    if not text:
        return None
    from datetime import date, datetime

    from ..core.errors import UsageError
    from ..values import parse_date

    d = parse_date(text.strip())
    if isinstance(d, datetime):
        d = d.date()
    if not isinstance(d, date):
        year = context().year  # the examples are dates of the round
        raise UsageError(_("{option} {text!r}: not a date; write it as {example} or {iso}.").format(
            option=option, text=text, example=f"15/10/{year}", iso=f"{year}-10-15"))
    return d
