"""What intake hands back and raises: Limits, IntakeError, IntakeNote, Sheet, RawWorkbook, and the sheets of a lazy open.

Also the one way a refusal is made (``_fail``) and the words several refusals share. Messages
are in the run's language (:mod:`dti_cli.core.i18n`): a refusal is worded when it is raised.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import InputFileError
from ..core.i18n import N_, _
from .cells import split_ref


@dataclass(frozen=True)
class Limits:
    """Bounds on what a returned file may make dti do. A template is a few hundred KB and cells."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_members: int = 1000  # zip members
    max_member_bytes: int = 100 * 1024 * 1024  # declared uncompressed size of one member
    max_total_bytes: int = 300 * 1024 * 1024  # declared uncompressed size of all members
    max_ratio: int = 200  # uncompressed / compressed, for members over ratio_floor bytes
    ratio_floor: int = 1024 * 1024
    max_sheets: int = 255
    max_cells: int = 1_000_000  # per sheet, counting the empty slots to the left of a cell in its row
    max_total_cells: int = 2_000_000  # all sheets together (else 255 sheets of max_cells each would pass)
    max_rows: int = 1_048_576  # row elements per sheet (Excel's own maximum)
    max_shared_strings: int = 1_000_000
    child_timeout: float = 60.0  # seconds for the .xls/.ods reader process
    child_memory_bytes: int = 2 * 1024 * 1024 * 1024


class IntakeError(InputFileError):
    """A returned file that cannot be read; ``code`` is a stable finding code, ``message`` says what to do."""

    def __init__(self, code: str, message: str, path: str | os.PathLike = ""):
        self.code = code
        self.message = message
        self.path = str(path)
        super().__init__(message)


@dataclass(frozen=True)
class IntakeNote:
    """A warning about a file that was read anyway (e.g. saved as .ods); ``message`` in the run's language."""

    code: str
    message: str


class Sheet:
    """One sheet's cells. ``cell("F12")`` → raw value; ``rows()`` → (row number, values from column A)."""

    __slots__ = ("title", "kind", "formulas", "_rows", "_sorted")

    def __init__(self, title: str, kind: str = "worksheet"):
        self.title = title
        self.kind = kind
        self.formulas: dict[str, str] = {}
        self._rows: dict[int, list[Any]] = {}
        self._sorted = True

    def cell(self, ref: str) -> Any:
        """The raw value of a cell, e.g. ``"F12"`` or ``"$F$12"``; None when empty or absent."""
        row, col = split_ref(ref)
        return self.value(row, col)

    def value(self, row: int, col: int) -> Any:
        """The raw value at 1-based ``row``, ``col``."""
        r = self._rows.get(row)
        if r is None or col < 1 or col > len(r):
            return None
        return r[col - 1]

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Every row that holds at least one cell, in order, as (row number, values from column A)."""
        keys = self._rows if self._sorted else sorted(self._rows)
        for n in keys:
            yield n, self._rows[n]

    @property
    def max_row(self) -> int:
        return max(self._rows, default=0)

    @property
    def max_column(self) -> int:
        return max((len(r) for r in self._rows.values()), default=0)

    def __repr__(self) -> str:
        return f"Sheet({self.title!r}, rows={len(self._rows)}, formulas={len(self.formulas)})"


@dataclass
class RawWorkbook:
    """A returned workbook as read from disk, before any interpretation."""

    path: str
    sha256: str
    size: int
    mtime: float
    format: str  # "xlsx", or "xls" / "ods" when read through calamine
    sheets: dict[str, Sheet] | _LazySheets
    sheet_order: list[str]
    hidden: set[str] = field(default_factory=set)
    defined_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    notes: list[IntakeNote] = field(default_factory=list)
    date1904: bool = False

    def sheet(self, title: str) -> Sheet | None:
        return self.sheets.get(title)

    def finish(self, *, full: bool = False) -> None:
        """After a ``lazy=True`` open: check the sheets that were never read, and the styles.

        ``full=True`` reads them as an eager open would (every refusal of an eager open, in its
        order); otherwise small unread parts are only checked: well-formed XML, no DTD or entity,
        sizes and CRC. A sheet nobody reads then cannot refuse the file for, say, a cell address
        out of range; it still cannot harm the machine.
        """
        finish = getattr(self.sheets, "finish", None)
        if finish is not None:
            finish(full)


class _LazySheets(Mapping[str, Sheet]):
    """The sheets of a workbook opened with ``lazy=True``: each worksheet part is parsed when first asked for.

    ``finish()`` checks the parts nobody asked for (well-formed XML, no DTD or entity), so a lazy
    open refuses exactly the files an eager one does, without building the cells of sheets the
    caller does not read (a returned template's guide and lists).
    """

    def __init__(self) -> None:
        self._sheets: dict[str, Sheet] = {}
        self._unread: dict[str, tuple[Callable[[], None], Callable[[], None], int]] = {}  # title → (load, check, size)
        self.styles: Callable[[], Any] | None = None

    def add(self, sheet: Sheet, load: Callable[[], None] | None, check: Callable[[], None] | None, size: int = 0) -> None:
        self._sheets[sheet.title] = sheet
        if load is not None and check is not None:
            self._unread[sheet.title] = (load, check, size)

    def __getitem__(self, title: str) -> Sheet:
        sheet = self._sheets[title]
        todo = self._unread.pop(title, None)
        if todo is not None:
            todo[0]()
        return sheet

    def __contains__(self, title: object) -> bool:
        return title in self._sheets

    def __iter__(self) -> Iterator[str]:
        return iter(self._sheets)

    def __len__(self) -> int:
        return len(self._sheets)

    def finish(self, full: bool = False) -> None:
        # Small unread parts (a template's guide and lists) are only checked. Large ones are read as an
        # eager open reads them, so the cell limits bound their cost and refuse them as they would.
        small = not full and sum(size for _, _, size in self._unread.values()) <= _CHECK_ONLY_MAX
        if not full and self.styles is not None:
            self.styles()  # a filled template always has styled numbers: an eager open would have read the styles
        for title in list(self._unread):  # in the workbook's order
            load, check, _size = self._unread.pop(title)
            (check if small else load)()


#: Unread worksheet parts up to this many bytes in all (declared, decompressed) are only checked by finish().
_CHECK_ONLY_MAX = 256 * 1024


def _fail(code: str, path: Path, *texts: str) -> IntakeError:
    """The refusal of file ``path``: its message is the file's name, then ``texts`` (already translated) joined by spaces."""
    return IntakeError(code, f"{path.name}: " + " ".join(t for t in texts if t), path)


#: What to do next, in the words of refusals made in several modules (translated where they are used).
RESEND = N_("Please ask the unit to send the right .xlsx template file again.")
SAVE_AS = N_("Open the file in Excel (or LibreOffice, WPS), choose Save As > Excel Workbook (.xlsx) and send it again.")
REPAIR = N_("Please send it again; if the file opens in Excel, save it again as .xlsx and send that.")
PASSWORD = N_("the file has a password to open it, so it cannot be read. Please ask the unit to remove the password (Excel: File > Info > "
              "Protect Workbook > Encrypt with Password, delete the password and save) and send it again.")
TRUNCATED = N_("the file is cut short (not fully sent or downloaded): it is damaged; please send it again.")


def damaged(path: Path, what: str) -> IntakeError:
    """``file.corrupt``: the file is damaged (``what`` says where), with the advice to resend or save again."""
    return _fail("file.corrupt", path, _("the file is damaged ({what}).").format(what=what), _(REPAIR))
