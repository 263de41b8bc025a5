"""Reading many files: in worker processes from PARALLEL_FROM files on, results in path order.

Workers end with their parent: on Linux each asks the kernel for SIGKILL when its parent dies
(``PR_SET_PDEATHSIG``), and every worker also watches its parent's pid, so a merge killed with
SIGKILL or SIGTERM leaves no process behind.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .read import read_submission
from .submission import Expect, Submission

#: From this many files on, files are read in parallel worker processes.
PARALLEL_FROM = 50

_WORKER_EXPECT: Expect | None = None


def _die_with_parent(parent: int) -> None:
    try:  # Linux: the kernel kills this process when the parent exits, however it exits
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:  # not Linux: the watcher below does it
        pass

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="dti-parent-watch").start()
    if os.getppid() != parent:  # the parent died before the request above was made
        os._exit(1)


def _init_worker(ex: Expect, parent: int) -> None:
    global _WORKER_EXPECT
    _WORKER_EXPECT = ex
    _die_with_parent(parent)
    from ..core import i18n

    i18n.set_language(ex.lang)
    import gc

    gc.set_threshold(50_000, 50, 100)
    gc.freeze()  # what the worker inherits (modules, the catalogue) is never garbage: the collector need not scan it again


def _read_in_worker(path: str) -> Submission:
    assert _WORKER_EXPECT is not None
    return read_submission(path, _WORKER_EXPECT)


def read_submissions(paths: list[Path], ex: Expect, *, on_file: Callable[[Submission], None] | None = None,
                     workers: int | None = None) -> list[Submission]:
    """Read every file (in parallel from PARALLEL_FROM files on); results in path order."""
    paths = sorted(paths, key=str)
    n = workers if workers is not None else (min(os.cpu_count() or 1, 8) if len(paths) >= PARALLEL_FROM else 1)
    out: list[Submission] = []
    if n <= 1:
        for p in paths:
            s = read_submission(p, ex)
            out.append(s)
            if on_file:
                on_file(s)
        return out
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=n, initializer=_init_worker, initargs=(ex, os.getpid())) as pool:
        for s in pool.map(_read_in_worker, [str(p) for p in paths], chunksize=max(1, min(16, len(paths) // (n * 8)))):
            out.append(s)
            if on_file:
                on_file(s)
    return out
