"""Templates in LibreOffice: they convert and reopen intact, their expected points equal the scorer's,
a template filled and saved by LibreOffice merges, and they print on A4 within a page limit.

Filled with openpyxl through the defined names, as helpers_fill does, then recalculated by
converting xlsx → xlsx with soffice (openpyxl drops the cached values of formulas, so
LibreOffice computes them on load), then read back. Skipped cleanly when LibreOffice is not
installed.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dti_cli.formats import template as layout
from dti_cli.methodology.assign import assignments
from dti_cli.methodology.model import NO_DATA
from dti_cli.methodology.rules.formula import Formula

pytestmark = pytest.mark.libreoffice
ND = layout.NO_DATA_TEXT["vi"]
DATA = layout.sheet_title("data", "vi")
EXPECTED = layout.col_index(layout.EXPECTED_COL) + 1


@pytest.fixture(autouse=True)
def vietnamese():
    from dti_cli.commands.base import set_language

    set_language("vi")
    yield
    set_language("vi")


def convert(soffice: str, files: list[Path], outdir: Path, to: str = "xlsx") -> None:
    """xlsx → xlsx (recalculated) or → pdf, with a private LibreOffice profile (parallel runs must not share one)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path("/tmp") / f"dti-lo-{uuid.uuid4().hex}"
    cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", to, "--outdir", str(outdir),
           *map(str, files)]
    try:
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    missing = [f.name for f in files if not (outdir / f.with_suffix(f".{to}").name).exists()]
    assert not missing, f"LibreOffice did not convert {missing}"


def fill(src: Path, dst: Path, values: dict[str, object]) -> None:
    from helpers_fill import fill_template

    fill_template(src, values, {"name": "Nguyễn Văn A", "phone": "0290 3 000 000"}, out=dst, by_name=True)


def expected_points(path: Path, ctx) -> dict[str, object]:
    """The expected-points cell of the first row of each indicator, as LibreOffice computed it."""
    ws = load_workbook(path, data_only=True)[DATA]
    got: dict[str, object] = {}
    for r in range(layout.FIRST_ROW, ws.max_row + 1):
        iid = ws.cell(r, 1).value
        if iid:
            got.setdefault(ctx.catalogue.inputs[iid].indicator, ws.cell(r, EXPECTED).value)
    return got


def has_formula(ind) -> bool:
    fx = Formula(ind, name=layout.defined_name, yes_no=layout.YES_NO["vi"], lang="vi")
    return not any(i.per_unit for i in ind.inputs) and ind.rule.formula(fx, ind.max_points) is not None


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    from typer.testing import CliRunner

    from dti_cli.cli import app

    out = tmp_path_factory.mktemp("blank")
    res = CliRunner().invoke(app, ["--lang", "vi", "template", "--all", "-o", str(out), "--deadline", "15/10/2023",
                                   "--contact", "Nguyễn Văn A, 0290 3 123 456, a@camau.gov.vn"], catch_exceptions=False)
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
        assert stamp == {r[0]: r[1] for r in orig["_dti"].iter_rows(values_only=True) if r[0]}, f.name
        assert set(orig.defined_names) <= set(back.defined_names), f.name
        # LibreOffice (7.x) drops the workbook's structure lock when it saves an xlsx (it writes an
        # empty <workbookProtection/> whatever the file had); every sheet stays protected.
        assert all(back[s].protection.sheet for s in back.sheetnames), f.name
        ws, wo = back[DATA], orig[DATA]
        assert len(ws.data_validations.dataValidation) >= len(stamp["input_ids"].split(",")), f.name
        for r in range(layout.FIRST_ROW, wo.max_row + 1):
            assert ws.cell(r, 1).value == wo.cell(r, 1).value
            if isinstance(wo.cell(r, EXPECTED).value, str) and wo.cell(r, EXPECTED).value.startswith("="):
                assert str(ws.cell(r, EXPECTED).value).startswith("="), f"{f.name} row {r}"
        # blank template: nothing typed, no points shown
        got = expected_points(tmp_path / f.name, ctx)
        assert all(v in (None, "") or isinstance(v, str) for v in got.values()), f.name


def label(ctx, iid: str, value: str) -> str:
    return ctx.catalogue.inputs[iid].choice(value).label_vi


def test_expected_points_follow_the_methodology(soffice, ctx, blank, tmp_path):
    """Points computed by hand for the cases the methodology spells out."""
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
        "DTI2023_so-tc.xlsx": {"6.22.a": 1, "6.22.b": 0.5, "6.22.c": 200, "5.12.1.a": 0.7, "5.12.1.b": 0, "5.12.1.c": 10,  # 0.7/10 lands a hair below 7%
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
    assert not wrong, f"indicator: (LibreOffice, by hand) {wrong}"


def random_values(rng: random.Random, inputs) -> tuple[dict[str, object], dict[str, object]]:
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
            typed[inp.id], parsed[inp.id] = (c.label_vi if rng.random() < 0.8 else c.value), c.value
        elif inp.type == "count":
            v = rng.choice([0, rng.randint(0, 12), rng.randint(0, 60), rng.randint(0, 400)])
            typed[inp.id], parsed[inp.id] = v, float(v)
        else:
            v = rng.choice([0.0, round(rng.uniform(0, 3), 2), round(rng.uniform(0, 400), 1)])
            typed[inp.id], parsed[inp.id] = v, v
        if rng.random() < 0.05:  # left empty
            del typed[inp.id], parsed[inp.id]
    return typed, parsed


def test_expected_points_equal_the_scorer(soffice, ctx, blank, tmp_path):
    from dti_cli.score import score_values

    items = [a for a in assignments(ctx) if any(has_formula(ctx.catalogue.indicators[c]) for c in a.indicators)]
    filled = tmp_path / "filled"
    filled.mkdir()
    scenarios = []
    for seed in range(3):
        rng = random.Random(seed)
        typed_all: dict[str, object] = {}
        parsed_all: dict[str, object] = {}
        for a in items:
            typed, parsed = random_values(rng, [i for i in a.inputs if not i.per_unit])
            typed_all.update(typed)
            parsed_all.update(parsed)
            name = layout.file_name(a.unit.id, ctx.year)
            fill(blank / name, filled / f"s{seed}_{name}", typed)
        scenarios.append((seed, typed_all, parsed_all))
    convert(soffice, sorted(filled.glob("*.xlsx")), tmp_path / "calc")
    compared = 0
    wrong = []
    for seed, typed, parsed in scenarios:
        scores = score_values(ctx, parsed)
        for a in items:
            got = expected_points(tmp_path / "calc" / f"s{seed}_{layout.file_name(a.unit.id, ctx.year)}", ctx)
            for code in a.indicators:
                ind = ctx.catalogue.indicators[code]
                if not has_formula(ind):
                    continue
                compared += 1
                inputs = {i.id: typed.get(i.id) for i in ind.inputs}
                if all(v is None for v in inputs.values()):  # nothing typed: nothing shown
                    if got[code] not in (None, ""):
                        wrong.append(f"seed {seed} {code}: LibreOffice {got[code]!r} with nothing typed")
                    continue
                py = scores.indicators[code].points or 0.0
                if not isinstance(got[code], (int, float)) or abs(got[code] - py) > 1e-6:
                    wrong.append(f"seed {seed} {code}: LibreOffice {got[code]!r}, scorer {py!r}, inputs {inputs}")
    assert compared > 250
    assert not wrong, "\n".join(wrong)


def test_a_template_filled_and_saved_by_libreoffice_merges_with_every_value_found(soffice, ctx, blank, tmp_path):
    from dti_cli import api
    from dti_cli.values import parse_value

    rng = random.Random(11)
    filled = tmp_path / "filled"
    filled.mkdir()
    typed_all: dict[str, object] = {}
    for a in assignments(ctx):
        typed, _parsed = random_values(random.Random(rng.random()), a.inputs)
        for inp in a.inputs:  # every figure given; a part never larger than its whole
            typed.setdefault(inp.id, ND)
            whole = typed.get(inp.part_of or "")
            if isinstance(whole, (int, float)) and isinstance(typed[inp.id], (int, float)) and typed[inp.id] > whole:
                typed[inp.id] = whole
        name = layout.file_name(a.unit.id, ctx.year)
        fill(blank / name, filled / name, typed)
        typed_all.update({k: v for k, v in typed.items() if not ctx.catalogue.inputs[k].per_unit})
    saved = tmp_path / "saved"
    convert(soffice, sorted(filled.glob("*.xlsx")), saved)
    result = api.merge(ctx, [saved])
    assert not result.not_received and result.errors == 0, [f.message for f in result.findings if f.severity == "error"][:5]
    by_id = {r["input_id"]: r for r in result.data}
    assert set(by_id) == set(ctx.catalogue.inputs)
    assert {iid: r["status"] for iid, r in by_id.items() if r["status"] not in ("ok", "no_data")} == {}
    for iid, raw in typed_all.items():
        if raw == ND:
            assert by_id[iid]["status"] == "no_data", iid
            continue
        want = parse_value(raw, ctx.catalogue.inputs[iid], lang="vi").value
        if isinstance(want, bool):
            want = layout.YES_NO["vi"][0 if want else 1]
        assert by_id[iid]["status"] == "ok" and by_id[iid]["value"] == want, (iid, raw, by_id[iid]["value"])
    assert {s.cover.get("name") for s in result.submissions} == {"Nguyễn Văn A"}


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF (pdftotext, pages separated by form feeds)."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True, timeout=120).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


#: Pages a template may take: the instructions and the cover one each, the data sheet a page per this many inputs.
INPUTS_PER_PAGE = 12


def test_templates_print_on_a4_within_a_page_limit(soffice, ctx, blank, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    picked = ["DTI2023_so-tttt.xlsx", "DTI2023_so-tc.xlsx", "DTI2023_bao-ca-mau.xlsx", "DTI2023_u-minh.xlsx"]
    convert(soffice, [blank / n for n in picked], tmp_path, to="pdf")
    for name in picked:
        wb = load_workbook(blank / name)
        stamp = {r[0]: r[1] for r in wb["_dti"].iter_rows(values_only=True) if r[0]}
        ids = stamp["input_ids"].split(",")
        pages = pdf_pages(tmp_path / name.replace(".xlsx", ".pdf"))
        data_pages = len(pages) - 2
        assert 1 <= data_pages <= -(-len(ids) // INPUTS_PER_PAGE), (name, len(pages))
        info = subprocess.run(["pdfinfo", str(tmp_path / name.replace(".xlsx", ".pdf"))], capture_output=True, text=True).stdout
        w, h = (float(x) for x in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
        assert {round(w), round(h)} == {595, 842}, (name, w, h)  # A4, in points
        first, cover, *data = pages
        assert "Mục đích" in first and "15/10/2023" in first and "Nguyễn Văn A" in first and "Trang 1/" in first
        assert "Họ và tên người điền" in cover and stamp["unit_name"] in cover
        flat = " ".join(" ".join(p.split()) for p in data)
        for p in data:
            assert "Nội dung số liệu" in p and "Cách tính điểm" in p, name  # the header row is on every page (headers in wide columns: one line)
            assert "Tỉnh Cà Mau · DTI 2023" in p
        missing = [i for i in ids if not re.search(rf"(?<![\w.]){re.escape(i)}(?![\w.])", flat)]
        assert not missing, (name, missing)  # nothing cut off the page
