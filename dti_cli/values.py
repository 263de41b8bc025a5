"""Reading what officials type into a value cell (numbers, percents, yes/no, choices, "no data").

See docs/FORMATS.md. The parser functions are built on top of the ``NO_DATA`` marker below.
"""

from __future__ import annotations

from datetime import datetime, timedelta


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

#: The error values a spreadsheet shows in a cell.
ERROR_TEXTS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!")


class ErrorValue(str):
    """A cell holding a spreadsheet error (``t="e"`` in the file), e.g. ``#DIV/0!``.

    It is a ``str`` so it shows as Excel shows it, but a distinct type so a reader can tell an
    error cell from someone typing the text "#DIV/0!" (``parse_value`` treats both as errors).
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"ErrorValue({str(self)!r})"


def excel_serial_to_datetime(serial: float, date1904: bool = False) -> datetime | None:
    """An Excel date serial number as a datetime (to the millisecond); None if out of Excel's range."""
    if serial != serial or serial < 0 or serial > 2958465.99999:  # NaN, negative, after 9999-12-31
        return None
    if date1904:
        base = _EPOCH_1904
    else:
        # Excel counts 29/02/1900, which did not exist: serials before 60 start a day later.
        base = _EPOCH_1900 if serial >= 60 else _EPOCH_1900 + timedelta(days=1)
    return base + timedelta(milliseconds=round(serial * 86_400_000))


_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)


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
