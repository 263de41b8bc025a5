"""intake's reader (how dti reads its own workbooks back) and openpyxl read every workbook dti writes to the same cells:
every workbook of the demo round, the same after LibreOffice opened and saved them, and merged workbooks of generated
rounds (hypothesis) written by both engines (XlsxWriter, and the fast engine of large tables)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
from demo_round import demo_round
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dti_cli.intake import open_workbook

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """OOXML's escapes (_x000D_ is a carriage return, _x005F_ an underscore), which openpyxl leaves as they are."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _norm(v: Any) -> Any:
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    return v


def cells_by_intake(path: Path) -> dict[str, dict[tuple[int, int], Any]]:
    wb = open_workbook(path)
    out = {}
    for title in wb.sheet_order:
        sheet = wb.sheets[title]
        if sheet.kind != "worksheet":
            continue  # a chart sheet has no cells (openpyxl lists it apart)
        got = {}
        for r, values in sheet.rows():
            for c, v in enumerate(values, 1):
                if _norm(v) is not None:
                    got[(r, c)] = _norm(v)
        out[title] = got
    return out


def cells_by_openpyxl(path: Path) -> dict[str, dict[tuple[int, int], Any]]:
    wb = openpyxl.load_workbook(path, data_only=True)  # (read-only mode leaves OOXML escapes such as _x000D_ as they are)
    out = {}
    for ws in wb.worksheets:
        got = {}
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            for c, v in enumerate(row, 1):
                if isinstance(v, str):
                    v = _unescape(v)
                if _norm(v) is not None:
                    got[(r, c)] = _norm(v)
        out[ws.title] = got

    return out


def assert_same_cells(path: Path) -> int:
    a, b = cells_by_intake(path), cells_by_openpyxl(path)
    assert list(a) == list(b), path.name
    for title in a:
        if a[title] != b[title]:
            diff = sorted({k for k in a[title].keys() | b[title].keys() if a[title].get(k) != b[title].get(k)})[:5]
            raise AssertionError(f"{path.name}!{title}: " + "; ".join(f"{k}: {a[title].get(k)!r} vs {b[title].get(k)!r}" for k in diff))
    return sum(len(v) for v in a.values())


def _books(folder: Path) -> list[Path]:
    """One workbook of each kind the demo writes (and the returned ones, which openpyxl filled)."""
    return [*sorted((folder / "1-phieu-mau").glob("*.xlsx"))[:3], *sorted((folder / "2-phieu-nhan-ve").glob("*.xlsx"))[:3],
            folder / "merged.xlsx", folder / "scores.xlsx", folder / "bao-cao-dti.xlsx", folder / "ke-hoach.xlsx",
            *sorted((folder / "3-cam-ket").glob("*.xlsx"))[:2]]


def test_every_kind_of_workbook_the_demo_writes_reads_the_same(ctx):
    books = _books(demo_round(ctx))
    assert len(books) == 12
    assert sum(assert_same_cells(p) for p in books) > 5000


def test_the_same_after_libreoffice_saved_them(ctx, soffice, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for k, p in enumerate(_books(demo_round(ctx))):
        shutil.copy(p, src / f"{k:02d}-{p.name}")  # a template and its returned copy share a name
    out = tmp_path / "lo"
    r = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                        "--outdir", str(out), *sorted(map(str, src.glob("*.xlsx")))], capture_output=True, text=True, timeout=600)
    saved = sorted(out.glob("*.xlsx"))
    assert len(saved) == 12, r.stderr[-800:]
    for p in saved:
        assert_same_cells(p)


TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"), max_size=40)
VALUE = st.one_of(st.none(), TEXT, st.integers(-10**12, 10**12), st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))  # a figure; beyond, a cell overflows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(TEXT, VALUE, VALUE, TEXT), min_size=1, max_size=40), fast=st.booleans())
def test_generated_merged_workbooks_read_the_same_by_either_engine(tmp_path_factory, monkeypatch, rows, fast):
    from dti_cli.core import sheetwriter
    from dti_cli.formats.merged import write_merged

    monkeypatch.setattr(sheetwriter, "FAST_FROM", 1 if fast else 10**9)
    data = [{"input_id": f"x.{i}", "indicator": "x", "label": a, "value": b, "unit": "", "status": "ok", "source_agency": d,
             "source_file": "f.xlsx", "sheet": "S", "cell": "F5", "evidence": None if c is None else str(c), "note": d, "sha256": ""}
            for i, (a, b, c, d) in enumerate(rows)]
    path = tmp_path_factory.mktemp("gen") / "merged.xlsx"
    write_merged(path, {"data": data}, {"catalogue_id": "c", "province_id": "p", "year": "2023"})
    assert_same_cells(path)
