"""Issue 8, speed and scale, by design: what dti merge does not do and how a large round is shown.

No test here measures a time (bench/run.py does); each checks a property that keeps merge fast:
heavy libraries not imported, the summary of a large round not laid out by rich, and the same
results however the files are read.
"""

from __future__ import annotations

import subprocess
import sys

from helpers_fill import make_returned_set


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env})


def test_the_defusedxml_check_does_not_import_openpyxl_and_follows_its_rule():
    code = ("import sys\nfrom dti_cli.intake import ensure_defused\nfrom dti_cli.core.errors import DtiError\n"
            "try:\n    ensure_defused(); print('OK')\nexcept DtiError as e:\n    print('REFUSED', 'defusedxml' in str(e))\n"
            "print('openpyxl' in sys.modules)\n")
    assert _run(code).stdout.split() == ["OK", "False"]
    assert _run(code, OPENPYXL_DEFUSEDXML="False").stdout.split() == ["REFUSED", "True", "False"]
    # and openpyxl itself agrees when it is loaded
    agree = "import openpyxl.xml as x; print(x.DEFUSEDXML)"
    assert _run(agree).stdout.strip() == "True" and _run(agree, OPENPYXL_DEFUSEDXML="False").stdout.strip() == "False"


def test_a_large_round_lists_every_file_as_plain_lines(invoke, tmp_path, ctx, monkeypatch):
    from dti_cli.terminal import merge as cmd

    paths = make_returned_set(tmp_path, ctx, only=["so-tttt", "bao-ca-mau"])
    odd = tmp_path / "returned" / "x\x01[red]y.xlsx"
    odd.write_bytes(b"not a workbook")
    monkeypatch.setattr(cmd, "TABLE_UP_TO", 3)
    res = invoke("merge", tmp_path / "returned", "-o", tmp_path / "m.xlsx")
    lines = res.output.splitlines()
    top = next(k for k, line in enumerate(lines) if line.split()[:2] == ["Tệp", "Đơn"])
    assert "┃" not in res.output and set(lines[top + 1]) <= {"-", " "}
    for p in paths.values():
        assert any(p.name in line and "nhận" in line for line in lines), p.name
    assert any("x\\x01[red]y.xlsx" in line and "từ chối" in line for line in lines)  # the control character shown, not sent
    from dti_cli.template import assignments

    assert sum("chưa nộp" in line for line in lines) == len({a.unit.id for a in assignments(ctx)}) - 2


def test_the_output_is_never_one_of_thousands_of_inputs_checked_with_one_stat_each(tmp_path, monkeypatch):
    import os

    import pytest

    from dti_cli.core.errors import OutputError
    from dti_cli.core.safety import check_output_path

    src = tmp_path / "in.xlsx"
    src.write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    os.link(src, tmp_path / "hard.xlsx")
    (tmp_path / "link.xlsx").symlink_to(src)
    others = [tmp_path / f"o{i}.xlsx" for i in range(50)]
    for o in others:
        o.write_bytes(b"o")
    for out, inputs in [(src, [src]), (tmp_path / "sub" / ".." / "in.xlsx", [src]), (tmp_path / "hard.xlsx", [*others, src]),
                        (tmp_path / "link.xlsx", [src]), (src, [tmp_path / "link.xlsx"]), (tmp_path / "new.xlsx", [tmp_path / "new.xlsx"])]:
        with pytest.raises(OutputError, match="tệp đầu vào"):
            check_output_path(out, force=True, inputs=inputs)
    assert check_output_path(tmp_path / "new.xlsx", inputs=[*others, src]) == tmp_path / "new.xlsx"
    assert check_output_path(others[0], force=True, inputs=[src, tmp_path / "missing.xlsx"]) == others[0]
    resolved = []
    real = type(src).resolve
    monkeypatch.setattr(type(src), "resolve", lambda self, *a, **k: resolved.append(self) or real(self, *a, **k))
    check_output_path(tmp_path / "merged.xlsx", force=True, inputs=others)
    assert len(resolved) == 1  # the output's own path, not one per input


def test_clean_shortcut_for_plain_ascii_gives_what_the_full_normalisation_gives():
    import re
    import unicodedata

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from dti_cli.core import text

    def full(value: str) -> str:
        value = unicodedata.normalize("NFC", value).translate(text._INVISIBLE)
        return text._SPACES.sub(" ", text._CONTROL.sub("", value)).strip()

    for i in range(128):  # every pair of ASCII characters, the shortcut's whole domain at length 2
        for j in range(128):
            assert text.clean(chr(i) + chr(j)) == full(chr(i) + chr(j))

    @settings(max_examples=500, deadline=None)
    @given(st.text(alphabet=st.sampled_from([*map(chr, range(128)), "\u00a0", "\u200b", "\u00e9", "\u0301"]), max_size=12))
    def same(s: str) -> None:
        assert text.clean(s) == full(s)

    same()
    assert re.fullmatch(r"[ -~]*", "7.1.a") and text.clean("7.1.a") == "7.1.a"


def test_the_chase_list_of_a_large_round_is_plain_lines_too(invoke, tmp_path, ctx, monkeypatch):
    from dti_cli.terminal import merge as cmd

    paths = make_returned_set(tmp_path, ctx, only=["so-tttt"])
    monkeypatch.setattr(cmd, "TABLE_UP_TO", 3)
    res = invoke("status", tmp_path / "returned")
    lines = res.output.splitlines()
    assert "┃" not in res.output and any(line.split()[:3] == ["Đơn", "vị", "Đã"] for line in lines)
    assert any(paths["so-tttt"].name in line and " có " in line for line in lines)
    assert sum("CHƯA NỘP" in line for line in lines) > 10
