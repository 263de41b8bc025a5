"""pandas DataFrames with typed columns, for the API's ``to_frame()`` methods.

pandas is imported here, inside :func:`frame`, and nowhere at start-up: a command that never asks
for a frame never pays for it. Every frame dti makes states its columns' types, so that a frame
is the same whatever its rows hold (an empty frame too):

- ``float64``: points, max points, numbers (``NaN`` where there is none);
- ``Int64``: years and ranks (pandas' nullable integer: ``<NA>`` where there is none);
- ``string``: codes, ids, names, messages (``<NA>`` where there is none: empty text is no text);
- ``category``: statuses, severities, value types, levels, with their categories fixed (every
  status dti knows, in a stable order, whether a frame holds it or not; a value dti does not
  know, as a person may type into a workbook, is added after them rather than lost);
- ``boolean``: yes/no flags (nullable).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Col:
    """One column of a frame: its name, its type (``float64``, ``Int64``, ``string``, ``boolean`` or
    ``category``) and, for a category, its categories in order."""

    name: str
    dtype: str
    categories: tuple[str, ...] = ()


def frame(columns: Sequence[Col], rows: Iterable[Sequence[Any]]) -> Any:
    """A DataFrame of ``rows`` (values in column order) with every column typed as declared."""
    import pandas as pd

    data = list(rows)
    out: dict[str, Any] = {}
    for j, c in enumerate(columns):
        values = [r[j] for r in data]
        if c.dtype == "category":
            values = [None if v is None or v == "" else str(v) for v in values]
            known = list(c.categories)
            known += list(dict.fromkeys(v for v in values if v is not None and v not in c.categories))
            out[c.name] = pd.Categorical(values, categories=known)
        elif c.dtype == "float64":
            out[c.name] = pd.array([float("nan") if v is None else float(v) for v in values], dtype="float64")
        elif c.dtype == "Int64":
            out[c.name] = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        elif c.dtype == "boolean":
            out[c.name] = pd.array([None if v is None else bool(v) for v in values], dtype="boolean")
        elif c.dtype == "string":
            out[c.name] = pd.array([None if v is None or v == "" else str(v) for v in values], dtype="string")
        else:
            raise ValueError(f"column {c.name!r}: unknown dtype {c.dtype!r}")
    return pd.DataFrame(out, columns=[c.name for c in columns])
