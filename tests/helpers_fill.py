"""Make returned workbooks for tests: generate real templates, fill them as an official would, save.

Shared by the merge, status, score/report and benchmark tests::

    from helpers_fill import fill_template, make_returned_set, sample_values

    paths = make_returned_set(tmp_path, ctx)                       # every unit returns the sample figures
    paths = make_returned_set(tmp_path, ctx, only=["so-tttt"])     # one unit returned, the others did not
    fill_template(paths["so-tttt"], {"3.1.a": "1.234,5"}, cover={"name": "Nguyễn Văn A"})

Values are written exactly as given, the way typing or pasting puts them into a cell: a number
stays a number, text stays text (``"1.234,5"``, ``"85%"``, ``"Có"``, ``"Không có số liệu"``),
``None`` empties the cell, and text starting with ``=`` becomes a formula without a cached value
(as a program that does not calculate would save it).
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

_TEMPLATE_CACHE: dict[tuple[str, str, int, str], Path] = {}

COVER_KEYS = ("name", "position", "phone", "email", "date")


def sample_values(ctx: Any = None) -> dict[str, dict[str, tuple[Any, str]]]:
    """The packaged sample figures (data/samples/values_2023.csv): unit id → {input id → (value text, evidence)}."""
    from dti_cli.methodology.catalogue import data_path

    out: dict[str, dict[str, tuple[Any, str]]] = {}
    with open(data_path("samples/values_2023.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["unit_id"], {})[r["input_id"]] = (r["value"], r.get("evidence") or "")
    return out


def template_dir(ctx: Any, *, year: int | None = None, lang: str = "vi") -> Path:
    """Every template of the round, generated once per test session (copy them before filling)."""
    import dti_cli.template
    from dti_cli.methodology.assign import assignments

    write_templates = getattr(dti_cli.template, "write_templates", None)
    if write_templates is None:  # the template stage is being rebuilt (the redesign): tests that need real templates wait for it
        import pytest

        pytest.skip("needs real templates: dti_cli.template.write_templates is not there yet")

    year = year or ctx.catalogue.year
    key = (ctx.catalogue.sha256, ctx.profile.id, year, lang)
    if key not in _TEMPLATE_CACHE:
        d = Path(tempfile.mkdtemp(prefix="dti-templates-"))
        write_templates(ctx, assignments(ctx), d, year=year, lang=lang)
        _TEMPLATE_CACHE[key] = d
    return _TEMPLATE_CACHE[key]


def template_path(ctx: Any, unit_id: str, *, year: int | None = None, lang: str = "vi") -> Path:
    year = year or ctx.catalogue.year
    return template_dir(ctx, year=year, lang=lang) / f"DTI{year}_{unit_id}.xlsx"


def _rows_by_id(ws: Any) -> dict[str, int]:
    rows: dict[str, int] = {}
    for r in range(1, ws.max_row + 1):
        v = ws.cell(r, 1).value
        if isinstance(v, str) and v.strip():
            rows.setdefault(v.strip(), r)
    return rows


def fill_template(path: str | Path, values: Mapping[str, Any], cover: Mapping[str, Any] | None = None, *,
                  evidence: Mapping[str, str] | None = None, notes: Mapping[str, str] | None = None,
                  out: str | Path | None = None) -> Path:
    """Fill a template in place (or into ``out``) as an official would, and save it with openpyxl.

    ``values``: input id → what is typed into the value cell (column F), found by the visible
    input id in column A. ``evidence``: input id → text for column G; ``notes``: → column I.
    ``cover``: name, position, phone, email, date (a ``date`` or text), written to the
    ``DTI_COVER_*`` cells. Unknown input ids raise KeyError (a test mistake, not a user one).
    """
    from openpyxl import load_workbook

    path = Path(path)
    wb = load_workbook(path)
    stamp = {wb["_dti"].cell(r, 1).value: wb["_dti"].cell(r, 2).value for r in range(1, wb["_dti"].max_row + 1)}
    ws = wb[stamp["data_sheet"]]
    rows = _rows_by_id(ws)
    for col, mapping in (("F", values), ("G", evidence or {}), ("I", notes or {})):
        for iid, v in mapping.items():
            if iid not in rows:
                raise KeyError(f"{path.name}: no row for input {iid!r}")
            ws[f"{col}{rows[iid]}"].value = v
    for key, v in (cover or {}).items():
        if key not in COVER_KEYS:
            raise KeyError(f"cover field {key!r}; expected one of {COVER_KEYS}")
        dn = wb.defined_names[f"DTI_COVER_{key.upper()}"]
        (sheet, ref), = list(dn.destinations)
        wb[sheet][ref.replace("$", "")].value = v
    target = Path(out) if out else path
    wb.save(target)
    return target


def make_returned_set(tmpdir: str | Path, ctx: Any, values: Mapping[str, Any] | None = None, *,
                      per_unit: Mapping[str, Mapping[str, Any]] | None = None, only: Iterable[str] | None = None,
                      cover: Mapping[str, Any] | None = None, with_evidence: bool = True, year: int | None = None,
                      lang: str = "vi") -> dict[str, Path]:
    """A folder ``tmpdir/returned`` of filled workbooks, one per unit that returns; unit id → path.

    Each unit's workbook gets the packaged sample figure of every input it was asked for (and
    its evidence, when ``with_evidence``), then ``values`` (input id → raw, for every unit asked
    that input), then ``per_unit[unit_id]`` (input id → raw, for that unit only). ``only``: the
    units that return a file (the others "did not send"); default all. ``cover`` defaults to a
    filled cover (name, position, phone, e-mail, today's date).
    """
    from dti_cli.methodology.assign import assignments

    out = Path(tmpdir) / "returned"
    out.mkdir(parents=True, exist_ok=True)
    samples = sample_values(ctx)
    keep = set(only) if only is not None else None
    cover = dict(cover) if cover is not None else {"name": "Nguyễn Văn A", "position": "Chuyên viên", "phone": "0290 3 000 000",
                                                     "email": "a@camau.gov.vn", "date": date.today()}
    written: dict[str, Path] = {}
    for a in assignments(ctx):
        uid = a.unit.id
        if keep is not None and uid not in keep:
            continue
        asked = [i.id for i in a.inputs]
        mine = samples.get(uid, {})
        vals: dict[str, Any] = {}
        ev: dict[str, str] = {}
        for iid in asked:
            if iid in mine:
                text, evid = mine[iid]
                vals[iid] = _typed(text)
                if with_evidence and evid:
                    ev[iid] = evid
        vals.update({k: v for k, v in (values or {}).items() if k in asked})
        vals.update((per_unit or {}).get(uid, {}))
        dst = out / f"DTI{year or ctx.catalogue.year}_{uid}.xlsx"
        shutil.copyfile(template_path(ctx, uid, year=year, lang=lang), dst)
        fill_template(dst, vals, cover, evidence=ev)
        written[uid] = dst
    return written


def _typed(text: str) -> Any:
    """A sample figure as Excel stores what was typed: numbers as numbers, words as text."""
    try:
        f = float(text)
    except ValueError:
        return text
    return int(f) if f.is_integer() else f


