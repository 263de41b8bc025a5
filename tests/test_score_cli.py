"""`dti score` as a user runs it, on merged workbooks written by the real writer (dti_cli.formats.merged.write_merged)."""

from __future__ import annotations

import io
import json
import shutil

import pytest

from dti_cli.api import score_file
from dti_cli.formats.merged import encode_value, write_merged
from dti_cli.formats.scores import read_scores
from dti_cli.methodology.model import NO_DATA


def score_merged(ctx, path):
    return score_file(ctx, path)

VALUES = {
    "1.1.a": "chu_tich", "1.3.a": 2.0, "1.3.b": 3.0, "1.5.a": True, "1.5.b": 19.0, "1.6.a": NO_DATA,
    "3.5.a": "dat_chuan", "3.5.b": False, "3.6.a": 3.0, "3.6.c": 0.0,
    "4.11.a": 3.0, "4.11.b": 100.0, "7.10.a": 2013.0, "7.10.b": 10000.0,
    "5.5.a": 0.0, "5.5.b": 0.0, "5.12.2.a": 2.0,
}


def make_merged(path, ctx, values=VALUES, references=(), adjustments=()):
    rows = []
    for iid, inp in ctx.catalogue.inputs.items():
        v = values.get(iid)
        status = "no_data" if v is NO_DATA else "ok" if v is not None else "missing"
        rows.append({"input_id": iid, "indicator": inp.indicator, "label": inp.label_vi, "value": encode_value(v), "status": status,
                     "source_agency": "Sở Thông tin và Truyền thông", "source_file": "DTI2023_so-tttt.xlsx", "sheet": "Dữ liệu", "cell": "F9"})
    write_merged(path, {"data": rows, "references": list(references), "adjustments": list(adjustments)},
                 {"catalogue_id": ctx.catalogue.id, "catalogue_version": ctx.catalogue.version, "catalogue_sha256": ctx.catalogue.sha256,
                  "province_id": "camau", "year": "2023"})
    return path


@pytest.fixture
def merged(tmp_path, ctx):
    return make_merged(tmp_path / "merged.xlsx", ctx, references=[{"indicator": "7.10", "key": "best", "value": 0.9196, "source": "Bộ TT&TT"},
                                                                  {"indicator": "4.11", "key": "min", "value": None}])


def test_default_input_and_output_in_the_current_folder(invoke, merged, monkeypatch):
    monkeypatch.chdir(merged.parent)
    r = invoke("score")
    assert r.exit_code == 0, r.output
    assert "Chỉ số chính 3" in r.output and "Tổng điểm DTI" in r.output
    assert "không có số liệu" in r.output and "cần giá trị tham chiếu" in r.output
    assert "Đã ghi điểm vào scores.xlsx" in r.output
    d = read_scores(merged.parent / "scores.xlsx")
    by = d.indicators
    assert round(by["3.6"].points, 2) == 4.29 and round(by["7.10"].points, 2) == 2.19
    assert by["4.11"].status == "needs_reference" and by["1.6"].status == "no_data"
    # a re-run replaces the scores.xlsx that dti wrote, without --force
    assert invoke("score").exit_code == 0


def test_json_output_equals_the_library_result(invoke, merged, ctx):
    r = invoke("score", merged, "--format", "json")
    assert r.exit_code == 0
    printed = r.stdout
    assert json.loads(printed) == json.loads(json.dumps(score_merged(ctx, merged).to_dict()))


def test_the_table_shows_totals_confirmed_and_estimated(invoke, merged, ctx):
    s = score_merged(ctx, merged)
    r = invoke("score", merged)
    assert s.total_estimated > s.total_confirmed  # 4.11 carries its 2022 score
    assert f"{s.total_confirmed:.2f}".replace(".", ",") in r.output  # two decimals, the Vietnamese decimal comma
    assert f"{s.total_estimated:.2f}".replace(".", ",") in r.output


def test_explain_shows_inputs_sources_rule_and_arithmetic(invoke, merged):
    r = invoke("score", merged, "--explain", "3.6")
    assert r.exit_code == 0, r.output
    for text in ("3.6.a", "DTI2023_so-tttt.xlsx", "Dữ liệu!F9", "Sở Thông tin và Truyền thông", "a/7 = 3/7 = 42,86%", "4,29 / 20", "Cộng các phần"):
        assert text in r.output, text
    assert not (merged.parent / "scores.xlsx").exists()  # --explain only looks


def test_explain_works_for_every_indicator(invoke, merged, ctx):
    from rich.console import Console

    from dti_cli.score.explain import explain_dict
    from dti_cli.terminal.score import explain_view

    scores = score_merged(ctx, merged)
    console = Console(width=160, record=True, file=io.StringIO())
    for code in ctx.catalogue.indicators:  # every one through the library (reading the workbook once) …
        d = explain_dict(ctx, scores, code)
        assert d["code"] == code and d["trace"] and d["rule_vi"]
        console.print(explain_view(ctx, scores, d))
        assert code in console.export_text()
    kinds = {}
    for ind in ctx.catalogue.indicators.values():
        kinds.setdefault(ind.rule.kind, ind.code)
    for code in kinds.values():  # … and one of each rule kind through the command
        r = invoke("score", merged, "--explain", code, "--format", "json")
        assert r.exit_code == 0, (code, r.output)
        assert json.loads(r.stdout) == json.loads(json.dumps(explain_dict(ctx, scores, code)))
    r = invoke("score", merged, "--explain", "1.6")
    assert "Không có số liệu" in r.output


def test_explain_an_unknown_code_is_a_usage_error(invoke, merged):
    r = invoke("score", merged, "--explain", "3.66")
    assert r.exit_code == 2 and "3.6" in r.output


def test_references_file_overrides_the_workbook(invoke, merged, ctx, tmp_path):
    refs = tmp_path / "refs.csv"
    refs.write_text("indicator,key,value,source\n7.10,best,\"0,4026\",Bộ\n4.11,min,0.01,Bộ\n4.11,max,0.05,Bộ\n", encoding="utf-8-sig")
    r = invoke("score", merged, "--references", refs, "--format", "json", "-o", tmp_path / "s.json")
    assert r.exit_code == 0, r.output
    by = {i["code"]: i for i in json.loads(r.stdout)["indicators"]}
    assert by["7.10"]["points"] == pytest.approx(10 * 0.2013 / 0.4026)
    assert by["4.11"]["points"] == pytest.approx(2.5) and by["4.11"]["status"] == "scored"


def test_adjustments_are_applied_and_a_bad_one_names_its_cell(invoke, tmp_path, ctx):
    m = make_merged(tmp_path / "merged.xlsx", ctx, adjustments=[
        {"input_id": "1.3.a", "new_value": "3", "reason": "Bổ sung văn bản 45/UBND", "by": "Sở TT&TT", "date": "2023-10-02"},
        {"input_id": "1.1.a", "new_value": "ông A", "reason": "?"},
    ])
    r = invoke("score", m)
    assert r.exit_code == 1
    assert "Điều chỉnh!B3" in r.output and "1.1.a" in r.output
    assert "Bổ sung văn bản 45/UBND" in r.output and "1.3.a 2 → 3" in r.output
    d = read_scores(tmp_path / "scores.xlsx")  # still written, with the problem recorded
    assert d.indicators["1.3"].points == 10
    bad = [p for p in d.problems if p.code == "score.adjustment_bad_value"]
    assert bad and (bad[0].sheet, bad[0].cell) == ("Điều chỉnh", "B3")


def test_a_foreign_output_needs_force(invoke, merged):
    out = merged.parent / "scores.xlsx"
    out.write_text("my notes")
    r = invoke("score", merged)
    assert r.exit_code == 1 and "--force" in r.output and out.read_text() == "my notes"
    assert invoke("score", merged, "--force").exit_code == 0
    assert read_scores(out).indicators


def test_csv_and_json_outputs_by_extension(invoke, merged, tmp_path):
    assert invoke("score", merged, "-o", tmp_path / "s.csv").exit_code == 0
    raw = (tmp_path / "s.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig").startswith("code,name,lead,points,max_points,status")
    assert invoke("score", merged, "-o", tmp_path / "s.json").exit_code == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["format"] == "dti-scores"
    r = invoke("score", merged, "-o", tmp_path / "s.txt")
    assert r.exit_code == 2 and ".xlsx" in r.output


def test_missing_or_wrong_input_file(invoke, tmp_path):
    r = invoke("score", tmp_path / "merged.xlsx")
    assert r.exit_code == 1 and "dti merge" in r.output
    (tmp_path / "x.xlsx").write_text("not a workbook")
    r = invoke("score", tmp_path / "x.xlsx")
    assert r.exit_code == 1 and "x.xlsx" in r.output


def test_one_agency_scores_its_own_returned_template(invoke, ctx, tmp_path):
    from helpers_fill import fill_template, template_path

    t = tmp_path / "DTI2023_so-tttt.xlsx"
    shutil.copy(template_path(ctx, "so-tttt"), t)
    fill_template(t, {"3.6.a": "3", "3.6.c": 0, "1.2.a": "Có", "1.2.b": "Không có số liệu", "1.1.a": "Phó Bí thư/Phó Chủ tịch tỉnh"})
    r = invoke("score", t, "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    by = {i["code"]: i for i in d["indicators"]}
    assert round(by["3.6"]["points"], 2) == 4.29 and by["1.1"]["points"] == 5
    assert (by["1.2"]["status"], by["1.2"]["points"]) == ("no_data", 5)
    assert by["6.8"]["status"] == "no_data"  # not in this agency's file
    assert d["source"]["kind"] == "template"
    assert (tmp_path / "DTI2023_so-tttt.scores.xlsx").exists() and not (tmp_path / "scores.xlsx").exists()


def test_help_has_an_example(invoke):
    r = invoke("score", "--help")
    assert r.exit_code == 0 and "Ví dụ: dti score" in r.output


def test_own_template_with_a_bad_value_is_checked_as_merge_checks_it(invoke, ctx, tmp_path):
    from helpers_fill import fill_template, template_path

    t = tmp_path / "DTI2023_so-tttt.xlsx"
    shutil.copy(template_path(ctx, "so-tttt"), t)
    fill_template(t, {"3.1.a": -5, "3.1.b": 1000, "1.3.a": "9", "1.3.b": "12"})
    r = invoke("score", t, "--format", "json")
    assert r.exit_code == 1
    d = json.loads(r.stdout)
    bad = [p for p in d["problems"] if p.get("input") == "3.1.a"]
    assert bad and "value.negative" in {p["code"] for p in bad} and bad[0]["file"] == "DTI2023_so-tttt.xlsx"
    by = {i["code"]: i for i in d["indicators"]}
    assert by["3.1"]["status"] == "no_data" and by["1.3"]["points"] == 7.5


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_a_references_table_with_a_title_above_its_header(invoke, merged, tmp_path, form):
    """Officials put a title line (and a blank row) above a table's header: the header is found below them."""
    rows = [["Giá trị tham chiếu toàn quốc năm 2023 (Bộ TT&TT)"], [], ["Chỉ số", "Khóa", "Giá trị", "Nguồn"],
            ["7.10", "best", 0.4026, "Bộ"], ["4.11", "min", 0.01, "Bộ"], ["4.11", "max", 0.05, "Bộ"]]
    refs = tmp_path / f"refs.{form}"
    if form == "csv":
        refs.write_text("\n".join(",".join(str(c) for c in r) for r in rows) + "\n", encoding="utf-8-sig")
    else:
        import openpyxl

        wb = openpyxl.Workbook()
        for r in rows:
            wb.active.append(r)
        wb.save(refs)
    r = invoke("score", merged, "--references", refs, "--format", "json", "-o", tmp_path / "s.json")
    assert r.exit_code == 0, r.output
    by = {i["code"]: i for i in json.loads(r.stdout)["indicators"]}
    assert by["7.10"]["points"] == pytest.approx(10 * 0.2013 / 0.4026)  # 2013 / 10000 domains per business, against the best
    assert by["4.11"]["points"] == pytest.approx(2.5)
