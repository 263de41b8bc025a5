"""The ranked list as CSV: every indicator short of its max, one row each, for a spreadsheet or a script.

UTF-8 with a BOM (Excel then shows the diacritics right). Column names are ASCII keys, numbers
are written as machines read them (``6.17``, full precision), text that a spreadsheet would take
for a formula gets a leading apostrophe. A report from sample data has a last column ``banner``
holding the banner on every row, so no row can be mistaken for real figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.safety import atomic_output
from ..core.safety import write_csv as csv_file
from .model import Report

COLUMNS = ["rank", "code", "name", "pillar", "lead", "lead_ids", "shared", "max_points", "previous", "now", "estimate", "change",
           "at_stake", "status", "target", "target_met", "action_kind", "action"]


def rows(rep: Report) -> list[list[Any]]:
    out = []
    for g in rep.gaps:
        vals = {**g, "lead": "; ".join(g["lead_names"]), "lead_ids": " ".join(g["lead"]),
                "shared": "" if "shared" not in g else ("yes" if g["shared"] else "no"),
                "target_met": "" if g["target_met"] is None else ("yes" if g["target_met"] else "no"),
                "action_kind": g["action"]["kind"], "action": g["action"]["text"]}
        out.append([vals.get(c) for c in COLUMNS])
    return out


def write_csv(rep: Report, path: str | Path, *, banner: str | None = None, force: bool = False, inputs: tuple[str, ...] = ()) -> Path:
    extra = [banner] if banner else []
    with atomic_output(path, force=force, inputs=inputs) as tmp:
        csv_file(tmp, COLUMNS + (["banner"] if banner else []), (r + extra for r in rows(rep)))
    return Path(path)
