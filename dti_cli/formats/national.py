"""National totals (`--national`): every province's DTI total of a published round, for ranks.

A table (CSV or .xlsx) with a column for the province and one for its total (headers in
Vietnamese or English). The province's own row, when the table has one, is recognised by the
profile's names and left out: its total is the one being planned. A row that cannot be read
stops the run (a rank worked out from a table with a province missing would be wrong), naming
the row. Read by the plan (the rank a goal needs) and the report (the rank a total would have).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputFileError
from ..core.i18n import _
from ..core.text import clean, fold
from ..methodology.profile import Profile
from .references import number
from .tables import read_table

COLUMNS = {"province": ("tỉnh", "tỉnh/thành phố", "tỉnh, thành phố", "tên tỉnh", "địa phương"),
           "total": ("tổng điểm", "điểm", "dti", "tổng")}


@dataclass(frozen=True)
class National:
    """The other provinces' totals, highest first, and whether the province's own row was left out."""

    others: tuple[tuple[str, float], ...]
    own_row_left_out: bool
    file: str = ""

    @property
    def provinces(self) -> int:
        """How many provinces are ranked, the province included."""
        return len(self.others) + 1

    def rank_of(self, total: float) -> int:
        """The rank ``total`` would have, the others held: 1 + those strictly above (a tie shares the rank)."""
        return 1 + sum(1 for _n, t in self.others if t > total + 1e-9)

    def needed_for(self, rank: int) -> float:
        """The lowest total that has rank ``rank`` or better: the total of the ``rank``-th other province (a tie shares it)."""
        if not 1 <= rank <= self.provinces:
            raise ValueError(rank)
        return self.others[rank - 1][1] if rank <= len(self.others) else 0.0


def read_national(path: str | Path, profile: Profile) -> National:
    """The national totals file; InputFileError when it or one of its rows cannot be used."""
    p = Path(path)
    rows = read_table(p, COLUMNS, required=("province", "total"), sheet_names=("National", "Toàn quốc", "Các tỉnh"),
                      what=_("national totals (--national)"))
    own = {fold(x) for x in (profile.name, profile.name_full, profile.id) if x}
    others: list[tuple[str, float]] = []
    seen: set[str] = set()
    left_out = False
    for row in rows:
        name = clean(str(row.values.get("province") or ""))
        total = number(row.values.get("total"))
        if not name or total is None:
            raise InputFileError(_("{where}: a province and its total (a number) are needed, not {name!r} and {total!r}.").format(
                where=row.where, name=name, total=row.values.get("total")))
        key = fold(name)
        if key in own or fold(name.removeprefix("Tỉnh ").removeprefix("tỉnh ")) in own:
            left_out = True
            continue
        if key in seen:
            raise InputFileError(_("{where}: {name} is on an earlier row already.").format(where=row.where, name=name))
        seen.add(key)
        others.append((name, total))
    if not others:
        raise InputFileError(_("{path}: no province's total in the table.").format(path=p.name))
    others.sort(key=lambda x: -x[1])
    return National(tuple(others), left_out, p.name)
