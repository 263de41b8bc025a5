"""Property: whatever is done to one returned workbook, merge never crashes and loses nothing of the others.

Real filled templates are made once; each example copies one of them (the victim), mutates it as
people and programs do (values of every type, rows deleted or moved, sheets deleted or renamed,
stamp keys edited, bytes cut or flipped), and merges it with the untouched files. The library
(run_merge, write_merged_workbook, write_feedback, round_status, read_merged) must not raise,
the victim gets a verdict, and every value of the untouched files arrives with status ok.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers_fill import make_returned_set
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dti_cli import merge
from dti_cli.core.i18n import _
from dti_cli.formats.merged import encode_value, read_merged

# openpyxl warns about what it finds when write_feedback opens a mutated file (the CLI hides that without --debug)
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")

UNTOUCHED = ["so-tttt", "cai-nuoc", "bao-ca-mau"]
VICTIMS = ["so-tc", "u-minh", "cong-ttdt"]  # a department, a district (per-unit inputs, as cai-nuoc), a unit
STAMP_KEYS = ["format", "format_version", "catalogue_id", "catalogue_version", "catalogue_sha256", "province_id", "province",
              "unit_id", "unit_name", "unit_kind", "year", "generated_at", "lang", "data_sheet", "input_ids", "nonsense"]
# Never an untouched unit's id or inputs: a file claiming to be so-tttt, or to answer its inputs, may legitimately
# supersede it or conflict with it (merge's documented rules); that is not a loss.
STAMP_VALUES = ["", "=1+1", "+SUM(1)", "@A1", "x" * 5000, "2022", "2023", "9999", "bac-lieu", "ca-mau", "0" * 64, "dti-template",
                "dti-merged", "1", "2", "vi", "en", "fr", "Dữ liệu", "_dti", "Thông tin", "u-minh", "so-tc", "vp-ubnd", "so-khong-co",
                "4.5.a,4.6.a", "2.8.a,,,", "9.9.z", "2023-99-99T99:99:99", "2023-10-01T00:00:00+00:00", "#REF!", " ", "None"]
TEXTS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32)]))),
                max_size=60)
FORMULA_LIKE = st.sampled_from(['=HYPERLINK("http://x","y")', "+SUM(1)", "-1+2", "@A1", "\tTAB", "=", "-", "+", "==", "=1/0"])
ERROR_TEXTS = st.sampled_from(["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!"])
NUMBERS = st.one_of(
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([-1, -0.0, 0, 1e308, -1e308, 5e-324, 2**53 + 1, 1.5, 100.0, 0.85]),
)
DATES = st.one_of(st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)), st.dates(min_value=date(1900, 3, 1)),
                  st.times())
VALUES = st.one_of(st.none(), TEXTS, FORMULA_LIKE, ERROR_TEXTS, NUMBERS, DATES, st.booleans(),
                   st.sampled_from(["Có", "Không", "Không có số liệu", "1.234,5", "85%", "x", "–", "KCSL", "Bí thư/Chủ tịch tỉnh"]))


@dataclass(frozen=True)
class SetCell:
    row: int  # index among the data rows (wraps around)
    col: str
    value: Any
    as_formula: bool  # text starting with "=" stored as a formula (no cached value), else as text


@dataclass(frozen=True)
class DeleteRows:
    row: int
    amount: int


@dataclass(frozen=True)
class SwapRows:
    a: int
    b: int


@dataclass(frozen=True)
class DeleteSheet:
    which: int


@dataclass(frozen=True)
class RenameSheet:
    which: int
    title: str


@dataclass(frozen=True)
class EditStamp:
    key: str
    value: str | None


@dataclass(frozen=True)
class SetCover:
    key: str
    value: Any


@dataclass(frozen=True)
class Bytes:
    kind: str  # "truncate", "flip", "drop"
    at: float


MUTATION = st.one_of(
    st.builds(SetCell, st.integers(0, 200), st.sampled_from("AFFFGHI"), VALUES, st.booleans()),
    st.builds(DeleteRows, st.integers(0, 200), st.integers(1, 5)),
    st.builds(SwapRows, st.integers(0, 200), st.integers(0, 200)),
    st.builds(DeleteSheet, st.integers(0, 4)),
    st.builds(RenameSheet, st.integers(0, 4), st.text("abcDữliệu_dti ", min_size=1, max_size=31)),
    st.builds(EditStamp, st.sampled_from(STAMP_KEYS), st.one_of(st.none(), st.sampled_from(STAMP_VALUES))),
    st.builds(SetCover, st.sampled_from(["DTI_COVER_NAME", "DTI_COVER_DATE", "DTI_COVER_EMAIL"]), VALUES),
)
BYTES = st.one_of(st.none(), st.builds(Bytes, st.sampled_from(["truncate", "flip", "drop"]), st.floats(0, 1)))


def _store(cell: Any, value: Any, as_formula: bool) -> None:
    cell.value = value
    if isinstance(value, str) and not (as_formula and value.startswith("=")):
        cell.data_type = "s"


def mutate(src: bytes, mutations: list[Any], damage: Bytes | None) -> bytes:
    """Apply the mutations with openpyxl (as a person editing in a spreadsheet), then damage the bytes."""
    wb = load_workbook(io.BytesIO(src))
    stamp = {wb["_dti"].cell(r, 1).value: r for r in range(1, wb["_dti"].max_row + 1)} if "_dti" in wb.sheetnames else {}
    for m in mutations:
        data = wb["Dữ liệu"] if "Dữ liệu" in wb.sheetnames else None
        rows = list(range(5, data.max_row + 1)) if data is not None else []
        if isinstance(m, SetCell) and rows:
            _store(data[f"{m.col}{rows[m.row % len(rows)]}"], m.value, m.as_formula)
        elif isinstance(m, DeleteRows) and rows:
            data.delete_rows(rows[m.row % len(rows)], m.amount)
        elif isinstance(m, SwapRows) and rows:
            a, b = rows[m.a % len(rows)], rows[m.b % len(rows)]
            for c in range(1, 16):
                x, y = data.cell(a, c), data.cell(b, c)
                x.value, y.value = y.value, x.value
        elif isinstance(m, DeleteSheet):
            ws = wb.worksheets[m.which % len(wb.worksheets)]
            if any(o.sheet_state == "visible" for o in wb.worksheets if o is not ws):  # Excel keeps one visible sheet
                wb.remove(ws)
        elif isinstance(m, RenameSheet):
            ws = wb.worksheets[m.which % len(wb.worksheets)]
            if m.title not in wb.sheetnames:
                ws.title = m.title
        elif isinstance(m, EditStamp) and "_dti" in wb.sheetnames:
            st_ws = wb["_dti"]
            r = stamp.get(m.key) or st_ws.max_row + 1
            st_ws.cell(r, 1).value = m.key
            _store(st_ws.cell(r, 2), m.value, False)
        elif isinstance(m, SetCover) and m.key in wb.defined_names:
            dests = list(wb.defined_names[m.key].destinations)
            if dests and dests[0][0] in wb.sheetnames:
                _store(wb[dests[0][0]][dests[0][1].replace("$", "")], m.value, False)
    buf = io.BytesIO()
    wb.save(buf)
    data_bytes = buf.getvalue()
    if damage is None:
        return data_bytes
    if damage.kind == "truncate":
        return data_bytes[: int(len(data_bytes) * damage.at)]
    if damage.kind == "flip":
        b = bytearray(data_bytes)
        i = min(int(len(b) * damage.at), len(b) - 1)
        b[i] ^= 0xFF
        return bytes(b)
    with zipfile.ZipFile(io.BytesIO(data_bytes)) as zin:  # drop one member
        names = zin.namelist()
        drop = names[min(int(len(names) * damage.at), len(names) - 1)]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for n in names:
                if n != drop:
                    zout.writestr(n, zin.read(n))
    return out.getvalue()


class Base(dict):
    """The fixture's data, shown briefly when hypothesis prints a falsifying example."""

    def __repr__(self) -> str:
        return "<base files>"


@pytest.fixture(scope="module")
def base(tmp_path_factory, ctx):
    """The untouched files, the victims' bytes, and what the untouched files alone give (the oracle)."""
    root = tmp_path_factory.mktemp("mutations")
    made = make_returned_set(root, ctx, only=UNTOUCHED + VICTIMS)
    untouched = {u: made[u] for u in UNTOUCHED}
    victims = {u: made[u].read_bytes() for u in VICTIMS}
    alone = merge.run_merge(ctx, list(untouched.values()))
    expected: dict[tuple[str, str], Any] = {}
    for s in alone.submissions:
        assert s.current and s.count("error") == 0, s.name
        for iid, a in s.answers.items():
            if a.status == "ok" and a.asked:
                expected[(s.unit_id, iid)] = encode_value(a.value)
    assert len(expected) > 100
    return Base(untouched=untouched, victims=victims, expected=expected, ctx=ctx)


def check_nothing_lost(ctx: Any, result: merge.MergeResult, untouched: dict[str, Path], expected: dict[tuple[str, str], Any]) -> None:
    data = {r["input_id"]: r for r in result.data}
    units = {(r["input_id"], r["unit_id"]): r for r in result.units}
    subs = {s.name: s for s in result.submissions}
    for uid, p in untouched.items():
        assert subs[p.name].current and subs[p.name].unit_id == uid, (p.name, subs[p.name].verdict)
    lost = []
    for (uid, iid), want in expected.items():
        if ctx.catalogue.inputs[iid].per_unit:
            row = units.get((iid, uid), {})
            got = (row.get("status"), row.get("value"))
        else:
            row = data[iid]
            got = (row["status"], row["value"])
            if row["source_file"] != untouched[uid].name:
                got = ("from " + str(row["source_file"]), got)
        if got != ("ok", want):
            lost.append((uid, iid, want, got))
    assert lost == []


def run_library(ctx: Any, base: dict[str, Any], victim: str, mutations: list[Any], damage: Bytes | None) -> merge.MergeResult:
    with tempfile.TemporaryDirectory() as d:
        dd = Path(d)
        bad = dd / f"DTI2023_{victim}.xlsx"
        bad.write_bytes(mutate(base["victims"][victim], mutations, damage))
        files = [*base["untouched"].values(), bad]
        result = merge.run_merge(ctx, files)
        names = {s.name for s in result.submissions}
        assert bad.name in names
        sub = next(s for s in result.submissions if s.name == bad.name)
        assert sub.verdict in ("accepted", "accepted_with_warnings", "rejected")
        assert sub.verdict != "rejected" or (sub.reason and sub.findings and sub.findings[-1].severity == "error")
        check_nothing_lost(ctx, result, base["untouched"], base["expected"])
        out, _cut = merge.write_merged_workbook(result, dd / "merged.xlsx", ctx=ctx, inputs=files)
        merge.write_feedback(result, dd / "phan_hoi")
        merge.round_status(result)
        m = read_merged(out, ctx.catalogue)  # what was written reads back: same statuses, every usable value
        assert m.statuses == {r["input_id"]: r["status"] for r in result.data}
        assert set(m.values) == {r["input_id"] for r in result.data if r["status"] in ("ok", "no_data")}
        assert m.problems == []
        return result


@settings(max_examples=60, deadline=None, report_multiple_bugs=False, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(victim=st.sampled_from(VICTIMS), mutations=st.lists(MUTATION, min_size=1, max_size=6), damage=BYTES)
def test_one_mutated_file_never_crashes_the_merge_nor_costs_the_others_a_value(base, victim, mutations, damage):
    run_library(base["ctx"], base, victim, mutations, damage)


@settings(max_examples=40, deadline=None, report_multiple_bugs=False, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(victim=st.sampled_from(VICTIMS), cells=st.lists(st.builds(SetCell, st.integers(0, 200), st.sampled_from("FFFGI"), VALUES, st.booleans()),
                                                        min_size=1, max_size=12))
def test_any_typed_value_is_read_or_reported(base, victim, cells):
    """Only values typed (no structural damage): the victim is accepted, every asked input gets a status."""
    result = run_library(base["ctx"], base, victim, cells, None)
    sub = next(s for s in result.submissions if s.name == f"DTI2023_{victim}.xlsx")
    assert sub.current, (sub.verdict, sub.reason)
    assert set(sub.asked) <= set(sub.answers)
    assert {a.status for a in sub.answers.values()} <= {"ok", "no_data", "missing", "invalid"}


@settings(max_examples=5, deadline=None, report_multiple_bugs=False, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(victim=st.sampled_from(VICTIMS), mutations=st.lists(MUTATION, min_size=1, max_size=4), damage=BYTES)
def test_through_the_cli_exit_0_or_1_and_no_traceback(base, victim, mutations, damage):
    from typer.testing import CliRunner

    from dti_cli.cli import app

    with tempfile.TemporaryDirectory() as d:
        dd = Path(d)
        returned = dd / "returned"
        returned.mkdir()
        for p in base["untouched"].values():
            shutil.copyfile(p, returned / p.name)
        (returned / f"DTI2023_{victim}.xlsx").write_bytes(mutate(base["victims"][victim], mutations, damage))
        res = CliRunner().invoke(app, ["merge", str(returned), "-o", str(dd / "merged.xlsx"), "--feedback", str(dd / "fb")],
                                 catch_exceptions=False)
        assert res.exit_code in (0, 1), res.output
        unexpected = _("unexpected {error}: {detail}. Run again with --debug for the details, and report it.").split("{", 1)[0].strip()
        assert "Traceback" not in res.output and unexpected not in res.output, res.output
        assert (dd / "merged.xlsx").exists()
        m = read_merged(dd / "merged.xlsx", base["ctx"].catalogue)
        assert m.values["1.6.a"] is True  # bao-ca-mau's only input
