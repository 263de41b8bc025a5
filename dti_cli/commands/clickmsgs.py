"""Click's and typer's own words, in the run's language.

typer 0.28 vendors click as ``typer._click`` and, unlike click, writes almost all of click's
words as plain English f-strings: only ``typer/core.py`` (section titles, the default/required/env
var markers, "Missing command.", "No such command", "Aborted!") calls gettext. This module hands
the others to the same gettext domain ("messages", bound by the caller with
``gettext.bindtextdomain``; the language comes from ``LANGUAGE``), so one catalog,
``dti_cli/locale/<lang>/LC_MESSAGES/messages.po``, holds every word click and typer show:

* the words of a help page: the usage prefix, ``[OPTIONS]``, ``COMMAND [ARGS]...``, the help
  option's help and the type metavars (``<int>``, ``<path>``…);
* every error message, matched against the English template typer builds it from (the msgids
  below *are* those templates, so an untranslated run prints exactly what typer prints).

:mod:`dti_cli.clihelp` calls it while it renders help and errors; ``tools/i18n_click.py``
extracts the ``N_`` marks below into the catalog next to the strings typer itself translates.
"""

from __future__ import annotations

import functools
import re
from gettext import gettext as _
from typing import IO, Any

from typer._click._compat import get_text_stderr
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer._click.utils import echo


def N_(msgid: str) -> str:
    """Mark *msgid* for extraction; it is translated where it is used."""
    return msgid


USAGE = N_("Usage:")
HELP_OPTION_HELP = N_("Show this message and exit.")  # typer/_click/decorators.py, help_option
OPTIONS_METAVAR = N_("[OPTIONS]")  # the default of Command(options_metavar=...)
SUBCOMMAND_METAVAR = N_("COMMAND [ARGS]...")  # the default of TyperGroup(subcommand_metavar=...)
ERROR = N_("Error: {message}")
TRY_HELP = N_("Try '{command} {option}' for help.")

#: The metavar click writes for an option of each built-in type: ``<{type.name}>``.
TYPE_METAVARS = frozenset(
    (
        N_("<str>"),
        N_("<int>"),
        N_("<float>"),
        N_("<int range>"),
        N_("<float range>"),
        N_("<boolean>"),
        N_("<uuid>"),
        N_("<path>"),
        N_("<file>"),
        N_("<directory>"),
        N_("<filename>"),
    )
)

#: Every message typer 0.28 builds in English, as the template it builds it from; ``{name}`` is a
#: part taken over as it is, except ``{message}``, itself a message (translated in turn). Tried in
#: this order: the messages that wrap another one come first, so that "Invalid value for '-n':
#: 'x' is not one of …" is read as the wrapper, not as a value named "Invalid value for '-n': 'x'".
ERROR_TEMPLATES = (
    # exceptions.py: BadParameter, MissingParameter, NoSuchOption, FileError
    N_("Invalid value for {param}: {message}"),
    N_("Invalid value: {message}"),
    N_("Missing argument {param}. {message}"),
    N_("Missing argument {param}."),
    N_("Missing option {param}. {message}"),
    N_("Missing option {param}."),
    N_("Missing parameter {param}. {message}"),
    N_("Missing parameter {param}."),
    N_("{message} (Possible options: {possibilities})"),
    N_("No such option: {name}"),
    N_("Could not open file {name}: {message}"),
    N_("unknown error"),
    # core.py: TyperGroup.resolve_command adds a suggestion to "No such command" (translated by typer)
    N_("{message}. Did you mean {suggestions}?"),
    # _click/core.py: Command.parse_args, Parameter.type_cast_value
    N_("Got unexpected extra argument(s) ({args})"),
    N_("Value must be an iterable."),
    N_("Takes {nargs} values but {count} given."),
    # _click/parser.py
    N_("Option {name} does not take a value."),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {nargs} arguments."),
    N_("Argument {name} takes {nargs} values."),
    # _types.py: TyperChoice
    N_("{value} is not one of {choices}."),
    N_("Choose from:\n\t{choices}"),
    # _click/types.py: each number type writes its own name
    N_("{value} is not a valid int."),
    N_("{value} is not a valid int range."),
    N_("{value} is not a valid float."),
    N_("{value} is not a valid float range."),
    N_("{value} is not in the range {range}."),
    N_("{value} is not a valid boolean. Recognized values: {states}"),
    N_("{value} is not a valid UUID."),
    N_("{value} does not match the formats {formats}."),
    N_("{expected} values are required, but {count} given."),
    # models.py: TyperPath writes "File", "Directory" or "Path" as its name dictates
    N_("File {path} does not exist."),
    N_("Directory {path} does not exist."),
    N_("Path {path} does not exist."),
    N_("File {path} is a directory."),
    N_("Directory {path} is a file."),
    N_("File {path} is not readable."),
    N_("Directory {path} is not readable."),
    N_("Path {path} is not readable."),
    N_("File {path} is not writable."),
    N_("Directory {path} is not writable."),
    N_("Path {path} is not writable."),
)

@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The templates as regular expressions, compiled on the first error (not at start-up)."""
    out = []
    for template in ERROR_TEMPLATES:
        parts = re.split(r"\{(\w+)\}", template)  # literal, name, literal, name, …, literal
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        out.append((re.compile(rf"\A{regex}\Z", re.DOTALL), template))
    return tuple(out)


def message(text: str) -> str:
    """*text*, an English message built by typer, in the run's language (as it is if unknown)."""
    for pattern, template in _patterns():
        m = pattern.match(text)
        if m:
            fields = {k: message(v) if k == "message" else v for k, v in m.groupdict().items()}
            return _(template).format(**fields)
    return text


def usage_prefix() -> str:
    return _(USAGE) + " "


def help_option_help(text: str | None) -> str | None:
    return _(HELP_OPTION_HELP) if text == HELP_OPTION_HELP else text


def usage_metavar(text: str | None) -> str | None:
    """``[OPTIONS]`` and ``COMMAND [ARGS]...`` translated; a metavar the program chose stays."""
    return _(text) if text in (OPTIONS_METAVAR, SUBCOMMAND_METAVAR) else text


def type_metavar(text: str) -> str:
    """``<int>``, ``<path>``… (with click's ``...`` for several values) translated."""
    base, dots = (text[:-3], "...") if text.endswith("...") else (text, "")
    return _(base) + dots if base in TYPE_METAVARS else text


def localize_error(e: ClickException) -> None:
    """Make *e* show itself in the run's language: its message, "Error:" and "Try … for help.".

    typer prints an error with ``e.show()`` (``e.format_message()`` with rich markup), both of
    which write English; the instance gets its own two, keeping its class, context and exit code.
    """
    if isinstance(e, NoArgsIsHelpError):
        return  # its message is the help page, rendered (so translated) by the command
    if "format_message" in vars(e):
        return  # already done where it was raised, in a subcommand
    text = message(e.format_message())
    e.format_message = lambda: text  # type: ignore[method-assign]
    e.show = functools.partial(_show, e)  # type: ignore[method-assign]


def _show(e: ClickException, file: IO[Any] | None = None) -> None:
    """typer's ``UsageError.show`` / ``ClickException.show``, with their words through gettext."""
    if file is None:
        file = get_text_stderr()
    color = e.show_color
    if isinstance(e, UsageError):
        color = None
        if e.ctx is not None:
            hint = ""
            if e.ctx.command.get_help_option(e.ctx) is not None:
                hint = _(TRY_HELP).format(command=e.ctx.command_path, option=e.ctx.help_option_names[0]) + "\n"
            color = e.ctx.color
            echo(f"{e.ctx.get_usage()}\n{hint}", file=file, color=color)
    echo(_(ERROR).format(message=e.format_message()), file=file, color=color)
