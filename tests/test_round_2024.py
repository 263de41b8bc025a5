"""A 2024 round with no code change: year, methodology and baseline are data (tests/data/round2024/).

The round is played through the CLI as a province would play it, with ``--profile`` naming a profile
whose catalogue is a made-up 2024 methodology (make_catalogue_2024.py: 1.3 worth 15 points and 1.4
worth 5, 2.9 removed, 2.12 added, 7.5 full from 40%) and whose baseline is a made-up 2023 result:
``dti catalog check`` → ``dti template --all`` → five agencies fill their workbooks through the
defined names (openpyxl, as Excel would save them) → ``dti merge`` → ``dti score`` → ``dti report``
(every format, in both languages) → ``dti plan`` (every format, and the commitment workbooks).

Every text the round writes is then read back (workbook cells, sheet names, headers and footers,
validation messages, HTML text, JSON strings, Markdown, CSV): the round says 2024, the comparison
says 2023, and nothing says 2022. The same round is played again with the baseline relabelled 2013:
then no 2023 at all may appear, since a 2023 could only come from the code.
"""

from __future__ import annotations

import csv
import json
import re
import runpy
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "round2024"
SAMPLES = ROOT / "dti_cli" / "data" / "samples" / "values_2023.csv"
#: A year as a word: not inside a longer number, nor after a decimal point or comma (0.2023 is no year).
YEAR = re.compile(r"(?<![\d.,])(20\d\d)(?!\d)")

#: What the five agencies type beyond the sample figures: the inputs the hand computations below use.
TYPED = {
    "so-tttt": {"1.3.a": 3, "1.3.b": 4, "7.5.a": 300, "7.5.b": 1000},
    "so-nv": {"2.12.a": 42, "2.12.b": 60},
    "cong-ttdt": {"1.4.a": "Có, cập nhật ít hơn 1 tuần/1 lần"},
    "so-tc": {},
    "cai-nuoc": {},
}
COVER = {"NAME": "Nguyễn Văn A", "POSITION": "Chuyên viên", "PHONE": "0290 3 000 000", "EMAIL": "a@camau.gov.vn",
         "DATE": date(2024, 10, 1)}
REPORTS = ("html", "xlsx", "md", "json", "csv")
PLANS = ("html", "xlsx", "md", "json", "csv")


# ---------------------------------------------------------------------------------------------
# Playing the round


def _cli(*args: Any) -> Any:
    from typer.testing import CliRunner

    from dti_cli.cli import _lang_in, app
    from dti_cli.commands.base import set_language

    argv = [str(a) for a in args]
    set_language(_lang_in(argv))  # as `dti` does before the app runs
    r = CliRunner().invoke(app, argv, catch_exceptions=False)
    set_language("vi")
    return r


def _samples() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    with open(SAMPLES, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["unit_id"], {})[r["input_id"]] = r["value"]
    return out


def _as_typed(text: str) -> Any:
    """A sample figure as Excel stores what was typed: numbers as numbers, words as text."""
    try:
        f = float(text)
    except ValueError:
        return text
    return int(f) if f.is_integer() else f


def stamp_of(path: Path) -> dict[str, str]:
    wb = load_workbook(path, read_only=True)
    ws = wb["_dti"]
    out = {str(r[0]): str(r[1]) for r in ws.iter_rows(values_only=True) if r and r[0] is not None}
    wb.close()
    return out


def fill(path: Path, values: dict[str, Any]) -> None:
    """As an official would: every value through the cell its defined name points to, the cover too."""
    wb = load_workbook(path)

    def put(name: str, value: Any) -> None:
        (sheet, ref), = list(wb.defined_names[name].destinations)
        wb[sheet][ref.replace("$", "")].value = value

    for iid, v in values.items():
        put("DTI_" + iid.replace(".", "_"), v)
    for key, v in COVER.items():
        put("DTI_COVER_" + key, v)
    wb.save(path)


def play_round(folder: Path, profile: Path) -> Path:
    """The whole round in ``folder`` with ``profile``; every command must succeed."""
    p = ("--profile", profile)
    r = _cli(*p, "template", "--all", "-o", folder / "phieu", "--deadline", "15/10/2024",
             "--contact", "Nguyễn Văn A, 0290 3 123 456, a@camau.gov.vn")
    assert r.exit_code == 0, r.output
    r = _cli(*p, "--lang", "en", "template", "--agency", "Sở Nội vụ", "-o", folder / "phieu-en")
    assert r.exit_code == 0, r.output
    back = folder / "nhan-ve"
    back.mkdir()
    samples = _samples()
    for uid, typed in TYPED.items():
        src = folder / "phieu" / f"DTI2024_{uid}.xlsx"
        asked = stamp_of(src)["input_ids"].split(",")
        values = {iid: _as_typed(v) for iid, v in samples.get(uid, {}).items() if iid in asked and v.strip()}
        values.update(typed)
        dst = back / src.name
        shutil.copyfile(src, dst)
        fill(dst, values)
    r = _cli(*p, "merge", back, "-o", folder / "merged.xlsx", "--feedback", folder / "phan-hoi")
    assert r.exit_code == 0, r.output
    r = _cli(*p, "status", back, "--deadline", "15/10/2024")
    assert r.exit_code == 0, r.output
    (folder / "status.txt").write_text(r.output, encoding="utf-8")
    for out in ("scores.xlsx", "scores.json"):
        r = _cli(*p, "score", folder / "merged.xlsx", "-o", folder / out)
        assert r.exit_code == 0, r.output
        (folder / f"{out}.txt").write_text(r.output, encoding="utf-8")
    r = _cli(*p, "report", folder / "scores.xlsx", *(x for e in REPORTS for x in ("-o", folder / f"bao-cao.{e}")))
    assert r.exit_code == 0, r.output
    r = _cli(*p, "--lang", "en", "report", folder / "scores.json", *(x for e in REPORTS for x in ("-o", folder / f"report-en.{e}")))
    assert r.exit_code == 0, r.output
    r = _cli(*p, "report", folder / "scores.json")  # printed
    assert r.exit_code == 0, r.output
    (folder / "report.txt").write_text(r.output, encoding="utf-8")
    r = _cli(*p, "plan", folder / "scores.xlsx", "--goal", "600", *(x for e in PLANS for x in ("-o", folder / f"ke-hoach.{e}")),
             "--commitment-templates", folder / "cam-ket")
    assert r.exit_code == 0, r.output
    (folder / "plan.txt").write_text(r.output, encoding="utf-8")
    r = _cli(*p, "--lang", "en", "plan", folder / "scores.json", "--goal", "600", "-o", folder / "plan-en.html", "-o", folder / "plan-en.md",
             "--commitment-templates", folder / "commitments-en")
    assert r.exit_code == 0, r.output
    return folder


def _data_files(folder: Path, baseline_year: int | None = None) -> Path:
    """The profile, catalogue and baseline copied into ``folder``; the baseline relabelled ``baseline_year``."""
    folder.mkdir(parents=True)
    for name in ("profile_2024.toml", "catalogue_2024.toml", "baseline_2023.toml"):
        shutil.copyfile(DATA / name, folder / name)
    if baseline_year is not None:
        b = folder / "baseline_2023.toml"
        b.write_text(b.read_text(encoding="utf-8").replace("2023", str(baseline_year)), encoding="utf-8")
    return folder / "profile_2024.toml"


@pytest.fixture(scope="module")
def round24(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("round2024")
    return play_round(d, DATA / "profile_2024.toml")


@pytest.fixture(scope="module")
def round24_relabelled(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("round2024-baseline2013")
    return play_round(d, _data_files(d / "data", 2013))


@pytest.fixture(scope="module")
def scores(round24) -> dict[str, Any]:
    return json.loads((round24 / "scores.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ctx24():
    from dti_cli.methodology.context import load_context

    return load_context(DATA / "profile_2024.toml")


# ---------------------------------------------------------------------------------------------
# Reading back every text a round wrote


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")
        self.parts.extend(v for k, v in attrs if k in ("title", "alt", "aria-label") and v)

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(path: Path) -> str:
    p = _Text()
    p.feed(path.read_text(encoding="utf-8"))
    return " ".join(p.parts)


def workbook_texts(path: Path) -> list[str]:
    """Every text a person can see in a workbook: cells, sheet names, headers and footers, validation messages."""
    wb = load_workbook(path)
    out: list[str] = []
    for ws in wb.worksheets:
        out.append(ws.title)
        for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter, ws.firstHeader, ws.firstFooter):
            out.extend(part.text for part in (hf.left, hf.center, hf.right) if part.text)
        if ws.title == "_dti":  # the stamp: machine keys (generated_at is a timestamp of today)
            out.extend(str(v) for k, v in ws.iter_rows(min_col=1, max_col=2, values_only=True) if k != "generated_at" and v is not None)
            continue
        out.extend(c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str))
        for dv in ws.data_validations.dataValidation:
            out.extend(t for t in (dv.error, dv.errorTitle, dv.prompt, dv.promptTitle) if t)
    return out


def json_strings(x: Any) -> list[str]:
    if isinstance(x, str):
        return [x]
    if isinstance(x, dict):
        return [s for k, v in x.items() for s in (json_strings(k) + json_strings(v))]
    if isinstance(x, list):
        return [s for v in x for s in json_strings(v)]
    return []


def every_text(folder: Path) -> dict[str, list[str]]:
    """Output file (relative name) → its texts. Timestamps (generated_at, written_at) are left out."""
    out: dict[str, list[str]] = {}
    for f in sorted(folder.rglob("*")):
        if f.is_dir() or f.parent.name == "data" or f.parent.name == "nhan-ve":  # the input data and what the test typed
            continue
        name = str(f.relative_to(folder))
        if f.suffix == ".xlsx":
            out[name] = workbook_texts(f)
        elif f.suffix == ".html":
            out[name] = [html_text(f)]
        elif f.suffix == ".json":
            doc = json.loads(f.read_text(encoding="utf-8"))
            for key in ("generated_at", "written_at", "provenance"):
                doc.pop(key, None)
            if isinstance(doc.get("source"), dict):
                doc["source"] = {k: v for k, v in doc["source"].items() if not k.endswith("_at")}
            out[name] = json_strings(doc)
        else:  # .md .csv .txt (what the terminal printed)
            out[name] = [f.read_text(encoding="utf-8")]
    return out


def years_in(texts: dict[str, list[str]], year: str) -> dict[str, list[str]]:
    """Where ``year`` is written as a year: file → the texts around it."""
    hits: dict[str, list[str]] = {}
    for name, parts in texts.items():
        for t in parts:
            for m in YEAR.finditer(t):
                if m.group(1) == year:
                    hits.setdefault(name, []).append(t[max(0, m.start() - 60):m.end() + 40])
    return hits


# ---------------------------------------------------------------------------------------------
# The data


def test_the_stored_catalogue_is_what_the_script_writes():
    """catalogue_2024.toml is the packaged 2023 catalogue with the listed changes (rerun the script when it changes)."""
    build = runpy.run_path(str(DATA / "make_catalogue_2024.py"))["build"]
    source = (ROOT / "dti_cli" / "data" / "catalogue_2023.toml").read_text(encoding="utf-8")
    assert (DATA / "catalogue_2024.toml").read_text(encoding="utf-8") == build(source), \
        "run python tests/data/round2024/make_catalogue_2024.py"


def test_the_data_files_load_as_a_2024_round(ctx24):
    cat = ctx24.catalogue
    assert (ctx24.year, ctx24.baseline.year, ctx24.profile.year) == (2024, 2023, 2024)
    assert cat.indicators["1.3"].max_points == 15 and cat.indicators["1.4"].max_points == 5
    assert "2.9" not in cat.indicators and "2.12" in cat.indicators
    assert cat.indicators["7.5"].rule.threshold == 0.4
    for code in ("1", "2"):
        assert sum(i.max_points for i in cat.children(code)) == cat.pillars[code].max_points == 100
    assert "2.9" in ctx24.baseline.indicators and "2.12" not in ctx24.baseline.indicators  # the 2023 methodology's


def test_catalog_check_accepts_a_baseline_of_the_previous_methodology():
    """2.9 was scored in 2023 and is gone in 2024, 2.12 is new: warnings, not errors."""
    r = _cli("--profile", DATA / "profile_2024.toml", "--lang", "en", "catalog", "check")
    assert r.exit_code == 0, r.output
    assert "2.9" in r.output and "2.12" in r.output
    assert "2023" in r.output and "2022" not in r.output


def test_catalog_check_still_refuses_an_unknown_indicator_in_a_baseline_of_the_same_year(tmp_path):
    from dti_cli.methodology.check import check_data
    from dti_cli.methodology.context import load_context

    found = {f.code: f for f in check_data(load_context(_data_files(tmp_path / "data", 2024)))}
    assert found["baseline.unknown_indicator"].is_error and "baseline.retired_indicator" not in found


def test_catalog_check_warns_when_the_profile_names_another_year(tmp_path):
    from dti_cli.methodology.check import check_data
    from dti_cli.methodology.context import load_context

    prof = _data_files(tmp_path / "data")
    prof.write_text(prof.read_text(encoding="utf-8").replace("year = 2024", "year = 2023"), encoding="utf-8")
    ctx = load_context(prof)
    assert ctx.year == 2024  # the round is the catalogue's
    found = {f.code: f for f in check_data(ctx)}
    assert not found["catalogue.profile_year"].is_error and "2023" in found["catalogue.profile_year"].message


# ---------------------------------------------------------------------------------------------
# The round


def test_templates_are_the_2024_round(round24, ctx24):
    names = sorted(p.name for p in (round24 / "phieu").glob("*.xlsx"))
    assert len(names) == 35 and all(re.fullmatch(r"DTI2024_[a-z-]+\.xlsx", n) for n in names), names
    nv = round24 / "phieu" / "DTI2024_so-nv.xlsx"
    st = stamp_of(nv)
    assert (st["year"], st["catalogue_id"], st["catalogue_version"]) == ("2024", "dti-province-2024", "2024.1")
    assert {"2.12.a", "2.12.b"} <= set(st["input_ids"].split(","))  # Sở Nội vụ leads the new indicator
    asked = {i for p in (round24 / "phieu").glob("*.xlsx") for i in stamp_of(p)["input_ids"].split(",")}
    assert "2.9.a" not in asked and {"1.3.a", "7.5.a", "1.4.a"} <= asked
    texts = workbook_texts(nv)
    assert "PHIẾU THU THẬP SỐ LIỆU CHỈ SỐ CHUYỂN ĐỔI SỐ (DTI) NĂM 2024" in texts
    assert "Điểm năm 2023" in texts and "Mục tiêu năm 2024" in texts  # the baseline's column, the round's target
    assert any("DTI 2024" in t for t in texts)


def test_commitment_workbooks_are_named_for_2024(round24):
    names = [p.name for p in (round24 / "cam-ket").glob("*.xlsx")]
    assert names and all(re.fullmatch(r"DTI2024_cam-ket_[a-z-]+\.xlsx", n) for n in names), names


def test_the_changed_methodology_is_scored(scores):
    assert (scores["year"], scores["baseline_year"]) == (2024, 2023)
    assert scores["catalogue"]["id"] == "dti-province-2024"
    ind = {i["code"]: i for i in scores["indicators"]}
    assert "2.9" not in ind and "2.12" in ind
    assert (ind["1.3"]["max_points"], ind["1.4"]["max_points"], ind["2.12"]["max_points"]) == (15, 5, 10)
    pillars = {p["code"]: p for p in scores["pillars"]}
    assert pillars["1"]["max_points"] == pillars["2"]["max_points"] == 100
    assert scores["total"]["max_points"] == 1000
    assert ind["2.12"]["score_baseline"] is None  # new: no 2023 score
    assert ind["1.3"]["score_baseline"] == 8.0  # the made-up 2023 result


def test_scores_computed_by_hand(scores):
    ind = {i["code"]: i for i in scores["indicators"]}
    # 1.3 ratio, now worth 15: 3 directives signed of 4 required → 3/4 × 15 = 11.25 (the 2023 rule gave 3/4 × 10 = 7.5)
    assert ind["1.3"]["status"] == "scored"
    assert ind["1.3"]["points"] == pytest.approx(3 / 4 * 15) == 11.25
    # 2.12 ratio (new, 10 points), from Sở Nội vụ's workbook: 42 bodies of 60 → 42/60 × 10 = 7.0
    assert ind["2.12"]["points"] == pytest.approx(42 / 60 * 10) == pytest.approx(7.0)
    # 7.5 threshold, now full from 40%: 300 SMEs of 1,000 = 30% < 40% → 0.30/0.40 × 10 = 7.5 (50% would give 6.0)
    assert ind["7.5"]["points"] == pytest.approx(0.30 / 0.40 * 10) == pytest.approx(7.5)
    # 1.4 choice, now worth 5: updated less than weekly → 1/2 × 5 = 2.5
    assert ind["1.4"]["points"] == pytest.approx(0.5 * 5) == 2.5


def test_totals_are_the_sums_of_the_indicators(scores, ctx24):
    cat = ctx24.catalogue
    ind = {i["code"]: i for i in scores["indicators"]}
    leaves = [i.code for i in cat.leaves()]
    assert leaves and set(leaves) <= set(ind)
    assert scores["total"]["confirmed"] == pytest.approx(sum(ind[c]["points"] for c in leaves), abs=1e-9)
    assert scores["total"]["estimated"] == pytest.approx(sum(ind[c]["estimated_points"] for c in leaves), abs=1e-9)
    assert scores["total"]["confirmed"] == pytest.approx(sum(p["points"] for p in scores["pillars"]), abs=1e-9)
    for p in scores["pillars"]:
        kids = [k.code for k in cat.children(p["code"])]
        assert p["points"] == pytest.approx(sum(ind[k]["points"] for k in kids), abs=1e-9), p["code"]
    # the relative indicators have no national reference here: estimated at their 2023 score
    carried = [i for i in ind.values() if i["status"] == "needs_reference"]
    assert carried and all(i["estimated_points"] == i["score_baseline"] for i in carried)


def test_the_report_compares_2024_with_2023(round24, scores):
    rep = json.loads((round24 / "bao-cao.json").read_text(encoding="utf-8"))
    assert (rep["year"], rep["baseline_year"]) == (2024, 2023)
    assert rep["compare"]["year"] == 2023 and rep["compare"]["label"] == "2023"
    assert rep["headline"]["previous_published"] == 512.504  # the made-up 2023 total
    assert "2.9" not in {g["code"] for g in rep["gaps"]}
    html = html_text(round24 / "bao-cao.html")
    assert "Chỉ số chuyển đổi số (DTI) năm 2024: Tỉnh Cà Mau" in html
    assert "Kết quả công bố năm 2023" in html and "hạng 45/63 năm 2023" in html
    en = html_text(round24 / "report-en.html")
    assert "Digital Transformation Index (DTI) 2024" in en
    wb = workbook_texts(round24 / "bao-cao.xlsx")
    assert any("DTI 2024" in t for t in wb)
    plan = json.loads((round24 / "ke-hoach.json").read_text(encoding="utf-8"))
    assert (plan["year"], plan["baseline_year"]) == (2024, 2023)
    assert "DTI 2024" in html_text(round24 / "ke-hoach.html")


def test_no_output_says_2022_nor_2023_for_the_round(round24):
    texts = every_text(round24)
    assert len(texts) > 50
    assert years_in(texts, "2022") == {}
    joined = "\n".join(t for parts in texts.values() for t in parts)
    for wrong in ("DTI 2023", "DTI2023", "(DTI) năm 2023", "(DTI) 2023", "NĂM 2023", "Đợt đánh giá năm 2023", "Mục tiêu năm 2023",
                  "Target 2023", "15/10/2023"):
        assert wrong not in joined, wrong
    assert years_in(texts, "2023")  # the comparison is there


def test_no_2023_at_all_when_the_baseline_is_2013(round24_relabelled):
    """Relabel the baseline 2013: any 2023 left (or 2022, or 2012's neighbours) would be a year written in the code."""
    texts = every_text(round24_relabelled)
    assert years_in(texts, "2023") == {}
    assert years_in(texts, "2022") == {}
    assert years_in(texts, "2013"), "the comparison names the baseline's year"
    rep = json.loads((round24_relabelled / "bao-cao.json").read_text(encoding="utf-8"))
    assert (rep["year"], rep["baseline_year"]) == (2024, 2013)


def test_a_bad_date_is_explained_with_a_date_of_the_round(tmp_path):
    r = _cli("--profile", DATA / "profile_2024.toml", "template", "--all", "-o", tmp_path, "--deadline", "sớm")
    assert r.exit_code == 2
    assert "15/10/2024" in r.output and "2024-10-15" in r.output and "2023" not in r.output


def test_the_demo_runs_in_the_round_of_the_profile(tmp_path):
    """The demo's sample figures are 2023's, but its dates (deadline, the day the workbooks are sent) are the round's."""
    r = _cli("--profile", DATA / "profile_2024.toml", "demo", tmp_path / "demo")
    assert r.exit_code == 0, r.output
    assert "DTI 2024" in r.output and "năm 2023" in r.output  # the round, and the report against the baseline
    template = workbook_texts(tmp_path / "demo" / "1-phieu-mau" / "DTI2024_so-tc.xlsx")
    assert any("Hạn gửi: 15/10/2024" in t for t in template) and not any("15/10/2023" in t for t in template)
    wb = load_workbook(tmp_path / "demo" / "2-phieu-nhan-ve" / "DTI2024_so-tc.xlsx")
    (sheet, ref), = list(wb.defined_names["DTI_COVER_DATE"].destinations)
    assert wb[sheet][ref.replace("$", "")].value.date() == date(2024, 10, 5)  # the corrected file, sent three days later
