"""`dti template`: workbooks generated through the CLI and read back with openpyxl."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dti_cli.template import COVER_FIELDS, assignments, defined_name, expected_points_formula
from dti_cli.values import NO_DATA_TEXT

STAMP_KEYS = ["format", "format_version", "catalogue_id", "catalogue_version", "catalogue_sha256", "province_id", "province",
              "unit_id", "unit_name", "unit_kind", "year", "generated_at", "lang", "data_sheet", "input_ids"]


@pytest.fixture(scope="module")
def all_dir(tmp_path_factory):
    """The templates of every agency and unit, written once through the CLI."""
    from typer.testing import CliRunner

    from dti_cli.cli import app

    out = tmp_path_factory.mktemp("all")
    res = CliRunner().invoke(app, ["template", "--all", "-o", str(out), "--deadline", "2023-10-15"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return out


def stamp_of(wb) -> dict[str, str]:
    return {r[0]: r[1] for r in wb["_dti"].iter_rows(values_only=True) if r[0]}


def data_rows(ws):
    """(row number, input id) of every input row."""
    return [(r, ws.cell(r, 1).value) for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value]


def test_all_writes_one_workbook_per_assignment_and_prints_the_table(invoke, ctx, tmp_path):
    res = invoke("template", "--all", "-o", tmp_path)
    assert res.exit_code == 0, res.output
    items = assignments(ctx)
    files = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert files == sorted(f"DTI2023_{a.unit.id}.xlsx" for a in items)
    assert "DTI2023_so-tc.xlsx" in files
    assert f"Đã tạo {len(items)} phiếu" in res.output
    for a in items:
        assert f"DTI2023_{a.unit.id}.xlsx" in res.output
    # the table's figures for Sở Tài chính: indicators and inputs
    so_tc = next(a for a in items if a.unit.id == "so-tc")
    line = next(x for x in res.output.splitlines() if "DTI2023_so-tc.xlsx" in x)
    assert f" {len(so_tc.indicators)} " in line and f" {len(so_tc.inputs)} " in line


def test_every_input_appears_exactly_once_and_per_unit_inputs_once_per_unit(ctx, all_dir):
    seen: Counter[str] = Counter()
    per_unit_seen: dict[str, set[str]] = {}
    for path in all_dir.glob("*.xlsx"):
        wb = load_workbook(path)
        stamp = stamp_of(wb)
        ids = [i for _, i in data_rows(wb[stamp["data_sheet"]])]
        assert ids == stamp["input_ids"].split(","), path.name
        for i in ids:
            if ctx.catalogue.inputs[i].per_unit:
                assert stamp["unit_id"] not in per_unit_seen.setdefault(i, set()), f"{i} twice for {stamp['unit_id']}"
                per_unit_seen[i].add(stamp["unit_id"])
            else:
                seen[i] += 1
    for ind in ctx.catalogue.leaves():
        for inp in ind.inputs:
            if inp.per_unit:
                expected = {u.id for g in inp.per_unit for u in ctx.profile.members(g)}
                assert per_unit_seen.get(inp.id) == expected, inp.id
            else:
                assert seen[inp.id] == 1, inp.id
    assert set(seen) | set(per_unit_seen) == set(ctx.catalogue.inputs)


def test_every_lead_agency_of_the_seed_gets_a_workbook(ctx, all_dir):
    names = {p.name for p in all_dir.glob("*.xlsx")}
    for ind in ctx.catalogue.leaves():
        for lead in ind.lead:
            unit = ctx.profile.by_name(lead)
            units = ctx.profile.members(unit.members) if unit.is_group else [unit]
            for u in units:
                assert f"DTI2023_{u.id}.xlsx" in names, f"{ind.code}: {u.name}"


def test_workbook_layout_stamp_and_names(ctx, all_dir):
    wb = load_workbook(all_dir / "DTI2023_so-tc.xlsx")
    assert wb.sheetnames == ["Hướng dẫn", "Thông tin", "Dữ liệu", "_dti", "_lists"]
    assert [wb[s].sheet_state for s in wb.sheetnames] == ["visible", "visible", "visible", "hidden", "hidden"]
    stamp = stamp_of(wb)
    assert list(stamp) == STAMP_KEYS
    assert stamp["format"] == "dti-template" and stamp["format_version"] == "1"
    assert stamp["catalogue_sha256"] == ctx.catalogue.sha256 and stamp["catalogue_version"] == ctx.catalogue.version
    assert (stamp["unit_id"], stamp["unit_name"], stamp["unit_kind"], stamp["year"]) == ("so-tc", "Sở Tài chính", "agency", "2023")
    assert stamp["province_id"] == "ca-mau" and stamp["data_sheet"] == "Dữ liệu" and stamp["lang"] == "vi"
    assert stamp["generated_at"].endswith("+00:00")
    assert all(isinstance(v, str) for v in stamp.values())

    ws = wb["Dữ liệu"]
    assert [ws.cell(4, c).value for c in range(1, 7)] == ["Mã số liệu", "Mã chỉ số", "Tên chỉ số", "Nội dung số liệu", "Đơn vị", "Giá trị"]
    assert ws["N4"].value == "Điểm dự kiến" and ws["O4"].value is None  # O only with --prefill
    rows = dict((i, r) for r, i in data_rows(ws))
    r = rows["6.22.a"]
    assert ws[f"B{r}"].value == "6.22" and ws[f"D{r}"].value == ctx.catalogue.inputs["6.22.a"].label_vi
    assert ws[f"E{r}"].value == "tỷ đồng" and ws[f"J{r}"].value == 10 and ws[f"K{r}"].value == ctx.baseline.score("6.22")
    assert ws[f"M{r}"].value.startswith("Tỷ lệ = (a + b)/c")
    for iid, r in rows.items():
        dn = wb.defined_names[defined_name(iid)]
        assert list(dn.destinations) == [("Dữ liệu", f"$F${r}")], iid
    for key in COVER_FIELDS:
        assert f"DTI_COVER_{key}" in wb.defined_names
    sheet, ref = next(iter(wb.defined_names["DTI_COVER_AGENCY"].destinations))
    assert wb[sheet][ref.replace("$", "")].value == "Sở Tài chính"
    assert defined_name("7.1.a") == "DTI_7_1_a" and defined_name("4.6.a1") == "DTI_4_6_a1"


def test_validations_match_each_input_type(ctx, all_dir):
    wb = load_workbook(all_dir / "DTI2023_tt-gqtthc.xlsx")
    ws = wb["Dữ liệu"]
    by_cell = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    nd = NO_DATA_TEXT["vi"]
    kinds = set()
    for r, iid in data_rows(ws):
        inp = ctx.catalogue.inputs[iid]
        dv = by_cell[f"F{r}"]
        kinds.add(inp.type)
        assert dv.showErrorMessage and dv.showInputMessage and dv.errorStyle == "stop", iid
        assert dv.prompt and dv.error and iid in dv.promptTitle
        if inp.type == "count":
            assert dv.type == "custom" and f'"{nd}"' in dv.formula1 and f"INT(F{r})" in dv.formula1 and f"F{r}>=0" in dv.formula1
        elif inp.type == "yes_no":
            assert dv.type == "list" and dv.formula1 == f'"Có,Không,{nd}"'
        elif inp.type == "choice":
            # choice labels contain commas: the list lives on the hidden _lists sheet
            assert dv.type == "list" and dv.formula1.startswith("'_lists'!$")
            col = dv.formula1.split("!$")[1][0]
            entries = [c.value for c in wb["_lists"][col] if c.value]
            assert entries == [c.label_vi for c in inp.choices] + [nd]
    assert kinds == {"count", "yes_no", "choice"}
    so_tc = load_workbook(all_dir / "DTI2023_so-tc.xlsx")["Dữ liệu"]
    amount = next(dv for dv in so_tc.data_validations.dataValidation if "INT(" not in (dv.formula1 or "") and dv.type == "custom")
    ref = str(amount.sqref)
    assert amount.formula1 == f'OR(AND(ISNUMBER({ref}),{ref}>=0),{ref}="{nd}")'


def test_protection_colours_print_setup_and_panes(all_dir):
    wb = load_workbook(all_dir / "DTI2023_so-khdt.xlsx")
    ws = wb["Dữ liệu"]
    for name in ("Hướng dẫn", "Thông tin", "Dữ liệu"):
        assert wb[name].protection.sheet is True and not wb[name].protection.password
    r = data_rows(ws)[0][0]
    for c in "FGHI":
        assert ws[f"{c}{r}"].protection.locked is False
        assert ws[f"{c}{r}"].fill.fgColor.rgb.endswith("FFF2CC")
    for c in "ABCDEJKLMN":
        assert ws[f"{c}{r}"].protection.locked is True
    assert ws["A4"].protection.locked is True and ws["C5"].alignment.wrap_text
    cover = wb["Thông tin"]
    assert cover["B4"].protection.locked is True and cover["B5"].protection.locked is False
    assert wb.security.lockStructure and not wb.security.workbookPassword
    assert ws.freeze_panes == "B5"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$4:$4"
    assert ws.column_dimensions["D"].width > ws.column_dimensions["A"].width


def test_expected_points_formulas(ctx, all_dir):
    wb = load_workbook(all_dir / "DTI2023_so-tttt.xlsx")
    ws = wb["Dữ liệu"]
    first: dict[str, int] = {}
    for r, iid in data_rows(ws):
        first.setdefault(ctx.catalogue.inputs[iid].indicator, r)
    formulas = 0
    for code, r in first.items():
        ind = ctx.catalogue.indicators[code]
        n = ws[f"N{r}"].value
        if ind.rule.is_relative:
            assert n == "Cần số liệu các tỉnh (Sở TT&TT tính)", code
        elif any(i.per_unit for i in ind.inputs):
            assert n == "Tổng hợp từ các đơn vị (Sở TT&TT tính)", code
        else:
            formulas += 1
            assert n == expected_points_formula(ind) and n.startswith("=IF(COUNTA("), code
            for i in ind.inputs:
                assert defined_name(i.id) in n
            assert f"MIN({ind.max_points:g}," in n
    assert formulas > 40
    assert "IF(DTI_5_5_b=0,1," in expected_points_formula(ctx.catalogue.indicators["5.5"])  # no botnet IP: full points
    assert "IF(DTI_8_8_2_3_b=0,0," in expected_points_formula(ctx.catalogue.indicators["8.8.2.3"])
    # a rule that reads an empty or "no data" cell earns 0
    assert "IF(AND(ISNUMBER(DTI_5_5_a),ISNUMBER(DTI_5_5_b))," in expected_points_formula(ctx.catalogue.indicators["5.5"])


def test_instructions_show_deadline_focal_point_and_rules(all_dir):
    ws = load_workbook(all_dir / "DTI2023_cuc-thue.xlsx")["Hướng dẫn"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "15/10/2023" in text
    assert "Sở Thông tin và Truyền thông" in text and "liên hệ Sở TT&TT" in text
    assert "Không có số liệu" in text and "Không xóa" in text and "màu vàng" in text
    assert "Cục Thuế tỉnh" in text


def test_focal_point_contact_from_the_profile(invoke, tmp_path):
    from dti_cli.catalogue import data_path

    src = data_path("profile_camau.toml").read_text(encoding="utf-8")
    src = src.replace('contact_name = ""', 'contact_name = "Nguyễn Văn A"').replace('phone = ""', 'phone = "0290 3 123 456"')
    prof = tmp_path / "profile.toml"
    prof.write_text(src, encoding="utf-8")
    res = invoke("--profile", prof, "template", "--agency", "STC", "-o", tmp_path)
    assert res.exit_code == 0, res.output
    ws = load_workbook(tmp_path / "DTI2023_so-tc.xlsx")["Hướng dẫn"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "Nguyễn Văn A" in text and "0290 3 123 456" in text
    assert "Email: liên hệ Sở TT&TT" in text  # the empty field


def test_one_agency_by_any_spelling(invoke, tmp_path):
    res = invoke("template", "--agency", "so tai chinh", "-o", tmp_path)
    assert res.exit_code == 0, res.output
    assert [p.name for p in tmp_path.glob("*.xlsx")] == ["DTI2023_so-tc.xlsx"]


def test_a_group_means_its_members(invoke, ctx, tmp_path):
    res = invoke("template", "--agency", "UBND các huyện, thành phố", "-o", tmp_path)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(f"DTI2023_{u.id}.xlsx" for u in ctx.profile.districts)
    wb = load_workbook(tmp_path / "DTI2023_u-minh.xlsx")
    assert stamp_of(wb)["unit_kind"] == "district"
    assert [i for _, i in data_rows(wb["Dữ liệu"])][0] == "1.9.a"


def test_unknown_agency_exits_2_with_closest_names(invoke, tmp_path):
    res = invoke("template", "--agency", "Sở Tài chánh", "-o", tmp_path)
    assert res.exit_code == 2
    assert "Sở Tài chính" in res.output
    assert not list(tmp_path.iterdir())


def test_agency_with_nothing_to_report(invoke, tmp_path):
    res = invoke("template", "--agency", "Bưu điện tỉnh", "-o", tmp_path)
    assert res.exit_code == 2
    assert "Bưu điện tỉnh" in res.output and "không có phiếu" in res.output


@pytest.mark.parametrize("args, words", [
    ((), "--agency"),
    (("--all", "--agency", "STC"), "một trong hai"),
    (("--all", "--deadline", "15/10/2023"), "2023-10-15"),
    (("--all", "--lang", "fr"), "vi hoặc en"),
])
def test_bad_usage_exits_2(invoke, tmp_path, args, words):
    res = invoke("template", *args, "-o", tmp_path)
    assert res.exit_code == 2, res.output
    assert words in res.output
    assert not list(tmp_path.iterdir())


def test_never_overwrites_without_force(invoke, tmp_path):
    assert invoke("template", "--agency", "STC", "-o", tmp_path).exit_code == 0
    path = tmp_path / "DTI2023_so-tc.xlsx"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    res = invoke("template", "--all", "-o", tmp_path)
    assert res.exit_code == 1
    assert "DTI2023_so-tc.xlsx" in res.output and "--force" in res.output and "không tệp nào được ghi" in res.output
    assert [p.name for p in tmp_path.glob("*.xlsx")] == ["DTI2023_so-tc.xlsx"]  # nothing else written either
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    res = invoke("template", "--agency", "STC", "-o", tmp_path, "--force", "--deadline", "2023-11-30")
    assert res.exit_code == 0
    text = "\n".join(str(c.value) for row in load_workbook(path)["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "30/11/2023" in text
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_missing_output_folder(invoke, tmp_path):
    res = invoke("template", "--agency", "STC", "-o", tmp_path / "khong-co")
    assert res.exit_code == 1
    assert "khong-co" in res.output and "không tồn tại" in res.output


def test_english_workbook(invoke, ctx, tmp_path):
    res = invoke("template", "--agency", "Báo Cà Mau", "-o", tmp_path, "--lang", "en")
    assert res.exit_code == 0, res.output
    wb = load_workbook(tmp_path / "DTI2023_bao-ca-mau.xlsx")
    assert wb.sheetnames == ["Instructions", "Cover", "Data", "_dti", "_lists"]
    assert stamp_of(wb)["data_sheet"] == "Data" and stamp_of(wb)["lang"] == "en"
    ws = wb["Data"]
    assert ws["A4"].value == "Input id" and ws["C5"].value == ctx.catalogue.indicators["1.6"].name_en
    dv = ws.data_validations.dataValidation[0]
    assert dv.formula1 == '"Yes,No,No data"'
    assert '"Yes"' in ws["N5"].value


def write_last_year(path: Path, ctx) -> None:
    from dti_cli.merged import write_merged

    def row(iid, value, status="ok"):
        return {"input_id": iid, "indicator": ctx.catalogue.inputs[iid].indicator, "value": value, "status": status}

    data = [row("1.1.a", "pho"), row("1.2.a", "Có"), row("1.3.a", 4), row("1.3.b", None, "no_data"), row("4.5.a", 120), row("2.1.a", None, "missing")]
    units = [{"input_id": "4.5.a", "unit_id": "so-tttt", "unit_name": "Sở Thông tin và Truyền thông", "value": 3, "status": "ok"},
             {"input_id": "4.5.a", "unit_id": "so-tc", "unit_name": "Sở Tài chính", "value": 5, "status": "ok"}]
    write_merged(path, {"Data": data, "Units": units}, {"catalogue_id": ctx.catalogue.id, "province_id": "ca-mau", "year": "2022"})


def test_prefill_shows_last_years_values(invoke, ctx, tmp_path):
    merged = tmp_path / "merged_2022.xlsx"
    write_last_year(merged, ctx)
    out = tmp_path / "out"
    out.mkdir()
    res = invoke("template", "--agency", "Sở TT&TT", "-o", out, "--prefill", merged)
    assert res.exit_code == 0, res.output
    ws = load_workbook(out / "DTI2023_so-tttt.xlsx")["Dữ liệu"]
    assert ws["O4"].value == "Giá trị năm trước"
    got = {iid: ws[f"O{r}"].value for r, iid in data_rows(ws)}
    assert got["1.1.a"] == "Phó Bí thư/Phó Chủ tịch tỉnh"  # the choice's label, not its code
    assert got["1.2.a"] == "Có" and got["1.3.a"] == 4 and got["1.3.b"] == "Không có số liệu"
    assert got["4.5.a"] == 3  # per-unit input: this unit's own figure, not the province total
    assert got["2.1.a"] is None and got["1.2.b"] is None
    assert ws["O5"].protection.locked is True


def test_prefill_file_that_is_not_a_merged_workbook(invoke, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    out = tmp_path / "out"
    out.mkdir()
    res = invoke("template", "--agency", "STC", "-o", out, "--prefill", bad)
    assert res.exit_code == 1
    assert "bad.xlsx" in res.output
    assert not list(out.iterdir())


def test_help_has_an_example(invoke):
    res = invoke("template", "--help")
    assert res.exit_code == 0
    assert "Example: dti template" in res.output
