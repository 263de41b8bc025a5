"""`dti template`: workbooks generated through the CLI, read back with openpyxl, filled and merged."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dti_cli.formats import template as layout
from dti_cli.methodology.assign import assignments
from dti_cli.methodology.rules.formula import Formula

ND = layout.NO_DATA_TEXT["vi"]
DATA = layout.sheet_title("data", "vi")
COVER = layout.sheet_title("cover", "vi")
INSTRUCTIONS = layout.sheet_title("instructions", "vi")
V, N, PRE = layout.VALUE_COL, layout.EXPECTED_COL, layout.PREFILL_COL


@pytest.fixture(autouse=True)
def vietnamese():
    """Each test starts in Vietnamese, and leaves the process in it (the language is the process's)."""
    from dti_cli.commands.base import set_language

    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture(scope="module")
def all_dir(tmp_path_factory):
    """The templates of every agency and unit, written once through the CLI, into a folder that does not exist yet."""
    from typer.testing import CliRunner

    from dti_cli.cli import app

    out = tmp_path_factory.mktemp("all") / "phieu" / "2023"
    res = CliRunner().invoke(app, ["--lang", "vi", "template", "--all", "-o", str(out), "--deadline", "15/10/2023"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return out


def stamp_of(wb) -> dict[str, str]:
    return {r[0]: r[1] for r in wb["_dti"].iter_rows(values_only=True) if r[0]}


def data_rows(ws) -> list[tuple[int, str]]:
    """(row number, input id) of every input row."""
    return [(r, ws.cell(r, 1).value) for r in range(layout.FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value]


def texts_of(ws) -> str:
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def formula_of(ind, lang: str = "vi") -> str | None:
    fx = Formula(ind, name=layout.defined_name, yes_no=layout.YES_NO[lang], lang=lang)
    points = ind.rule.formula(fx, ind.max_points)
    return None if points is None or any(i.per_unit for i in ind.inputs) else fx.indicator(points)


# -- which workbooks, which inputs ----------------------------------------------------------------


def test_all_writes_one_workbook_per_assignment_and_prints_the_table(invoke, ctx, tmp_path):
    res = invoke("template", "--all", "-o", tmp_path)
    assert res.exit_code == 0, res.output
    items = assignments(ctx)
    files = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert files == sorted(layout.file_name(a.unit.id, ctx.year) for a in items)
    assert f"Đã tạo {len(items)} phiếu thu thập số liệu" in res.output
    so_tc = next(a for a in items if a.unit.id == "so-tc")
    line = next(x for x in res.output.splitlines() if "DTI2023_so-tc.xlsx" in x)
    assert "Sở Tài chính" in line and f" {len(so_tc.indicators)} " in line and f" {len(so_tc.inputs)} " in line
    for a in items:
        assert layout.file_name(a.unit.id, ctx.year) in res.output


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
                assert per_unit_seen.get(inp.id) == {u.id for g in inp.per_unit for u in ctx.profile.members(g)}, inp.id
            else:
                assert seen[inp.id] == 1, inp.id
    assert set(seen) | set(per_unit_seen) == set(ctx.catalogue.inputs)


def test_every_lead_agency_gets_a_workbook(ctx, all_dir):
    names = {p.name for p in all_dir.glob("*.xlsx")}
    for ind in ctx.catalogue.leaves():
        for uid in ind.lead[:1]:  # an indicator with several leads goes to its first
            for u in ctx.profile.expand(uid):
                if not ctx.profile.by_id(u).is_group:
                    assert layout.file_name(u, ctx.year) in names, f"{ind.code}: {u}"


# -- layout, stamp, names -------------------------------------------------------------------------


def test_workbook_layout_stamp_and_names(ctx, all_dir):
    wb = load_workbook(all_dir / "DTI2023_so-tc.xlsx")
    assert wb.sheetnames == [layout.sheet_title(k, "vi") for k in layout.SHEETS] == ["Hướng dẫn", "Thông tin", "Dữ liệu", "_dti", "_lists"]
    assert [wb[s].sheet_state for s in wb.sheetnames] == ["visible", "visible", "visible", "hidden", "hidden"]
    stamp = stamp_of(wb)
    assert list(stamp) == list(layout.STAMP_KEYS)
    assert stamp["format"] == "dti-template" and stamp["format_version"] == layout.FORMAT_VERSION
    assert (stamp["catalogue_id"], stamp["catalogue_version"], stamp["catalogue_sha256"]) == (ctx.catalogue.id, ctx.catalogue.version,
                                                                                              ctx.catalogue.sha256)
    assert (stamp["unit_id"], stamp["unit_name"], stamp["unit_kind"], stamp["year"]) == ("so-tc", "Sở Tài chính", "agency", str(ctx.year))
    assert stamp["province_id"] == "ca-mau" and stamp["data_sheet"] == DATA and stamp["lang"] == "vi"
    assert stamp["generated_at"].endswith("+00:00")
    assert all(isinstance(v, str) for v in stamp.values())

    ws = wb[DATA]
    assert [ws.cell(layout.HEADER_ROW, c).value for c in range(1, 7)] == ["Mã số liệu", "Mã chỉ số", "Tên chỉ số", "Nội dung số liệu",
                                                                         "Đơn vị tính", "Giá trị"]
    assert ws[f"{N}{layout.HEADER_ROW}"].value == "Điểm dự kiến" and ws[f"{PRE}{layout.HEADER_ROW}"].value is None  # O only with --prefill
    rows = {i: r for r, i in data_rows(ws)}
    r = rows["6.22.a"]
    ind = ctx.catalogue.indicators["6.22"]
    col = layout.COL
    assert ws[f"{col['indicator']}{r}"].value == "6.22" and ws[f"{col['label']}{r}"].value == ctx.catalogue.inputs["6.22.a"].label_vi
    assert ws[f"{col['indicator_name']}{r}"].value == ind.name_vi
    assert ws[f"{col['unit']}{r}"].value == "tỷ đồng" and ws[f"{col['max_points']}{r}"].value == 10
    assert ws[f"{col['baseline']}{r}"].value == ctx.baseline.score("6.22")
    assert ws[f"{col['rule']}{r}"].value == ind.rule.words(ind, ind.max_points)
    # the indicator's own cells are on its first row only
    r2 = rows["6.22.b"]
    assert ws[f"{col['indicator']}{r2}"].value == "6.22"
    assert all(ws[f"{c}{r2}"].value is None for c in (col["indicator_name"], col["max_points"], col["rule"], N))
    for iid, r in rows.items():
        assert list(wb.defined_names[layout.defined_name(iid)].destinations) == [(DATA, f"${V}${r}")], iid
    for key in layout.COVER_FIELDS:
        (sheet, ref), = wb.defined_names[layout.cover_name(key)].destinations
        assert sheet == COVER and ref.replace("$", "") == layout.cover_ref(key)
    assert wb[COVER][layout.cover_ref("AGENCY")].value == "Sở Tài chính"


def test_headers_take_their_years_from_the_round_and_the_baseline(ctx, all_dir):
    ws = load_workbook(all_dir / "DTI2023_so-tc.xlsx")[DATA]
    col = layout.COL
    assert ws[f"{col['baseline']}{layout.HEADER_ROW}"].value == f"Điểm năm {ctx.baseline.year}"
    assert ws[f"{col['target']}{layout.HEADER_ROW}"].value == f"Mục tiêu năm {ctx.year}"


def test_the_header_shows_the_round_and_the_methodology_in_words_not_ids(ctx, all_dir):
    wb = load_workbook(all_dir / "DTI2023_so-tc.xlsx")
    for ws in (wb[INSTRUCTIONS], wb[DATA]):
        text = texts_of(ws)
        assert ctx.catalogue.id not in text and f" {ctx.catalogue.version}" not in text
        assert ctx.catalogue.source in text
    title = "\n".join(str(wb[DATA].cell(r, 1).value) for r in range(1, layout.HEADER_ROW))
    assert "Đợt đánh giá năm 2023" in title and "26 số liệu, 12 chỉ số" in title and "Hạn gửi: 15/10/2023" in title


# -- what an official may type ----------------------------------------------------------------------


def validations(ws) -> dict[str, object]:
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def test_validations_match_each_input_type(ctx, all_dir):
    kinds = set()
    for name in ("DTI2023_tt-gqtthc.xlsx", "DTI2023_so-tc.xlsx", "DTI2023_so-tttt.xlsx"):
        wb = load_workbook(all_dir / name)
        ws = wb[DATA]
        by_cell = validations(ws)
        for r, iid in data_rows(ws):
            inp = ctx.catalogue.inputs[iid]
            ref = f"{V}{r}"
            dv = by_cell[ref]
            kinds.add(inp.type)
            assert dv.showErrorMessage and dv.showInputMessage and dv.errorStyle in (None, "stop"), iid
            assert dv.prompt and dv.error and iid in dv.promptTitle and len(dv.promptTitle) <= 32
            if inp.type == "count":
                assert dv.type == "custom"
                assert dv.formula1 == f'OR(AND(ISNUMBER({ref}),{ref}>=0,{ref}=INT({ref})),{ref}="{ND}")'
            elif inp.type in ("amount", "number"):
                assert dv.type == "custom" and dv.formula1 == f'OR(AND(ISNUMBER({ref}),{ref}>=0),{ref}="{ND}")'
            elif inp.type == "yes_no":
                assert dv.type == "list" and dv.formula1 == f'"Có,Không,{ND}"'
            elif inp.type == "choice":
                want = [c.label_vi for c in inp.choices] + [ND]
                assert dv.type == "list"
                if any("," in w for w in want) or len(",".join(want)) + 2 > layout.INLINE_LIST_MAX:
                    # labels with commas, or too long a list: it lives on the hidden lists sheet
                    assert dv.formula1.startswith("'_lists'!$")
                    col = dv.formula1.split("!$")[1].split("$")[0]
                    assert [c.value for c in wb["_lists"][col] if c.value] == want
                    kinds.add("long choice")
                else:
                    assert dv.formula1 == '"' + ",".join(want) + '"'
    assert kinds == {"count", "yes_no", "choice", "long choice", "amount"}


def test_cover_fields_ask_for_their_entry(all_dir):
    ws = load_workbook(all_dir / "DTI2023_so-khdt.xlsx")[COVER]
    by_cell = validations(ws)
    for key in layout.COVER_FIELDS[1:]:
        dv = by_cell[layout.cover_ref(key)]
        assert dv.showInputMessage and dv.prompt
    assert ws[layout.cover_ref("DATE")].number_format == "dd/mm/yyyy"


def test_protection_colours_print_setup_and_panes(all_dir):
    wb = load_workbook(all_dir / "DTI2023_so-khdt.xlsx")
    for name in wb.sheetnames:
        assert wb[name].protection.sheet is True and not wb[name].protection.password, name
    assert wb.security.lockStructure and not wb.security.workbookPassword
    ws = wb[DATA]
    r = data_rows(ws)[0][0]
    for c in layout.INPUT_COLS:
        assert ws[f"{c}{r}"].protection.locked is False
        assert ws[f"{c}{r}"].fill.fgColor.rgb.endswith("FFF2CC")
    for c in layout.COLUMNS:
        if c not in layout.INPUT_COLS and c != PRE:
            assert ws[f"{c}{r}"].protection.locked is True, c
    assert ws[f"A{layout.HEADER_ROW}"].protection.locked is True and ws[f"{layout.COL['label']}{r}"].alignment.wrap_text
    cover = wb[COVER]
    assert cover[layout.cover_ref("AGENCY")].protection.locked is True and cover[layout.cover_ref("NAME")].protection.locked is False
    assert ws.freeze_panes == f"B{layout.FIRST_ROW}"
    for name in (INSTRUCTIONS, COVER, DATA):
        s = wb[name]
        assert int(s.page_setup.paperSize) == 9 and s.sheet_properties.pageSetUpPr.fitToPage, name
        assert int(s.page_setup.fitToWidth or 1) == 1, name
        assert s.oddHeader.left.text == "Tỉnh Cà Mau · DTI 2023 · Sở Kế hoạch và Đầu tư" and s.oddFooter.center.text == "Trang &P/&N"
    assert wb[INSTRUCTIONS].page_setup.fitToHeight in (None, 1) and wb[COVER].page_setup.fitToHeight in (None, 1)  # one page each
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == f"${layout.HEADER_ROW}:${layout.HEADER_ROW}"
    last = data_rows(ws)[-1][0]
    assert ws.print_area == f"'{DATA}'!$A$1:${N}${last}"


def test_rows_are_as_tall_as_their_wrapped_text(ctx, all_dir):
    from dti_cli.core.sheetwriter import row_lines

    ws = load_workbook(all_dir / "DTI2023_so-tttt.xlsx")[DATA]
    widths = {c: w for c, (_k, _t, w) in layout.COLUMNS.items()}
    tall = 0
    for r, _iid in data_rows(ws):
        texts = {c: ws[f"{c}{r}"].value for c in ("C", "D", "L", "M", "N")}
        lines = max(row_lines(v, widths[c]) if isinstance(v, str) and not v.startswith("=") else 1 for c, v in texts.items())
        height = ws.row_dimensions[r].height
        if lines > 1:
            tall += 1
            assert height is not None and height >= 15 * lines, (r, lines, height)
    assert tall > 20
    assert ws.row_dimensions[layout.HEADER_ROW].height >= 30  # "Số, ngày văn bản minh chứng" wraps


# -- expected points ----------------------------------------------------------------------------------


def test_expected_points_formulas(ctx, all_dir):
    formulas = 0
    for path in all_dir.glob("*.xlsx"):
        ws = load_workbook(path)[DATA]
        first: dict[str, int] = {}
        for r, iid in data_rows(ws):
            first.setdefault(ctx.catalogue.inputs[iid].indicator, r)
        for code, r in first.items():
            ind = ctx.catalogue.indicators[code]
            got = ws[f"{N}{r}"].value
            if ind.rule.is_relative:
                assert got == "Cần giá trị tham chiếu quốc gia (đầu mối tính)", code
            elif any(i.per_unit for i in ind.inputs):
                assert got == "Tổng hợp từ số liệu các đơn vị (đầu mối tính)", code
            else:
                formulas += 1
                assert got == formula_of(ind) and got.startswith("=IF(COUNTA("), code
                for i in ind.inputs:
                    assert layout.defined_name(i.id) in got
    assert formulas == sum(1 for ind in ctx.catalogue.leaves() if formula_of(ind))
    assert formulas > 90
    f55 = formula_of(ctx.catalogue.indicators["5.5"])
    assert "IF(DTI_5_5_b=0,1," in f55  # no botnet IP: full points
    assert "IF(AND(ISNUMBER(DTI_5_5_a),ISNUMBER(DTI_5_5_b))," in f55  # an empty or "no data" cell earns 0


# -- the words around the figures ----------------------------------------------------------------------


def test_instructions_show_deadline_focal_point_and_how_to_fill(ctx, all_dir):
    text = texts_of(load_workbook(all_dir / "DTI2023_cuc-thue.xlsx")[INSTRUCTIONS])
    assert "15/10/2023" in text and "Sở Thông tin và Truyền thông" in text and "Cục Thuế tỉnh" in text
    assert ND in text and "Không xóa" in text and "màu vàng" in text and f"cột {V}" in text
    assert "Phiếu này chưa ghi người liên hệ" in text  # the profile's contact is empty, and the workbook says so


def test_no_english_in_the_words_of_a_vietnamese_workbook(all_dir):
    english = {"the", "and", "of", "to", "or", "value", "input", "deadline", "contact", "phone", "points", "pick", "number", "round",
               "methodology", "figures", "indicators", "page", "yes", "no", "data", "ratio", "sum", "parts", "zero", "denominator",
               "lowest", "highest", "needs", "computed", "expected", "score", "target", "unit", "note"}
    found: dict[str, str] = {}
    for path in all_dir.glob("*.xlsx"):
        wb = load_workbook(path)
        for ws in wb.worksheets:
            if ws.sheet_state == "hidden":
                continue
            shown = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and not c.value.startswith("=")]
            shown += [t for dv in ws.data_validations.dataValidation for t in (dv.promptTitle, dv.prompt, dv.errorTitle, dv.error) if t]
            shown += [ws.oddHeader.left.text or "", ws.oddFooter.center.text or ""]
            for text in shown:
                for w in text.split():
                    if w.strip(".,:;()[]\"'").lower() in english:
                        found.setdefault(w, f"{path.name} {ws.title}: {text[:80]}")
    assert not found, found


def test_contact_from_the_command_line(invoke, tmp_path):
    res = invoke("template", "--agency", "STC", "-o", tmp_path, "--deadline", "2023-10-15",
                 "--contact", "Nguyễn Văn A, 0290 3 123 456, a@camau.gov.vn")
    assert res.exit_code == 0, res.output
    assert "chỗ còn trống" not in res.output
    text = texts_of(load_workbook(tmp_path / "DTI2023_so-tc.xlsx")[INSTRUCTIONS])
    assert "Người liên hệ: Nguyễn Văn A" in text and "Điện thoại: 0290 3 123 456" in text and "Email: a@camau.gov.vn" in text
    assert "chưa ghi người liên hệ" not in text


def test_contact_from_the_profile(invoke, tmp_path):
    from dti_cli.methodology.catalogue import data_path

    src = data_path("profile_camau.toml").read_text(encoding="utf-8")
    src = src.replace('contact_name = ""', 'contact_name = "Trần Thị B"').replace('phone = ""', 'phone = "0290 3 123 456"')
    src = src.replace('catalogue = "catalogue_2023.toml"', f'catalogue = "{data_path("catalogue_2023.toml")}"')
    src = src.replace('baseline = "baseline_2022.toml"', f'baseline = "{data_path("baseline_2022.toml")}"')
    prof = tmp_path / "profile.toml"
    prof.write_text(src, encoding="utf-8")
    res = invoke("--profile", prof, "template", "--agency", "STC", "-o", tmp_path / "out", "--deadline", "15/10/2023")
    assert res.exit_code == 0, res.output
    text = texts_of(load_workbook(tmp_path / "out" / "DTI2023_so-tc.xlsx")[INSTRUCTIONS])
    assert "Người liên hệ: Trần Thị B" in text and "Điện thoại: 0290 3 123 456" in text
    assert "Email:" not in text  # a field left empty is not shown as a placeholder


def test_placeholders_are_said_in_the_workbook_and_on_the_terminal(invoke, tmp_path):
    res = invoke("template", "--agency", "STC", "-o", tmp_path)
    assert res.exit_code == 0, res.output
    assert "Các phiếu được tạo với chỗ còn trống: chưa có người liên hệ" in res.output and "--contact" in res.output
    assert "[focal_point]" in res.output
    assert "chưa có hạn gửi" in res.output and "--deadline" in res.output
    wb = load_workbook(tmp_path / "DTI2023_so-tc.xlsx")
    assert "Hạn gửi: chưa ghi trong phiếu này; hỏi đầu mối" in texts_of(wb[DATA])
    assert "chưa ghi người liên hệ" in texts_of(wb[INSTRUCTIONS])


def test_parse_contact_in_any_order():
    from dti_cli.template import focal_contact, parse_contact

    assert parse_contact("Nguyễn Văn A, 0290 3 123 456, a@camau.gov.vn") == {"name": "Nguyễn Văn A", "phone": "0290 3 123 456",
                                                                             "email": "a@camau.gov.vn"}
    assert parse_contact("a@x.vn; +84 290 3123456") == {"email": "a@x.vn", "phone": "+84 290 3123456"}
    c = focal_contact({"agency": "Sở TT&TT", "contact_name": "B", "email": "b@x.vn"}, "0912 345 678")
    assert (c.agency, c.name, c.phone, c.email, c.given) == ("Sở TT&TT", "B", "0912 345 678", "b@x.vn", True)
    assert not focal_contact({"agency": "Sở TT&TT"}).given


# -- the command line -------------------------------------------------------------------------------------


def test_one_agency_by_any_spelling(invoke, tmp_path):
    res = invoke("template", "--agency", "so tai chinh", "-o", tmp_path)
    assert res.exit_code == 0, res.output
    assert [p.name for p in tmp_path.glob("*.xlsx")] == ["DTI2023_so-tc.xlsx"]


def test_a_group_means_its_members(invoke, ctx, tmp_path):
    res = invoke("template", "--agency", "UBND các huyện, thành phố", "-o", tmp_path)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(layout.file_name(u.id, ctx.year) for u in ctx.profile.districts)
    wb = load_workbook(tmp_path / "DTI2023_u-minh.xlsx")
    assert stamp_of(wb)["unit_kind"] == "district"
    assert [i for _, i in data_rows(wb[DATA])][0] == "1.9.a"


def test_unknown_agency_exits_2_with_closest_names(invoke, tmp_path):
    res = invoke("template", "--agency", "Sở Tài chánh", "-o", tmp_path)
    assert res.exit_code == 2
    assert "Sở Tài chính" in res.output
    assert not list(tmp_path.iterdir())


def test_agency_with_nothing_to_report(invoke, tmp_path):
    res = invoke("template", "--agency", "Bưu điện tỉnh", "-o", tmp_path)
    assert res.exit_code == 2
    assert "Bưu điện tỉnh" in res.output
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args, words", [
    ((), "--agency"),
    (("--all", "--agency", "STC"), "một trong hai"),
    (("--all", "--deadline", "31/02/2023"), "--deadline"),
    (("--all", "--deadline", "sớm"), "15/10/2023"),
])
def test_bad_usage_exits_2(invoke, tmp_path, args, words):
    res = invoke("template", *args, "-o", tmp_path)
    assert res.exit_code == 2, res.output
    assert words in res.output
    assert not list(tmp_path.iterdir())


def test_an_unknown_language_exits_2(runner, tmp_path):
    from dti_cli.cli import app

    res = runner.invoke(app, ["template", "--all", "--lang", "fr", "-o", str(tmp_path)])
    assert res.exit_code == 2 and "--lang" in res.output
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("typed", ["15/10/2023", "2023-10-15", "15-10-2023"])
def test_deadline_as_people_write_it(invoke, tmp_path, typed):
    res = invoke("template", "--agency", "STC", "-o", tmp_path, "--deadline", typed)
    assert res.exit_code == 0, res.output
    assert "15/10/2023" in texts_of(load_workbook(tmp_path / "DTI2023_so-tc.xlsx")[INSTRUCTIONS])


def test_never_overwrites_without_force(invoke, tmp_path):
    assert invoke("template", "--agency", "STC", "-o", tmp_path).exit_code == 0
    path = tmp_path / "DTI2023_so-tc.xlsx"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    res = invoke("template", "--all", "-o", tmp_path)
    assert res.exit_code == 1
    assert "DTI2023_so-tc.xlsx" in res.output and "--force" in res.output and "không tệp nào được ghi" in res.output
    assert [p.name for p in tmp_path.glob("*.xlsx")] == ["DTI2023_so-tc.xlsx"]  # nothing else written either
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    res = invoke("template", "--agency", "STC", "-o", tmp_path, "--force", "--deadline", "30/11/2023")
    assert res.exit_code == 0
    assert "30/11/2023" in texts_of(load_workbook(path)[INSTRUCTIONS])
    assert [p.name for p in tmp_path.iterdir()] == ["DTI2023_so-tc.xlsx"]  # no temporary file left


def test_output_folder_is_created_and_a_file_is_refused(invoke, tmp_path):
    res = invoke("template", "--agency", "STC", "-o", tmp_path / "phieu" / "moi")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "phieu" / "moi" / "DTI2023_so-tc.xlsx").exists()
    (tmp_path / "a-file").write_text("x")
    res = invoke("template", "--agency", "STC", "-o", tmp_path / "a-file")
    assert res.exit_code == 1 and "a-file" in res.output


def test_english_workbook(invoke, ctx, tmp_path):
    res = invoke("template", "--agency", "Báo Cà Mau", "-o", tmp_path, "--lang", "en", "--deadline", "15/10/2023")
    assert res.exit_code == 0, res.output
    assert "1 data-collection workbook(s) written" in res.output
    wb = load_workbook(tmp_path / "DTI2023_bao-ca-mau.xlsx")
    assert wb.sheetnames == ["Instructions", "Cover", "Data", "_dti", "_lists"]
    assert stamp_of(wb)["data_sheet"] == "Data" and stamp_of(wb)["lang"] == "en"
    ws = wb["Data"]
    row = layout.FIRST_ROW
    assert ws[f"A{layout.HEADER_ROW}"].value == "Input id" and ws[f"C{row}"].value == ctx.catalogue.indicators["1.6"].name_en
    assert ws[f"{layout.COL['baseline']}{layout.HEADER_ROW}"].value == f"Score {ctx.baseline.year}"
    assert ws[f"{layout.COL['unit']}{row}"].value == "Yes/No"
    dv = ws.data_validations.dataValidation[0]
    assert dv.formula1 == '"Yes,No,No data"' and dv.promptTitle == "Input 1.6.a"
    assert '"Yes"' in ws[f"{N}{row}"].value and ws[f"{N}{row}"].value == formula_of(ctx.catalogue.indicators["1.6"], "en")
    text = texts_of(wb["Instructions"])
    assert "15 Oct 2023" in text and "No data" in text and "No contact person is given in this workbook" in text
    assert wb["Data"].oddFooter.center.text == "Page &P of &N"


def test_the_language_is_the_runs(invoke, tmp_path):
    res = invoke("--lang", "en", "template", "--agency", "STC", "-o", tmp_path)
    assert res.exit_code == 0, res.output
    assert load_workbook(tmp_path / "DTI2023_so-tc.xlsx").sheetnames[0] == "Instructions"


def test_help_has_an_example(invoke):
    res = invoke("template", "--help")
    assert res.exit_code == 0
    assert "Ví dụ: dti template --all" in res.output and "--contact" in res.output


# -- last year's values -----------------------------------------------------------------------------------


def write_last_year(path: Path, ctx) -> None:
    from dti_cli.formats.merged import write_merged

    def row(iid, value, status="ok"):
        return {"input_id": iid, "indicator": ctx.catalogue.inputs[iid].indicator, "value": value, "status": status}

    data = [row("1.1.a", "pho"), row("1.2.a", "Có"), row("1.3.a", 4), row("1.3.b", None, "no_data"), row("4.5.a", 120),
            row("2.1.a", None, "missing")]
    units = [{"input_id": "4.5.a", "unit_id": "so-tttt", "unit_name": "Sở Thông tin và Truyền thông", "value": 3, "status": "ok"},
             {"input_id": "4.5.a", "unit_id": "so-tc", "unit_name": "Sở Tài chính", "value": 5, "status": "ok"},
             {"input_id": "1.9.a", "unit_id": "u-minh", "unit_name": "UBND huyện U Minh", "value": "Có", "status": "ok"}]
    write_merged(path, {"data": data, "units": units}, {"catalogue_id": ctx.catalogue.id, "province_id": "ca-mau", "year": "2022"})


def test_prefill_shows_last_years_values(invoke, ctx, tmp_path):
    merged = tmp_path / "merged_2022.xlsx"
    write_last_year(merged, ctx)
    res = invoke("template", "--agency", "Sở TT&TT", "-o", tmp_path / "out", "--prefill", merged)
    assert res.exit_code == 0, res.output
    ws = load_workbook(tmp_path / "out" / "DTI2023_so-tttt.xlsx")[DATA]
    assert ws[f"{PRE}{layout.HEADER_ROW}"].value == "Giá trị năm trước"
    got = {iid: ws[f"{PRE}{r}"].value for r, iid in data_rows(ws)}
    assert got["1.1.a"] == "Phó Bí thư/Phó Chủ tịch tỉnh"  # the choice's label, not its code
    assert got["1.2.a"] == "Có" and got["1.3.a"] == 4 and got["1.3.b"] == ND
    assert got["4.5.a"] == 3  # a per-unit input: this unit's own figure, not the province's total
    assert got["2.1.a"] is None and got["1.2.b"] is None
    assert ws[f"{PRE}{layout.FIRST_ROW}"].protection.locked is True
    assert ws.print_area.endswith(f"${PRE}${data_rows(ws)[-1][0]}")


def test_prefill_per_unit_figure_of_a_district(invoke, ctx, tmp_path):
    merged = tmp_path / "merged_2022.xlsx"
    write_last_year(merged, ctx)
    res = invoke("template", "--agency", "u-minh", "-o", tmp_path / "out", "--prefill", merged)
    assert res.exit_code == 0, res.output
    ws = load_workbook(tmp_path / "out" / "DTI2023_u-minh.xlsx")[DATA]
    got = {iid: ws[f"{PRE}{r}"].value for r, iid in data_rows(ws)}
    assert got["1.9.a"] == "Có" and got["4.5.a"] is None  # the province's 120 is not U Minh's


def test_prefill_file_that_is_not_a_merged_workbook(invoke, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    res = invoke("template", "--agency", "STC", "-o", tmp_path / "out", "--prefill", bad)
    assert res.exit_code == 1
    assert "bad.xlsx" in res.output
    assert not (tmp_path / "out").exists()


# -- a filled template goes back through merge ------------------------------------------------------------


def typed_values(ctx, rng: random.Random, inputs) -> dict[str, object]:
    """What an official types: numbers, the yes/no words, choice labels, sometimes the no-data text."""
    typed: dict[str, object] = {}
    for inp in inputs:
        if rng.random() < 0.08:
            typed[inp.id] = ND
        elif inp.type == "yes_no":
            typed[inp.id] = "Có" if rng.random() < 0.6 else "Không"
        elif inp.type == "choice":
            typed[inp.id] = rng.choice(inp.choices).label_vi
        elif inp.type == "count":
            typed[inp.id] = rng.choice([0, rng.randint(0, 12), rng.randint(0, 400)])
        else:
            typed[inp.id] = rng.choice([0.0, round(rng.uniform(0, 3), 2), round(rng.uniform(0, 400), 1)])
    for inp in inputs:  # a part is never larger than its whole (merge refuses it)
        whole = typed.get(inp.part_of or "")
        if isinstance(whole, (int, float)) and isinstance(typed[inp.id], (int, float)) and typed[inp.id] > whole:
            typed[inp.id] = whole
    return typed


def test_filled_templates_merge_with_every_value_found(ctx, tmp_path):
    from helpers_fill import fill_template, template_path

    from dti_cli import api
    from dti_cli.values import parse_value

    rng = random.Random(7)
    returned = tmp_path / "returned"
    returned.mkdir()
    typed_all: dict[str, object] = {}
    for a in assignments(ctx):
        typed = typed_values(ctx, rng, a.inputs)
        if a.unit.id == "so-tttt":
            typed["3.1.a"], typed["3.1.b"] = "1.234", 5000  # a number typed as text, the Vietnamese way
        fill_template(template_path(ctx, a.unit.id), typed, {"name": "Nguyễn Văn A", "date": date(2023, 10, 1)},
                      out=returned / layout.file_name(a.unit.id, ctx.year), by_name=True)
        typed_all.update({k: v for k, v in typed.items() if not ctx.catalogue.inputs[k].per_unit})
    result = api.merge(ctx, [returned])
    assert not result.not_received
    by_id = {r["input_id"]: r for r in result.data}
    assert set(by_id) == set(ctx.catalogue.inputs)
    wrong = {iid: r["status"] for iid, r in by_id.items() if r["status"] not in ("ok", "no_data")}
    assert not wrong
    for iid, raw in typed_all.items():
        want = parse_value(raw, ctx.catalogue.inputs[iid], lang="vi").value
        if isinstance(want, bool):  # the merged data holds yes/no as the words
            want = layout.YES_NO["vi"][0 if want else 1]
        got = by_id[iid]
        if raw == ND:
            assert got["status"] == "no_data", iid
        else:
            assert got["status"] == "ok" and got["value"] == want, (iid, raw, got["value"])
    assert {s.cover.get("name") for s in result.submissions} == {"Nguyễn Văn A"}


# -- another round -------------------------------------------------------------------------------------


def test_a_round_of_another_year_says_its_own_years(invoke, tmp_path):
    from dti_cli.methodology.catalogue import data_path

    cat = data_path("catalogue_2023.toml").read_text(encoding="utf-8")
    assert "\nyear = 2023\n" in cat
    (tmp_path / "catalogue_2024.toml").write_text(cat.replace("\nyear = 2023\n", "\nyear = 2024\n", 1), encoding="utf-8")
    res = invoke("--catalogue", tmp_path / "catalogue_2024.toml", "template", "--agency", "STC", "-o", tmp_path / "out",
                 "--deadline", "15/10/2024")
    assert res.exit_code == 0, res.output
    wb = load_workbook(tmp_path / "out" / "DTI2024_so-tc.xlsx")
    assert stamp_of(wb)["year"] == "2024"
    ws = wb[DATA]
    assert ws[f"{layout.COL['target']}{layout.HEADER_ROW}"].value == "Mục tiêu năm 2024"
    assert ws[f"{layout.COL['baseline']}{layout.HEADER_ROW}"].value == "Điểm năm 2022"
    assert "NĂM 2024" in ws["A1"].value and "2023" not in ws["A1"].value



# -- written in several processes ------------------------------------------------------------------------


def cells_of(path: Path) -> dict[tuple[str, str], object]:
    wb = load_workbook(path)
    out: dict[tuple[str, str], object] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None and not (ws.title == "_dti" and c.row == layout.STAMP_KEYS.index("generated_at") + 1):
                    out[(ws.title, c.coordinate)] = c.value
    return out


def test_several_processes_write_what_one_writes(ctx, tmp_path):
    from dti_cli.template import write_templates

    items = assignments(ctx)
    one = write_templates(ctx, items, tmp_path / "one", workers=1)
    three = write_templates(ctx, items, tmp_path / "three", workers=3)
    assert [p.name for _a, p in three.written] == [p.name for _a, p in one.written]
    for (_a, p1), (_b, p3) in zip(one.written, three.written, strict=True):
        assert cells_of(p1) == cells_of(p3), p1.name
    assert not [p for p in (tmp_path / "three").iterdir() if p.suffix != ".xlsx"]


def test_an_error_in_another_process_is_raised_once_all_have_stopped(ctx, tmp_path, monkeypatch):
    from dti_cli.core.errors import OutputError
    from dti_cli.template import book, write_templates
    from dti_cli.template import write as write_module

    real = book.write_book

    def failing(path, shared, a, stamp, last=None):
        if a.unit.id == "so-yt":
            raise OutputError("so-yt cannot be written")
        return real(path, shared, a, stamp, last)

    monkeypatch.setattr(write_module, "write_book", failing)
    with pytest.raises(OutputError, match="so-yt cannot be written"):
        write_templates(ctx, assignments(ctx), tmp_path, workers=4)
    assert not (tmp_path / "DTI2023_so-yt.xlsx").exists()
    assert not [p for p in tmp_path.iterdir() if p.suffix != ".xlsx"]  # no temporary file left by any process


def test_workbooks_are_shared_out_by_their_size():
    from dti_cli.template.parallel import shares

    groups = shares([95, 39, 26, 19, 19, 15, 15, 13, 12, 12, 12, 11, 11, 2, 1], float, 2)
    assert sorted(x for g in groups for x in g) == sorted([95, 39, 26, 19, 19, 15, 15, 13, 12, 12, 12, 11, 11, 2, 1])
    assert abs(sum(groups[0]) - sum(groups[1])) <= 11
