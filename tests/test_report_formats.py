"""Every format of the report read back: the workbook's cells, print setup and native charts, the HTML page and its
inline SVG charts, Markdown, CSV, JSON; the charts' numbers equal the report's JSON; text from files never becomes a formula.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_round import sample_scores, speak_vi, write_round  # noqa: F401  (speak_vi: each test starts in Vietnamese)

from dti_cli.core import charts
from dti_cli.intake import open_workbook
from dti_cli.report import build_report, write_report

FORMULA_REASON = '=HYPERLINK("http://evil.example","click")'
FORMULA_BY = "+cmd|' /C calc'!A0"
SAMPLE = "SỐ LIỆU MẪU"
FORMATS = ("xlsx", "html", "md", "json", "csv")


@pytest.fixture(scope="module")
def demo_scores(ctx):
    """The sample round as `dti demo` will hand it over: its source says it is the demo's."""
    return sample_scores(ctx, source={"kind": "demo", "path": "/somewhere/on/the/machine/merged.xlsx"})


@pytest.fixture(scope="module")
def written(tmp_path_factory, demo_scores):
    """Every format written once by `dti report`, from a folder with scores.xlsx, as a user runs it."""
    from typer.testing import CliRunner

    from dti_cli.cli import app
    from dti_cli.commands.base import set_language

    set_language("vi")
    folder = tmp_path_factory.mktemp("round")
    write_round(demo_scores, folder)
    args = ["report", str(folder / "scores.xlsx")]
    for ext in FORMATS:
        args += ["-o", str(folder / "out" / f"bao-cao.{ext}")]
    r = CliRunner().invoke(app, args, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert r.output.count("bao-cao.") == 5  # one line per file
    return folder


def out(written: Path, ext: str) -> Path:
    return written / "out" / f"bao-cao.{ext}"


@pytest.fixture(scope="module")
def doc(written) -> dict:
    return json.loads(out(written, "json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Nothing of the machine, the banner on everything


def test_no_path_only_file_names(written):
    for ext in FORMATS:
        raw = out(written, ext).read_bytes()
        if ext == "xlsx":
            with zipfile.ZipFile(out(written, ext)) as z:
                raw = b"".join(z.read(n) for n in z.namelist())
        text = raw.decode("utf-8", "replace")
        assert str(written) not in text and "/somewhere/on/the/machine" not in text, ext
    d = json.loads(out(written, "json").read_text(encoding="utf-8"))
    assert d["source"] == {"file": "scores.xlsx", "kind": "demo", "merged": "merged.xlsx"}


def test_sample_data_says_so_everywhere(written, doc):
    assert doc["sample"] is True and doc["banner"] == SAMPLE
    html = out(written, "html").read_text(encoding="utf-8")
    assert html.count(SAMPLE) >= 6 and "@top-center" in html  # in each section, and in the page margin of every printed page
    assert out(written, "md").read_text(encoding="utf-8").startswith(f"**{SAMPLE}**")
    with open(out(written, "csv"), encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and all(r["banner"] == SAMPLE for r in rows)
    for name, xml in _sheet_xml(out(written, "xlsx")):
        if name != "_dti":  # every printed sheet says it in the centre of its page header
            assert f"&amp;C&amp;B{SAMPLE}" in xml, name


def _sheet_xml(path: Path) -> list[tuple[str, str]]:
    """(sheet name, its XML) for every sheet and chart sheet, in the workbook's order."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = dict(re.findall(r'Id="(rId\d+)" Type="[^"]+" Target="([^"]+)"', z.read("xl/_rels/workbook.xml.rels").decode()))
        return [(name, z.read("xl/" + rels[rid]).decode())
                for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+"(?: state="hidden")? r:id="(rId\d+)"', book)]


# ---------------------------------------------------------------------------------------------
# The workbook


def _cells(path: Path, sheet: str) -> list[list]:
    wb = open_workbook(path)
    return [list(v) for _n, v in wb.sheets[sheet].rows()]


def test_workbook_sheets_hold_numbers_as_numbers(written, doc):
    path = out(written, "xlsx")
    wb = open_workbook(path)
    assert wb.sheet_order[:3] == ["Tóm tắt", "Làm gì trước", "Chỉ số chính"]
    assert {"Điểm còn thiếu", "Theo cơ quan", "Tăng giảm", "Biểu đồ chỉ số chính", "Biểu đồ tăng giảm", "Biểu đồ theo cơ quan"} <= set(wb.sheet_order)
    rows = _cells(path, "Điểm còn thiếu")
    head = rows[1]
    assert head[:2] == ["TT", "Mã"]
    body = rows[2:]
    assert len(body) == len(doc["gaps"])  # the whole ranked list, whatever --top says
    at = head.index("Điểm còn thiếu")
    assert [(r[1], r[at]) for r in body] == [(g["code"], pytest.approx(g["at_stake"])) for g in doc["gaps"]]
    assert all(isinstance(r[at], float | int) for r in body)
    prev = head.index("2022")
    assert all(isinstance(r[prev], float | int) for r in body if r[prev] is not None)
    pillars = _cells(path, "Chỉ số chính")
    assert [r[0] for r in pillars[3:]] == [p["code"] for p in doc["pillars"]]  # title, note, header, then the pillars
    assert all(isinstance(v, float | int) for r in pillars[3:] for v in (r[2], r[3], r[6], r[7], r[8], r[9], r[10]))


def test_every_sheet_has_its_print_setup(written):
    with zipfile.ZipFile(out(written, "xlsx")) as z:
        book = z.read("xl/workbook.xml").decode()
        names = re.findall(r'<sheet name="([^"]+)" sheetId="\d+"(?: state="hidden")? r:id="(rId\d+)"', book)
        rels = dict(re.findall(r'Id="(rId\d+)" Type="[^"]+" Target="([^"]+)"', z.read("xl/_rels/workbook.xml.rels").decode()))
        titles = set(re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">', book))
        for i, (name, rid) in enumerate(names):
            xml = z.read("xl/" + rels[rid]).decode()
            if name == "_dti":
                continue
            assert re.search(r'<pageSetup paperSize="9"', xml), name
            assert "Tỉnh Cà Mau · DTI 2023 · Báo cáo" in xml and "Trang &amp;P/&amp;N" in xml, name
            if "chartsheets" in rels[rid]:
                assert 'orientation="landscape"' in xml, name
                continue
            assert 'fitToWidth="1"' in xml or "fitToHeight" in xml, name  # one page wide
            assert str(i) in titles, name  # the header row repeated on every printed page
        gaps = z.read("xl/" + rels[dict(names)["Điểm còn thiếu"]]).decode()
        assert 'orientation="landscape"' in gaps
        # Rows whose wrapped text needs more than one line have a height that shows it.
        assert len(re.findall(r'<row r="\d+"[^>]* ht="(\d+(?:\.\d+)?)" customHeight="1"', gaps)) >= 20


def _chart_refs(path: Path) -> list[dict]:
    """Each chart of the workbook: its title and, per series, the cells of its name, categories and values."""
    out = []
    with zipfile.ZipFile(path) as z:
        for n in sorted(x for x in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", x)):
            xml = z.read(n).decode()
            title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml.split("</c:title>")[0]))
            series = []
            for ser in re.findall(r"<c:ser>(.*?)</c:ser>", xml, re.S):
                f = re.findall(r"<c:f>([^<]+)</c:f>", ser)
                series.append({"name": f[0], "cat": f[1], "val": f[2]})
            out.append({"title": title, "series": series})
    return out


def _range(path: Path, ref: str) -> list:
    """The values of 'Sheet'!$B$4:$B$11 (or one cell), read back with intake."""
    m = re.fullmatch(r"'?(.*?)'?!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?", ref)
    sheet, col, r1, _col2, r2 = m.groups()
    rows = {n: v for n, v in open_workbook(path).sheets[sheet.replace("''", "'")].rows()}
    j = 0
    for ch in col:
        j = j * 26 + ord(ch) - 64
    return [(rows.get(r) or [None] * j)[j - 1] if len(rows.get(r) or []) >= j else None for r in range(int(r1), int(r2 or r1) + 1)]


def test_the_workbook_charts_draw_the_numbers_of_the_json(written, doc):
    path = out(written, "xlsx")
    found = {c["title"]: c for c in _chart_refs(path)}
    pill = next(c for t, c in found.items() if t.startswith("Chỉ số (0–1)"))
    prev, now = pill["series"]
    names = [f"{p['code']}. {p['name']}" for p in doc["pillars"]]
    assert _range(path, prev["cat"]) == names == _range(path, now["cat"])
    assert _range(path, prev["val"]) == pytest.approx([p["previous_index"] for p in doc["pillars"]])
    assert _range(path, now["val"]) == pytest.approx([p["index"] for p in doc["pillars"]])
    assert _range(path, prev["name"]) == ["Chỉ số (0–1) 2022"]

    bridge = next(c for t, c in found.items() if t.startswith("Từ tổng điểm"))
    base, total, gain, loss = bridge["series"]
    b = doc["bridge"]
    assert _range(path, total["cat"]) == [b["start_label"], *(s["label"] for s in b["steps"]), b["end_label"]]
    totals = _range(path, total["val"])
    assert totals[0] == pytest.approx(b["start"]) and totals[-1] == pytest.approx(b["end"]) and set(totals[1:-1]) == {None}
    steps = [(g or 0) - (lo or 0) for g, lo in zip(_range(path, gain["val"])[1:-1], _range(path, loss["val"])[1:-1], strict=True)]
    assert steps == pytest.approx([s["delta"] for s in b["steps"]])
    running = b["start"]
    for s, floor in zip(b["steps"], _range(path, base["val"])[1:-1], strict=True):  # each step floats on the total before it
        assert floor == pytest.approx(min(running, running + s["delta"]))
        running += s["delta"]

    ag = found["Điểm còn thiếu theo cơ quan chủ trì"]["series"][0]
    assert _range(path, ag["cat"]) == [a["name"] for a in doc["agencies"]]
    assert _range(path, ag["val"]) == pytest.approx([a["at_stake"] for a in doc["agencies"]])


# ---------------------------------------------------------------------------------------------
# The HTML page


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.metas: list[dict] = []
        self.style = ""
        self.sections: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        a = dict(attrs)
        if tag == "meta":
            self.metas.append(a)
        elif tag == "section":
            self.sections.append(a.get("id", ""))
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "style":
            self._in = "style"

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "style":
            self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.style += data
        elif self._cell is not None:
            self._cell.append(data)


def test_the_page_is_one_file_for_a_phone_and_for_print(written, doc):
    text = out(written, "html").read_text(encoding="utf-8")
    p = Page()
    p.feed(text)
    assert not any(p.tags.get(t) for t in ("script", "link", "img", "iframe", "object"))  # nothing fetched
    assert not re.search(r"url\(|@import|https?://", text.split("</style>")[0])
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in p.metas
    assert "@page { size: A4" in p.style and "break-before: page" in p.style and "break-inside: avoid" in p.style
    assert "table-header-group" in p.style and "overflow-x: auto" in p.style
    assert p.sections == ["summary", "pillars", "gaps", "quick", "agencies", "problems"]
    assert p.tags["svg"] == 3  # the pillars, the bridge, the agencies (the rank strip needs --national)
    gaps = next(t for t in p.tables if t[0][:2] == ["TT", "Mã"])
    assert [r[1] for r in gaps[1:]] == [g["code"] for g in doc["gaps"]]
    pillars = next(t for t in p.tables if t[0][0] == "Chỉ số chính")
    assert len(pillars) == 1 + 8 + 1 and pillars[6][3:5] == ["72,78 *", "77,76"] and pillars[-1][1] == "Tổng điểm"
    for s in doc["summary"]:
        assert s.replace("'", "&#x27;").replace("&", "&amp;").replace("&amp;#x27;", "&#x27;") in text or s in text


def test_the_page_charts_draw_the_numbers_of_the_json(written, doc):
    text = out(written, "html").read_text(encoding="utf-8")
    svgs = {m.group(1): m.group(0) for m in re.finditer(r'<svg [^>]*class="dti-chart dti-chart-(\w+)".*?</svg>', text, re.S)}
    assert set(svgs) == {"pillars", "bridge", "agencies"}
    got = dict(charts.read_values(svgs["pillars"]))
    for p in doc["pillars"]:
        assert got[f"{p['code']}:previous"] == p["previous_index"] and got[f"{p['code']}:now"] == p["index"]
    b = doc["bridge"]
    assert charts.read_values(svgs["bridge"]) == [(b["start_label"], b["start"]), *((s["label"], s["delta"]) for s in b["steps"]),
                                                   (b["end_label"], b["end"])]
    got = charts.read_values(svgs["agencies"])
    assert [v for _n, v in got] == [a["at_stake"] for a in doc["agencies"]]
    assert got[0][0] == doc["agencies"][0]["short"]


def test_rank_strip_with_national_totals(tmp_path, ctx, demo_scores):
    from dti_cli.formats.national import read_national

    table = tmp_path / "dti-2022.csv"
    rows = [("Cà Mau", 468.9)] + [(f"Tỉnh {i:02d}", 400.0 + 5 * i) for i in range(62)]
    table.write_text("tỉnh;tổng điểm\n" + "".join(f"{n};{str(t).replace('.', ',')}\n" for n, t in rows), encoding="utf-8")
    rep = build_report(ctx, demo_scores, national=read_national(table, ctx.profile))
    n = rep.national
    # 400 + 5i above 593.31 for i ≥ 39: 23 provinces, so rank 24 of 63; above 468.9 for i ≥ 14: 48, so 49th with its own total.
    assert (n["rank"], n["of"], n["own_rank"], n["own_total"], n["own_row_left_out"]) == (24, 63, 49, 468.9, True)
    write_report(rep, tmp_path / "r.html")
    svg = re.search(r'<svg [^>]*dti-chart-rank.*?</svg>', (tmp_path / "r.html").read_text(encoding="utf-8"), re.S).group(0)
    values = charts.read_values(svg)
    assert sorted(v for name, v in values[:62]) == sorted(t for _n, t in rows[1:])
    assert values[62:] == [("Cà Mau", 468.9), (values[63][0], demo_scores.total_estimated)]


# ---------------------------------------------------------------------------------------------
# Markdown, CSV, JSON, languages


def test_markdown_csv_and_json(written, doc):
    md = out(written, "md").read_text(encoding="utf-8")
    assert "| TT | Mã | Chỉ số |" in md and "| Chỉ số chính | Tên | Tối đa | 2022 | Công bố 2022 |" in md
    assert f"| 1 | {doc['gaps'][0]['code']} | " in md
    with open(out(written, "csv"), encoding="utf-8") as fh:
        assert fh.read(1) == "\ufeff"
    with open(out(written, "csv"), encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["code"] for r in rows] == [g["code"] for g in doc["gaps"]]
    assert [float(r["at_stake"]) for r in rows] == [g["at_stake"] for g in doc["gaps"]]  # numbers exact, as machines read them
    assert doc["format"] == "dti-report" and doc["lang"] == "vi"


def test_english(tmp_path, ctx, demo_scores):
    from dti_cli.core import i18n

    with i18n.using("en"):
        rep = build_report(ctx, demo_scores)
        for ext in ("html", "md", "xlsx"):
            write_report(rep, tmp_path / f"r.{ext}")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Points by pillar" in html and "Digital government" in html
    assert "Chỉ số chính" not in html and "Điểm còn thiếu" not in html
    assert open_workbook(tmp_path / "r.xlsx").sheet_order[:3] == ["Summary", "What to do first", "Pillars"]


# ---------------------------------------------------------------------------------------------
# Text from files stays text


def test_formula_like_text_is_text_in_every_format(tmp_path, ctx, demo_scores):
    """An agency name "+cmd…", a target "-1 …" and an adjustment reason "=HYPERLINK(…)" never become formulas."""
    from dataclasses import replace

    ind = ctx.catalogue.indicators["1.3"]
    evil = replace(ind, lead=(FORMULA_BY,), target=replace(ind.target, text="-1 văn bản"))
    cat = replace(ctx.catalogue, indicators={**ctx.catalogue.indicators, "1.3": evil})
    ctx2 = replace(ctx, catalogue=cat)
    s = copy.deepcopy(demo_scores)
    s.adjustments = [{"row": 2, "input_id": "8.1.b", "indicator": "8.1", "old_value": 1, "new_value": 100, "reason": FORMULA_REASON,
                      "by": FORMULA_BY, "date": "2023-10-06"}]
    rep = build_report(ctx2, s)
    for ext in FORMATS:
        write_report(rep, tmp_path / f"r.{ext}")
    with zipfile.ZipFile(tmp_path / "r.xlsx") as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets  # no formula anywhere
    cells = [v for name in open_workbook(tmp_path / "r.xlsx").sheet_order if name != "_dti"
             for _n, row in open_workbook(tmp_path / "r.xlsx").sheets[name].rows() for v in row]
    assert {FORMULA_BY, FORMULA_REASON, "-1 văn bản"} <= set(cells)
    with open(tmp_path / "r.csv", encoding="utf-8-sig", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["code"] == "1.3")
    assert row["lead"] == "'" + FORMULA_BY and row["target"] == "'-1 văn bản"
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(&quot;http://evil.example&quot;" in html and '=HYPERLINK("' not in html and 'class="txt"' in html
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "\\=HYPERLINK(\"http://evil.example\",\"click\")" in md and "\\+cmd\\|' /C calc'!A0" in md
    d = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert next(g for g in d["gaps"] if g["code"] == "1.3")["lead_names"] == [FORMULA_BY]


def test_md_escape():
    from dti_cli.report.to_md import md_escape

    assert md_escape("a|b*c_d`e<f>") == "a\\|b\\*c\\_d\\`e\\<f\\>"
    assert md_escape("=1+1") == "\\=1+1" and md_escape("@SUM(A1)") == "\\@SUM(A1)"
    assert md_escape("-12,5") == "-12,5" and md_escape("+3") == "+3"  # numbers are numbers
    assert md_escape("line\nbreak") == "line break"
