"""The Vietnamese catalog: complete, compiled, faithful to its placeholders, and one language per run.

The catalog's tool (tools/i18n.py) is imported as a module: ``check()`` must find nothing, and
the committed ``dti.mo`` must be what the parts compile to. Every translation keeps the
placeholders of its message id. Through the CLI, with ``--lang vi`` the help pages and the
catalogue commands show no English word from a list, and with ``--lang en`` no Vietnamese word
outside the names and texts of the data files (the plan's own Vietnamese is shown as it is).
"""

from __future__ import annotations

import importlib.util
import re
import string
from pathlib import Path
from typing import Any

import pytest

from dti_cli.commands.base import set_language
from dti_cli.core import i18n

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tool() -> Any:
    spec = importlib.util.spec_from_file_location("dti_i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def translations(tool: Any) -> dict[str, str]:
    cat, problems = tool.read_parts()
    assert problems == []
    return {m.id: m.string for m in cat if m.id and isinstance(m.id, str)}


# ---------------------------------------------------------------------------------------------
# The catalog


def test_every_message_has_its_vietnamese(tool):
    assert tool.check() == []


def test_the_committed_mo_is_the_parts_compiled(tool):
    assert tool.MO.read_bytes() == tool.mo_bytes(), "run: python tools/i18n.py compile"


def test_every_part_says_its_language_and_plural_forms(tool):
    for part in sorted(tool.PARTS.glob("*.po")):
        head = part.read_text(encoding="utf-8").split("\n\n", 1)[0]
        assert '"Language: vi\\n"' in head and '"Plural-Forms: nplurals=1; plural=0;\\n"' in head, part.name


def _fields(text: str) -> list[str]:
    """Every replacement field as written ("{n}", "{id!r}"); ValueError when the braces do not balance."""
    out = []
    for _literal, name, spec, conv in string.Formatter().parse(text):
        if name is not None:
            out.append("{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}")
    return out


def test_every_translation_keeps_the_placeholders_of_its_message(translations):
    wrong = {m: t for m, t in translations.items() if set(_fields(m)) != set(_fields(t))}
    assert wrong == {}


def test_file_names_stay_ascii_without_spaces(translations):
    names = [m for m in translations if m.endswith(".xlsx")]
    assert names, "the feedback copies' names are translated"
    for m in names:
        assert translations[m].isascii() and " " not in translations[m], m


def test_statuses_verdicts_and_severities_read_back_in_either_language():
    from dti_cli.formats.merged import SEVERITY, STATUS, VERDICT, key_of, words

    for table in (STATUS, VERDICT, SEVERITY):
        for lang in ("vi", "en"):
            with i18n.using(lang):
                shown = {key: words(table, key) for key in table}
            assert len(set(shown.values())) == len(table), shown
            for key, text in shown.items():
                assert key_of(table, text) == key and key_of(table, text.upper()) == key


def test_sheets_and_headers_are_told_apart_in_either_language():
    """The merged workbook is read back by its sheet titles and headers, in either language: none may stand for two things."""
    from dti_cli.formats import merged, scores

    for titles in ([t for t, _cols in merged.SHEETS.values()], list(scores.SHEETS.values())):
        for lang in ("vi", "en"):
            with i18n.using(lang):
                shown = [i18n._(t) for t in titles]
            assert len(set(shown)) == len(shown), shown
            assert all(len(t) <= 31 and not set(t) & set("[]:*?/\\") for t in shown), shown  # what Excel accepts
    for _title, cols in merged.SHEETS.values():
        meaning: dict[str, str] = {}
        for key, head, _kind in cols:
            for text in i18n.variants(head) | {key}:
                assert meaning.setdefault(text.lower(), key) == key, (text, key, meaning[text.lower()])


# ---------------------------------------------------------------------------------------------
# One language per run, through the CLI

#: English words that must not appear in a Vietnamese run (as whole words: ids such as
#: baseline.pillar_sum or --pillar, and file paths, do not count).
ENGLISH = ("Error", "Warning", "ok", "missing", "accepted", "Findings", "Data", "Usage", "Options", "Arguments", "Commands",
           "Show", "default", "required", "File", "Points", "Indicator", "Rule", "Lead", "Max", "Example", "Exit", "Check",
           "the", "and", "of", "or", "with", "error", "warning", "errors", "warnings", "pillars", "indicators", "inputs")
#: Vietnamese words that must not appear in an English run outside names and the data files' texts.
VIETNAMESE = ("Lỗi", "lỗi", "Cảnh báo", "cảnh báo", "Chỉ số", "chỉ số", "điểm", "Điểm", "tệp", "Tệp", "Mã", "Quy tắc", "Số liệu",
              "số liệu", "không", "Không", "của", "và", "Cách dùng", "Tùy chọn", "Ví dụ", "mặc định", "bắt buộc", "Chủ trì")

COMMANDS = [
    ["--help"],
    ["catalog", "--help"],
    ["merge", "--help"],
    ["score", "--help"],
    ["catalog", "check"],
    ["catalog", "show", "6.12"],
]


def _found(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if re.search(rf"(?<![\w.\-]){re.escape(w)}(?![\w.\-])", text)]


def _run(runner: Any, lang: str, args: list[str], width: int = 160) -> str:
    from dti_cli.cli import app

    set_language(lang)
    res = runner.invoke(app, ["--lang", lang, *args], env={"COLUMNS": str(width)}, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def _data_texts(ctx: Any) -> list[str]:
    """Every text of the data files a command may show as it is (names, the plan's words, labels), longest first."""
    from dti_cli.methodology.describe import indicator_row

    texts: set[str] = {ctx.profile.name, ctx.profile.name_full}
    for u in ctx.profile.units:
        texts |= set(u.names())

    def walk(v: Any) -> None:
        if isinstance(v, str):
            texts.add(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)

    for lang in ("vi", "en"):
        with i18n.using(lang):
            walk(indicator_row(ctx, ctx.catalogue.get("6.12")))
    return sorted((t for t in texts if t.strip()), key=len, reverse=True)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_vietnamese_run_shows_no_english_word(runner, args):
    shown = _run(runner, "vi", args)
    assert _found(shown, ENGLISH) == [], shown


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_an_english_run_shows_no_vietnamese_word_outside_names(runner, ctx, args):
    shown = _run(runner, "en", args, width=3000)  # wide: a name is never cut across lines
    for text in _data_texts(ctx):
        shown = shown.replace(text, " ")
    assert _found(shown, VIETNAMESE) == [], shown


def test_the_language_is_the_run_s_own(runner):
    """The same page in each language, and --lang anywhere before the command."""
    vi, en = _run(runner, "vi", ["catalog", "check"]), _run(runner, "en", ["catalog", "check"])
    assert "CẢNH BÁO" in vi and "lỗi" in vi and "WARNING" in en and "error(s)" in en
    assert "77,76" in vi and "77.76" in en  # and the numbers follow the language
