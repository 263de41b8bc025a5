"""Every documented command works as written: each `dti` line of the README and of the Vietnamese guide,
run in order, as a user would, in a fresh folder that holds what the documents say it holds (the
returned workbooks in nhan-ve/, the national reference values in tham-chieu.csv).

Lines are taken from fenced bash blocks (the part of a line from `dti` on: `pip install -e . && dti demo
dti-demo` runs `dti demo dti-demo`), from the example column of the README's table of commands, and from
code spans in the prose that are whole commands (no placeholder such as FILE or CODE, no `...`, at least
one argument). The README's Python example runs last, in the same folder.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dti_cli.cli import app
from dti_cli.commands.base import set_language

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def dti_lines(markdown: str) -> list[str]:
    """The dti command lines of a document, in its order."""
    out: list[str] = []
    fence = None
    for line in markdown.splitlines():
        if line.startswith("```"):
            fence = None if fence is not None else line[3:].strip()
            continue
        if fence is not None:
            if fence == "bash" and "dti " in line and not line.lstrip().startswith("#"):
                out.append(line[line.index("dti "):].strip())
            continue
        if line.startswith("|"):  # a table: its last cell is the example
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            spans = re.findall(r"`(dti [^`]+)`", cells[-1]) if len(cells) > 2 else []
            out += spans
            continue
        for span in re.findall(r"`(dti [^`]+)`", line):
            words = shlex.split(span)[1:]
            if "..." in span or " / " in span or any(re.search(r"[A-Z]{3,}", w) for w in words):
                continue
            if len(words) >= 2 or (words and words[0].startswith("--")):
                out.append(span)
    return out


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


def _folder(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLES / "returned", tmp_path / "nhan-ve")
    shutil.copy(SAMPLES / "references_2023.csv", tmp_path / "tham-chieu.csv")
    return tmp_path


def _run_all(lines: list[str], folder: Path, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    runner = CliRunner()
    for line in lines:
        set_language(None)  # each line is a new run of dti: the default language
        r = runner.invoke(app, shlex.split(line)[1:])
        assert r.exit_code == 0, f"{line!r} exited {r.exit_code}:\n{r.output}\n{r.exception!r}"


def test_the_lines_are_found():
    readme = dti_lines((ROOT / "README.md").read_text(encoding="utf-8"))
    assert readme[0] == "dti demo dti-demo"
    assert "dti score tong-hop.xlsx --references tham-chieu.csv --explain 6.12" in readme
    assert "dti catalog show 6.12" in readme
    assert not [x for x in readme if "COMMAND" in x or "CODE" in x]
    guide = dti_lines((ROOT / "docs" / "HUONG_DAN.md").read_text(encoding="utf-8"))
    assert "dti plan --commitments cam-ket" in guide and len(guide) >= 15


def test_every_dti_line_of_the_readme_runs_as_written(tmp_path, monkeypatch):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    folder = _folder(tmp_path)
    _run_all(dti_lines(text), folder, monkeypatch)
    for name in ("dti-demo/bao-cao-dti.html", "phieu", "tong-hop.xlsx", "scores.xlsx", "bao-cao.html", "bao-cao.xlsx", "ke-hoach.html",
                 "ke-hoach.xlsx", "cam-ket", "dti-long.csv", "phan-hoi"):
        assert (folder / name).exists(), name
    for block in python_blocks(text):
        exec(compile(block, "README.md", "exec"), {})
    assert (folder / "dti-long.json").stat().st_size > 0


def test_every_dti_line_of_the_vietnamese_guide_runs_as_written(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    _run_all(dti_lines((ROOT / "docs" / "HUONG_DAN.md").read_text(encoding="utf-8")), folder, monkeypatch)
    for name in ("chay-thu/bao-cao-dti.html", "phieu", "phieu-rieng", "tong-hop.xlsx", "scores.xlsx", "bao-cao.html", "ke-hoach.xlsx",
                 "cam-ket", "dti-tong-hop-dai.xlsx"):
        assert (folder / name).exists(), name
    assert len(list((folder / "phieu").glob("DTI2023_*.xlsx"))) == 35


@pytest.mark.parametrize("doc", ["README.md", "docs/HUONG_DAN.md"])
def test_the_documents_name_only_commands_that_exist(doc):
    from dti_cli.cli import PIPELINE

    for line in dti_lines((ROOT / doc).read_text(encoding="utf-8")):
        words = [w for w in shlex.split(line)[1:] if not w.startswith("-")]
        assert not words or words[0] in (*PIPELINE, "catalog") or line.startswith("dti --"), line
