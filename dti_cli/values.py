"""Reading what officials type into a value cell (numbers, percents, yes/no, choices, "no data").

See docs/FORMATS.md. :func:`parse_value` turns a raw cell value (what intake returned: int, float,
bool, str, datetime, ErrorValue, None) into a :class:`Parsed` for one catalogue input.

Choices made where officials' habits are ambiguous (each is tested):

* Numbers typed as text follow either habit: Vietnamese ``1.234,5`` (dot groups thousands, comma
  is the decimal mark) or English ``1,234.5``; spaces, non-breaking and zero-width spaces are
  ignored. A lone separator followed by exactly three digits (``1.234``, ``1,234``) is ambiguous:
  the reading is chosen by the input type and reported (``ambiguous=True``, code
  ``value.ambiguous_number``): a count is whole, so both read 1234; for an amount (billion VND)
  or a percent both read as decimals (1.234); for another number a dot groups thousands and a
  comma is a decimal mark (Vietnamese habit). :func:`parse_number_text` reads the same way as a
  plain number.
* Percent inputs store a ratio: ``85``, ``"85%"``, ``"85 %"``, ``"85,5%"`` → 0.85/0.855, and a number
  from 0 to 1 (what Excel stores for a cell formatted as %) is already a ratio. Exactly ``1`` is
  read as 100% and flagged ambiguous (it could mean 1%). Above 100% is refused.
* "No data" is the template's ``Không có số liệu`` / ``No data`` and its usual variants
  (``KCSL``, ``N/A``, ``không có dữ liệu``, ``chưa có số liệu``). A dash (``-``, ``–``, ``—``) is also
  read as no data — never as 0 — with a warning (``value.dash``) saying to type 0 if 0 is meant.
* Error values (``#DIV/0!``, ``#REF!``, ``#N/A``, ``#VALUE!``, ``#NAME?``…), as error cells or as
  typed text, are missing with code ``value.error``.
* Dates typed as text are read day first (``25/12/2023``, ``25-12-2023``, ``25.12.2023``);
  ``2023-12-25`` (year first) is read as ISO.

Codes: ``value.error``, ``value.not_number``, ``value.negative``, ``value.not_whole``,
``value.percent_range``, ``value.not_yes_no``, ``value.unknown_choice`` (``ok=False``);
``value.ambiguous_number``, ``value.dash`` (warnings, ``ok=True``). An empty cell gives
``Parsed(None, ok=True)``: missing, which merge reports.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from .core import i18n
from .core.i18n import N_, _
from .core.text import clean, fold
from .intake.cells import ERROR_TEXTS, ErrorValue, excel_serial_to_datetime
from .methodology.model import NO_DATA, NoData

__all__ = ["NO_DATA", "NO_DATA_TEXT", "ErrorValue", "NoData", "Parsed", "parse_date", "parse_number_text", "parse_text", "parse_value",
           "read_number"]

NO_DATA_TEXT = {"vi": "Không có số liệu", "en": "No data"}

@dataclass(frozen=True)
class Parsed:
    """What a cell means for an input. ``ok=False``: invalid (``code`` and ``message`` say why, in the run's language)."""

    value: float | bool | str | NoData | None
    ok: bool = True
    code: str | None = None
    message: str | None = None
    ambiguous: bool = False


_ERRORS = frozenset(ERROR_TEXTS)
_NO_DATA_KEYS = frozenset(
    fold(t)
    for t in (
        "Không có số liệu", "No data", "KCSL", "N/A", "NA", "Không có dữ liệu", "Chưa có số liệu", "Không số liệu",
        "Không có thông tin", "Not available", "n.a.",
    )
)
_DASHES = frozenset(("-", "--", "---", "–", "—", "−"))
_YES = frozenset(fold(t) for t in ("Có", "C", "x", "Yes", "Y", "1", "True", "Đúng", "Rồi", "Đạt", "Có rồi", "Đã có", "OK", "v", "✓", "✔", "☑"))
_NO = frozenset(fold(t) for t in ("Không", "K", "Ko", "Kg", "No", "N", "0", "False", "Chưa", "Sai", "Không có", "Chưa có", "Không đạt"))


def _no_data_word(lang: str) -> str:
    return NO_DATA_TEXT.get(lang, NO_DATA_TEXT["vi"])


def _show(x: float) -> str:
    """A number in the reader's style (vi 1.234,5), up to 6 decimals."""
    return i18n.num(x, 6)


def is_error(raw: Any) -> bool:
    """An error cell, or error text such as "#DIV/0!" typed or pasted in."""
    if isinstance(raw, ErrorValue):
        return True
    return isinstance(raw, str) and clean(raw).upper() in _ERRORS


# ---------------------------------------------------------------------------------------------
# Numbers typed as text

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009\u200a\u2008\u3000\u200b\u200c\u200d\u2060\ufeff']+")
_DIGITS = re.compile(r"[0-9.,]*[0-9][0-9.,]*")
_GROUPED = re.compile(r"[0-9]{1,3}(?:S[0-9]{3})+")


def _grouped(s: str, sep: str) -> bool:
    return bool(re.fullmatch(_GROUPED.pattern.replace("S", re.escape(sep)), s))


def read_number(text: str, *, dot: str = "group", comma: str = "decimal") -> tuple[float, bool] | None:
    """A number typed as text → (value, ambiguous); None if it is not a number.

    ``dot`` / ``comma``: how a lone "." / "," followed by exactly three digits is read ("group" or
    "decimal"); the result is then flagged ambiguous. Anything else has one reading.
    """
    t = _SPACES.sub("", clean(text))
    if not t:
        return None
    sign = 1.0
    if t.startswith("(") and t.endswith(")"):  # accounting negative
        sign, t = -1.0, t[1:-1]
    if t[:1] in "+-\u2212":
        sign, t = (-sign if t[0] != "+" else sign), t[1:]
    elif t.endswith("-"):
        sign, t = -sign, t[:-1]
    if not t:
        return None
    if not _DIGITS.fullmatch(t):
        try:  # 1e3, 1.5E-2: scientific notation as Excel shows it
            x = float(t)
        except ValueError:
            return None
        return (sign * x, False) if math.isfinite(x) and "e" in t.lower() else None
    dots, commas = t.count("."), t.count(",")
    ambiguous = False
    if dots and commas:
        if t.rfind(",") > t.rfind("."):  # 1.234,5: Vietnamese
            whole, _, frac = t.rpartition(",")
            if commas > 1 or not _grouped(whole, "."):
                return None
            num = whole.replace(".", "") + "." + frac
        else:  # 1,234.5: English
            whole, _, frac = t.rpartition(".")
            if dots > 1 or not _grouped(whole, ","):
                return None
            num = whole.replace(",", "") + "." + frac
    elif dots or commas:
        sep = "." if dots else ","
        count = dots or commas
        whole, _, frac = t.partition(sep)
        if count > 1:
            if not _grouped(t, sep):
                return None
            num = t.replace(sep, "")
        elif len(frac) == 3 and whole and whole.lstrip("0") == whole and len(whole) <= 3:
            ambiguous = True
            reading = dot if sep == "." else comma
            num = whole + frac if reading == "group" else whole + "." + frac
        else:
            num = (whole or "0") + "." + (frac or "0")
    else:
        num = t
    try:
        x = float(num)
    except ValueError:
        return None
    return sign * x, ambiguous


def parse_number_text(text: str, *, dot: str = "group", comma: str = "decimal") -> float | None:
    """A number typed as text, Vietnamese ("1.234,5") or English ("1,234.5") habits; None if not a number.

    A lone "1.234" reads 1234 and "1,234" reads 1.234 (Vietnamese habit) unless told otherwise.
    """
    r = read_number(text, dot=dot, comma=comma)
    return None if r is None else r[0]


# ---------------------------------------------------------------------------------------------
# Values for an input


_HABITS = {"count": ("group", "group"), "amount": ("decimal", "decimal"), "percent": ("decimal", "decimal")}


def _fail(code: str, message: str) -> Parsed:
    return Parsed(None, ok=False, code=code, message=message)


def parse_value(raw: Any, inp: Any, lang: str = "vi") -> Parsed:
    """Read a raw cell value for input ``inp`` (a catalogue Input: ``.type``, ``.choices``, ``.unit``)."""
    if raw is None or isinstance(raw, NoData):
        return Parsed(raw if isinstance(raw, NoData) else None)
    if is_error(raw):
        return _fail("value.error", _("the cell holds the error {error} (a wrong formula or a broken reference); it counts as no figure yet. "
                                      "Please correct the formula or type the value itself.").format(error=clean(str(raw))))
    if isinstance(raw, str):
        text = clean(raw)
        if not text:
            return Parsed(None)
        key = fold(text)
        if key in _NO_DATA_KEYS or text.upper() == "N/A":
            return Parsed(NO_DATA)
        if text in _DASHES:
            return Parsed(NO_DATA, code="value.dash", ambiguous=True,
                          message=_("the dash '{dash}' is read as '{no_data}' (not 0). If the value is 0, please type 0.").format(
                              dash=text, no_data=_no_data_word(lang)))
    else:
        text = None
    typ = inp.type
    if typ == "yes_no":
        return _yes_no(raw, text, lang)
    if typ == "choice":
        return _choice(raw, text, inp)
    return _numeric(raw, text, inp, lang)


def _yes_no(raw: Any, text: str | None, lang: str = "vi") -> Parsed:
    if isinstance(raw, bool):
        return Parsed(raw)
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return Parsed(bool(raw))
    if text is not None:
        key = fold(text)
        if key in _YES or key.startswith("da "):  # "Đã ban hành", "Đã triển khai"
            return Parsed(True)
        if key in _NO or key.startswith("chua "):  # "Chưa ban hành"
            return Parsed(False)
    shown = text if text is not None else str(raw)
    return _fail("value.not_yes_no", _("'{text}' is not a yes/no answer. Please pick Yes, No or '{no_data}' from the list.").format(
        text=shown[:60], no_data=_no_data_word(lang)))


def _choice(raw: Any, text: str | None, inp: Any) -> Parsed:
    key = fold(text if text is not None else str(raw))
    for c in inp.choices:
        if key in (fold(c.label_vi), fold(c.label_en), fold(c.value)):
            return Parsed(c.value)
    labels = "; ".join(c.label(i18n.language()) for c in inp.choices)
    shown = text if text is not None else str(raw)
    return _fail("value.unknown_choice", _("'{text}' is not in the list of choices ({choices}). Please pick an entry from the list.").format(
        text=shown[:60], choices=labels))


def _numeric(raw: Any, text: str | None, inp: Any, lang: str) -> Parsed:
    typ = inp.type
    ambiguous = False
    percent_sign = False
    if isinstance(raw, (bool, datetime, date, time, timedelta)):
        what = _("a yes/no answer") if isinstance(raw, bool) else _("a date")
        return _fail("value.not_number", _("the cell holds {what}, not a number. Please type a number (or '{no_data}').").format(
            what=what, no_data=_no_data_word(lang)))
    if isinstance(raw, (int, float)):
        x = float(raw)
        if not math.isfinite(x):
            return _fail("value.not_number", _("the cell holds no valid number. Please type it again."))
    else:
        t = text if text is not None else clean(str(raw))
        for unit in (clean(getattr(inp, "unit", "") or ""), clean(getattr(inp, "unit_en", "") or "")):
            if unit and unit != "%" and fold(unit) and fold(t).endswith(" " + fold(unit)):
                t = t[: len(t) - len(unit)].strip()  # "12 người" (or "12 people") in a count of people
                break
        if t.endswith("%"):
            percent_sign, t = True, t[:-1].strip()
        dot, comma = _HABITS.get(typ, ("group", "decimal"))
        r = read_number(t, dot=dot, comma=comma)
        if r is None:
            return _fail("value.not_number", _("'{text}' is not a number. Please type a number, for example {whole} or {decimal} (or '{no_data}').")
                         .format(text=text, whole=i18n.integer(1234), decimal=i18n.num(12.5), no_data=_no_data_word(lang)))
        x, ambiguous = r
        if percent_sign and typ != "percent":
            return _fail("value.not_number", _("'{text}' is a percentage but this figure is {kind}. Please type a number.").format(
                text=text, kind=_(_KIND.get(typ, _KIND["number"]))))
    if x < 0:
        return _fail("value.negative", _("the value {value} is negative; this figure cannot be. Please type it again.").format(value=_show(x)))
    if not math.isfinite(x) or x > MAX_PLAUSIBLE:
        return _fail("value.too_large", _("the value {value} is too large to be a province's figure (at most {limit}). "
                                          "Please check it (the unit, the number of zeros).").format(
            value=_show(x) if math.isfinite(x) else x, limit=i18n.integer(MAX_PLAUSIBLE)))
    code = message = None
    if ambiguous:
        code = "value.ambiguous_number"
        message = _("'{text}' reads two ways; it was read as {value} ({why}). If that is wrong, please type it again without a "
                    "thousands separator.").format(text=text, value=_show(x), why=_(_WHY.get(typ, _WHY["number"])))
    if typ == "percent":
        if percent_sign or x > 1:
            x = x / 100
        elif x == 1 and not percent_sign:
            ambiguous, code = True, "value.ambiguous_number"
            message = _("the value 1 is read as 100%. If 1% is meant, please type 1%.")
        if x > 1 + 1e-9:
            return _fail("value.percent_range", _("the percentage {value} is above 100%. Please check it (type 85 or 85% for 85%).").format(
                value=i18n.pct(x, 4)))
    if typ == "count":
        if abs(x - round(x)) > 1e-9:
            return _fail("value.not_whole", _("the count {value} is not a whole number. Please type a whole number.").format(value=_show(x)))
        x = float(round(x))
    return Parsed(float(x), ok=True, code=code, message=message, ambiguous=ambiguous)


#: No figure a province reports comes near this (people, households, documents, billion VND).
MAX_PLAUSIBLE = 1e12

_KIND = {"count": N_("a count"), "amount": N_("an amount"), "number": N_("a number")}
_WHY = {
    "count": N_("a count is whole, so the separator groups thousands"),
    "amount": N_("an amount is in billion VND, so the separator is the decimal mark"),
    "percent": N_("the separator is the decimal mark"),
    "number": N_("a dot groups thousands and a comma is the decimal mark"),
}


# ---------------------------------------------------------------------------------------------
# Dates and text fields

_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?.*)?")
_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")


def parse_date(raw: Any, date1904: bool = False) -> date | None:
    """A date as officials enter it: a date cell, an Excel serial number, or text read day first
    ("25/12/2023", "25-12-2023", "25.12.23", "ngày 25 tháng 12 năm 2023"; "2023-12-25" as ISO). None if not a date."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)):
        if not 1 <= raw < 2958466:
            return None
        d = excel_serial_to_datetime(float(raw), date1904)
        return d.date() if d else None
    if not isinstance(raw, str) or is_error(raw):
        return None
    t = clean(raw)
    m = _YMD.fullmatch(t)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _DMY.fullmatch(t) or _WORDS.fullmatch(fold(t).replace(" ", "")) or _WORDS.fullmatch(fold(t))
        if not m:
            return None
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if y < 100:
            y += 2000
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def parse_text(raw: Any) -> str | None:
    """A text field (name, phone, document number): cleaned; a whole number without ".0"; a date as dd/mm/yyyy."""
    if raw is None or isinstance(raw, NoData):
        return None
    if isinstance(raw, bool):
        return i18n.yes_no(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime) and raw.time() == time():
        return raw.strftime("%d/%m/%Y")
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw.strftime("%d/%m/%Y")
    t = clean(str(raw))
    return t or None
