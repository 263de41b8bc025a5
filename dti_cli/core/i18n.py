"""One language per run: words through gettext, numbers and dates through Babel.

Vietnamese is the default; English with ``--lang en`` or ``DTI_LANG=en``. Message ids in the
code are English; the Vietnamese text lives in ``dti_cli/locale/vi/LC_MESSAGES/dti.po``
(``tools/i18n.py`` extracts, checks and compiles it). click's and typer's own messages
(usage, options, errors) use gettext's default domain ``messages``: :func:`set_language`
binds that domain to ``dti_cli/locale`` and sets ``LANGUAGE`` for this process, so they
follow the same language.

Numbers follow the language's habit, from Babel's locale data: vi ``1.234,5``, en
``1,234.5``; the two languages' symbols are built in (a test checks them, and the text of every
format, against Babel's), so formatting a number does not load Babel. Points always show two
decimals (``593,31``); dates are ``15/10/2023`` in Vietnamese and ``15 Oct 2023`` in English
(Babel, imported for an English date).
"""

from __future__ import annotations

import contextlib
import functools
import gettext as _gettext
import math
import os
from collections.abc import Iterator
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal
from pathlib import Path

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
DOMAIN = "dti"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_state: dict[str, object] = {"lang": None, "tr": None}


def resolve_lang(lang: str | None = None) -> str:
    """The language asked for (``--lang``), else ``DTI_LANG``, else Vietnamese; ``vi-VN`` reads as ``vi``."""
    raw = (lang or os.environ.get("DTI_LANG") or DEFAULT_LANG).strip().lower().replace("_", "-")
    code = raw.split("-", 1)[0]
    if code not in LANGS:
        from .errors import UsageError

        raise UsageError(f"--lang {lang or raw!r}: vi | en")
    return code


def set_language(lang: str | None = None) -> str:
    """Make ``lang`` the language of everything this process says from now on; returns it."""
    code = resolve_lang(lang)
    if _state["lang"] != code:
        _state["tr"] = _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[code], fallback=True)
        _state["lang"] = code
    # click and typer translate through the default domain with the process's language.
    _gettext.bindtextdomain("messages", str(LOCALE_DIR))
    os.environ["LANGUAGE"] = code
    return code


def language() -> str:
    """The language of this run (set on first use from ``DTI_LANG``, default Vietnamese)."""
    if _state["lang"] is None:
        set_language(None)
    return str(_state["lang"])


@contextlib.contextmanager
def using(lang: str | None) -> Iterator[str]:
    """Speak ``lang`` inside the block (the library's ``lang=`` arguments), then what was spoken before."""
    before = _state["lang"]
    code = set_language(lang) if lang else language()
    try:
        yield code
    finally:
        if before is not None and before != code:
            set_language(str(before))


def _translations() -> _gettext.NullTranslations:
    if _state["tr"] is None:
        set_language(None)
    return _state["tr"]  # type: ignore[return-value]


def _(message: str) -> str:
    """The message in the run's language."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for the catalog without translating it yet (texts built at import time)."""
    return message


# ---------------------------------------------------------------------------------------------
# Numbers and dates (Babel)

_BABEL_LOCALE = {"vi": "vi", "en": "en"}
DASH = "—"


#: (decimal mark, group separator, percent sign) of the languages dti speaks, as Babel's locale data has them
#: (tests/test_i18n_numbers.py compares them, and every format below, with Babel's): importing Babel and loading a
#: locale costs 20-50 ms, more than formatting every number of a report.
SYMBOLS = {"vi": (",", ".", "%"), "en": (".", ",", "%")}

#: Beyond this a figure is written in scientific notation (no province figure comes near it).
_HUGE = 1e15


@functools.lru_cache(maxsize=8)
def _symbols(code: str) -> tuple[str, str, str]:
    return SYMBOLS[code] if code in SYMBOLS else babel_symbols(code)


def babel_symbols(code: str) -> tuple[str, str, str]:
    """(decimal mark, group separator, percent sign) of a locale in Babel's data."""
    from babel import Locale

    symbols = Locale.parse(_BABEL_LOCALE.get(code, code)).number_symbols["latn"]
    return symbols["decimal"], symbols["group"], symbols["percentSign"]


@functools.lru_cache(maxsize=32)
def _quantum(digits: int) -> Decimal:
    return Decimal(1).scaleb(-digits)


def _fixed(value: Decimal, max_frac: int, min_frac: int, code: str) -> str:
    """``value`` grouped by thousands, rounded half-even to ``max_frac`` decimals, at least ``min_frac`` shown: what
    Babel prints for ``#,##0.00##`` (its numbers are read from a float's shortest repr, as :func:`_decimal` does)."""
    room = Context(prec=max(28, value.adjusted() + max_frac + 3))
    text = f"{value.quantize(_quantum(max_frac), rounding=ROUND_HALF_EVEN, context=room):,f}"
    if max_frac > min_frac and "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0").ljust(min_frac, "0")
        text = f"{whole}.{frac}" if frac else whole
    dec, group, _pct = _symbols(code)
    return text if (dec, group) == (".", ",") else text.translate({ord(","): group, ord("."): dec})


def _decimal(x: float) -> Decimal:
    return Decimal(x) if isinstance(x, int) else Decimal(repr(float(x)))


def _huge(x: float, code: str) -> str:
    return f"{x:.4g}".replace(".", _symbols(code)[0])


def _finite(x: float | None) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def num(x: float | None, digits: int = 2) -> str:
    """A figure in the reader's style with at most ``digits`` decimals: vi ``1.234,5``, en ``1,234.5``."""
    if x is None:
        return DASH
    if not _finite(x):
        return str(x)
    return _num_text(x + 0.0, max(digits, 0), language())


def pts(x: float | None) -> str:
    """Points, always with two decimals: ``593,31`` (vi), ``593.31`` (en)."""
    if x is None:
        return DASH
    if not _finite(x):
        return str(x)
    return _pts_text(x + 0.0, language())


# The same few figures come back many times (a rule's trace is written each time the plan or the report asks for its
# points): each text is made once per language. (+ 0.0 above: -0.0 is 0, and one key.)
@functools.lru_cache(maxsize=8192)
def _num_text(x: float, digits: int, code: str) -> str:
    text = _huge(x, code) if abs(x) >= _HUGE else _fixed(_decimal(x), digits, 0, code)
    return "0" if text in ("-0", "\u22120") else text


@functools.lru_cache(maxsize=8192)
def _pts_text(x: float, code: str) -> str:
    x = round(x, 2) + 0.0
    text = _huge(x, code) if abs(x) >= _HUGE else _fixed(_decimal(x), 2, 2, code)
    return text.replace("-0,00", "0,00").replace("-0.00", "0.00")


def signed(x: float | None, *, points: bool = True) -> str:
    """A change with its sign: ``+12,34``, ``-4,98``; zero as ``0,00``."""
    if x is None:
        return DASH
    text = pts(x) if points else num(x)
    return text if text.startswith(("-", "0,00", "0.00")) or text in ("0",) else "+" + text


def pct(ratio: float | None, digits: int = 1) -> str:
    """A ratio as a percentage with at most ``digits`` decimals: 0.618 → ``61,8%``."""
    if ratio is None:
        return DASH
    if not _finite(ratio):
        return str(ratio)
    return _pct_text(ratio + 0.0, max(digits, 0), language())


@functools.lru_cache(maxsize=8192)
def _pct_text(ratio: float, digits: int, code: str) -> str:
    if abs(ratio) * 100 >= _HUGE:
        return _huge(ratio * 100, code) + _symbols(code)[2]
    return _fixed(_decimal(ratio) * 100, digits, 0, code) + _symbols(code)[2]


def integer(n: int | float | None) -> str:
    """A whole number with grouping: ``1.000`` (vi), ``1,000`` (en)."""
    return num(None if n is None else round(n), 0)


def day(d: date | datetime | None) -> str:
    """A date: ``15/10/2023`` (vi), ``15 Oct 2023`` (en)."""
    if d is None:
        return DASH
    if isinstance(d, datetime):
        d = d.date()
    if language() == "vi":
        return d.strftime("%d/%m/%Y")
    from babel.dates import format_date

    return format_date(d, "d MMM y", locale="en")


def yes_no(value: bool) -> str:
    """Yes or no in the run's language (``Có``/``Không``)."""
    return _("Yes") if value else _("No")


@functools.lru_cache(maxsize=2048)
def variants(message: str) -> frozenset[str]:
    """The message in every language dti speaks (a header a person may have saved in either)."""
    out = {message}
    for code in LANGS:
        tr = _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[code], fallback=True)
        out.add(tr.gettext(message))
    return frozenset(out)
