"""What every command shares: global options, the console, error rendering and output formats."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
import traceback
import warnings
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any, TypeVar

import typer
from rich.console import Console

from ..errors import DtiError

F = TypeVar("F", bound=Callable[..., Any])

#: Set by the top-level callback (--profile, --catalogue, --debug).
STATE: dict[str, Any] = {"profile": None, "catalogue": None, "debug": False}

#: Commands that read workbooks from outside dti: before they start, openpyxl must be parsing XML
#: through defusedxml (entities refused). Checked here, not at import, so `dti --help` stays fast.
READS_WORKBOOKS = frozenset({"merge", "status", "score", "report"})


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def out() -> Console:
    """Console for results (stdout); wide enough not to wrap Vietnamese names needlessly."""
    return Console(soft_wrap=False, highlight=False)


def err() -> Console:
    return Console(stderr=True, highlight=False)


def context():
    """Profile, catalogue and baseline, as the global options chose them (loaded on first use)."""
    if "ctx" not in STATE:
        from ..context import load_context

        STATE["ctx"] = load_context(STATE["profile"], STATE["catalogue"])
    return STATE["ctx"]


def handle_errors(fn: F) -> F:
    """Turn dti's own errors into one clear message on stderr and the right exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            if fn.__name__ in READS_WORKBOOKS:
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
            _print_error(str(e))
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            _print_error("interrupted")
            raise typer.Exit(130) from None
        except Exception as e:  # a bug: say so plainly, show the traceback only with --debug
            if STATE.get("debug"):
                traceback.print_exc()
            else:
                _print_error(f"unexpected {type(e).__name__}: {e}. Run again with --debug for details and report it.")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _print_error(message: str) -> None:
    from rich.markup import escape

    err().print(f"[bold red]Error:[/] {escape(message)}", soft_wrap=True)


def write_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """CSV with formula-like cells neutralised (a leading apostrophe), as spreadsheets expect."""
    from ..safety import safe_csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([safe_csv_cell(v) for v in r])
    return buf.getvalue()
