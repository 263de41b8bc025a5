"""Finding the returned files: files, folders (searched recursively) and glob patterns.

Everything found in a folder is accounted for: workbooks (and files without an extension, an
attachment saved as "noname" is often the workbook) are read; text tables named like returns
(.csv, .tsv, .txt) are read too, so that intake says what they are; everything else — Excel's
lock files (``~$name.xlsx``), hidden files, documents — is listed as not read, with its reason.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UsageError
from ..core.i18n import N_, _

#: Extensions read when found in a folder (intake knows a workbook by its bytes, not its name).
READ_EXTS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt", "")
#: Why a file in a folder was not read.
REASONS = {
    "lock_file": N_("an Excel lock file (~$…), made while a workbook is open; it holds no figures"),
    "hidden": N_("a hidden file"),
    "not_workbook": N_("not a workbook ({ext})"),
}


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str  # key of REASONS

    def words(self) -> str:
        return _(REASONS[self.reason]).format(ext=self.path.suffix or "?")


def collect_paths(args: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()) -> tuple[list[Path], list[Skipped]]:
    """(the files to read, sorted and unique; the files found in folders and not read, with why).

    Anything under ``exclude`` (the output file, the feedback folder) is neither read nor listed.
    A file or pattern named on the command line is always read (intake then says what it is).
    """
    excl = [str(Path(e).resolve()) for e in exclude]
    under = [e.rstrip(os.sep) + os.sep for e in excl]
    real_dirs: dict[Path, str] = {}

    def excluded(p: Path) -> bool:
        """p.resolve() is an excluded path or under one (a folder's real path is resolved once, not per file)."""
        if not excl:
            return False
        if p.is_symlink():
            rp = str(p.resolve())
        else:
            real = real_dirs.get(p.parent)
            if real is None:
                real = real_dirs[p.parent] = str(p.parent.resolve())
            rp = os.path.join(real, p.name)
        return any(rp == e or rp.startswith(u) for e, u in zip(excl, under, strict=True))

    found: dict[Path, None] = {}
    skipped: dict[Path, Skipped] = {}
    for a in args:
        s = str(a)
        p = Path(s)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or excluded(f) or any(part.startswith(".") for part in f.relative_to(p).parts[:-1]):
                    continue
                if f.name.startswith("~$"):
                    skipped.setdefault(f, Skipped(f, "lock_file"))
                elif f.name.startswith("."):
                    skipped.setdefault(f, Skipped(f, "hidden"))
                elif f.suffix.lower() in READ_EXTS:
                    found.setdefault(f, None)
                else:
                    skipped.setdefault(f, Skipped(f, "not_workbook"))
        elif p.is_file():
            found.setdefault(p, None)
        elif any(ch in s for ch in "*?["):
            hits = [Path(h) for h in sorted(glob.glob(s, recursive=True))]
            files = [h for h in hits if h.is_file() and not excluded(h)]
            if not files:
                raise UsageError(_("{pattern}: no file matches this pattern.").format(pattern=s))
            for h in files:
                if h.name.startswith("~$"):
                    skipped.setdefault(h, Skipped(h, "lock_file"))
                else:
                    found.setdefault(h, None)
        else:
            raise UsageError(_("{path}: no such file or folder.").format(path=s))
    if not found:
        raise UsageError(_("No workbook (.xlsx, .xlsm, .xls, .ods) found in the paths given.") +
                         (" " + _("Not read: {files}.").format(files=", ".join(f"{k.path.name} ({k.words()})" for k in list(skipped.values())[:5]))
                          if skipped else ""))
    return sorted(found, key=str), sorted(skipped.values(), key=lambda k: str(k.path))
