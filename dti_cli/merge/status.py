"""The round's status: who has returned, who has not, how complete, and what no one has supplied."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..core.findings import ERROR, WARNING
from .consolidate import MergeResult, _ts


def round_status(result: MergeResult, *, deadline: date | None = None, today: date | None = None) -> dict[str, Any]:
    """The chase list as data: every expected unit, returned or not, completeness, and inputs no one supplied."""
    today = today or date.today()
    current = {s.unit_id: s for s in result.submissions if s.current}
    units = []
    for uid, asked in result.expected.items():
        s = current.get(uid)
        units.append({
            "unit_id": uid, "unit_name": result.unit_names.get(uid, uid), "returned": s is not None,
            "file": s.name if s else "", "received": _ts(s.mtime) if s else "", "verdict": s.verdict if s else "not_received",
            "asked": len(asked), "completeness": round(s.completeness, 4) if s else 0.0,
            "errors": s.count(ERROR) if s else 0, "warnings": s.count(WARNING) if s else 0,
        })
    units.sort(key=lambda u: (u["returned"], u["completeness"], u["unit_id"]))
    rejected = [{"file": s.name, "reason": s.reason, "message": s.findings[-1].message if s.findings else ""}
                for s in result.submissions if s.rejected]
    return {
        "year": result.year,
        "expected": len(result.expected),
        "returned": sum(1 for u in units if u["returned"]),
        "not_returned": [u["unit_id"] for u in units if not u["returned"]],
        "units": units,
        "rejected_files": rejected,
        "skipped_files": [{"file": k.path.name, "reason": k.reason, "words": k.words()} for k in result.skipped],
        "inputs_missing": [r["input_id"] for r in result.data if r["status"] == "missing"],
        "statuses": result.statuses(),
        "deadline": deadline.isoformat() if deadline else None,
        "days_left": (deadline - today).days if deadline else None,
    }
