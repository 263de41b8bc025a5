"""Processes and terminals (issue 12, items 11-12): a killed merge leaves no worker and no half file;
a file name with escape sequences reaches the terminal inert."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="process checks read /proc (Linux)")


def _workbooks(folder: Path, n: int, cells: int) -> None:
    """Workbooks that are not dti templates: each is refused after being read in full (slow enough to kill a merge mid-way)."""
    from openpyxl import Workbook

    folder.mkdir()
    wb = Workbook()
    ws = wb.active
    for r in range(1, cells // 10 + 1):
        ws.append([f"text {r} {c}" for c in range(10)])
    first = folder / "w0000.xlsx"
    wb.save(first)
    data = first.read_bytes()
    for k in range(1, n):
        (folder / f"w{k:04d}.xlsx").write_bytes(data)


def _children(pid: int) -> set[int]:
    out = set()
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            stat = (p / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            out.add(int(p.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_merge_leaves_no_worker_behind(tmp_path, sig):
    folder = tmp_path / "nhan-ve"
    _workbooks(folder, 240, 20_000)
    proc = subprocess.Popen([sys.executable, "-c", "from dti_cli.cli import main; main()", "merge", str(folder), "-o", str(tmp_path / "m.xlsx")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    workers: set[int] = set()
    deadline = time.time() + 30
    while time.time() < deadline and len(workers) < 2 and proc.poll() is None:
        workers |= _children(proc.pid)
        time.sleep(0.05)
    assert workers, "the merge never started its worker processes"
    proc.send_signal(sig)
    proc.wait(timeout=20)
    time.sleep(2.5)  # a worker that outlived its parent would still be here
    assert not [w for w in workers if _alive(w)], "worker processes outlived the merge"
    assert not list(tmp_path.glob(".m.xlsx*.tmp"))
    if sig == signal.SIGTERM:
        assert proc.returncode == 130
        assert b"Traceback" not in proc.stderr.read()


def test_a_temporary_file_of_a_killed_run_is_removed_by_the_next(tmp_path):
    from dti_cli.core.safety import atomic_output

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f".out.xlsx.{dead}.abc123.tmp"
    stale.write_bytes(b"half written")
    mine = tmp_path / f".out.xlsx.{os.getpid()}.keep.tmp"  # a run in progress (alive) is left alone
    mine.write_bytes(b"in progress")
    with atomic_output(tmp_path / "out.xlsx") as tmp:
        tmp.write_bytes(b"done")
    assert not stale.exists() and mine.exists()
    assert (tmp_path / "out.xlsx").read_bytes() == b"done"


def test_file_names_with_escape_sequences_are_shown_inert(tmp_path, invoke):
    folder = tmp_path / "nhan-ve"
    folder.mkdir()
    for name in ("\x1b]0;owned\x07.xlsx", "\x1b[31mred.xlsx"):
        (folder / name).write_bytes(b"not a workbook")
    r = invoke("merge", folder, "-o", tmp_path / "m.xlsx")
    assert r.exit_code == 1
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\x1b" not in r.stderr
    assert "\\x1b" in r.stdout  # the name is still there, readable
    r = invoke("status", folder)
    assert "\x1b" not in r.stdout and "\x1b" not in r.stderr
