"""Output safety: text from returned files must never become a formula in what dti writes."""

from __future__ import annotations

from typing import Any

#: A cell that starts with one of these is read as a formula by Excel, LibreOffice or WPS.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def safe_csv_cell(value: Any) -> Any:
    """Prefix formula-like text with an apostrophe so a spreadsheet shows it as text."""
    if looks_like_formula(value):
        return "'" + value
    return "" if value is None else value
