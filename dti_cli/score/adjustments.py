"""The focal point's adjustments (the Adjustments sheet of the merged workbook), applied over the values.

Each row names an input and its new value, typed as officials type it ("1.234,5", "Có", "85%"),
and is read exactly as merge reads a returned cell. A row that cannot be used is a finding
naming its cell, and the value it meant to change is left as it was.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.findings import Finding
from ..core.i18n import _
from ..formats.scores import json_value
from ..methodology.model import Catalogue, NoData, unusable
from ..values import parse_value


def _text(v: Any) -> str:
    if v is None:
        return ""
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10] if getattr(v, "hour", 0) == 0 and getattr(v, "minute", 0) == 0 else v.isoformat()
    return str(v)


def apply_adjustments(cat: Catalogue, values: dict[str, Any], adjustments: Iterable[Mapping[str, Any]],
                      sheet: str = "") -> tuple[list[dict[str, Any]], list[Finding]]:
    """Apply the adjustments to ``values`` in place: (the rows applied, findings for the rows not applied)."""
    sheet = sheet or _("Adjustments")
    applied: list[dict[str, Any]] = []
    problems: list[Finding] = []
    for k, a in enumerate(adjustments, 2):
        row = a.get("row", k)
        iid = str(a.get("input_id") or "").strip()
        if not iid:
            problems.append(Finding("score.adjustment_no_input", _("{sheet}!A{row}: the input id is missing; this adjustment is not applied. "
                                                                   "Write the id, for example 7.1.a.").format(sheet=sheet, row=row),
                                    sheet=sheet, cell=f"A{row}"))
            continue
        inp = cat.inputs.get(iid)
        if inp is None:
            close = difflib.get_close_matches(iid, list(cat.inputs), n=3)
            hint = " " + _("Did you mean: {names}?").format(names=", ".join(close)) if close else ""
            problems.append(Finding("score.adjustment_unknown_input", _("{sheet}!A{row}: there is no input {id!r}; not applied.").format(
                sheet=sheet, row=row, id=iid) + hint, sheet=sheet, cell=f"A{row}", input=iid))
            continue
        raw = a.get("new_value")
        p = parse_value(raw, inp)
        reason = None
        if not p.ok:
            reason = p.message or _("the value cannot be read")
        elif p.value is None:
            reason = _("the cell is empty")
        elif not isinstance(p.value, NoData) and unusable(inp, p.value):
            reason = _("the value cannot be read")
        if reason is not None:
            problems.append(Finding("score.adjustment_bad_value", _(
                "{sheet}!B{row}: the new value of {id} ({value!r}) cannot be used: {reason}. This adjustment is NOT applied; "
                "correct cell B{row} and run dti score again.").format(sheet=sheet, row=row, id=iid, value=raw, reason=reason),
                sheet=sheet, cell=f"B{row}", input=iid))
            continue
        old = values.get(iid)
        values[iid] = p.value
        applied.append({"row": row, "input_id": iid, "indicator": inp.indicator, "old_value": json_value(old),
                        "new_value": json_value(p.value), "reason": _text(a.get("reason")), "by": _text(a.get("by")),
                        "date": _text(a.get("date"))})
    return applied, problems
