"""Reading what officials type into a value cell (numbers, percents, yes/no, choices, "no data").

See docs/FORMATS.md. The parser functions are built on top of the ``NO_DATA`` marker below.
"""

from __future__ import annotations


class NoData:
    """The explicit "no data" answer ("Không có số liệu"): distinct from 0 and from an empty cell."""

    _instance: NoData | None = None

    def __new__(cls) -> NoData:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_DATA"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self):
        return (NoData, ())


NO_DATA = NoData()
NO_DATA_TEXT = {"vi": "Không có số liệu", "en": "No data"}


def parse_number_text(text: str) -> float | None:
    """A number typed as text, Vietnamese ("1.234,5") or English ("1,234.5") habits; None if not a number.

    Interim version: the values module's full parser (with ambiguity warnings) replaces it.
    """
    import re

    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if not t:
        return None
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", t) or re.fullmatch(r"[+-]?\d+,\d+", t):
        t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", "")
    try:
        return float(t)
    except ValueError:
        return None
