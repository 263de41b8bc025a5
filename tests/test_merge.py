"""`dti merge` through the CLI on real templates, filled with openpyxl (and LibreOffice), read back."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import uuid
import zipfile
from datetime import date
from pathlib import Path

import pytest
from helpers_fill import fill_template, make_returned_set, template_path
from openpyxl import Workbook, load_workbook

from dti_cli.formats.merged import read_merged, read_rows


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def full_set(tmp_path_factory, ctx):
    """Every unit returns the packaged sample figures (read-only: copy before changing a file)."""
    return make_returned_set(tmp_path_factory.mktemp("full"), ctx)


def merge(invoke, tmp_path, *paths, extra=()):
    out = tmp_path / "merged.xlsx"
    res = invoke("merge", *paths, "-o", out, *extra)
    return res, out


def sheet_rows(path: Path, key: str) -> list[dict]:
    """A sheet of the merged workbook as rows keyed by column key (whatever the language of its titles)."""
    return read_rows(path, key)


def data_row(path: Path, iid: str) -> dict:
    return next(r for r in sheet_rows(path, "data") if r["input_id"] == iid)


def codes(path: Path) -> list[str]:
    return [r["code"] for r in sheet_rows(path, "findings")]


def findings(path: Path) -> list[dict]:
    return sheet_rows(path, "findings")


def one(ctx, tmp_path, uid="so-tttt", values=None, cover=None, evidence=True, name=None) -> Path:
    """A copy of one unit's template, filled with its sample figures and then ``values``."""
    paths = make_returned_set(tmp_path / (name or uid), ctx, values, only=[uid], cover=cover, with_evidence=evidence)
    return paths[uid]


def row_of(path: Path, iid: str) -> int:
    wb = load_workbook(path, read_only=True)
    ws = wb["Dữ liệu"]
    for i, r in enumerate(ws.iter_rows(min_col=1, max_col=1, values_only=True), 1):
        if r[0] == iid:
            wb.close()
            return i
    raise AssertionError(iid)


# ---------------------------------------------------------------------------------------------
# A whole round


def test_full_round_every_value_arrives_with_provenance(invoke, tmp_path, ctx, full_set):
    from helpers_fill import sample_values

    from dti_cli.values import parse_number_text

    before = {p: sha(p) for p in full_set.values()}
    folder = next(iter(full_set.values())).parent
    res, out = merge(invoke, tmp_path, folder)
    assert res.exit_code == 0, res.output
    assert "Đã ghi" in res.output or "đã ghi" in res.output.lower()
    assert {p: sha(p) for p in full_set.values()} == before  # inputs never modified

    m = read_merged(out, ctx.catalogue)
    assert set(m.statuses) == set(ctx.catalogue.inputs)  # one row per input, supplied or not
    samples = sample_values(ctx)
    for uid, vals in samples.items():
        for iid, (text, _) in vals.items():
            if ctx.catalogue.inputs[iid].per_unit or text == "":
                continue
            prov = m.provenance[iid]
            assert m.statuses[iid] == "ok", iid
            assert prov["source_file"] == full_set[uid].name
            assert prov["sha256"] == before[full_set[uid]]
            assert prov["cell"] == f"F{row_of(full_set[uid], iid)}"
            assert prov["sheet"] == "Dữ liệu"
            inp = ctx.catalogue.inputs[iid]
            if inp.type in ("count", "number", "amount"):
                assert m.values[iid] == pytest.approx(parse_number_text(text)), iid
            elif inp.type == "yes_no":
                assert m.values[iid] is (text == "Có"), iid
    assert m.values["1.1.a"] == "chu_tich"
    assert m.provenance["1.2.a"]["evidence"] == samples["so-tttt"]["1.2.a"][1]
    # per-unit input: the sum, and every unit's own figure in Units
    per = {uid: parse_number_text(v["4.5.a"][0]) for uid, v in samples.items() if "4.5.a" in v}
    assert m.values["4.5.a"] == pytest.approx(sum(per.values()))
    units = {r["unit_id"]: r for r in m.units if r["input_id"] == "4.5.a"}
    assert {u: float(r["value"]) for u, r in units.items() if r["value"] is not None} == per
    # every file is in Submissions; References lists what relative rules need
    subs = sheet_rows(out, "submissions")
    assert {r["file"] for r in subs} == {p.name for p in full_set.values()}
    refs = {(r["indicator"], r["key"]) for r in sheet_rows(out, "references")}
    assert ("4.5", "min") in refs and ("4.5", "max") in refs and ("7.10", "best") in refs
    assert sheet_rows(out, "adjustments") == []


def test_parallel_read_is_deterministic(ctx, full_set):
    from dti_cli.merge import consolidate, expect_from, read_submissions

    files = sorted(full_set.values())
    ex = expect_from(ctx)
    seq = consolidate(ctx, read_submissions(files, ex, workers=1))
    par = consolidate(ctx, read_submissions(files, ex, workers=2))
    assert seq.data == par.data
    assert [s.path for s in par.submissions] == [str(f) for f in files]


def test_missing_agency_listed_and_combined_value_incomplete(invoke, tmp_path, ctx):
    paths = make_returned_set(tmp_path, ctx, only=["so-tttt", "so-tc", "cai-nuoc"])
    res, out = merge(invoke, tmp_path, *paths.values())
    assert res.exit_code == 0, res.output  # missing agencies are warnings
    subs = {r["unit_id"]: r for r in sheet_rows(out, "submissions")}
    assert subs["cong-ttdt"]["verdict"] == "not_received"
    assert subs["so-tttt"]["verdict"] == "accepted"
    assert "chưa nộp" in res.output
    found = findings(out)
    assert any(f["code"] == "merge.not_received" and "Cổng Thông tin điện tử tỉnh" in f["message"] for f in found)
    inc = [f for f in found if f["code"] == "merge.incomplete_combined" and f["input"] == "4.5.a"]
    members = len(ctx.profile.members("departments")) + len(ctx.profile.members("districts"))
    assert inc and f"3/{members} đơn vị" in inc[0]["message"]  # so-tttt, so-tc, cai-nuoc
    row = data_row(out, "4.5.a")
    assert row["status"] == "ok"  # decided: the sum of what arrived, with a warning
    assert "THIẾU" in row["note"]
    assert data_row(out, "1.4.a")["status"] == "missing"  # its agency sent nothing


# ---------------------------------------------------------------------------------------------
# Reading what officials type


def test_text_numbers_in_both_habits(invoke, tmp_path, ctx):
    f = one(ctx, tmp_path, values={"3.1.a": "1.234.567", "3.1.b": "1,234,568", "3.2.a": "12 ", "3.2.b": "1\u00a0331"})
    res, out = merge(invoke, tmp_path, f)
    assert res.exit_code == 0, res.output
    m = read_merged(out, ctx.catalogue)
    assert m.values["3.1.a"] == 1234567
    assert m.values["3.1.b"] == 1234568
    assert m.values["3.2.a"] == 12
    assert m.values["3.2.b"] == 1331


def test_yes_no_words_and_no_data_distinct_from_zero(invoke, tmp_path, ctx):
    f = one(ctx, tmp_path, values={"2.1.a": "có", "2.2.a": "x", "2.3.a": "Yes", "2.4.a": "Không", "2.5.a": "No",
                                   "3.4.a": "Không có số liệu", "3.4.b": 0})
    res, out = merge(invoke, tmp_path, f)
    assert res.exit_code == 0, res.output
    m = read_merged(out, ctx.catalogue)
    assert [m.values[i] for i in ("2.1.a", "2.2.a", "2.3.a", "2.4.a", "2.5.a")] == [True, True, True, False, False]
    assert m.statuses["3.4.a"] == "no_data" and data_row(out, "3.4.a")["value"] is None
    assert m.statuses["3.4.b"] == "ok" and m.values["3.4.b"] == 0


def test_invalid_value_is_an_error_but_the_rest_is_written(invoke, tmp_path, ctx):
    f = one(ctx, tmp_path, values={"3.1.a": "khoảng một triệu"})
    res, out = merge(invoke, tmp_path, f)
    assert res.exit_code == 1
    assert out.exists()
    row = data_row(out, "3.1.a")
    assert row["status"] == "invalid" and row["value"] == "khoảng một triệu"
    bad = [r for r in findings(out) if r["input"] == "3.1.a"]
    assert bad and bad[0]["severity"] == "error" and bad[0]["cell"] == f"F{row_of(f, '3.1.a')}"
    assert data_row(out, "3.1.b")["status"] == "ok"


@pytest.mark.parametrize(("values", "code", "iid", "exit_code"), [
    ({"1.3.a": -5}, "value.negative", "1.3.a", 1),
    ({"1.3.a": 2.5}, "value.not_whole", "1.3.a", 1),
    ({"1.3.a": "1.234,5"}, "value.not_whole", "1.3.a", 1),
    ({"3.1.a": 20, "3.1.b": 12}, "merge.part_exceeds_whole", "3.1.a", 1),
    ({"1.3.a": "=2+3"}, "value.formula_no_value", "1.3.a", 1),
    ({"3.1.a": None, "3.1.b": None}, "merge.values_missing", "", 0),
])
def test_value_checks(invoke, tmp_path, ctx, values, code, iid, exit_code):
    f = one(ctx, tmp_path, values=values)
    res, out = merge(invoke, tmp_path, f)
    assert res.exit_code == exit_code, res.output
    found = [r for r in findings(out) if r["code"] == code]
    assert found, codes(out)
    assert (found[0]["input"] or "") == iid
    if exit_code:
        assert code in res.output
        assert data_row(out, iid)["status"] == "invalid"


def test_evidence_missing_for_a_yes(invoke, tmp_path, ctx):
    f = one(ctx, tmp_path, values={"2.1.a": "Có", "2.4.a": "Không"}, evidence=False)
    res, out = merge(invoke, tmp_path, f)
    assert res.exit_code == 0
    ev = {r["input"]: r for r in findings(out) if r["code"] == "merge.evidence_missing"}
    assert "2.1.a" in ev and ev["2.1.a"]["cell"] == f"G{row_of(f, '2.1.a')}"
    assert "2.4.a" not in ev  # a "no" needs no evidence


# ---------------------------------------------------------------------------------------------
# Rows moved, deleted, copied; names and ids


def _swap_rows(path: Path, a: str, b: str) -> None:
    """What a sort does: cell contents move, the defined names stay where they were."""
    wb = load_workbook(path)
    ws = wb["Dữ liệu"]
    rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    ra, rb = rows[a], rows[b]
    for c in range(1, 16):
        x, y = ws.cell(ra, c), ws.cell(rb, c)
        x.value, y.value = y.value, x.value
    wb.save(path)


def test_sorted_rows_found_by_visible_id(invoke, tmp_path, ctx):
    f = one(ctx, tmp_path, values={"3.1.a": 111, "3.1.b": 222})
    ra = row_of(f, "3.1.a")
    _swap_rows(f, "3.1.a", "3.1.b")
    res, out = merge(invoke, tmp_path, f)
    assert res.exit_code == 0, res.output
    m = read_merged(out, ctx.catalogue)
    assert m.values["3.1.a"] == 111 and m.values["3.1.b"] == 222
    assert m.provenance["3.1.b"]["cell"] == f"F{ra}"
    assert [r for r in findings(out) if r["code"] == "sheet.name_mismatch" and r["input"] == "3.1.a"]


def test_deleted_copied_and_foreign_rows(invoke, tmp_path, ctx):
    f = one(ctx, tmp_path)
    wb = load_workbook(f)
    ws = wb["Dữ liệu"]
    rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    ws.delete_rows(rows["3.2.a"])
    last = ws.max_row + 1
    for c, v in zip("AF", ("3.1.a", 999), strict=True):  # the row copied below, with another value
        ws[f"{c}{last}"] = v
    for c, v in zip("AF", ("2.8.a", "Có"), strict=True):  # another agency's input typed in
        ws[f"{c}{last + 1}"] = v
    wb.save(f)
    res, out = merge(invoke, tmp_path, f)
    found = {(r["code"], r["input"]) for r in findings(out)}
    assert ("sheet.row_missing", "3.2.a") in found
    assert ("sheet.row_duplicated", "3.1.a") in found
    assert ("sheet.unexpected_input", "2.8.a") in found
    assert data_row(out, "2.8.a")["status"] == "missing"  # not used: so-tc did not send
    assert data_row(out, "3.2.a")["status"] == "missing"


# ---------------------------------------------------------------------------------------------
# Same unit twice, two units on one input


def test_duplicate_submission_newer_wins(invoke, tmp_path, ctx):
    old = one(ctx, tmp_path, values={"3.1.a": 100}, cover={"date": date(2023, 10, 1)}, name="a")
    new = one(ctx, tmp_path, values={"3.1.a": 200}, cover={"date": date(2023, 10, 5)}, name="b")
    new = new.rename(new.with_name("so tttt gui lai.xlsx"))
    copy = shutil.copyfile(new, tmp_path / "ban sao.xlsx")  # the very same file sent twice
    res, out = merge(invoke, tmp_path, old, new, copy)
    assert res.exit_code == 0, res.output
    assert read_merged(out, ctx.catalogue).values["3.1.a"] == 200
    subs = {r["file"]: r for r in sheet_rows(out, "submissions")}
    assert subs[old.name]["verdict"] == "superseded"
    assert subs[old.name]["superseded_by"] in (new.name, copy.name)
    assert sum(1 for r in subs.values() if r["verdict"] == "superseded") == 2
    dup = [r for r in findings(out) if r["code"] in ("merge.superseded", "merge.duplicate_copy")]
    assert {r["file"] for r in dup} >= {old.name}
    assert any(r["code"] == "merge.duplicate_copy" for r in dup)


def test_two_units_giving_one_input_different_values_is_a_conflict(tmp_path, ctx):
    """Assignments give an input to one unit; a profile that assigns it to two gets a conflict, neither value used."""
    from dti_cli.merge.consolidate import consolidate
    from dti_cli.merge.submission import expect_from
    from dti_cli.merge.workers import read_submissions
    from dti_cli.methodology.assign import expected_inputs

    paths = make_returned_set(tmp_path, ctx, only=["so-tttt", "vp-ubnd"])
    fill_template(paths["so-tttt"], {"3.1.a": 100})
    # vp-ubnd's workbook asks nothing of 3.1.a: a row typed at the end, and a stamp that says it was asked
    ex = expect_from(ctx)
    expected = expected_inputs(ctx)
    expected["vp-ubnd"] = [*expected["vp-ubnd"], "3.1.a"]
    ex = type(ex)(**{**ex.__dict__, "assigned": {**ex.assigned, "vp-ubnd": frozenset(expected["vp-ubnd"])}})
    wb = load_workbook(paths["vp-ubnd"])
    ws = wb["Dữ liệu"]
    ws.cell(ws.max_row + 1, 1).value = "3.1.a"
    ws.cell(ws.max_row, 6).value = 150
    st = wb["_dti"]
    for r in range(1, st.max_row + 1):
        if st.cell(r, 1).value == "input_ids":
            st.cell(r, 2).value += ",3.1.a"
    wb.save(paths["vp-ubnd"])
    result = consolidate(ctx, read_submissions(sorted(paths.values()), ex), expected=expected)
    row = next(r for r in result.data if r["input_id"] == "3.1.a")
    assert row["status"] == "conflict" and row["value"] is None
    assert sorted(float(u["value"]) for u in result.units if u["input_id"] == "3.1.a") == [100, 150]
    conflict = [f for f in result.findings if f.code == "merge.conflict"]
    assert conflict and conflict[0].input == "3.1.a" and "Văn phòng UBND tỉnh" in conflict[0].message


# ---------------------------------------------------------------------------------------------
# Files that are not what they should be


def _edit_stamp(path: Path, key: str, value: str | None) -> None:
    wb = load_workbook(path)
    st = wb["_dti"]
    for r in range(1, st.max_row + 1):
        if st.cell(r, 1).value == key:
            st.cell(r, 2).value = value
    wb.save(path)


def test_a_workbook_of_an_earlier_edit_of_the_same_methodology_is_read_with_a_warning(invoke, tmp_path, ctx):
    """The catalogue file edited since the templates went out (a translation, a note), its id and version unchanged:
    the workbooks already with the agencies are still read, every value checked against the file in use."""
    bad = one(ctx, tmp_path, uid="so-tttt")
    _edit_stamp(bad, "catalogue_sha256", "0" * 64)
    res, out = merge(invoke, tmp_path, bad)
    assert res.exit_code == 0, res.output
    subs = {r["file"]: r for r in sheet_rows(out, "submissions")}
    assert subs[bad.name]["verdict"] == "accepted_with_warnings"
    f = [r for r in findings(out) if r["code"] == "stamp.catalogue_edited"]
    assert f and f[0]["file"] == bad.name and f[0]["severity"] == "warning"
    assert data_row(out, "1.1.a")["status"] == "ok" and data_row(out, "1.1.a")["source_file"] == bad.name


@pytest.mark.parametrize(("key", "value", "code"), [
    ("format_version", "2", "stamp.version"),
    ("catalogue_version", "2022.9", "stamp.catalogue"),
    ("catalogue_id", "dti-province-2022", "stamp.catalogue"),
    ("province_id", "bac-lieu", "stamp.province"),
    ("year", "2022", "stamp.year"),
    ("unit_id", "so-khong-co", "stamp.unit"),
    ("format", "something-else", "stamp.not_dti"),
])
def test_stamp_mismatch_rejects_the_file_and_not_the_others(invoke, tmp_path, ctx, key, value, code):
    good = one(ctx, tmp_path, uid="bao-ca-mau")
    bad = one(ctx, tmp_path, uid="so-tttt")
    _edit_stamp(bad, key, value)
    res, out = merge(invoke, tmp_path, good, bad)
    assert res.exit_code == 1
    assert code in res.output and bad.name in res.output
    subs = {r["file"]: r for r in sheet_rows(out, "submissions")}
    assert subs[bad.name]["verdict"] == "rejected"
    assert subs[good.name]["verdict"] == "accepted"
    f = [r for r in findings(out) if r["code"] == code]
    assert f and f[0]["file"] == bad.name and f[0]["severity"] == "error"
    assert data_row(out, "1.6.a")["status"] == "ok"


def test_not_a_template_unreadable_and_crashing_files(invoke, tmp_path, ctx, monkeypatch):
    good = one(ctx, tmp_path, uid="bao-ca-mau")
    plain = tmp_path / "bang tinh.xlsx"
    Workbook().save(plain)
    junk = tmp_path / "hong.xlsx"
    junk.write_bytes(b"this is not a workbook at all" * 10)
    res, out = merge(invoke, tmp_path, good, plain, junk)
    assert res.exit_code == 1
    found = {r["file"]: r for r in findings(out) if r["severity"] == "error"}
    assert found[plain.name]["code"] == "stamp.not_dti"
    assert found[junk.name]["code"].startswith("file.")  # intake's own stable code

    import dti_cli.intake

    real = dti_cli.intake.open_workbook

    def boom(path, *a, **k):
        if Path(path).name == plain.name:
            raise RuntimeError("reader crashed")
        return real(path, *a, **k)

    monkeypatch.setattr(dti_cli.intake, "open_workbook", boom)  # merge's reader imports it when it reads
    res = invoke("merge", good, plain, "-o", tmp_path / "m2.xlsx")
    assert res.exit_code == 1
    rows = findings(tmp_path / "m2.xlsx")
    crash = [r for r in rows if r["code"] == "file.read_failed"]
    assert crash and "RuntimeError" in crash[0]["message"]
    assert "Traceback" not in res.output


def test_data_sheet_deleted(invoke, tmp_path, ctx):
    f = one(ctx, tmp_path, uid="bao-ca-mau")
    wb = load_workbook(f)
    wb.remove(wb["Dữ liệu"])
    for n in [n for n in wb.defined_names if n.startswith("DTI_") and not n.startswith("DTI_COVER")]:
        del wb.defined_names[n]
    wb.save(f)
    res, out = merge(invoke, tmp_path, f)
    assert res.exit_code == 1
    assert "sheet.data_missing" in codes(out)


# ---------------------------------------------------------------------------------------------
# Outputs


def test_output_safety_and_usage_errors(invoke, tmp_path, ctx):
    f = one(ctx, tmp_path, uid="bao-ca-mau")
    res = invoke("merge", f, "-o", f, "--force")
    assert res.exit_code == 1 and "tệp đầu vào" in res.output.lower()
    res = invoke("merge", tmp_path / "khong-co.xlsx", "-o", tmp_path / "m.xlsx")
    assert res.exit_code == 2 and "khong-co.xlsx" in res.output
    res, out = merge(invoke, tmp_path, f)
    assert res.exit_code == 0
    res = invoke("merge", f, "-o", out)
    assert res.exit_code == 1 and "--force" in res.output
    assert invoke("merge", f, "-o", out, "--force").exit_code == 0


def test_strict_writes_nothing_on_error(invoke, tmp_path, ctx):
    f = one(ctx, tmp_path, values={"1.3.a": -1})
    res, out = merge(invoke, tmp_path, f, extra=("--strict",))
    assert res.exit_code == 1
    assert not out.exists()
    assert "--strict" in res.output


def test_feedback_copies_named_by_unit(invoke, tmp_path, ctx):
    f = one(ctx, tmp_path, values={"1.3.a": -1, "3.1.a": None})
    f = f.rename(f.with_name("ban cuoi cung (2).xlsx"))
    before = sha(f)
    fb = tmp_path / "phan_hoi"
    res, out = merge(invoke, tmp_path, f, extra=("--feedback", fb))
    assert res.exit_code == 1
    assert sha(f) == before
    copy = fb / "so-tttt_phan_hoi.xlsx"
    assert copy.exists() and len(list(fb.iterdir())) == 1
    wb = load_workbook(copy)
    first = wb.sheetnames[0]
    assert first == "Phản hồi"
    assert "value.negative" in [c.value for c in wb[first]["F"]]
    ws = wb[first]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows
    cell = wb["Dữ liệu"][f"F{row_of(f, '1.3.a')}"]
    assert cell.comment is not None and "âm" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert wb["Dữ liệu"][f"F{row_of(f, '3.1.a')}"].comment is not None  # an empty cell asked for


def test_help_has_example(invoke):
    for cmd in ("merge", "status"):
        res = invoke(cmd, "--help")
        assert res.exit_code == 0 and "Ví dụ:" in res.output
        res = invoke("--lang", "en", cmd, "--help")
        assert res.exit_code == 0 and "Example:" in res.output


# ---------------------------------------------------------------------------------------------
# A catalogue with percent and "requires" inputs


@pytest.fixture(scope="module")
def custom(tmp_path_factory):
    from dti_cli.methodology.catalogue import data_path
    from dti_cli.methodology.context import load_context

    text = data_path("catalogue_2023.toml").read_text(encoding="utf-8")
    old_a = 'id = "1.3.a"\nlabel_vi = "Số lượng văn bản chỉ đạo chuyên đề về chuyển đổi số do người đứng đầu Tỉnh, thành phố (Chủ tịch Tỉnh, thành phố) ký"\nlabel_en = "Thematic DX directives signed by the Chairman"\ntype = "count"\nunit = "văn bản"'
    old_b = 'unit = "tin, bài"\n'
    assert old_a in text and text.count(old_b) == 1
    text = text.replace(old_a, old_a.replace('type = "count"\nunit = "văn bản"', 'type = "percent"\nunit = "%"')).replace(old_b, old_b + 'requires = "1.5.a"\n')
    d = tmp_path_factory.mktemp("cat")
    p = d / "catalogue_custom.toml"
    p.write_text(text, encoding="utf-8")
    return p, load_context(catalogue=p)


def test_percent_range_and_requires(invoke, tmp_path, custom):
    path, cctx = custom
    files = make_returned_set(tmp_path, cctx, {"1.3.a": "150%", "1.5.a": "Không", "1.5.b": 12}, only=["so-tttt", "cong-ttdt"])
    out = tmp_path / "m.xlsx"
    res = invoke("--catalogue", path, "merge", *files.values(), "-o", out)
    assert res.exit_code == 1, res.output
    found = {(r["code"], r["input"]) for r in findings(out)}
    assert ("value.percent_range", "1.3.a") in found
    assert ("merge.requires_unmet", "1.5.b") in found


# ---------------------------------------------------------------------------------------------
# LibreOffice


@pytest.mark.libreoffice
def test_libreoffice_round_trip(invoke, tmp_path, ctx, soffice):
    f = one(ctx, tmp_path, values={"3.1.a": "1.034.567", "2.1.a": "Có", "3.4.a": "Không có số liệu"})
    lo = tmp_path / "lo"
    lo.mkdir()
    profile = f"file:///tmp/dti-lo-{uuid.uuid4().hex}"
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                    "--outdir", str(lo), str(f)], check=True, timeout=120, capture_output=True)
    saved = lo / f.name
    assert zipfile.is_zipfile(saved)
    res, out = merge(invoke, tmp_path, saved)
    assert res.exit_code == 0, res.output
    m = read_merged(out, ctx.catalogue)
    assert m.values["3.1.a"] == 1034567
    assert m.values["2.1.a"] is True
    assert m.statuses["3.4.a"] == "no_data"
    assert m.provenance["3.1.a"]["source_file"] == f.name


def test_template_path_helper(ctx):
    assert template_path(ctx, "so-tttt").exists()
