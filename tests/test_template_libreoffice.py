"""Templates in LibreOffice: they convert and reopen intact, and their expected points equal the methodology.

Filled with openpyxl, recalculated by converting xlsx → xlsx with soffice (formulas written by
openpyxl carry no cached value, so LibreOffice computes them on load), then read back.
Skipped cleanly when LibreOffice is not installed.
"""

from __future__ import annotations

import random
import subprocess
import uuid
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dti_cli.template import assignments, defined_name, expected_points_formula
from dti_cli.values import NO_DATA, NO_DATA_TEXT

pytestmark = pytest.mark.libreoffice
ND = NO_DATA_TEXT["vi"]


def convert(soffice: str, files: list[Path], outdir: Path) -> None:
    """xlsx → xlsx with a private LibreOffice profile (parallel runs must not share one)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path("/tmp") / f"dti-lo-{uuid.uuid4().hex}"
    cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, files)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    missing = [f.name for f in files if not (outdir / f.name).exists()]
    assert not missing, f"LibreOffice did not convert {missing}"


def fill(src: Path, dst: Path, values: dict[str, object]) -> None:
    """Type values into the value cells, found by their defined names, as an official would."""
    wb = load_workbook(src)
    for iid, v in values.items():
        name = defined_name(iid)
        if name in wb.defined_names:
            sheet, ref = next(iter(wb.defined_names[name].destinations))
            wb[sheet][ref.replace("$", "")] = v
    wb.save(dst)


def expected_points(path: Path, ctx) -> dict[str, object]:
    """Column N of the first row of each indicator, as LibreOffice computed it."""
    ws = load_workbook(path, data_only=True)["Dữ liệu"]
    got: dict[str, object] = {}
    for r in range(5, ws.max_row + 1):
        iid = ws.cell(r, 1).value
        if iid:
            code = ctx.catalogue.inputs[iid].indicator
            if code not in got:
                got[code] = ws.cell(r, 14).value
    return got


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    from typer.testing import CliRunner

    from dti_cli.cli import app

    out = tmp_path_factory.mktemp("blank")
    res = CliRunner().invoke(app, ["template", "--all", "-o", str(out)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return out


def test_every_template_converts_and_reopens_intact(soffice, ctx, blank, tmp_path):
    files = sorted(blank.glob("*.xlsx"))
    convert(soffice, files, tmp_path)
    for f in files:
        orig, back = load_workbook(f), load_workbook(tmp_path / f.name)
        assert back.sheetnames == orig.sheetnames, f.name
        assert back["_dti"].sheet_state == "hidden" and back["_lists"].sheet_state == "hidden"
        stamp = {r[0]: r[1] for r in back["_dti"].iter_rows(values_only=True) if r[0]}
        assert stamp["input_ids"] == {r[0]: r[1] for r in orig["_dti"].iter_rows(values_only=True) if r[0]}["input_ids"]
        assert set(orig.defined_names) <= set(back.defined_names), f.name
        ws, wo = back["Dữ liệu"], orig["Dữ liệu"]
        assert ws.protection.sheet
        assert len(ws.data_validations.dataValidation) >= len(stamp["input_ids"].split(",")), f.name
        for r in range(5, wo.max_row + 1):
            assert ws.cell(r, 1).value == wo.cell(r, 1).value
            if isinstance(wo.cell(r, 14).value, str) and wo.cell(r, 14).value.startswith("="):
                assert str(ws.cell(r, 14).value).startswith("="), f"{f.name} N{r}"
        # blank template: nothing typed, nothing shown
        got = expected_points(tmp_path / f.name, ctx)
        assert all(v in (None, "") or isinstance(v, str) for v in got.values()), f.name


def label(ctx, iid: str, value: str) -> str:
    return next(c.label_vi for c in ctx.catalogue.inputs[iid].choices if c.value == value)


def test_expected_points_follow_the_methodology(soffice, ctx, blank, tmp_path):
    """Hand-computed points for the cases the methodology spells out."""
    cases = {
        "DTI2023_so-tttt.xlsx": {
            "5.5.a": 0, "5.5.b": 0,  # no botnet IP found: nothing undone, full points
            "5.11.a": 3, "5.11.b": ND,  # "no data" is not a zero denominator: 0, not full points
            "1.3.a": 12, "1.3.b": 10,  # above 100% counts as 100%
            "3.6.a": 14, "3.6.c": 7,  # parts: min(1, 14/7)·10 + (7/14)·10
            "6.21.a": 14,  # 1 point each, at most 10
            "1.1.a": label(ctx, "1.1.a", "pho"),
            "3.5.a": label(ctx, "3.5.a", "chua_dat_chuan"), "3.5.b": "Có",  # 0.5·15 + 15
            "6.2.a": "Có", "6.2.b": ND,  # no data counts 0
            "7.3.a": 4, "7.3.b": 80,  # threshold 10%: 5% → half of 10
            "3.1.a": 3,  # denominator left empty: 0
            "1.10.a": "hang_tuan",  # a choice's value code is read like its label
        },
        "DTI2023_cong-ttdt.xlsx": {"1.5.a": "Có", "1.5.b": 15, "6.1.a": "Không", "6.1.b": "Có", "8.8.2.2.a": 5, "8.8.2.2.b": 0},
        "DTI2023_tt-gqtthc.xlsx": {"6.8.a": 9, "6.8.b": 10, "8.8.2.3.a": 0, "8.8.2.3.b": 0, "6.12.a": 100, "6.12.b": 50, "6.12.c": 40},
        "DTI2023_so-tc.xlsx": {"6.22.a": 1, "6.22.b": 0.5, "6.22.c": 200, "5.12.1.a": 0.7, "5.12.1.b": 0, "5.12.1.c": 10,  # 0.7/10 lands a hair below 7%: still 7%
                               "5.12.2.a": 1.5, "5.12.3.a": 0.49, "7.12.a": ND, "7.12.b": 3, "2.8.a": "Có"},
    }
    want = {
        "5.5": 5, "5.11": 0, "1.3": 10, "3.6": 15, "6.21": 10, "1.1": 5, "3.5": 22.5, "6.2": 2.5, "7.3": 5, "3.1": 0, "1.10": 10,
        "1.5": 5, "6.1": 2, "8.8.2.2": 0,
        "6.8": 0, "8.8.2.3": 0, "6.12": 20,
        "6.22": 7.5, "5.12.1": 3.5, "5.12.2": 1.4, "5.12.3": 0, "7.12": 0, "2.8": 10,
        "1.2": "", "6.3": "",  # nothing typed: nothing shown
    }
    filled = tmp_path / "filled"
    filled.mkdir()
    for name, values in cases.items():
        fill(blank / name, filled / name, values)
    convert(soffice, sorted(filled.glob("*.xlsx")), tmp_path / "calc")
    got: dict[str, object] = {}
    for name in cases:
        got.update(expected_points(tmp_path / "calc" / name, ctx))
    wrong = {c: (got.get(c), w) for c, w in want.items() if not (got.get(c) in ("", None) if w == "" else got.get(c) == pytest.approx(w))}
    assert not wrong, f"indicator: (LibreOffice, expected) {wrong}"


def random_values(ctx, rng: random.Random, inputs) -> tuple[dict[str, object], dict[str, object]]:
    """What an official types (cell values) and what the scorer receives for the same entries."""
    typed: dict[str, object] = {}
    parsed: dict[str, object] = {}
    for inp in inputs:
        if rng.random() < 0.08:
            typed[inp.id], parsed[inp.id] = ND, NO_DATA
        elif inp.type == "yes_no":
            yes = rng.random() < 0.6
            typed[inp.id], parsed[inp.id] = ("Có" if yes else "Không"), yes
        elif inp.type == "choice":
            c = rng.choice(inp.choices)
            typed[inp.id], parsed[inp.id] = c.label_vi, c.value
        elif inp.type == "count":
            v = rng.choice([0, rng.randint(0, 12), rng.randint(0, 60), rng.randint(0, 400)])
            typed[inp.id], parsed[inp.id] = v, float(v)
        else:
            v = rng.choice([0.0, round(rng.uniform(0, 3), 2), round(rng.uniform(0, 400), 1)])
            typed[inp.id], parsed[inp.id] = v, v
    return typed, parsed


def test_expected_points_equal_the_python_scorer(soffice, ctx, blank, tmp_path):
    try:
        from dti_cli import score
    except ImportError:
        pytest.skip("dti_cli.score is not there yet")
    if not hasattr(score, "score_all"):
        pytest.skip("dti_cli.score has no score_all yet")
    items = [a for a in assignments(ctx)
             if any(expected_points_formula(ctx.catalogue.indicators[c]) for c in a.indicators)]
    filled = tmp_path / "filled"
    filled.mkdir()
    scenarios = []
    for seed in range(3):
        rng = random.Random(seed)
        typed_all: dict[str, object] = {}
        parsed_all: dict[str, object] = {}
        for a in items:
            typed, parsed = random_values(ctx, rng, [i for i in a.inputs if not i.per_unit])
            typed_all.update(typed)
            parsed_all.update(parsed)
            fill(blank / a.file_name(2023), filled / f"s{seed}_{a.file_name(2023)}", typed)
        scenarios.append((seed, typed_all, parsed_all))
    convert(soffice, sorted(filled.glob("*.xlsx")), tmp_path / "calc")
    compared = 0
    wrong = []
    for seed, typed, parsed in scenarios:
        scores = score.score_all(ctx, parsed)
        for a in items:
            got = expected_points(tmp_path / "calc" / f"s{seed}_{a.file_name(2023)}", ctx)
            for code in a.indicators:
                if expected_points_formula(ctx.catalogue.indicators[code]) is None:
                    continue
                py = scores.indicators[code].points or 0.0
                compared += 1
                if not isinstance(got[code], (int, float)) or abs(got[code] - py) > 1e-6:
                    inputs = {i.id: typed.get(i.id) for i in ctx.catalogue.indicators[code].inputs}
                    wrong.append(f"seed {seed} {code}: LibreOffice {got[code]!r}, score.py {py!r}, inputs {inputs}")
    assert compared > 150
    assert not wrong, "\n".join(wrong)
