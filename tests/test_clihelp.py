"""Help texts translated at render time (dti_cli.clihelp), with a toy app and a dict as translator."""

from __future__ import annotations

import re
from typing import Annotated

import pytest
import typer
import typer.core
import typer.main

from dti_cli.commands import clihelp

GREET_DOC = """Greet someone, politely,
over two lines in the source.

\b
Example:
  toy greet Bob --times 2

Nothing is written anywhere.
\f
Notes for developers, never shown."""

VI = {
    "Toy: greets people.": "Đồ chơi: chào mọi người.",
    "Run toy greet first.": "Hãy chạy toy greet trước.",
    "Greet someone, politely, over two lines in the source.": "Chào một người, lịch sự.",
    "Example:\n  toy greet Bob --times 2": "Ví dụ:\n  toy greet Bob --times 2",
    "Nothing is written anywhere.": "Không ghi gì ra đâu cả.",
    "Who to greet.": "Người được chào.",
    "How many times.": "Số lần chào.",
    "Say it loudly.": "Nói to.",
    "See the list of agencies.": "Xem danh sách cơ quan.",
    "List agencies, one a line, with every spelling known for each of them.": "Liệt kê cơ quan, mỗi dòng một cơ quan, với mọi cách viết đã biết.",
    "Agencies": "Cơ quan",
    "Bye for now.": "Tạm biệt.",
}


def make_app(group_cls: type = clihelp.Group, command_cls: type = clihelp.Command) -> typer.Typer:
    app = typer.Typer(cls=group_cls, rich_markup_mode=None, add_completion=False, help="Toy: greets people.", epilog="Run toy greet first.")

    @app.command(cls=command_cls, help=GREET_DOC, epilog="Bye for now.")
    def greet(
        name: Annotated[str, typer.Argument(help="Who to greet.")],
        times: Annotated[int, typer.Option("--times", "-t", help="How many times.")] = 1,
        loud: Annotated[bool, typer.Option("--loud", help="Say it loudly.")] = False,
    ) -> None:
        typer.echo(f"hello {name}")

    @app.command(cls=command_cls, short_help="Agencies")
    def agencies() -> None:
        """List agencies, one a line, with every spelling known for each of them."""

    @app.command(cls=command_cls)
    def untranslated() -> None:
        """This command has no translation yet."""

    return app


def plain_app() -> typer.Typer:
    return make_app(typer.core.TyperGroup, typer.core.TyperCommand)


@pytest.fixture(autouse=True)
def english_click(monkeypatch):
    """click's own words stay English here (no catalog for "en"); every test starts with no translator."""
    monkeypatch.setenv("LANGUAGE", "en")
    clihelp.set_translator(None)
    yield
    clihelp.set_translator(None)


@pytest.fixture
def toy_translator():
    calls: list[str] = []

    def translate(text: str) -> str:
        calls.append(text)
        return VI.get(text, text)

    clihelp.set_translator(translate)
    return calls


def run(runner, app, *args: str):
    return runner.invoke(app, list(args))


def test_help_msgids_are_paragraphs():
    assert clihelp.help_msgids(GREET_DOC) == [
        "Greet someone, politely, over two lines in the source.",
        "Example:\n  toy greet Bob --times 2",
        "Nothing is written anywhere.",
    ]
    assert clihelp.help_msgids(None) == clihelp.help_msgids("") == []
    assert clihelp.help_msgids("One.\n\n\nTwo,\n  indented.") == ["One.", "Two, indented."]


def test_group_help_shows_only_translations(runner, toy_translator):
    r = run(runner, make_app(), "--help")
    assert r.exit_code == 0
    for english in ("Toy: greets people.", "Run toy greet first.", "Greet someone", "List agencies", "Agencies"):
        assert english not in r.output
    assert "\n  Đồ chơi: chào mọi người.\n" in r.output
    assert r.output.rstrip().endswith("Hãy chạy toy greet trước.")
    # the command list: the translated short_help, or the first sentence of the translated help
    assert re.search(r"\n  agencies +Cơ quan\n", r.output)
    assert re.search(r"\n  greet +Chào một người, lịch sự\.\n", r.output)
    assert re.search(r"\n  untranslated +This command has no translation yet\.\n", r.output)


def test_command_help_shows_only_translations(runner, toy_translator):
    r = run(runner, make_app(), "greet", "--help")
    assert r.exit_code == 0
    assert r.output == (
        "Usage: root greet [OPTIONS] {name}\n"
        "\n"
        "  Chào một người, lịch sự.\n"
        "\n"
        "  Ví dụ:\n"
        "    toy greet Bob --times 2\n"
        "\n"
        "  Không ghi gì ra đâu cả.\n"
        "\n"
        "Arguments:\n"
        "  name  Người được chào.  [required]\n"
        "\n"
        "Options:\n"
        "  -t, --times <int>  Số lần chào.  [default: 1]\n"
        "  --loud             Nói to.\n"
        "  --help             Show this message and exit.\n"
        "\n"
        "  Tạm biệt.\n"
    )
    # each paragraph was asked for on its own; what follows \f was not
    assert "Greet someone, politely, over two lines in the source." in toy_translator
    assert not any("developers" in t for t in toy_translator)


def test_errors_are_untouched_by_the_translator(runner, toy_translator):
    for args in (["greet"], ["greet", "Bob", "--times", "x"], ["greet", "Bob", "--xyzzy"], ["gret"], []):
        mine, theirs = run(runner, make_app(), *args), run(runner, plain_app(), *args)
        assert mine.exit_code == theirs.exit_code == 2, args
        assert mine.output == theirs.output, args
    assert run(runner, make_app(), "greet", "Bob").output == "hello Bob\n"


@pytest.mark.parametrize("args", [["--help"], ["greet", "--help"], ["agencies", "--help"], ["greet"], ["greet", "Bob", "-t", "x"], ["gret"], []])
def test_identity_translator_prints_what_typer_prints(runner, args):
    mine, theirs = run(runner, make_app(), *args), run(runner, plain_app(), *args)
    assert (mine.exit_code, mine.output) == (theirs.exit_code, theirs.output)


def help_texts(cmd) -> list:
    texts = [cmd.help, cmd.short_help, cmd.epilog] + [(p.help, p.metavar) for p in cmd.params]
    for sub in getattr(cmd, "commands", {}).values():
        texts += help_texts(sub)
    return texts


def test_texts_are_put_back_after_rendering(toy_translator):
    group = typer.main.get_command(make_app())
    before = help_texts(group)
    for path in ([], ["greet"]):
        cmd = group.commands[path[0]] if path else group
        with cmd.make_context("root", [], resilient_parsing=True) as ctx:
            assert "Chào một người" in cmd.get_help(ctx)
    assert help_texts(group) == before


def test_a_failing_translator_changes_nothing():
    group = typer.main.get_command(make_app())
    before = help_texts(group)

    def broken(text: str) -> str:
        raise LookupError(text)

    clihelp.set_translator(broken)
    with group.make_context("root", [], resilient_parsing=True) as ctx, pytest.raises(LookupError):
        group.get_help(ctx)
    assert help_texts(group) == before
