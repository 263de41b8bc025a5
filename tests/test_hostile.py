"""Issue 7 at the level of the whole program: damaged and hostile workbooks merged with good ones.

One ``dti merge`` run takes the whole bad-file corpus (tests/badfiles.py) and the damaged templates
built here, together with real filled templates. Each bad file must get its verdict and reason
(Submissions and Findings), the good files must arrive whole, nothing may crash or print a
traceback, and the cost of a hostile file is bounded by intake's limits, not by a clock.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import badfiles
import pytest
from helpers_fill import _typed, make_returned_set, sample_values, template_path
from openpyxl import load_workbook

from dti_cli import intake
from dti_cli import merge as merge_mod
from dti_cli.core.i18n import _
from dti_cli.formats import merged as merged_fmt
from dti_cli.intake import zipread
from dti_cli.merge import workers

#: Units whose filled templates go in unchanged, under their usual names.
GOOD = ["so-tttt", "so-tc", "bao-ca-mau", "cai-nuoc"]
#: Good files with something odd about them that must still be read whole: unit → (file name, what).
ODD_NAME = "=1+2 [red]so-ct\x01.xlsx"
ACCEPTED_ODD = {
    "so-khdt": "DTI2023_so-khdt.XLSX",
    "so-ldtbxh": "DTI2023_so-ldtbxh",  # the extension lost (an e-mail attachment saved as is)
    "so-ct": ODD_NAME,  # a formula, rich markup and a control character in the file name
    "so-gddt": "data_sheet_renamed.xlsx",
    "cong-ttdt": "long_note.xlsx",
}
LONG_NOTE = "ghi chú rất dài " * 2047  # near 32,767 characters, Excel's limit for one cell

#: Damaged templates: name → expected code. Built by _build_extra.
EXTRA_REJECTED = {
    "stamp_province": "stamp.province",
    "stamp_year": "stamp.year",
    "stamp_catalogue_version": "stamp.catalogue",
    "stamp_catalogue_id": "stamp.catalogue",
    "stamp_format_version": "stamp.version",
    "stamp_unit_formula": "stamp.unit",
    "stamp_emptied": "stamp.not_dti",
    "stamp_sheet_deleted": "stamp.not_dti",
    "stamp_sheet_renamed": "stamp.not_dti",
    "data_sheet_deleted": "sheet.data_missing",
    "merged_workbook_sent_back": "stamp.not_dti",
    "too_many_cells_across_sheets": "file.too_many_cells",  # intake's own code
}
#: The words of dti's own "this is a bug" message, in the run's language (never shown for a hostile file).
UNEXPECTED = _("unexpected {error}: {detail}. Run again with --debug for the details, and report it.").split("{", 1)[0].strip()


def _reason(code: str) -> str:
    """A refusal's reason in the submissions sheet: intake's codes name the exception that carried them."""
    return f"{code} (IntakeError)" if code.startswith(("file.", "xml.")) else code
#: The corpus limits, with a total over all sheets small enough for a fast test.
HOSTILE_LIMITS = dataclasses.replace(badfiles.CORPUS_LIMITS, max_total_cells=200_000)
DIRECTORY_REFUSED = ("bomb_ratio", "bomb_declared_huge", "too_many_members", "ods_bomb")


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _edit_stamp(path: Path, edits: dict[str, str | None]) -> None:
    wb = load_workbook(path)
    st = wb["_dti"]
    for r in range(1, st.max_row + 1):
        key = st.cell(r, 1).value
        if key in edits or "*" in edits:
            st.cell(r, 2).value = edits.get(key, edits.get("*"))
            st.cell(r, 2).data_type = "s"
    wb.save(path)


def _build_extra(bad: Path, ctx: Any) -> dict[str, Path]:
    """Real templates, filled, then damaged the way people and programs damage them."""
    from dti_cli.formats.merged import write_merged

    base = make_returned_set(bad / "src", ctx, only=["vp-ubnd"])["vp-ubnd"]
    out: dict[str, Path] = {}

    def copy(name: str) -> Path:
        p = bad / f"{name}.xlsx"
        shutil.copyfile(base, p)
        out[name] = p
        return p

    stamp_edits = {
        "stamp_province": {"province_id": "bac-lieu", "province": "Bạc Liêu"},
        "stamp_year": {"year": "2022"},
        "stamp_catalogue_version": {"catalogue_version": "2022.9", "catalogue_sha256": "0" * 64},
        "stamp_catalogue_id": {"catalogue_id": "dti-2022"},
        "stamp_format_version": {"format_version": "2"},
        "stamp_unit_formula": {"unit_id": '=HYPERLINK("http://x.example","y")'},
        "stamp_emptied": {"*": None},
    }
    for name, edits in stamp_edits.items():
        _edit_stamp(copy(name), edits)
    wb = load_workbook(copy("stamp_sheet_deleted"))
    wb.remove(wb["_dti"])
    wb.save(out["stamp_sheet_deleted"])
    wb = load_workbook(copy("stamp_sheet_renamed"))
    wb["_dti"].title = "dti"
    wb.save(out["stamp_sheet_renamed"])
    wb = load_workbook(copy("data_sheet_deleted"))
    wb.remove(wb["Dữ liệu"])  # the input names are left pointing at the deleted sheet
    wb.save(out["data_sheet_deleted"])
    p = bad / "merged_workbook_sent_back.xlsx"
    write_merged(p, {"data": []}, {"catalogue_id": ctx.catalogue.id, "province_id": ctx.profile.id, "year": "2023"})
    out["merged_workbook_sent_back"] = p
    # each sheet under the per-sheet limit, together over the total (digits vary: no compression-ratio refusal)
    rng = random.Random(3)
    body = "".join("<row>" + "".join(f"<c><v>{rng.randrange(10)}</v></c>" for _ in range(1000)) + "</row>" for _ in range(90))
    assert HOSTILE_LIMITS.max_cells > 90_000 and HOSTILE_LIMITS.max_total_cells < 5 * 90_000
    out["too_many_cells_across_sheets"] = badfiles.write_xlsx(bad / "too_many_cells_across_sheets.xlsx", {f"S{i}": body for i in range(5)})
    shutil.rmtree(bad / "src")
    return out


def _build_odd(returned: Path, ctx: Any) -> dict[str, Path]:
    """Good files for other units, each odd in one way that must not cost a value."""
    made = make_returned_set(returned.parent / "odd", ctx, only=list(ACCEPTED_ODD))
    out: dict[str, Path] = {}
    for uid, name in ACCEPTED_ODD.items():
        p = returned / name
        shutil.copyfile(made[uid], p)
        out[uid] = p
    wb = load_workbook(out["so-gddt"])  # renamed as Excel does it: the input names follow the sheet
    wb["Dữ liệu"].title = "So lieu"
    for dn in wb.defined_names.values():
        dn.attr_text = dn.attr_text.replace("'Dữ liệu'!", "'So lieu'!")
    wb.save(out["so-gddt"])
    wb = load_workbook(out["cong-ttdt"])
    ws = wb["Dữ liệu"]
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "1.5.a")
    ws.cell(row, 9).value = LONG_NOTE
    wb.save(out["cong-ttdt"])
    blank = returned / "DTI2023_so-yt.xlsx"  # sent back without filling anything
    shutil.copyfile(template_path(ctx, "so-yt"), blank)
    out["so-yt"] = blank
    shutil.rmtree(returned.parent / "odd")
    return out


def _corpus_names() -> list[str]:
    with tempfile.TemporaryDirectory() as d:
        valid = badfiles.build_valid(Path(d) / "valid.xlsx")
        return [c.name for c in badfiles.build_corpus(Path(d) / "bad", valid)]


CORPUS_NAMES = _corpus_names()


@pytest.fixture(scope="module")
def hostile_round(tmp_path_factory, ctx):
    """One `dti merge returned/ bad/*` run (--feedback too), with spies on what the bad files cost."""
    from typer.testing import CliRunner

    from dti_cli.cli import app

    root = tmp_path_factory.mktemp("hostile")
    good = make_returned_set(root, ctx, only=GOOD)  # root/returned/DTI2023_<unit>.xlsx
    returned = root / "returned"
    (returned / "~$DTI2023_so-tc.xlsx").write_bytes(b"\x0bNguyen Van A" + b" " * 40 + b"\x00" * 100)  # Excel's lock file
    odd = _build_odd(returned, ctx)
    bad = root / "bad"
    valid = badfiles.build_valid(root / "valid" / "valid.xlsx")
    cases = {c.name: c for c in badfiles.build_corpus(bad, valid)}
    extra = _build_extra(bad, ctx)
    bad_files = sorted(p for p in bad.iterdir() if p.is_file())  # as the shell expands bad/*
    before = {p: _sha(p) for p in [*returned.iterdir(), *bad_files]}

    decompressed: dict[str, int] = {}
    opened_by_openpyxl: list[str] = []
    real_open = intake.open_workbook
    real_chunks = zipread._Zip.chunks
    import openpyxl

    real_load = openpyxl.load_workbook

    def counting_chunks(self, name, size=1 << 16):
        for piece in real_chunks(self, name, size):
            decompressed[self.p.name] = decompressed.get(self.p.name, 0) + len(piece)
            yield piece

    def spy_load(path, *a, **k):
        opened_by_openpyxl.append(Path(path).name)
        return real_load(path, *a, **k)

    out, fb = root / "merged.xlsx", root / "phan_hoi"
    with pytest.MonkeyPatch.context() as mp:
        # The corpus is sized for CORPUS_LIMITS (small, fast); serial reading keeps the spies in this process.
        mp.setattr(intake, "open_workbook", lambda p, limits=HOSTILE_LIMITS, **kw: real_open(p, limits, **kw))
        mp.setattr(zipread._Zip, "chunks", counting_chunks)
        mp.setattr(openpyxl, "load_workbook", spy_load)
        mp.setattr(workers, "PARALLEL_FROM", 10_000)
        result = CliRunner().invoke(app, ["merge", str(returned), *map(str, bad_files), "-o", str(out), "--feedback", str(fb)],
                                    catch_exceptions=False)
    wb = load_workbook(out)
    rows = {key: _rows(wb[_title(key)], key) for key in merged_fmt.SHEETS if _title(key) in wb.sheetnames}
    return {
        "result": result, "out": out, "fb": fb, "wb": wb, "rows": rows, "cases": cases, "extra": extra, "good": good, "odd": odd,
        "bad_files": bad_files, "before": before, "decompressed": decompressed, "opened_by_openpyxl": opened_by_openpyxl,
        "returned": returned,
    }


def _title(key: str) -> str:
    """A sheet of the merged workbook, as this run titles it."""
    return _(merged_fmt.SHEETS[key][0])


def _rows(ws, key: str) -> list[dict[str, Any]]:
    """A sheet of the merged workbook as dicts keyed by column key; statuses, verdicts and severities back to their keys."""
    from dti_cli.core.i18n import variants

    keys = {v: col for col, head, _kind in merged_fmt.SHEETS[key][1] for v in variants(head)}
    words = {"status": merged_fmt.STATUS, "verdict": merged_fmt.VERDICT, "severity": merged_fmt.SEVERITY}
    it = ws.iter_rows(values_only=True)
    head = [keys.get(h, h) for h in next(it)]
    out = []
    for r in it:
        d = dict(zip(head, r, strict=False))
        for col, table in words.items():
            if col in d:
                d[col] = merged_fmt.key_of(table, d[col]) or d[col]
        out.append(d)
    return out


def _shown(path: Path) -> str:
    """A file name as an .xlsx cell can hold it (control characters as U+FFFD)."""
    return path.name.replace("\x01", "\ufffd")


def _submission(h: dict[str, Any], file: str) -> dict[str, Any]:
    found = [r for r in h["rows"]["submissions"] if r["file"] == file]
    assert len(found) == 1, f"{file}: {len(found)} rows in Submissions"
    return found[0]


def _output_lines(h: dict[str, Any], name: str) -> list[str]:
    return [line for line in h["result"].output.splitlines() if name in line]


# ---------------------------------------------------------------------------------------------
# The run as a whole


def test_the_run_ends_with_exit_1_a_written_workbook_and_no_traceback(hostile_round):
    h = hostile_round
    res = h["result"]
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and UNEXPECTED not in res.output
    assert f"Đã ghi {h['out']}" in res.output.replace("\n", "")
    assert len(CORPUS_NAMES) + len(EXTRA_REJECTED) >= 40
    # every file given has exactly one verdict; nothing else does
    listed = [r["file"] for r in h["rows"]["submissions"] if r["file"] and r["verdict"] != "skipped"]
    given = [_shown(p) for p in [*h["bad_files"], *h["good"].values(), *h["odd"].values()]]
    assert sorted(listed) == sorted(given) and len(set(listed)) == len(listed)
    # inputs untouched
    assert {p: _sha(p) for p in h["before"]} == h["before"]


def test_good_files_arrive_whole_with_their_provenance(hostile_round, ctx):
    from dti_cli.formats.merged import encode_value
    from dti_cli.values import parse_value

    h = hostile_round
    data = {r["input_id"]: r for r in h["rows"]["data"]}
    units = {(r["input_id"], r["unit_id"]): r for r in h["rows"]["units"]}
    samples = sample_values(ctx)
    files = {**h["good"], **{u: p for u, p in h["odd"].items() if u != "so-yt"}}
    checked = 0
    for uid, path in files.items():
        sub = _submission(h, _shown(path))
        assert sub["verdict"] in ("accepted", "accepted_with_warnings") and sub["errors"] == 0 and sub["unit_id"] == uid, sub
        for iid, (text, evidence) in samples[uid].items():
            if text == "":
                continue
            inp = ctx.catalogue.inputs[iid]
            parsed = parse_value(_typed(text), inp)
            assert parsed.ok and parsed.value is not None, (iid, text)
            want = encode_value(parsed.value)
            if inp.per_unit:
                row = units[(iid, uid)]
                assert (row["status"], row["value"]) == ("ok", want), (uid, iid, row)
            else:
                row = data[iid]
                assert (row["status"], row["value"]) == ("ok", want), (uid, iid, row)
                assert row["source_file"] == _shown(path) and row["sha256"] == _sha(path)
                assert (row["evidence"] or "") == evidence
            checked += 1
    assert checked > 150


def test_a_lock_file_beside_the_real_one_is_skipped_in_a_folder(hostile_round):
    h = hostile_round
    lock = [r for r in h["rows"]["submissions"] if (r["file"] or "").startswith("~$DTI2023_so-tc")]
    assert [r["verdict"] for r in lock] == ["skipped"] and lock[0]["reason"]  # listed, with why it was not read (issue 12)
    assert _submission(h, "DTI2023_so-tc.xlsx")["verdict"] == "accepted"
    # named explicitly (as the shell expands bad/*), a lock file is refused by its bytes
    assert _submission(h, "~$valid.xlsx")["reason"] == "file.lock_file (IntakeError)"


def test_a_blank_template_is_accepted_with_warnings(hostile_round):
    sub = _submission(hostile_round, "DTI2023_so-yt.xlsx")
    assert sub["verdict"] == "accepted_with_warnings" and sub["completeness"] == 0 and sub["errors"] == 0


def test_odd_file_name_is_shown_as_it_is_and_stored_as_text(hostile_round):
    h = hostile_round
    shown = ODD_NAME.replace("\x01", "\ufffd")
    ws = h["wb"][_title("submissions")]
    cells = [c for c in ws["C"] if c.value == shown]
    assert cells and cells[0].data_type == "s"


def test_odd_file_name_is_printed_as_it_is(invoke, tmp_path, ctx):
    f = make_returned_set(tmp_path, ctx, only=["so-ct"])["so-ct"]
    f = f.rename(f.with_name(ODD_NAME))
    res = invoke("merge", f, "-o", tmp_path / "m.xlsx")
    assert res.exit_code == 0, res.output
    # rich must print the name, not take "[red]" as markup (control characters are not printed)
    assert any("=1+2 [red]so-ct" in line for line in res.output.splitlines()), res.output


def test_a_note_as_long_as_an_excel_cell_arrives_whole(hostile_round):
    note = next(r["note"] for r in hostile_round["rows"]["data"] if r["input_id"] == "1.5.a")
    assert note == LONG_NOTE.strip()


def test_hostile_files_cost_only_what_the_limits_allow(hostile_round):
    h = hostile_round
    dec = h["decompressed"]
    for name in DIRECTORY_REFUSED:  # refused from the zip directory: not one byte inflated
        assert dec.get(h["cases"][name].path.name, 0) == 0, name
    lying = h["cases"]["bomb_lying_size"].path.name
    assert 0 < dec[lying] <= 2 * 1024 * 1024 + (1 << 16)  # stops at the declared size (+ one chunk), not 3 MB
    limit = badfiles.CORPUS_LIMITS.max_file_bytes * 2  # no bad file inflates far beyond the largest file allowed
    assert {n: b for n, b in dec.items() if b > limit} == {}


def test_openpyxl_never_opens_a_file_intake_refused(hostile_round):
    h = hostile_round
    refused = {r["file"] for r in h["rows"]["submissions"] if "(IntakeError)" in (r["reason"] or "")}
    assert len(refused) > 40
    assert refused.isdisjoint(h["opened_by_openpyxl"])


def test_feedback_copies_are_named_by_unit_or_checksum_never_by_file_name(hostile_round, ctx):
    h = hostile_round
    names = sorted(p.name for p in h["fb"].iterdir())
    assert names, "some files had problems"
    units = "|".join(re.escape(u.id) for u in ctx.profile.units)
    pattern = re.compile(rf"(?:{units}|khong-ro-don-vi-[0-9a-f]{{8}})_phan_hoi(?:_\d+)?\.xlsx")
    assert len({n.rsplit("_phan_hoi", 1)[0] for n in names if n.startswith("khong-ro")}) > 1  # one checksum per refused file
    assert [n for n in names if not pattern.fullmatch(n)] == []
    assert "so-yt_phan_hoi.xlsx" in names
    assert not [p for p in h["fb"].iterdir() if p.name.startswith(".")]  # no temporary left behind


# ---------------------------------------------------------------------------------------------
# One verdict per bad file


@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_corpus_file_gets_its_verdict_and_reason(hostile_round, name):
    h = hostile_round
    case = h["cases"][name]
    file = case.path.name
    sub = _submission(h, file)
    assert sub["verdict"] == "rejected"
    if case.expected_verdict == "refused":
        code = case.expected_code
        assert sub["reason"] == f"{code} (IntakeError)"
    else:  # read by intake, but not a dti template
        code = "stamp.not_dti"
        assert sub["reason"] == code
        notes = [f["code"] for f in h["rows"]["findings"] if f["file"] == file and f["severity"] == "warning"]
        assert notes == ([case.expected_code] if case.expected_code else [])
    found = [f for f in h["rows"]["findings"] if f["file"] == file and f["severity"] == "error"]
    assert [f["code"] for f in found] == [code]
    assert file in found[0]["message"]
    lines = _output_lines(h, file)
    assert lines and merged_fmt.words(merged_fmt.VERDICT, "rejected") in lines[0], h["result"].output


@pytest.mark.parametrize(("name", "code"), sorted(EXTRA_REJECTED.items()))
def test_damaged_template_gets_its_verdict_and_reason(hostile_round, name, code):
    h = hostile_round
    file = h["extra"][name].name
    sub = _submission(h, file)
    assert (sub["verdict"], sub["reason"]) == ("rejected", _reason(code))
    found = [f for f in h["rows"]["findings"] if f["file"] == file and f["severity"] == "error"]
    assert [f["code"] for f in found] == [code] and file in found[0]["message"]
    lines = _output_lines(h, file)
    assert lines and merged_fmt.words(merged_fmt.VERDICT, "rejected") in lines[0] and code in " ".join(lines)


def test_cells_are_bounded_over_all_sheets_not_only_per_sheet(tmp_path):
    """255 sheets just under the per-sheet limit would pass a per-sheet check: the total is bounded too."""
    body = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in "ABCDEFGHI") + "</row>" for r in range(1, 101))
    limits = intake.Limits(max_cells=1000, max_total_cells=4000)
    ok = badfiles.write_xlsx(tmp_path / "four.xlsx", {f"S{i}": body for i in range(4)})  # 4 × 900 cells
    assert len(intake.open_workbook(ok, limits).sheets) == 4
    many = badfiles.write_xlsx(tmp_path / "many.xlsx", {f"S{i}": body for i in range(200)})  # 200 × 900 cells
    with pytest.raises(intake.IntakeError) as e:
        intake.open_workbook(many, limits)
    assert e.value.code == "file.too_many_cells" and "many.xlsx" in e.value.message
    assert intake.Limits().max_total_cells < 255 * intake.Limits().max_cells


# ---------------------------------------------------------------------------------------------
# The same files in parallel workers, and errors that are dti's own bugs


def test_parallel_workers_give_the_same_verdicts(hostile_round, ctx):
    h = hostile_round
    ex = merge_mod.expect_from(ctx)
    files = h["bad_files"][:30]
    seq = merge_mod.read_submissions(files, ex, workers=1)
    par = merge_mod.read_submissions(files, ex, workers=2)
    assert [(s.name, s.verdict, s.reason) for s in seq] == [(s.name, s.verdict, s.reason) for s in par]
    assert all(s.verdict == "rejected" for s in par)


def test_a_bug_is_one_line_without_debug_and_a_traceback_with_it(invoke, tmp_path, ctx, monkeypatch):
    f = make_returned_set(tmp_path, ctx, only=["bao-ca-mau"])["bao-ca-mau"]

    def broken(*a, **k):
        raise RuntimeError("consolidation bug")

    monkeypatch.setattr(merge_mod, "consolidate", broken)
    res = invoke("merge", f, "-o", tmp_path / "m.xlsx")
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert f"{UNEXPECTED} RuntimeError: consolidation bug" in res.output and "--debug" in res.output
    res = invoke("--debug", "merge", f, "-o", tmp_path / "m.xlsx")
    assert res.exit_code == 1 and "Traceback" in res.output and "RuntimeError" in res.output
    assert not (tmp_path / "m.xlsx").exists()


# ---------------------------------------------------------------------------------------------
# defusedxml is checked before any command that reads workbooks


@pytest.mark.parametrize("command", [["merge", "{f}", "-o", "{d}/m.xlsx"], ["status", "{f}"], ["score", "{f}"], ["report", "{f}"]])
def test_commands_that_read_workbooks_refuse_to_run_without_defusedxml(invoke, tmp_path, ctx, monkeypatch, command):
    import openpyxl.xml

    f = make_returned_set(tmp_path, ctx, only=["bao-ca-mau"])["bao-ca-mau"]
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    res = invoke(*[a.format(f=f, d=tmp_path) for a in command])
    assert res.exit_code == 1, res.output
    assert "defusedxml" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "m.xlsx").exists() and not (f.parent / "scores.xlsx").exists()
    assert invoke("catalog", "show", "1.1").exit_code == 0  # commands that read no workbook are not concerned


def test_help_does_not_import_openpyxl():
    code = ("import sys\nfrom dti_cli.cli import app\ntry:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in ('openpyxl', 'defusedxml', 'dti_cli.intake') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "LOADED []" in out


# ---------------------------------------------------------------------------------------------
# Outputs: atomic, with the usual permissions, never over an input


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_atomic_output_gives_the_usual_permissions(tmp_path, umask):
    import os

    from dti_cli.core.safety import atomic_output

    old = os.umask(umask)
    try:
        with atomic_output(tmp_path / "r.txt") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(old)
    assert (tmp_path / "r.txt").stat().st_mode & 0o777 == 0o666 & ~umask


def test_atomic_output_leaves_nothing_when_writing_fails_and_refuses_inputs(tmp_path):
    from dti_cli.core.errors import OutputError
    from dti_cli.core.safety import atomic_output

    with pytest.raises(RuntimeError), atomic_output(tmp_path / "r.txt") as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []
    src = tmp_path / "in.xlsx"
    src.write_bytes(b"x")
    link = tmp_path / "link.xlsx"
    link.symlink_to(src)
    for target in (src, link, tmp_path / "." / "in.xlsx"):
        with pytest.raises(OutputError, match="tệp đầu vào"), atomic_output(target, force=True, inputs=[src]):
            pass
    assert src.read_bytes() == b"x" and sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx", "link.xlsx"]


def test_merged_workbook_and_feedback_have_the_usual_permissions(hostile_round):
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    h = hostile_round
    for p in [h["out"], *h["fb"].iterdir()]:
        assert p.stat().st_mode & 0o777 == 0o666 & ~mask, p


def test_a_feedback_copy_never_replaces_another_input(invoke, tmp_path, ctx):
    """An agency sent back last round's feedback copy (damaged); with --force the new copy must not replace it."""
    f = make_returned_set(tmp_path, ctx, {"1.3.a": -1}, only=["so-tttt"])["so-tttt"]
    fb = tmp_path / "phan_hoi"
    fb.mkdir()
    old = fb / "so-tttt_phan_hoi.xlsx"
    old.write_bytes(f.read_bytes()[:2000])  # truncated: rejected, and named like the copy dti is about to write
    before = _sha(old)
    res = invoke("merge", f, old, "-o", tmp_path / "m.xlsx", "--feedback", fb, "--force")
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "tệp đầu vào" in res.output
    assert _sha(old) == before


# ---------------------------------------------------------------------------------------------
# Formula-like text from a returned file is text in every output

FORMULA_TEXTS = ['=HYPERLINK("http://x.example","y")', "+SUM(1)", "-1+2", "@A1", "\tTAB"]
HTML_TEXTS = ["<script>alert(1)</script>", '" onmouseover="alert(1)', "a | b"]


def _put_text(path: Path, cells: dict[tuple[str, str], str], cover_name: str) -> None:
    """Type text into cells as Excel stores typed text: string cells, whatever they start with."""
    wb = load_workbook(path)
    ws = wb["Dữ liệu"]
    rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    for (iid, col), text in cells.items():
        c = ws[f"{col}{rows[iid]}"]
        c.value, c.data_type = text, "s"
    (sheet, ref), = list(wb.defined_names["DTI_COVER_NAME"].destinations)
    c = wb[sheet][ref.replace("$", "")]
    c.value, c.data_type = cover_name, "s"
    wb.save(path)


def _formula_cells(path: Path) -> dict[tuple[str, str], str]:
    wb = load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"}


def _text_cells(path: Path) -> set[str]:
    wb = load_workbook(path)
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "s" and isinstance(c.value, str)}


@pytest.fixture(scope="module")
def formula_round(tmp_path_factory, ctx):
    from typer.testing import CliRunner

    from dti_cli.cli import app

    def dti(*args):
        r = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
        assert "Traceback" not in r.output and UNEXPECTED not in r.output, r.output
        return r

    root = tmp_path_factory.mktemp("formulas")
    made = make_returned_set(root, ctx, only=["so-tttt"])["so-tttt"]
    f = made.rename(made.with_name("=SUM(1)+so-tttt.xlsx"))
    ids = ["1.2.a", "1.2.b", "2.1.a", "2.2.a", "2.3.a"]
    cells = {}
    for iid, text in zip(ids, FORMULA_TEXTS, strict=True):
        cells[(iid, "G")] = text  # evidence: document number
        cells[(iid, "I")] = text  # note
    cells[("2.4.a", "H")] = FORMULA_TEXTS[0]  # evidence link
    cells[("3.1.a", "F")] = "-1+2"  # a value typed as a formula-like text: invalid, kept as text
    cells[("1.1.a", "F")] = "@A1"  # not one of the choices
    _put_text(f, cells, FORMULA_TEXTS[0])
    merged, fb = root / "merged.xlsx", root / "phan_hoi"
    assert dti("merge", f, "-o", merged, "--feedback", fb).exit_code == 1  # the invalid values are errors
    wb = load_workbook(merged)  # the focal point's adjustments, typed as text
    ws = wb[_title("adjustments")]
    adj = [("3.1.a", 5, FORMULA_TEXTS[0], "@A1", "-1+2"), ("3.1.b", 8, "\tTAB", HTML_TEXTS[1], HTML_TEXTS[0]),
           ("3.2.a", 7, HTML_TEXTS[2], "=1+1", "+84 290"), ("3.2.b", "+SUM(1)", "not a number", "", "")]
    for i, row in enumerate(adj, 2):
        for j, v in enumerate(row, 1):
            ws.cell(i, j).value = v
            if isinstance(v, str):
                ws.cell(i, j).data_type = "s"
    wb.save(merged)
    scores = root / "scores.xlsx"
    dti("score", merged)  # exit 1: "+SUM(1)" is not a number, said as a problem
    dti("score", merged, "-o", root / "scores.csv")
    dti("score", merged, "-o", root / "scores.json")
    reports = {ext: root / f"report.{ext}" for ext in ("xlsx", "csv", "md", "html", "json")}
    r = dti("report", scores, *[x for p in reports.values() for x in ("-o", p)])
    assert r.exit_code == 0, r.output
    status_csv = dti("status", f, "--format", "csv").output
    return {"returned": f, "merged": merged, "feedback": fb / "so-tttt_phan_hoi.xlsx", "scores": scores, "reports": reports,
            "scores_csv": root / "scores.csv", "status_csv": status_csv}


def test_no_xlsx_output_holds_a_formula_dti_did_not_write(formula_round, ctx):
    fr = formula_round
    for p in (fr["merged"], fr["scores"], fr["reports"]["xlsx"]):
        assert _formula_cells(p) == {}, p.name
    # the feedback copy keeps the template's own formulas (expected points) and nothing else
    own = _formula_cells(template_path(ctx, "so-tttt"))
    copy = _formula_cells(fr["feedback"])
    assert copy and copy == own


@pytest.mark.parametrize("which", ["merged", "feedback", "scores", "report"])
def test_formula_like_text_is_stored_as_text(formula_round, which):
    fr = formula_round
    path = {"merged": fr["merged"], "feedback": fr["feedback"], "scores": fr["scores"], "report": fr["reports"]["xlsx"]}[which]
    texts = _text_cells(path)
    assert FORMULA_TEXTS[0] in texts  # as a string cell (an evidence, the cover name, or the reason)
    if which == "merged":
        assert {"+SUM(1)", "-1+2", "@A1", "=SUM(1)+so-tttt.xlsx"} <= texts
    if which in ("scores", "report"):
        assert {"@A1", "-1+2", "=1+1", HTML_TEXTS[0]} <= texts


def test_csv_outputs_neutralise_formula_like_text_and_start_with_a_bom(formula_round):
    import csv
    import io

    from dti_cli.core.safety import FORMULA_START

    fr = formula_round
    number = re.compile(r"[+-]?\d+(?:[.,]\d+)*%?")
    for p in (fr["reports"]["csv"], fr["scores_csv"]):
        raw = p.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), p.name
        cells = [c for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) for c in row]
        assert [c for c in cells if c.startswith(FORMULA_START) and not number.fullmatch(c)] == [], p.name
    status = [c for row in csv.reader(io.StringIO(fr["status_csv"])) for c in row]
    assert "'=SUM(1)+so-tttt.xlsx" in status and "=SUM(1)+so-tttt.xlsx" not in status


def test_html_report_escapes_returned_text(formula_round):
    from html.parser import HTMLParser

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.attrs, self.text = [], [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.attrs += [v or "" for _, v in attrs]

        def handle_data(self, data):
            self.text.append(data)

    raw = formula_round["reports"]["html"].read_text(encoding="utf-8")
    p = Collect()
    p.feed(raw)
    assert "script" not in p.tags
    assert not [a for a in p.attrs if "HYPERLINK" in a or "alert" in a or "onmouseover" in a]
    text = "\n".join(p.text)
    for t in (FORMULA_TEXTS[0], "@A1", "=1+1", *HTML_TEXTS):
        assert t in text, t  # shown as the text it is
    assert '=HYPERLINK("' not in raw and "<script>" not in raw


def test_markdown_report_escapes_returned_text(formula_round):
    md = formula_round["reports"]["md"].read_text(encoding="utf-8")
    assert '\\=HYPERLINK("http://x.example","y")' in md and "\\@A1" in md and "\\=1+1" in md
    assert "<script>" not in md and "\\<script\\>" in md
    assert "a \\| b" in md
    head = next(line for line in md.splitlines() if line.startswith("| ") and "\\=1+1" in line)
    assert len(re.findall(r"(?<!\\)\|", head)) == 6  # five columns: the text's own bar does not add one


def test_json_outputs_keep_the_text_as_data(formula_round):
    import json

    doc = json.loads(formula_round["reports"]["json"].read_text(encoding="utf-8"))
    reasons = [a["reason"] for a in doc["problems"]["adjustments"]]
    assert FORMULA_TEXTS[0] in reasons and HTML_TEXTS[2] in reasons


def test_library_warnings_about_a_returned_file_do_not_reach_the_user(tmp_path, ctx):
    """openpyxl warns (with its own source line) when it opens a file for the feedback copy; a real run shows none."""
    f = make_returned_set(tmp_path, ctx, {"1.3.a": -1}, only=["so-tttt"])["so-tttt"]
    wb = load_workbook(f)
    (sheet, ref), = list(wb.defined_names["DTI_COVER_DATE"].destinations)
    wb[sheet][ref.replace("$", "")].value = 7666885194  # a date cell holding a serial past year 9999
    wb.save(f)
    # in a separate process: pytest records warnings itself, so in-process output would never show one
    cmd = [sys.executable, "-c", "from dti_cli.cli import main; main()", "merge", str(f), "-o", str(tmp_path / "m.xlsx"),
           "--feedback", str(tmp_path / "fb")]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert (tmp_path / "fb" / "so-tttt_phan_hoi.xlsx").exists()
    assert "Warning" not in run.stdout + run.stderr and "warn(" not in run.stderr


@pytest.mark.parametrize("target", ["merged.xlsx", "scores.xlsx"])
def test_a_report_never_replaces_a_file_it_was_built_from(invoke, tmp_path, formula_round, target):
    """merged.xlsx beside the scores is read for findings and adjustments: -o merged.xlsx --force must not replace it."""
    for name in ("merged.xlsx", "scores.xlsx"):
        shutil.copyfile(formula_round[name.split(".")[0]], tmp_path / name)
    before = {p: _sha(p) for p in tmp_path.iterdir()}
    res = invoke("report", tmp_path / "scores.xlsx", "-o", tmp_path / target, "--force")
    assert res.exit_code == 1 and "tệp đầu vào" in res.output and "Traceback" not in res.output
    assert {p: _sha(p) for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("command", ["score", "report"])
@pytest.mark.parametrize("attack", ["bomb", "entities"])
def test_scoring_a_returned_template_opens_it_as_merge_does(invoke, tmp_path, ctx, monkeypatch, command, attack):
    """`dti score FILE` / `dti report FILE` take one agency's returned template: intake reads it first, not openpyxl."""
    import openpyxl

    f = make_returned_set(tmp_path, ctx, only=["bao-ca-mau"])["bao-ca-mau"]
    bad = tmp_path / "DTI2023_bao-ca-mau (gui lai).xlsx"
    part = {"bomb": {"xl/styles.xml": b"<styleSheet>" + b" " * 20_000_000 + b"</styleSheet>"},
            "entities": {"xl/worksheets/sheet4.xml": (badfiles.LAUGHS + f'<worksheet xmlns="{badfiles.MAIN}"><sheetData><row r="1"><c r="A1" '
                                                      't="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>').encode()}}[attack]
    with zipfile.ZipFile(f) as z:
        assert set(part) <= set(z.namelist())
    badfiles.rewrite_zip(f, bad, part)
    opened = []
    real = openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook", lambda p, *a, **k: opened.append(Path(p).name) or real(p, *a, **k))
    assert invoke(command, f).exit_code == 0  # the same file, undamaged, is scored
    res = invoke(command, bad)
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert bad.name in res.output and "bảo vệ máy" in res.output
    assert bad.name not in opened


def test_output_names_near_the_file_system_limit(invoke, tmp_path, ctx):
    """A long name that fits is written (the temporary name stays short); one that cannot fit is a clear error."""
    f = make_returned_set(tmp_path, ctx, only=["bao-ca-mau"])["bao-ca-mau"]
    fits = tmp_path / ("b" * 245 + ".xlsx")
    res = invoke("merge", f, "-o", fits)
    assert res.exit_code == 0 and fits.exists(), res.output
    res = invoke("merge", f, "-o", tmp_path / ("c" * 300 + ".xlsx"))
    assert res.exit_code == 1 and "không ghi được" in res.output and UNEXPECTED not in res.output
    # dti score names its output after the template it scores: a returned file's long name must not crash it
    long_template = f.rename(tmp_path / ("d" * 245 + ".xlsx"))
    res = invoke("score", long_template)
    assert res.exit_code == 1 and "không ghi được" in res.output and UNEXPECTED not in res.output, res.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left


def test_absurd_figures_are_refused_in_their_cell_and_never_summed(invoke, tmp_path, ctx):
    """1e308 people (twice: it would overflow the province's sum) is refused where it was typed."""
    sums = [i.id for i in ctx.catalogue.inputs.values() if i.per_unit and i.combine == "sum"]
    files = make_returned_set(tmp_path, ctx, {"4.5.a": 1e308}, only=["cai-nuoc", "u-minh"])
    res = invoke("merge", *files.values(), "-o", tmp_path / "m.xlsx")
    assert res.exit_code == 1 and "value.too_large" in res.output and "Traceback" not in res.output
    wb = load_workbook(tmp_path / "m.xlsx")
    data = {r["input_id"]: r for r in _rows(wb[_title("data")], "data")}
    assert data["4.5.a"]["status"] != "ok" and data["4.5.a"]["value"] is None
    bad = [r for r in _rows(wb[_title("findings")], "findings") if r["code"] == "value.too_large"]
    assert {r["file"] for r in bad} == {p.name for p in files.values()} and all(r["input"] == "4.5.a" for r in bad)
    assert all(data[i]["status"] == "ok" and data[i]["value"] is not None for i in sums if i != "4.5.a" and data[i]["status"] == "ok")
    assert data["4.5.b"]["status"] == "ok"
