"""Cells: references ("$F$12" ↔ row 12, column 6) and a cell's value from its type, text and style.

Both sheet readers (stream.py and tree.py) decode values and record formulas through here, so
they cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

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



_COLS: dict[str, int] = {}
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
MAX_ROW, MAX_COL = 1_048_576, 16_384


def col_index(letters: str) -> int:
    n = _COLS.get(letters)
    if n is None:
        n = 0
        for ch in letters.upper():
            n = n * 26 + (ord(ch) - 64)
        _COLS[letters] = n
    return n


def col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def split_ref(ref: str) -> tuple[int, int]:
    """``"$F$12"`` → (12, 6). Raises ValueError on anything else."""
    m = _REF.fullmatch(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), col_index(m.group(1))


def _unescape(s: str) -> str:
    """OOXML writes control characters as _xHHHH_ (and a literal '_x' as _x005F_x)."""
    if "_x" not in s:
        return s
    return _ESC.sub(lambda m: chr(int(m.group(1), 16)), s)


_ESC = re.compile(r"_x([0-9A-Fa-f]{4})_")


#: Built-in number formats that are dates or times.
_BUILTIN_DATES = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_FMT_STRIP = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def is_date_format(code: str) -> bool:
    """A custom number format shows a date or time (d, m, y, h, s outside quotes and brackets)."""
    code = _FMT_STRIP.sub("", code.split(";", 1)[0]).lower()
    return any(c in code for c in "dmyhs") and "general" not in code


def _number(v: str) -> int | float | ErrorValue:
    v = v.strip()
    try:
        if "." not in v and "e" not in v and "E" not in v:
            return int(v)
        x = float(v)
    except ValueError:
        return ErrorValue("#VALUE!")
    if x != x or x in (float("inf"), float("-inf")):
        return ErrorValue("#NUM!")
    return x


def _cell_value(t: str, text: str, cstyle: str | None, date_styles: Callable[[], Any], date1904: bool) -> Any:
    """The value of a cell that is not a shared string, from its type (``t``), text and style.

    Both sheet readers (streaming and tree) decode through here, so they cannot disagree.
    """
    if t == "n":
        value = _number(text)
        if cstyle is not None and cstyle != "0" and type(value) is not ErrorValue:
            try:
                is_date = int(cstyle) in date_styles()
            except ValueError:
                is_date = False
            if is_date:
                value = excel_serial_to_datetime(float(value), date1904) or value
        return value
    if t == "b":
        return text.strip() in ("1", "true")
    if t == "e":
        return ErrorValue(text.strip())
    if t == "d":
        return _iso_datetime(text)
    return _unescape(text)  # inlineStr, str, and any other type: text


def _record_formula(fattrs: Any, ftext: str, cell_ref: str, shared_f: dict[str, tuple[str, str]], formulas: dict[str, str]) -> None:
    """Keep a cell's formula text; a shared formula's followers are translated from its master."""
    if fattrs.get("t") == "shared":
        si = fattrs.get("si", "")
        if ftext:
            shared_f[si] = (cell_ref, ftext)
        elif si in shared_f:
            ftext = _translate(shared_f[si], cell_ref)
    formulas[cell_ref] = "=" + ftext if ftext else "="


def _iso_datetime(v: str) -> datetime | ErrorValue:
    try:
        return datetime.fromisoformat(v.strip().rstrip("Z"))
    except ValueError:
        return ErrorValue("#VALUE!")


def _translate(master: tuple[str, str], ref: str) -> str:
    """A shared formula's text as seen from ``ref`` (openpyxl's translator, imported only when needed)."""
    origin, text = master
    try:
        from openpyxl.formula.translate import Translator

        return Translator("=" + text, origin=origin).translate_formula(ref)[1:]
    except Exception:  # an unusual formula: keep the master's text rather than lose the fact there is one
        return text
