"""`dti status`: who has returned, who has not, completeness, inputs no one supplied, the deadline."""

from __future__ import annotations

import json
from datetime import date

from helpers_fill import make_returned_set


def test_status_lists_missing_agencies_and_inputs(invoke, tmp_path, ctx):
    paths = make_returned_set(tmp_path, ctx, {"3.1.a": None}, only=["so-tttt", "bao-ca-mau"])
    folder = paths["so-tttt"].parent
    res = invoke("status", folder, "--deadline", "2023-10-15", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["returned"] == 2
    assert "cong-ttdt" in data["not_returned"] and "so-tttt" not in data["not_returned"]
    assert data["expected"] == len(data["units"])
    units = {u["unit_id"]: u for u in data["units"]}
    assert units["bao-ca-mau"]["completeness"] == 1.0
    assert 0 < units["so-tttt"]["completeness"] < 1  # 3.1.a left empty
    assert units["dai-ptth"]["returned"] is False and units["dai-ptth"]["verdict"] == "not_received"
    assert "1.7.a" in data["inputs_missing"] and "3.1.a" in data["inputs_missing"] and "1.6.a" not in data["inputs_missing"]
    assert data["deadline"] == "2023-10-15"
    assert data["days_left"] == (date(2023, 10, 15) - date.today()).days
    # the chase list comes first: units that have not returned, then the least complete
    assert [u["returned"] for u in data["units"]] == sorted(u["returned"] for u in data["units"])


def test_status_json_equals_library(invoke, tmp_path, ctx):
    from dti_cli.merge import collect_paths, round_status, run_merge

    paths = make_returned_set(tmp_path, ctx, only=["so-tttt"])
    res = invoke("status", *paths.values(), "--format", "json")
    files, skipped = collect_paths(paths.values())
    lib = round_status(run_merge(ctx, files, skipped=skipped))
    got = json.loads(res.output)
    for u in (*got["units"], *lib["units"]):
        u.pop("received")  # the file time, written as local time
    assert got == json.loads(json.dumps(lib, ensure_ascii=False))


def test_status_table_deadline_past_and_rejected_file(invoke, tmp_path, ctx):
    paths = make_returned_set(tmp_path, ctx, only=["bao-ca-mau"])
    junk = paths["bao-ca-mau"].parent / "la.xlsx"
    junk.write_bytes(b"not a workbook")
    res = invoke("status", paths["bao-ca-mau"].parent, "--deadline", "15/10/2023")
    assert res.exit_code == 0, res.output
    assert "Đã nhận 1/" in res.output
    assert "CHƯA NỘP" in res.output.upper() and "Đài Phát thanh - Truyền hình tỉnh" in res.output
    past = (date.today() - date(2023, 10, 15)).days
    assert f"{past} ngày" in res.output and "15/10/2023" in res.output  # one date style: dd/mm/yyyy
    assert "la.xlsx" in res.output
    assert "1.7.a" in res.output  # an input no one has supplied


def test_status_usage_errors(invoke, tmp_path):
    res = invoke("status", tmp_path / "khong-co")
    assert res.exit_code == 2 and "không tìm thấy" in res.output
    empty = tmp_path / "rong"
    empty.mkdir()
    res = invoke("status", empty)
    assert res.exit_code == 2 and "Không tìm thấy tệp Excel" in res.output
    res = invoke("status", empty, "--deadline", "sang mai")
    assert res.exit_code == 2 and "--deadline" in res.output
