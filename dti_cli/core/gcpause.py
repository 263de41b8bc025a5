"""Python's cyclic garbage collector paused while a stage builds many objects that stay alive.

A round of 10,000 files unpickles 10,000 submissions with their findings and builds a table of
a million cells: every object stays alive until the stage returns, so each automatic collection
walks them all and frees nothing. Pausing the collector around such a stage took a 10,000-file
merge from 11.2 to 10.3 s here (bench/run.py). Objects are still freed by reference counting as
soon as they are unused; only reference cycles wait for the collector, which runs again when the
stage ends. The previous state is restored, so a caller that disabled it keeps it disabled.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
