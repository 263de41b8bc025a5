"""Issue 13: a new rule kind is one file (tests/kinds/square_root.py) and a catalogue that uses it.

Without touching dti_cli: `dti catalog check` accepts it, its words show, the template writes its
formula (and LibreOffice computes the same points), scoring uses it, the plan's inverse works.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import uuid
from pathlib import Path

import kinds.square_root  # noqa: F401  (registers the kind, as a year's methodology package would)
import pytest

PROFILE = """
[province]
id = "thu-nghiem"
name = "Thử Nghiệm"
name_full = "Tỉnh Thử Nghiệm"
year = 2023
catalogue = "catalogue.toml"
baseline = "baseline.toml"

[focal_point]
agency = "Sở Thông tin và Truyền thông"
contact_name = "Nguyễn Văn A"
phone = "0290 3 000 000"
email = "a@example.gov.vn"

[[agency]]
id = "so-tttt"
name = "Sở Thông tin và Truyền thông"
short = "Sở TT&TT"
kind = "department"
"""

CATALOGUE = """
[catalogue]
id = "thu-nghiem-2023"
version = "1"
year = 2023
total_points = 30

[[pillar]]
code = "1"
name_vi = "Nhận thức số"
name_en = "Digital awareness"
max_points = 30

[[indicator]]
code = "1.1"
parent = "1"
name_vi = "Tỷ lệ căn bậc hai"
name_en = "Square-root ratio"
max_points = 20
lead = ["so-tttt"]
target_vi = "Đạt 64%"
target = { kind = "ratio", value = 0.64, op = ">=" }
[indicator.rule]
kind = "square_root"
numerator = ["1.1.a"]
denominator = ["1.1.b"]
[[indicator.inputs]]
id = "1.1.a"
label_vi = "Số việc đã làm"
label_en = "Done"
type = "count"
unit = "việc"
[[indicator.inputs]]
id = "1.1.b"
label_vi = "Tổng số việc"
label_en = "All"
type = "count"
unit = "việc"

[[indicator]]
code = "1.2"
parent = "1"
name_vi = "Có chuyên mục"
name_en = "Has a section"
max_points = 10
lead = ["so-tttt"]
[indicator.rule]
kind = "yes_no"
input = "1.2.a"
[[indicator.inputs]]
id = "1.2.a"
label_vi = "Có chuyên mục"
label_en = "Has a section"
type = "yes_no"
"""

BASELINE = """
[baseline]
year = 2022
province = "Thử Nghiệm"

[summary]
max_points = 30
score = 10
change_vs_previous = 2
rank = 30
of = 63
rank_change_vs_previous = 1

[[pillar]]
code = "1"
max_points = 30
score = 10
change_vs_previous = 2
rank = 30
rank_change_vs_previous = 1

[[indicator]]
code = "1.1"
score = 10

[[indicator]]
code = "1.2"
score = 0
"""


@pytest.fixture
def province(tmp_path):
    d = tmp_path / "tinh"
    d.mkdir()
    (d / "profile.toml").write_text(PROFILE, encoding="utf-8")
    (d / "catalogue.toml").write_text(CATALOGUE, encoding="utf-8")
    (d / "baseline.toml").write_text(BASELINE, encoding="utf-8")
    return d / "profile.toml"


@pytest.fixture
def tctx(province):
    from dti_cli.methodology.context import load_context

    return load_context(province)


def test_catalog_check_and_words(invoke, province):
    r = invoke("--profile", province, "catalog", "check")
    assert r.exit_code == 0, r.output
    r = invoke("--profile", province, "catalog", "show", "1.1", "--format", "json")
    d = json.loads(r.stdout)
    assert d["rule"]["kind"] == "square_root" and d["rule_vi"] == "√(a/b) × 20"


def test_score_measured_inverse_and_requirement(tctx):
    from dti_cli.methodology.steps import gap
    from dti_cli.score import score_values

    s = score_values(tctx, {"1.1.a": 25.0, "1.1.b": 100.0, "1.2.a": True})
    assert s.indicators["1.1"].points == pytest.approx(math.sqrt(0.25) * 20)  # √25% = 50% of 20 = 10
    assert "√" in s.indicators["1.1"].trace
    ind = tctx.catalogue.indicators["1.1"]
    assert ind.rule.measured({"1.1.a": 25.0, "1.1.b": 100.0}) == 0.25
    # 16 points = 80% of the max → √(a/b) ≥ 0.8 → a/b ≥ 0.64 → a ≥ 64 of 100
    assert ind.rule.inverse(ind, "1.1.a", 16, {"1.1.a": 25.0, "1.1.b": 100.0}, {}) == 64
    g = gap(ind, {"1.1.a": 25.0, "1.1.b": 100.0}, {})
    assert g.target and g.target.points == pytest.approx(16) and g.target.needs[0].value == 64


def test_template_formula_equals_the_score_in_libreoffice(invoke, province, tctx, tmp_path, soffice):
    from helpers_fill import fill_template
    from openpyxl import load_workbook

    from dti_cli.formats import template as layout

    out = tmp_path / "phieu"
    r = invoke("--profile", province, "template", "--all", "-o", out)
    assert r.exit_code == 0, r.output
    book = next(out.glob("*.xlsx"))
    fill_template(book, {"1.1.a": 36, "1.1.b": 100, "1.2.a": "Có"}, by_name=True)
    calc = tmp_path / "calc"
    calc.mkdir()
    profile = Path("/tmp") / f"dti-lo-{uuid.uuid4().hex}"
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "xlsx",
                        "--outdir", str(calc), str(book)], check=True, capture_output=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    ws = load_workbook(calc / book.name, data_only=True)[layout.sheet_title("data", "vi")]
    col = layout.col_index(layout.EXPECTED_COL) + 1
    got = {ws.cell(r, 1).value: ws.cell(r, col).value for r in range(layout.FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value}
    assert got["1.1.a"] == pytest.approx(math.sqrt(0.36) * 20)  # 12 points, computed by LibreOffice from the kind's formula
    r = invoke("--profile", province, "merge", book, "-o", tmp_path / "m.xlsx")
    assert r.exit_code == 0, r.output
    r = invoke("--profile", province, "score", tmp_path / "m.xlsx", "--format", "json")
    d = {i["code"]: i for i in json.loads(r.stdout)["indicators"]}
    assert d["1.1"]["points"] == pytest.approx(12) and d["1.2"]["points"] == 10
