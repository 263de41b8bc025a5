"""intake.open_workbook: reads real workbooks from Excel-like writers, refuses damaged and hostile files."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

import badfiles
import pytest

from dti_cli.core.errors import DtiError
from dti_cli.intake import IntakeError, Limits, ensure_defused, open_workbook, split_ref
from dti_cli.intake.cells import ErrorValue


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> Path:
    return badfiles.build_valid(tmp_path_factory.mktemp("valid") / "valid.xlsx")


def test_reads_values_types_formulas_hidden_and_names(valid):
    wb = open_workbook(valid)
    assert wb.format == "xlsx"
    assert wb.sheet_order == ["Thông tin", "Dữ liệu", "_dti"]
    assert wb.hidden == {"_dti"}
    assert wb.sha256 == hashlib.sha256(valid.read_bytes()).hexdigest()
    assert wb.size == valid.stat().st_size
    assert wb.defined_names["DTI_7_1_a"] == ("Dữ liệu", "F5")
    assert wb.defined_names["DTI_COVER_DATE"] == ("Thông tin", "B7")
    data = wb.sheets["Dữ liệu"]
    assert data.cell("A5") == "7.1.a"
    assert data.cell("F5") == 12.5
    assert data.cell("$F$6") == 1234
    assert isinstance(data.cell("F6"), int)
    assert data.cell("F7") == "1.234,5"
    assert data.cell("F8") is True
    assert data.cell("F9") == "Không có số liệu"
    assert data.cell("F10") == "  Có\u200b "  # text is returned as stored; values.py cleans it
    assert data.cell("Z999") is None
    # formulas: cached value (none written by openpyxl) and the text
    assert data.cell("N5") is None
    assert data.formulas["N5"] == "=IF(F5>0,10,0)"
    assert wb.sheets["Thông tin"].cell("B7") == dt.datetime(2023, 12, 25)
    assert wb.sheets["_dti"].cell("B1") == "dti-template"
    rows = dict(data.rows())
    assert rows[5][0] == "7.1.a" and rows[5][5] == 12.5
    assert [n for n, _ in data.rows()] == sorted(n for n, _ in data.rows())


def test_error_cells_are_error_values(tmp_path):
    path = badfiles.write_xlsx(
        tmp_path / "err.xlsx",
        {"Dữ liệu": '<row r="5"><c r="F5" t="e"><v>#DIV/0!</v></c><c r="G5" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'},
    )
    sheet = open_workbook(path).sheets["Dữ liệu"]
    assert isinstance(sheet.cell("F5"), ErrorValue) and sheet.cell("F5") == "#DIV/0!"
    assert sheet.formulas == {"G5": "=1/0"}


def test_dimension_claim_is_ignored_and_every_cell_read(tmp_path):
    body = '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="40"><c r="C40"><v>3</v></c></row>'
    path = badfiles.write_xlsx(tmp_path / "dim.xlsx", {"S": body}, dimension="A1:XFD1048576")
    sheet = open_workbook(path).sheets["S"]
    assert sheet.cell("A1") == "a" and sheet.cell("C40") == 3
    assert list(sheet.rows()) == [(1, ["a"]), (40, [None, None, 3])]


def test_cells_and_rows_without_r_attributes_and_prefixed_namespaces(tmp_path):
    body = "<x:row><x:c t=\"inlineStr\"><x:is><x:t>a</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row><x:row><x:c/><x:c t=\"b\"><x:v>0</x:v></x:c></x:row>"
    path = badfiles.write_xlsx(tmp_path / "nor.xlsx", {"S": body}, prefix="x")
    sheet = open_workbook(path).sheets["S"]
    assert list(sheet.rows()) == [(1, ["a", 2]), (2, [None, False])]


def test_rich_text_shared_and_inline_strings_join_runs_without_phonetics(tmp_path):
    sst = ["<si><r><t>Sở </t></r><r><rPr><b/></rPr><t>Tài chính</t></r><rPh><t>PHONETIC</t></rPh></si>", "<si><t>x_x000D_y</t></si>"]
    body = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c></row>'
    path = badfiles.write_xlsx(tmp_path / "rich.xlsx", {"S": body}, shared=sst)
    sheet = open_workbook(path).sheets["S"]
    assert sheet.cell("A1") == "Sở Tài chính"
    assert sheet.cell("B1") == "x\ry"
    assert sheet.cell("C1") == "ab"


def test_absolute_targets_and_missing_shared_strings(tmp_path):
    body = '<row r="2"><c r="B2" t="str"><v>t</v></c></row>'
    path = badfiles.write_xlsx(tmp_path / "abs.xlsx", {"S": body}, absolute_targets=True)
    assert open_workbook(path).sheets["S"].cell("B2") == "t"


def test_shared_formulas_are_translated(tmp_path):
    body = ('<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>2</v></c></row>'
            '<row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c></row>')
    sheet = open_workbook(badfiles.write_xlsx(tmp_path / "sf.xlsx", {"S": body})).sheets["S"]
    assert sheet.formulas == {"A1": "=B1*2", "A2": "=B2*2"}
    assert sheet.cell("A2") == 4


def test_split_ref():
    assert split_ref("$F$12") == (12, 6)
    assert split_ref("xfd1048576") == (1048576, 16384)
    with pytest.raises(ValueError):
        split_ref("F")


def test_limits_refuse_a_sheet_with_too_many_cells(tmp_path):
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>1</v></c></row>' for r in range(1, 501))
    path = badfiles.write_xlsx(tmp_path / "many.xlsx", {"S": body})
    assert open_workbook(path, Limits(max_cells=1000)).sheets["S"].cell("A500") == 500
    with pytest.raises(IntakeError) as e:
        open_workbook(path, Limits(max_cells=999))
    assert e.value.code == "file.too_many_cells" and "many.xlsx" in e.value.message and "'S'" in e.value.message


def test_intake_error_is_a_dti_error():
    with pytest.raises(DtiError) as e:
        open_workbook("/nonexistent/x.xlsx")
    assert e.value.code == "file.not_found" and "x.xlsx" in str(e.value)


def test_ensure_defused_passes_and_fails_when_openpyxl_is_not_defused(monkeypatch):
    ensure_defused()
    import openpyxl.xml

    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(DtiError, match="defusedxml"):
        ensure_defused()


# --- the bad-file corpus --------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, valid):
    return badfiles.build_corpus(tmp_path_factory.mktemp("corpus"), valid)


def test_corpus_is_large_and_names_are_unique(corpus):
    assert len(corpus) >= 40
    assert len({c.name for c in corpus}) == len(corpus)


def _verdict(case) -> str | None:
    """None when open_workbook treats the case as expected, else what went wrong."""
    try:
        wb = open_workbook(case.path, badfiles.CORPUS_LIMITS)
    except IntakeError as e:
        if case.expected_verdict != "refused":
            return f"refused with {e.code}: {e.message}"
        if e.code != case.expected_code:
            return f"code {e.code} ({e.message}), expected {case.expected_code}"
        if Path(case.path).name not in e.message or e.path != str(case.path):
            return f"message does not name the file: {e.message}"
        return None
    if case.expected_verdict == "refused":
        return f"read, expected refusal {case.expected_code}"
    if case.check is not None:
        case.check(wb)
    codes = [n.code for n in wb.notes]
    return None if codes == ([case.expected_code] if case.expected_code else []) else f"notes {codes}"


def test_every_bad_file_is_refused_with_its_code_or_read(corpus):
    problems = {c.name: v for c in corpus if (v := _verdict(c))}
    assert problems == {}


# --- round trips through LibreOffice ---------------------------------------------------------


def _convert(soffice: str, src: Path, fmt: str, out: Path) -> Path:
    profile = Path("/tmp") / f"dti-lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt, "--outdir", str(out), str(src)],
            check=True, capture_output=True, timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    result = out / (src.stem + "." + fmt.split(":")[0])
    assert result.exists(), f"LibreOffice did not write {result}"
    return result


@pytest.mark.libreoffice
def test_libreoffice_round_trips_read_the_same(soffice, valid, tmp_path):
    src = tmp_path / "in" / "lo.xlsx"
    src.parent.mkdir()
    shutil.copy(valid, src)
    xlsx = _convert(soffice, src, "xlsx", tmp_path / "x")
    ods = _convert(soffice, src, "ods", tmp_path / "o")
    xls = _convert(soffice, src, "xls", tmp_path / "l")
    a = open_workbook(xlsx)
    assert a.format == "xlsx" and a.notes == []
    assert a.hidden == {"_dti"}
    assert a.defined_names["DTI_7_1_a"] == ("Dữ liệu", "F5")
    d = a.sheets["Dữ liệu"]
    assert (d.cell("A5"), d.cell("F5"), d.cell("F6"), d.cell("F7"), d.cell("F8")) == ("7.1.a", 12.5, 1234, "1.234,5", True)
    assert "N5" in d.formulas and d.cell("N5") == 10  # LibreOffice computes and stores the cached value
    assert a.sheets["Thông tin"].cell("B7") == dt.datetime(2023, 12, 25)
    for path, fmt, code in ((ods, "ods", "file.ods"), (xls, "xls", "file.legacy_xls")):
        b = open_workbook(path)
        assert b.format == fmt and [n.code for n in b.notes] == [code]
        assert path.name in b.notes[0].message
        assert b.sheet_order == ["Thông tin", "Dữ liệu", "_dti"]
        assert b.hidden == {"_dti"}
        d = b.sheets["Dữ liệu"]
        assert (d.cell("A5"), d.cell("F5"), d.cell("F6"), d.cell("F7"), d.cell("F8")) == ("7.1.a", 12.5, 1234, "1.234,5", True)
        assert b.sheets["Thông tin"].cell("B7") == dt.datetime(2023, 12, 25)


def test_zip_member_declared_small_but_bigger_is_a_bomb(tmp_path):
    # built here too (not only in the corpus) to show the check works without the ratio limit
    path = tmp_path / "liar.xlsx"
    badfiles.lying_member(badfiles.build_valid(tmp_path / "v.xlsx"), path, "xl/worksheets/sheet2.xml", 5_000_000)
    with pytest.raises(IntakeError) as e:
        open_workbook(path, Limits(max_ratio=10**9))
    assert e.value.code == "file.zip_bomb"
    assert zipfile.is_zipfile(path)


def test_a_part_stored_twice_is_refused(tmp_path):
    """A zip can hold one name twice; intake would read the first copy and openpyxl (feedback copies) the last: refused."""
    import warnings

    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "x"
    good = tmp_path / "good.xlsx"
    wb.save(good)
    dup = tmp_path / "dup.xlsx"
    with zipfile.ZipFile(good) as zin, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name it is told to write
        with zipfile.ZipFile(dup, "w") as z:
            for i in zin.infolist():
                z.writestr(i, zin.read(i.filename))
            z.writestr("xl/worksheets/sheet1.xml", zin.read("xl/worksheets/sheet1.xml").replace(b">x<", b">y<"))
    with pytest.raises(IntakeError) as e:
        open_workbook(dup)
    assert e.value.code == "file.corrupt" and "xl/worksheets/sheet1.xml" in e.value.message
