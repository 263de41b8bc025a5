"""National reference values: what the relative rules need (min/max, best) and the province cannot
measure itself. They come from the merged workbook's References sheet or from a file given with
``--references`` (CSV or .xlsx: indicator, key, value, source).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.findings import Finding
from ..core.i18n import _
from ..methodology.model import Catalogue
from .tables import Row, read_table

COLUMNS = {"indicator": ("chỉ số", "mã chỉ số", "indicator code"), "key": ("khóa", "khoá", "loại"),
           "value": ("giá trị",), "source": ("nguồn",)}

References = dict[tuple[str, str], float]


def needed(cat: Catalogue) -> list[dict[str, Any]]:
    """One row per reference value the catalogue's relative rules need, value empty (the References sheet)."""
    return [{"indicator": ind.code, "key": k, "value": None, "source": ""}
            for ind in cat.indicators.values() for k in ind.rule.reference_keys()]


def read_references(cat: Catalogue, path: str | Path) -> tuple[References, list[Finding]]:
    """Reference values from a CSV or .xlsx file; rows that cannot be used are findings."""
    rows = read_table(path, COLUMNS, required=("indicator", "key", "value"), sheet_names=("References", "Tham chiếu"),
                      what=_("national reference values (--references)"))
    return parse_references(cat, rows, Path(path).name)


def parse_references(cat: Catalogue, rows: Iterable[Row], file: str = "") -> tuple[References, list[Finding]]:
    """Each row checked against the catalogue: an indicator that needs references, one of its keys, a number."""
    refs: References = {}
    problems: list[Finding] = []
    relative = [c for c, x in cat.indicators.items() if x.rule.is_relative]
    for row in rows:
        code = str(row.values.get("indicator") or "").strip()
        key = str(row.values.get("key") or "").strip().lower()
        value = row.values.get("value")
        ind = cat.indicators.get(code)
        if ind is None or not ind.rule.is_relative:
            problems.append(Finding("score.reference_unknown_indicator", _("{where}: {code!r} needs no reference value (those that do: {codes}); "
                                                                           "row not used.").format(where=row.where, code=code, codes=", ".join(relative)),
                                    file=file, data={"row": row.n}))
            continue
        keys = ind.rule.reference_keys()
        if key not in keys:
            problems.append(Finding("score.reference_unknown_key", _("{where}: indicator {code} needs the keys {keys}, not {key!r}; row not used.").format(
                where=row.where, code=code, keys=", ".join(keys), key=key), file=file, data={"row": row.n}))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue  # not filled in yet: the indicator stays "needs reference"
        num = number(value)
        if num is None:
            problems.append(Finding("score.reference_bad_value", _("{where}: the reference value {code} {key} = {value!r} is not a number; "
                                                                   "row not used. Please type a number.").format(
                where=row.where, code=code, key=key, value=value), file=file, data={"row": row.n}))
            continue
        refs[(code, key)] = num
    return refs, problems


def number(value: Any) -> float | None:
    """A reference value as typed: a number, "1.234,5", "12,5%" (a ratio, 0.125)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    from ..values import parse_number_text

    text = str(value).strip()
    num = parse_number_text(text.rstrip("%").strip())
    if num is not None and text.endswith("%"):
        num /= 100
    return num if num is not None and math.isfinite(num) else None


def show(refs: References, code: str) -> str:
    """'min = 0,0021, max = 0,0622' for one indicator."""
    return ", ".join(f"{k} = {i18n.num(v, 6)}" for (c, k), v in refs.items() if c == code)
