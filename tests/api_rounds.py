"""Rounds for the API and export tests, made without the template stage.

:func:`returned_workbook` writes a workbook merge accepts as one unit's returned template: the
stamp (``_dti``), and the data sheet with the input ids in column A and the values in the value
column, written as typed (text stays text, numbers numbers) with openpyxl, as Excel would save
them. It is not the template the template stage writes (no cover, lists or formulas): only what
merge reads to recognise a file and find its values. :func:`make_round` writes one per unit with
the bundled sample figures.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dti_cli.formats import template as layout
from dti_cli.methodology.assign import expected_inputs
from dti_cli.methodology.catalogue import data_path


def sample_rows() -> dict[str, dict[str, str]]:
    """unit id → {input id → the value text} of data/samples/values_2023.csv."""
    out: dict[str, dict[str, str]] = {}
    with data_path("samples/values_2023.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["unit_id"], {})[r["input_id"]] = r["value"]
    return out


def returned_workbook(ctx: Any, unit_id: str, values: Mapping[str, Any], path: Path, *, inputs: list[str] | None = None,
                      generated_at: str = "2023-09-01T00:00:00+00:00") -> Path:
    """One unit's returned workbook holding ``values`` (input id → cell value) in the rows of ``inputs`` (default: all it is asked)."""
    from openpyxl import Workbook

    ids = list(inputs if inputs is not None else expected_inputs(ctx)[unit_id])
    title = layout.sheet_title("data", "vi")
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws[f"{layout.ID_COL}{layout.HEADER_ROW}"] = layout.ID_HEADERS[0]
    for row, iid in enumerate(ids, layout.FIRST_ROW):
        ws[f"{layout.ID_COL}{row}"] = iid
        v = values.get(iid)
        if v is not None:
            cell = ws[f"{layout.VALUE_COL}{row}"]
            cell.value = v
            if isinstance(v, str):
                cell.data_type = "s"  # as typed: never a formula, never a number
    cat, prof = ctx.catalogue, ctx.profile
    unit = prof.by_id(unit_id)
    stamp = {"format": layout.FORMAT, "format_version": layout.FORMAT_VERSION, "catalogue_id": cat.id, "catalogue_version": cat.version,
             "catalogue_sha256": cat.sha256, "province_id": prof.id, "province": prof.name, "unit_id": unit_id, "unit_name": unit.name,
             "unit_kind": "district" if unit.kind == "district" else "agency", "year": str(cat.year), "generated_at": generated_at,
             "lang": "vi", "data_sheet": title, "input_ids": ",".join(ids)}
    st = wb.create_sheet(layout.sheet_title("stamp", "vi"))
    for n, (k, v) in enumerate(stamp.items(), 1):
        st[f"A{n}"] = k
        st[f"B{n}"] = v
        st[f"B{n}"].data_type = "s"
    st.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def make_round(ctx: Any, folder: Path, overrides: Mapping[str, Mapping[str, Any]] | None = None) -> Path:
    """Every unit's returned workbook with the sample figures (``overrides``: unit id → {input id → value}) in ``folder``."""
    rows = sample_rows()
    for uid in expected_inputs(ctx):
        values = {**rows.get(uid, {}), **(overrides or {}).get(uid, {})}
        returned_workbook(ctx, uid, values, folder / layout.file_name(uid, ctx.catalogue.year))
    return folder
