"""The data-collection workbook's layout: what the template stage writes and merge reads.

Fixed here once (docs/FORMATS.md describes it for people): the sheets and their titles, the
stamp's keys, the data sheet's columns, the rows, the defined names of value cells. A returned
file is found by its stamp; values by the input id in column A (or, failing that, the defined
name ``DTI_7_1_a`` of the value cell).
"""

from __future__ import annotations

import functools
import re

from ..core.i18n import N_

FORMAT = "dti-template"
FORMAT_VERSION = "1"

#: Sheets in order: key → (title vi, title en).
SHEETS = {
    "instructions": ("Hướng dẫn", "Instructions"),
    "cover": ("Thông tin", "Cover"),
    "data": ("Dữ liệu", "Data"),
    "stamp": ("_dti", "_dti"),
    "lists": ("_lists", "_lists"),
}

HEADER_ROW = 4  # the data sheet's header; title rows 1-3 above it
FIRST_ROW = 5  # one input per row from here

#: Data sheet columns: letter → (key, header message id, width).
COLUMNS: dict[str, tuple[str, str, float]] = {
    "A": ("input_id", N_("Input id"), 10),
    "B": ("indicator", N_("Indicator"), 9),
    "C": ("indicator_name", N_("Indicator name"), 34),
    "D": ("label", N_("What the figure is"), 40),
    "E": ("unit", N_("Unit of measure"), 11),
    "F": ("value", N_("Value"), 16),
    "G": ("evidence_doc", N_("Evidence: document no. and date"), 22),
    "H": ("evidence_link", N_("Evidence link"), 22),
    "I": ("note", N_("Note"), 20),
    "J": ("max_points", N_("Max points"), 8),
    "K": ("baseline", N_("Score {year}"), 8),
    "L": ("target", N_("Target {year}"), 26),
    "M": ("rule", N_("How it is scored"), 40),
    "N": ("expected", N_("Expected points"), 11),
    "O": ("prefill", N_("Last year's value"), 16),
}
#: Column letters by key.
COL = {key: letter for letter, (key, _title, _w) in COLUMNS.items()}
ID_COL, VALUE_COL, EVIDENCE_COLS, NOTE_COL = COL["input_id"], COL["value"], (COL["evidence_doc"], COL["evidence_link"]), COL["note"]
EXPECTED_COL, PREFILL_COL = COL["expected"], COL["prefill"]
INPUT_COLS = (VALUE_COL, *EVIDENCE_COLS, NOTE_COL)
#: What column A's header says, in any language (a renamed data sheet is found by it).
ID_HEADERS = ("Mã số liệu", "Input id")

COVER_FIELDS = ("AGENCY", "NAME", "POSITION", "PHONE", "EMAIL", "DATE")
#: The words of a yes/no cell, by the template's language.
YES_NO = {"vi": ("Có", "Không"), "en": ("Yes", "No")}
#: The explicit "no data" answer, by the template's language.
NO_DATA_TEXT = {"vi": "Không có số liệu", "en": "No data"}

#: Stamp keys, in order (all values text).
STAMP_KEYS = ("format", "format_version", "catalogue_id", "catalogue_version", "catalogue_sha256", "province_id", "province",
              "unit_id", "unit_name", "unit_kind", "year", "generated_at", "lang", "data_sheet", "input_ids")


def sheet_title(key: str, lang: str) -> str:
    vi, en = SHEETS[key]
    return en if lang == "en" else vi


@functools.lru_cache(maxsize=4096)
def defined_name(input_id: str) -> str:
    """The workbook-level name of an input's value cell: '7.1.a' → 'DTI_7_1_a'."""
    return "DTI_" + re.sub(r"[^0-9A-Za-z_]", "_", input_id)


def cover_name(key: str) -> str:
    return f"DTI_COVER_{key}"


def file_name(unit_id: str, year: int) -> str:
    """The file a unit's workbook is written to: DTI2023_so-tc.xlsx."""
    return f"DTI{year}_{unit_id}.xlsx"


def value_row(ref: str) -> int | None:
    """The row of a defined name's cell when it is in the value column, else None ("$F$12" → 12)."""
    ref = ref.replace("$", "")
    col = "".join(ch for ch in ref if ch.isalpha()).upper()
    digits = "".join(ch for ch in ref if ch.isdigit())
    return int(digits) if col == VALUE_COL and digits else None
