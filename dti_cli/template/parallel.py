"""Writing a run's workbooks on every processor: the run's work shared out to forked children.

A workbook costs a few milliseconds of XlsxWriter (most of it building the XML parts and the zip),
so a round of 35 workbooks is mostly that; on a machine with several processors the workbooks are
shared out, each child writing its own files with the run's shared parts already built (a forked
child inherits them). Only where ``os.fork`` exists (Linux): elsewhere, and for a few workbooks,
one process writes them all.

Each child writes its files through ``atomic_output`` as one process would; the first error (a
child's is sent back through a pipe) is raised once every process has stopped. A child never
returns into the caller's code: it ends with ``os._exit``, so nothing of the parent (buffers,
``atexit``, a test runner) runs twice.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

from ..core.errors import OutputError
from ..core.i18n import _

T = TypeVar("T")

#: Below this many workbooks a second process costs more than it saves.
PARALLEL_FROM = 8
MAX_WORKERS = 4


def default_workers(n: int) -> int:
    """How many processes write ``n`` workbooks: one per processor this process may use, up to MAX_WORKERS."""
    if n < PARALLEL_FROM or not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS, n // (PARALLEL_FROM // 2)))


def shares(items: Sequence[T], cost: Callable[[T], float], workers: int) -> list[list[T]]:
    """``items`` in ``workers`` groups of about equal cost (the costliest first, each to the lightest group)."""
    groups: list[list[T]] = [[] for _ in range(workers)]
    loads = [0.0] * workers
    for item in sorted(items, key=cost, reverse=True):
        k = loads.index(min(loads))
        groups[k].append(item)
        loads[k] += cost(item)
    return groups


def run_shared(items: Sequence[T], work: Callable[[T], None], *, cost: Callable[[T], float], workers: int) -> None:
    """``work(item)`` for every item, in ``workers`` processes; the first error is raised after all have stopped."""
    workers = min(workers, len(items))
    if workers <= 1:
        for item in items:
            work(item)
        return
    groups = shares(items, cost, workers)
    children: list[tuple[int, int]] = []
    error: BaseException | None = None
    try:
        for group in groups[1:]:
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: write its share, report an error through the pipe, and end here
                os.close(r)
                code = 0
                try:
                    for item in group:
                        work(item)
                except BaseException as e:  # noqa: BLE001 - everything goes back to the parent
                    code = 1
                    _send(w, e)
                finally:
                    os._exit(code)
            os.close(w)
            children.append((pid, r))
        for item in groups[0]:
            work(item)
    except BaseException as e:  # noqa: BLE001 - raised once the children have stopped
        error = e
        if isinstance(e, KeyboardInterrupt):  # interrupted (Ctrl-C, or SIGTERM through the CLI): so are the children,
            for pid, _r in children:  # which remove their temporary files as the parent does
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGINT)
    for pid, r in children:
        got = _receive(r)
        os.waitpid(pid, 0)
        if error is None and got is not None:
            error = got
    if error is not None:
        raise error


def _send(fd: int, e: BaseException) -> None:
    try:
        data = pickle.dumps(e)
        pickle.loads(data)  # an exception that cannot be rebuilt is sent as its message
    except Exception:  # noqa: BLE001
        data = pickle.dumps(OutputError(f"{type(e).__name__}: {e}"))
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _receive(fd: int) -> BaseException | None:
    with os.fdopen(fd, "rb") as f:
        data = f.read()
    if not data:
        return None
    try:
        got = pickle.loads(data)
    except Exception:  # noqa: BLE001
        return OutputError(_("A process writing workbooks failed; run the command again."))
    return got if isinstance(got, BaseException) else None
