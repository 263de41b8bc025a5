"""Help texts translated when they are shown, not when the CLI module is imported.

A command's docstring and its options' ``help=`` are read when ``cli.py`` is imported, before
the run's language is known. The command classes here translate them at the last moment, while a
help page is written, through the translator given to :func:`set_translator` (identity until
then), and put the original texts back afterwards. What click and typer write themselves (usage
line, section titles, "[default: …]", errors) goes through gettext in :mod:`dti_cli.clickmsgs`.

Use them as ``typer.Typer(cls=clihelp.Group, rich_markup_mode=None)`` and
``app.command(cls=clihelp.Command)``.

A help text is translated paragraph by paragraph (paragraphs are separated by blank lines, as
click wraps them), so a catalog holds each paragraph as one msgid: :func:`help_msgids` lists
them. A paragraph's msgid is its words joined by single spaces, whatever the line breaks of the
docstring; a ``\\b`` paragraph (kept as written by click) is translated without its ``\\b`` line,
with its line breaks, and keeps the ``\\b``. What follows ``\\f`` (never shown) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from typer import _click
from typer.core import TyperCommand, TyperGroup

from . import clickmsgs


def _identity(text: str) -> str:
    return text


_translate: Callable[[str], str] = _identity


def set_translator(fn: Callable[[str], str] | None) -> None:
    """Translate help texts with *fn* from now on (``None``: show them as written)."""
    global _translate
    _translate = fn or _identity


_PARAGRAPH_BREAK = r"(\n{2,})"  # click's wrap_text starts a paragraph after an empty line (compiled on first use)
_NO_REWRAP = "\b"


def _split(text: str) -> tuple[list[str], str]:
    """(paragraphs and the breaks between them, the part from ``\\f`` on)."""
    shown, ff, hidden = text.partition("\f")
    return re.split(_PARAGRAPH_BREAK, shown), ff + hidden


def _msgid(paragraph: str) -> tuple[str, str]:
    """(what stays in front of the translation, the msgid)."""
    first, newline, rest = paragraph.partition("\n")
    if first.strip() == _NO_REWRAP:
        return first + newline, rest
    indent = paragraph[: len(paragraph) - len(paragraph.lstrip(" "))]
    return indent, " ".join(paragraph.split())


def help_msgids(text: str | None) -> list[str]:
    """The msgids a catalog needs for *text* (a docstring or a ``help=``), in order."""
    if not text:
        return []
    pieces, _hidden = _split(text)
    return [m for p in pieces[::2] if (m := _msgid(p)[1])]


def translate_help(text: str | None) -> str | None:
    """*text* with each paragraph translated; a paragraph the translator leaves alone is kept as written."""
    if not text:
        return text
    pieces, hidden = _split(text)
    for i in range(0, len(pieces), 2):
        before, msgid = _msgid(pieces[i])
        if msgid:
            translated = _translate(msgid)
            if translated != msgid:
                pieces[i] = before + translated
    return "".join(pieces) + hidden


@contextmanager
def _swapped(changes: list[tuple[Any, str, Any]]) -> Iterator[None]:
    """Set each ``(object, attribute, value)`` for the duration of the block, then restore it."""
    saved = [(obj, attr, getattr(obj, attr)) for obj, attr, _value in changes]
    try:
        for obj, attr, value in changes:
            setattr(obj, attr, value)
        yield
    finally:
        for obj, attr, value in reversed(saved):
            setattr(obj, attr, value)


def _command_texts(cmd: _click.Command) -> list[tuple[Any, str, Any]]:
    return [(cmd, attr, translate_help(getattr(cmd, attr))) for attr in ("help", "short_help", "epilog")]


def _param_texts(cmd: _click.Command, ctx: _click.Context) -> list[tuple[Any, str, Any]]:
    changes: list[tuple[Any, str, Any]] = []
    help_option = cmd.get_help_option(ctx)
    for param in cmd.get_params(ctx):
        if param is help_option:
            changes.append((param, "help", clickmsgs.help_option_help(param.help)))
            continue
        changes.append((param, "help", translate_help(param.help)))
        # An option's metavar is click's word for its type (<int>, <path>…) unless the program chose one.
        if param.param_type_name == "option" and param.metavar is None and not (param.is_flag or param.count):
            metavar = param.make_metavar(ctx)
            translated = clickmsgs.type_metavar(metavar)
            if translated != metavar:
                changes.append((param, "metavar", translated))
    return changes


class _Translated:
    """What :class:`Command` and :class:`Group` add to typer's classes."""

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        with _swapped(_command_texts(self) + _param_texts(self, ctx)):  # type: ignore[arg-type]
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def format_usage(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=clickmsgs.usage_prefix())

    def collect_usage_pieces(self, ctx: _click.Context) -> list[str]:
        return [clickmsgs.usage_metavar(p) for p in super().collect_usage_pieces(ctx)]  # type: ignore[misc]

    # Errors are raised while the arguments are parsed (make_context) or a subcommand is found
    # and run (invoke); typer shows them further up, with e.show().
    def make_context(self, info_name: str | None, args: list[str], parent: _click.Context | None = None, **extra: Any) -> _click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)  # type: ignore[misc]
        except _click.ClickException as e:
            clickmsgs.localize_error(e)
            raise

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except _click.ClickException as e:
            clickmsgs.localize_error(e)
            raise


class Command(_Translated, TyperCommand):
    """A typer command whose help is translated when it is shown."""


class Group(_Translated, TyperGroup):
    """A typer group whose help, and its list of commands, are translated when shown."""

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        changes: list[tuple[Any, str, Any]] = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                changes += [c for c in _command_texts(cmd) if c[1] != "epilog"]
        with _swapped(changes):
            super().format_commands(ctx, formatter)
