"""The hidden ``_dti`` sheet every workbook dti writes carries: which format, version, round and unit.

Key in column A, value in column B, one per row, all text. One reader for every format
(templates, merged workbooks, scores files, commitment workbooks).
"""

from __future__ import annotations

from typing import Any

from ..core.text import text_of

SHEET = "_dti"


def read_stamp(raw: Any) -> dict[str, str] | None:
    """The stamp of a workbook opened by intake (``RawWorkbook``) as a dict; None when it has none."""
    if SHEET not in raw.sheets:
        return None
    sheet = raw.sheets[SHEET]
    stamp: dict[str, str] = {}
    for _n, values in sheet.rows():
        if values and values[0] is not None and str(values[0]).strip():
            stamp[str(values[0]).strip()] = text_of(values[1]) if len(values) > 1 else ""
    return stamp


def stamp_kind(path: Any) -> str:
    """The ``format`` a workbook's stamp declares ('dti-template', 'dti-merged', 'dti-scores'…), '' without one.

    The file may be an agency's returned template, so it is opened the way merge opens one
    (intake: zip and size checks, entities refused); a file intake refuses raises its IntakeError.
    Only the stamp sheet is parsed (a lazy open): whoever then uses the file opens it in full,
    with every check, so the other sheets are not parsed twice.
    """
    from ..intake import open_workbook

    return (read_stamp(open_workbook(path, lazy=True)) or {}).get("format", "")
