"""dti_cli.xlsx writes the merged workbook as openpyxl does: the same parts, byte for byte."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dti_cli import merged
from dti_cli.values import ErrorValue

#: docProps name the program and the time of writing; everything else must be identical.
SAME_PARTS_EXCEPT = {"docProps/app.xml", "docProps/core.xml"}

TRICKY = [
    "", " ", "  ", " lề trái", "lề phải ", "\tđầu tab", "a & b < c > d", '"quoted" \'x\'', "=HYPERLINK(\"http://x\",\"y\")", "+SUM(1)",
    "-1+2", "@A1", "dòng 1\ndòng 2", "ctl\x01char\x1f", "\x00", "emoji 🎉 và chữ Việt", "]]>", "_x0041_", "x" * 40_000,
    0, 1, -1, 0.0, -0.0, 1.0, 2**53 + 1, 10**20, 0.1, 1 / 3, 1e-300, 1.5e300, float("nan"), float("inf"), True, False, None, ErrorValue("#DIV/0!"),
]


def _write_both(tmp: Path, sheets: dict, stamp: dict) -> tuple[Path, Path]:
    fast, ref = tmp / "fast.xlsx", tmp / "openpyxl.xlsx"
    merged.write_merged(fast, sheets, stamp)
    merged._write_merged_openpyxl(ref, sheets, merged._full_stamp(stamp))
    return fast, ref


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _assert_same(fast: Path, ref: Path) -> None:
    a, b = _parts(fast), _parts(ref)
    assert sorted(a) == sorted(b)
    for name in a:
        if name in SAME_PARTS_EXCEPT:
            continue
        if name == "xl/worksheets/sheet7.xml":  # the stamp holds generated_at, to the second
            a[name], b[name] = (x.split(b"generated_at", 1)[0] for x in (a[name], b[name]))
        assert a[name] == b[name], name


def _rows(values: list) -> dict[str, list[dict]]:
    data = []
    for i, v in enumerate(values):
        data.append({"input_id": f"1.{i}.a", "indicator": "1.1", "label": v if isinstance(v, str) else "nhãn", "value": v, "status": "ok",
                     "note": v if isinstance(v, str) else None, "source_file": "tệp.xlsx"})
    return {"Data": data, "Units": [{"input_id": "4.5.a", "unit_id": "u", "value": v} for v in values], "Findings": [],
            "References": [{"indicator": "6.1", "key": "min", "value": None, "source": ""}]}


def test_tricky_values_are_written_exactly_as_openpyxl_writes_them(tmp_path):
    sheets = _rows(TRICKY)
    fast, ref = _write_both(tmp_path, sheets, {"catalogue_id": "c & <d>", "year": "2023"})
    _assert_same(fast, ref)
    wb = load_workbook(fast)
    ws = wb["Data"]
    assert [c.value for c in ws[1]] == merged.SHEETS["Data"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:M{len(TRICKY) + 1}"
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert wb["_dti"].sheet_state == "hidden" and wb["_dti"]["B1"].value == "dti-merged"
    formula = next(c for c in ws["D"] if c.value == "=HYPERLINK(\"http://x\",\"y\")")
    assert formula.data_type == "s"
    assert wb["Adjustments"].auto_filter.ref is None


def test_an_empty_merge_and_a_real_one_are_written_as_openpyxl_writes_them(tmp_path, ctx):
    from helpers_fill import make_returned_set

    from dti_cli.merge import run_merge, sheets_of

    _assert_same(*_write_both(tmp_path, {}, {}))
    files = list(make_returned_set(tmp_path / "r", ctx, only=["so-tttt", "bao-ca-mau", "cai-nuoc"]).values())
    result = run_merge(ctx, files, workers=1)
    (tmp_path / "real").mkdir()
    _assert_same(*_write_both(tmp_path / "real", sheets_of(result), result.stamp))


def test_a_value_the_fast_writer_does_not_know_goes_through_openpyxl(tmp_path):
    when = dt.datetime(2023, 10, 15, 8, 30)
    merged.write_merged(tmp_path / "m.xlsx", {"Adjustments": [{"input_id": "1.1.a", "new_value": 3, "date": when}]}, {})
    ws = load_workbook(tmp_path / "m.xlsx")["Adjustments"]
    assert ws["E2"].value == when and ws["C2"].value is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.booleans(), st.none()), max_size=12))
def test_any_plain_values_are_written_as_openpyxl_writes_them(tmp_path, values):
    try:
        _assert_same(*_write_both(tmp_path, _rows(values), {"year": "2023"}))
    except UnicodeEncodeError:  # lone surrogates: neither writer can store them
        with pytest.raises(UnicodeEncodeError):
            merged.write_merged(tmp_path / "x.xlsx", _rows(values), {})
