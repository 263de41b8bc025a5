"""click's and typer's own words in Vietnamese: a typer app's help and errors, and the catalog itself.

The app is built with dti_cli.commands.clihelp's classes: typer 0.28 writes most of click's words in plain
English, and only those classes hand them to gettext (dti_cli.commands.clickmsgs).
"""

from __future__ import annotations

import gettext
import importlib.util
import io
import re
import string
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pytest
import typer
import typer.core

import dti_cli
from dti_cli.commands import clihelp

LOCALE_DIR = Path(dti_cli.__file__).parent / "locale"
PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
TOOL = Path(__file__).resolve().parent.parent / "tools" / "i18n_click.py"

ENGLISH = ("Usage", "Options", "Commands", "Arguments", "Show this message", "Error", "Missing", "Invalid", "Try", "required", "default")


class Format(StrEnum):
    table = "table"
    json = "json"


def make_app(group_cls: type = clihelp.Group, command_cls: type = clihelp.Command) -> typer.Typer:
    """A small app whose own texts are Vietnamese already: what remains English would be click's."""
    app = typer.Typer(cls=group_cls, rich_markup_mode=None, add_completion=False, help="Ứng dụng thử: chào hỏi.")

    @app.command(cls=command_cls)
    def greet(
        name: Annotated[str, typer.Argument(help="Người được chào.")],
        times: Annotated[int, typer.Option("--times", help="Số lần chào.")] = 1,
        top: Annotated[int | None, typer.Option("--top", "-n", min=1, help="Chỉ N người đầu.")] = None,
        fmt: Annotated[Format, typer.Option("--format", "-f", help="Định dạng kết quả.")] = Format.table,
        out: Annotated[Path | None, typer.Option("--out", dir_okay=False, help="Tệp kết quả.")] = None,
        src: Annotated[Path | None, typer.Option("--src", exists=True, help="Tệp nguồn.")] = None,
        force: Annotated[bool, typer.Option("--force", help="Ghi đè.")] = False,
    ) -> None:
        """Chào một người."""

    @app.command(cls=command_cls)
    def other() -> None:
        """Một lệnh khác."""

    return app


@pytest.fixture
def lang(monkeypatch):
    """Choose the run's language as dti does: the catalog bound, LANGUAGE set (both restored after)."""
    previous = gettext.bindtextdomain("messages")
    gettext.bindtextdomain("messages", str(LOCALE_DIR))
    monkeypatch.delenv("LANGUAGE", raising=False)

    def use(code: str) -> None:
        monkeypatch.setenv("LANGUAGE", code)

    yield use
    gettext.bindtextdomain("messages", previous)


def run(runner, app, *args: str):
    return runner.invoke(app, list(args))


def english_words(text: str) -> list[str]:
    return [w for w in ENGLISH if re.search(rf"\b{re.escape(w)}\b", text)]


def test_help_is_vietnamese(runner, lang):
    lang("vi")
    app = make_app()
    r = run(runner, app, "--help")
    assert r.exit_code == 0
    assert english_words(r.output) == []
    assert r.output.startswith("Cách dùng: root [TÙY CHỌN] LỆNH [THAM SỐ]...\n")
    assert "\nTùy chọn:\n" in r.output and "\nLệnh:\n" in r.output
    assert re.search(r"--help +Hiển thị hướng dẫn này rồi thoát\.", r.output)
    assert re.search(r"greet +Chào một người\.", r.output)

    r = run(runner, app, "greet", "--help")
    assert r.exit_code == 0
    assert english_words(r.output) == []
    assert r.output.startswith("Cách dùng: root greet [TÙY CHỌN] {name}\n")
    assert "\nTham số:\n" in r.output
    assert re.search(r"name +Người được chào\.  \[bắt buộc\]", r.output)
    assert re.search(r"--times <số nguyên> +Số lần chào\.  \[mặc định: 1\]", r.output)
    assert re.search(r"-n, --top <số nguyên> +Chỉ N người đầu\.  \[x>=1\]", r.output)
    assert re.search(r"--out <tệp> +Tệp kết quả\.", r.output)
    assert re.search(r"-f, --format <table\|json> +Định dạng kết quả\.  \[mặc định: table\]", r.output)


ERRORS = [
    (["greet"], "Thiếu tham số 'name'."),
    (["greet", "An", "--xyzzy"], "Không có tùy chọn --xyzzy"),
    (["greet", "An", "--tims", "2"], "Không có tùy chọn --tims (tùy chọn gần giống: --times)"),
    (["greet", "An", "--times", "z"], "Giá trị không hợp lệ cho '--times': 'z' không phải là số nguyên hợp lệ."),
    (["greet", "An", "-n", "0"], "Giá trị không hợp lệ cho '--top' / '-n': 0 nằm ngoài khoảng cho phép x>=1."),
    (["greet", "An", "-n", "z"], "Giá trị không hợp lệ cho '--top' / '-n': 'z' không phải là số nguyên hợp lệ."),
    (["greet", "An", "-f", "xml"], "Giá trị không hợp lệ cho '--format' / '-f': 'xml' không phải là một trong các giá trị 'table', 'json'."),
    (["greet", "An", "--out", "."], "Giá trị không hợp lệ cho '--out': '.' là thư mục, không phải tệp."),
    (["greet", "An", "--src", "/no/such/file"], "Giá trị không hợp lệ cho '--src': Đường dẫn '/no/such/file' không tồn tại."),
    (["greet", "An", "Bình"], "Có tham số thừa (Bình)"),
    (["gret"], "Không có lệnh 'gret'. Có phải ý bạn là 'greet'?"),
    (["zzz"], "Không có lệnh 'zzz'."),
]


@pytest.mark.parametrize(("args", "error"), ERRORS, ids=[" ".join(a) for a, _e in ERRORS])
def test_errors_are_vietnamese(runner, lang, args, error):
    lang("vi")
    r = run(runner, make_app(), *args)
    assert r.exit_code == 2
    assert english_words(r.output) == []
    command = "root greet" if args[0] == "greet" else "root"
    assert r.output.startswith(f"Cách dùng: {command} [TÙY CHỌN] ")
    assert f"\nGõ '{command} --help' để xem hướng dẫn.\n" in r.output
    assert r.output.endswith(f"\nLỗi: {error}\n")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["greet", "An", "--times"], "Tùy chọn '--times' cần một giá trị."),  # the parser raises it with no context: no usage line
        (["greet", "An", "--force=1"], "Tùy chọn '--force' không nhận giá trị."),
    ],
)
def test_parser_errors_are_vietnamese(runner, lang, args, error):
    lang("vi")
    r = run(runner, make_app(), *args)
    assert (r.exit_code, r.output) == (2, f"Lỗi: {error}\n")


def test_no_command_shows_vietnamese_error(runner, lang):
    lang("vi")
    r = run(runner, make_app())
    assert r.exit_code == 2
    assert english_words(r.output) == []
    assert r.output.endswith("\nLỗi: Thiếu lệnh.\n")


CASES = [["--help"], ["greet", "--help"], ["greet"], ["greet", "An", "--xyzzy"], ["greet", "An", "-n", "0"], ["gret"], []] + [a for a, _e in ERRORS]


def test_english_is_typers_own_text(runner, lang):
    """With LANGUAGE=en the app prints, byte for byte, what plain typer prints."""
    lang("en")
    ours, plain = make_app(), make_app(typer.core.TyperGroup, typer.core.TyperCommand)
    for args in CASES:
        mine, theirs = run(runner, ours, *args), run(runner, plain, *args)
        assert (mine.exit_code, mine.output) == (theirs.exit_code, theirs.output), args
    r = run(runner, ours, "greet")
    assert r.output == "Usage: root greet [OPTIONS] {name}\nTry 'root greet --help' for help.\n\nError: Missing argument 'name'.\n"
    assert run(runner, ours, "greet", "An", "--xyzzy").output.endswith("\nError: No such option: --xyzzy\n")
    assert "  --help  Show this message and exit.\n" in run(runner, ours, "--help").output


# The catalog: complete, compiled, and in step with the installed typer (Babel is needed to read it).


def placeholders(text: str) -> list[tuple[str | None, str | None]]:
    return sorted((field, conversion) for _lit, field, _spec, conversion in string.Formatter().parse(text) if field is not None)


def test_every_message_is_translated():
    pofile = pytest.importorskip("babel.messages.pofile", reason="Babel reads the .po")
    with PO.open("rb") as f:
        catalog = pofile.read_po(f)
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    messages = [m for m in catalog if m.id]
    assert messages
    for m in messages:
        assert not m.fuzzy, m.id
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(strings), m.id
        for s in strings:
            assert placeholders(s) == placeholders(ids[0]), m.id
            assert s.startswith(" ") == ids[0].startswith(" ") and s.endswith(" ") == ids[0].endswith(" "), m.id


def test_mo_is_compiled_from_po():
    pytest.importorskip("babel", reason="Babel compiles the .po")
    from babel.messages.mofile import read_mo, write_mo
    from babel.messages.pofile import read_po

    with PO.open("rb") as f:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(f))
    compiled.seek(0)
    with MO.open("rb") as f:
        committed = read_mo(f)
    assert {m.id: m.string for m in committed if m.id} == {m.id: m.string for m in read_mo(compiled) if m.id}


def test_catalog_has_the_messages_of_installed_typer():
    pytest.importorskip("babel", reason="Babel extracts the messages")
    spec = importlib.util.spec_from_file_location("i18n_click", TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    extracted = {m.id for m in tool.extract() if m.id}
    assert {"Usage:", "Missing command.", "No such command {name!r}.", "default: {default}"} <= extracted
    with PO.open("rb") as f:
        in_po = {m.id for m in tool.read_po(f) if m.id}
    assert in_po == extracted, "run tools/i18n_click.py and translate what is new"
