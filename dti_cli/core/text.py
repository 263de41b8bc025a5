"""Text normalisation shared by every stage: Unicode NFC, stray spaces, and diacritic-free keys."""

from __future__ import annotations

import functools
import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: str) -> str:
    """NFC, no zero-width characters or control characters, single spaces, trimmed."""
    if value.isascii() and value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value  # already clean (ids, codes, numbers typed as text): nothing below would change it
    value = unicodedata.normalize("NFC", value).translate(_INVISIBLE)
    value = _CONTROL.sub("", value)
    return _SPACES.sub(" ", value).strip()


def text_of(value: object) -> str:
    """A cell's value as the text it shows, cleaned: None is "", a whole number has no ".0" (a code typed 12 is "12")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


@functools.lru_cache(maxsize=4096)  # the same few texts ("Có", "Không", units, agency names) come back in every file
def fold(value: str) -> str:
    """A matching key: lower case, no diacritics (đ → d), punctuation as spaces.

    "Sở LĐ-TB& XH", "so ld-tb&xh" and "SỞ LĐ TB XH" all fold to "so ld tb xh".
    """
    value = clean(value).lower().replace("đ", "d")
    value = "".join(c for c in unicodedata.normalize("NFD", value) if not unicodedata.combining(c))
    value = re.sub(r"[^a-z0-9]+", " ", value)
    return value.strip()


def slug(value: str) -> str:
    """A file-name-safe identifier made from a name: 'Sở Tài chính' → 'so-tai-chinh'."""
    return fold(value).replace(" ", "-") or "x"


#: Control characters (a file name can hold escape sequences that would drive a terminal).
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def inert(text: object) -> str:
    """Text safe to print: every control character shown as its escape (``\\x1b``), never sent to the terminal."""
    s = str(text)
    return _TERMINAL_CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), s) if _TERMINAL_CONTROL.search(s) else s
