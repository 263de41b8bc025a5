"""Output safety: text from returned files never becomes a formula, and outputs are written atomically.

Every file dti writes goes through :func:`atomic_output`: never over an existing file without
``force``, never over one of the run's inputs, always through a temporary file and a rename so
that an interrupted run leaves nothing half-written. Missing output folders are created.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import OutputError
from .i18n import _

#: A cell that starts with one of these is read as a formula by Excel, LibreOffice or WPS.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

#: Characters an .xlsx cell cannot hold (openpyxl refuses them; a file name may contain them).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def safe_csv_cell(value: Any) -> Any:
    """Prefix formula-like text with an apostrophe so a spreadsheet shows it as text."""
    if looks_like_formula(value):
        return "'" + value
    return "" if value is None else value


def write_csv(path: str | os.PathLike, header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> None:
    """A CSV for people and spreadsheets: UTF-8 with a byte-order mark (Excel then reads Vietnamese right), CRLF line
    ends, formula-like text prefixed with an apostrophe. ``path`` is the temporary file of an atomic output."""
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        for r in rows:
            w.writerow([safe_csv_cell(v) for v in r])


def cell_text(value: str) -> str:
    """Text an .xlsx cell (or comment) can hold: control characters shown as U+FFFD."""
    return _XLSX_ILLEGAL.sub("\ufffd", value)


def set_cell(cell: Any, value: Any) -> None:
    """Put a value into an openpyxl cell; text is always stored as text, never as a formula.

    Text from a returned file may hold anything (a file name with a control character, a note
    pasted from a web page): it is made storable rather than let one cell stop the whole output.
    """
    if isinstance(value, str):
        cell.value = cell_text(value)
        cell.data_type = "s"
    else:
        cell.value = value


def check_output_path(path: str | os.PathLike, *, force: bool = False, inputs: Iterable[str | os.PathLike] = ()) -> Path:
    """Refuse an output that is one of the inputs, or that exists (unless ``force``)."""
    out = Path(path)
    resolved = out.resolve()
    out_stat = _stat(out)
    for i in inputs:
        # An existing input is the output when it is the same file (one stat per input: a merge may
        # have thousands); an input that is not there can only name the output by its real path.
        st = _stat(i)
        with contextlib.suppress(OSError):
            if (os.path.samestat(st, out_stat) if st is not None and out_stat is not None
                    else st is None and Path(i).resolve() == resolved):
                raise OutputError(_("{path}: this is one of the input files; it is never written over. Choose another output name (-o).").format(path=out))
    try:
        if out.exists() and out.is_dir():
            raise OutputError(_("{path}: is a folder; give a file name.").format(path=out))
        if out.exists() and not force:
            raise OutputError(_("{path}: the file exists; use --force to replace it, or choose another name with -o.").format(path=out))
        parent = _existing_parent(out)
        if not parent.is_dir():
            raise OutputError(_("{path}: is a file, not a folder; choose another place for the output.").format(path=parent))
    except OSError as e:  # e.g. a name longer than the file system allows
        raise _cannot_write(out, e) from None
    return out


def _existing_parent(out: Path) -> Path:
    """The nearest folder above ``out`` that exists (the ones missing are created when writing)."""
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return parent


def _stat(p: str | os.PathLike) -> os.stat_result | None:
    try:
        return os.stat(p)
    except (OSError, ValueError):
        return None


def _cannot_write(out: Path, e: OSError) -> OutputError:
    return OutputError(_("{path}: cannot write this file ({why}); choose another (shorter) name or another folder.").format(path=out, why=e.strerror or type(e).__name__))


def _remove_stale(folder: Path, prefix: str) -> None:
    """Temporary files a killed run left (SIGKILL cannot be caught): those whose process is gone are removed.

    Their name holds the writer's pid (``.merged.xlsx.4242.k3j_9.tmp``); a file whose pid is still
    alive belongs to a run in progress and is left alone.
    """
    try:
        names = [p for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(".tmp")]
    except OSError:
        return
    for p in names:
        pid = p.name[len(prefix):].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                p.unlink()
        except (PermissionError, OSError):  # alive (someone else's) or not ours to judge
            continue


def _umask() -> int:
    mask = os.umask(0o022)  # the only portable way to read it is to set it
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, *, force: bool = False, inputs: Iterable[str | os.PathLike] = ()) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it replaces ``path`` in one rename."""
    out = check_output_path(path, force=force, inputs=inputs)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)  # -o into a folder that does not exist yet: made, as a user expects
    except OSError as e:
        raise _cannot_write(out, e) from None
    prefix = f".{out.name[:40]}."
    _remove_stale(out.parent, prefix)
    try:  # the temporary name is short whatever the output's: a name near the file system's limit still works
        fd, tmp = tempfile.mkstemp(prefix=f"{prefix}{os.getpid()}.", suffix=".tmp", dir=out.parent)
    except OSError as e:  # no permission to write in the folder, disk full
        raise _cannot_write(out, e) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        try:
            yield tmp_path
        except OSError as e:
            raise _cannot_write(out, e) from None
        if out.exists() and not force:  # appeared while we were writing
            raise OutputError(_("{path}: the file appeared while it was being written; nothing was replaced. Run again with --force to replace it.").format(path=out))
        try:
            # mkstemp makes the file private (0600); the result gets the permissions of any new file.
            os.chmod(tmp_path, 0o666 & ~_umask())
            os.replace(tmp_path, out)
        except OSError as e:
            raise _cannot_write(out, e) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
