"""Last year's values beside this year's cells (``--prefill``), from last year's merged workbook.

An input reported by every unit (4.5, 4.6, 1.9) shows the unit's own figure of last year, never
the province's total; a unit that reported nothing for it gets an empty cell.
"""

from __future__ import annotations

from typing import Any

from ..formats.merged import Merged, decode_value
from ..formats.template import NO_DATA_TEXT, YES_NO
from ..methodology.model import Catalogue, Input, NoData

#: Statuses whose value means something (an answer, or the explicit "no data").
_ANSWERED = ("ok", "no_data")


def last_year(merged: Merged, catalogue: Catalogue, unit_id: str) -> dict[str, Any]:
    """Input id → last year's value (number, bool, choice code or NO_DATA) for this unit's workbook."""
    values: dict[str, Any] = {iid: v for iid, v in merged.values.items() if iid in catalogue.inputs and not catalogue.inputs[iid].per_unit}
    for row in merged.units:
        iid = str(row.get("input_id") or "")
        inp = catalogue.inputs.get(iid)
        if inp is None or str(row.get("unit_id") or "") != unit_id or row.get("status") not in _ANSWERED:
            continue
        v = decode_value(row.get("value"), str(row.get("status")), inp.type)
        if v is not None:
            values[iid] = v
    return values


def shown(value: Any, inp: Input, lang: str) -> Any:
    """A value as an official reads it in the workbook's language: words for yes/no, the choice's label."""
    if isinstance(value, NoData):
        return NO_DATA_TEXT[lang]
    if isinstance(value, bool):
        return YES_NO[lang][0 if value else 1]
    if inp.type == "choice" and isinstance(value, str):
        c = inp.choice(value)
        return c.label(lang) if c else value
    return value
