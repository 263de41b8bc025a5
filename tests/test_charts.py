"""The report's SVG charts, read back as XML: marks, numbers, geometry, escaping, wrapping; then in Chromium.

Each chart is parsed with ElementTree; its marks' ``data-value`` must equal the inputs and its
bars' lengths must be proportional to them. The last tests open the five charts in headless
Chromium: the text is measured with the real fonts (nothing outside the chart, no two texts on
top of each other), and the page printed to PDF must hold the names and the formatted numbers.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dti_cli.core import charts as C

NS = "{http://www.w3.org/2000/svg}"


def fmt(x: float) -> str:
    """Vietnamese style, one decimal: 1.234,5."""
    return f"{x:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def fmt2(x: float) -> str:
    return f"{x:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


PILLAR_NAMES = ["Nhận thức số", "Thể chế số", "Hạ tầng số", "Nhân lực số", "An toàn thông tin mạng",
                "Hoạt động chính quyền số", "Hoạt động kinh tế số", "Hoạt động xã hội số"]
PILLARS = [{"code": str(i + 1), "name": n, "previous": None if i == 3 else round(0.3 + 0.07 * i, 4), "now": round(0.35 + 0.06 * i, 4)}
           for i, n in enumerate(PILLAR_NAMES)]
AGENCY_NAMES = ["Sở Thông tin và Truyền thông", "Trung tâm Giải quyết thủ tục hành chính tỉnh", "Sở Tài chính", "Cổng Thông tin điện tử tỉnh",
                "Sở Kế hoạch và Đầu tư", "Sở Lao động - Thương binh và Xã hội", "Đài Phát thanh - Truyền hình tỉnh", "Sở Công Thương",
                "Các sở, ban, ngành tỉnh", "UBND các huyện, thành phố", "UBND các xã, phường, thị trấn",
                "Ngân hàng nhà nước chi nhánh tỉnh Cà Mau", "Cục Thuế tỉnh", "Công an tỉnh", "Báo Cà Mau"]
AGENCIES = [{"name": a, "points": round(80 / (i + 1), 3)} for i, a in enumerate(AGENCY_NAMES)]
DELTAS = [12.5, -8.25, 20.0, 0.0, -3.5, 31.0, 9.75, 4.0]
START = 612.3
END = START + math.fsum(DELTAS)
STEPS = [{"label": n, "delta": d} for n, d in zip(PILLAR_NAMES, DELTAS, strict=True)]
TOTALS = [(f"Tỉnh {i:02d}", 450.0 + 4.7 * i) for i in range(62)] + [("Cà Mau", START)]
ROUTE = [{"label": "Việc làm ngay: 6 chỉ số Có/Không", "gain": 24.0},
         {"label": "Sở Thông tin và Truyền thông: 5 chỉ số mất nhiều điểm nhất", "gain": 18.5},
         {"label": "Trung tâm Giải quyết thủ tục hành chính tỉnh", "gain": 11.0},
         {"label": "Sở Tài chính", "gain": 7.25}]
NO_DATA = "Không có số liệu"


def pillars_svg(pillars=PILLARS) -> str:
    return C.pillar_index(pillars, title="Chỉ số theo trụ cột (0–1)", legend_prev="Năm 2022", legend_now="Năm 2023 (tự đánh giá)",
                          fmt=fmt2, no_data=NO_DATA)


def agencies_svg(items=AGENCIES, max_items=12) -> str:
    return C.agency_stake(items, title="Điểm còn thiếu theo cơ quan chủ trì", fmt=fmt, others_label="Các cơ quan khác",
                          max_items=max_items, no_data=NO_DATA)


def bridge_svg(start=START, steps=STEPS, end=END) -> str:
    return C.bridge(start, steps, end, title="Từ tổng điểm 2022 đến 2023", start_label="Tổng điểm 2022",
                    end_label="Tổng điểm 2023 (ước tính)", fmt=fmt, no_data=NO_DATA)


def rank_svg(totals=TOTALS, new=True) -> str:
    extra = {"new_label": "Với điểm 2023: hạng 14/63", "new_total": END, "new_rank": 14} if new else {}
    return C.rank_strip(totals, own="Cà Mau", own_total=START, own_rank=35, of=63, title="Vị trí trong bảng xếp hạng 2022", fmt=fmt,
                        own_label="Cà Mau 2022: hạng 35/63", no_data=NO_DATA, **extra)


def route_svg(steps=ROUTE) -> str:
    return C.running_total(steps, start=680.15, goal=730.0, title="Lộ trình đến mục tiêu 730 điểm", fmt=fmt,
                           start_label="Hiện tại (ước tính)", goal_label="Mục tiêu", no_data=NO_DATA)


ALL = {"pillars": pillars_svg, "agencies": agencies_svg, "bridge": bridge_svg, "rank": rank_svg, "route": route_svg}


def marks(svg: str) -> list[ET.Element]:
    return [el for el in ET.fromstring(svg).iter() if el.get("data-value") is not None]


def by_label(svg: str) -> dict[str, ET.Element]:
    return {el.get("data-label"): el for el in marks(svg)}


def text_lines(svg: str) -> list[list[str]]:
    """Every <text> as its lines (one per <tspan>, or its own text)."""
    out = []
    for t in ET.fromstring(svg).iter(f"{NS}text"):
        spans = t.findall(f"{NS}tspan")
        out.append([s.text or "" for s in spans] if spans else [t.text or ""])
    return out


def texts(svg: str) -> list[str]:
    return [" ".join(lines) for lines in text_lines(svg)]


def width(el: ET.Element) -> float:
    return float(el.get("width"))


# ---------------------------------------------------------------------------------------------
# Every chart


@pytest.mark.parametrize("kind", ALL)
def test_every_chart_is_an_accessible_self_contained_svg(kind):
    svg = ALL[kind]()
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.get("width") == "100%" and root.get("viewBox").startswith("0 0 400 ")
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title.text == root.get("aria-label") and desc.text
    assert root.get("aria-describedby") == desc.get("id")
    assert "<script" not in svg and "href" not in svg and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


@pytest.mark.parametrize("kind", ALL)
def test_every_text_fits_the_width_by_the_wide_estimate(kind):
    root = ET.fromstring(ALL[kind]())
    vb_w = float(root.get("viewBox").split()[2])
    for t in root.iter(f"{NS}text"):
        size, x = float(t.get("font-size")), float(t.get("x"))
        lines = [s.text or "" for s in t.findall(f"{NS}tspan")] or [t.text or ""]
        for line in lines:
            w = C.text_width(line, size)
            left = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor", "start")]
            assert left >= 0 and left + w <= vb_w + 0.01, (line, left, w)


def test_the_same_input_gives_the_same_svg_and_ids_differ_between_charts():
    assert pillars_svg() == pillars_svg()
    ids = [el.get("id") for kind in ALL for el in ET.fromstring(ALL[kind]()).iter() if el.get("id")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("make", [
    lambda: pillars_svg([]), lambda: agencies_svg([]), lambda: bridge_svg(START, [], START), lambda: rank_svg([], new=False),
    lambda: route_svg([]),
])
def test_empty_input_is_a_small_valid_svg_with_the_callers_words(make):
    svg = make()
    root = ET.fromstring(svg)
    assert C.read_values(svg) == [] or root.get("class").endswith("bridge")
    assert float(root.get("viewBox").split()[3]) < 120 or root.get("class").endswith("bridge")
    assert NO_DATA in texts(svg) or root.get("class").endswith("bridge")


def test_an_empty_bridge_is_start_and_end_only():
    svg = bridge_svg(START, [], START)
    assert C.read_values(svg) == [("Tổng điểm 2022", START), ("Tổng điểm 2023 (ước tính)", START)]


# ---------------------------------------------------------------------------------------------
# 1. Pillars


def test_pillars_marks_and_values():
    got = C.read_values(pillars_svg())
    want = [(f"{p['code']}:{s}", p[s]) for p in PILLARS for s in ("previous", "now") if p[s] is not None]
    assert got == want  # exact floats, not the formatted text
    assert len(got) == 2 * len(PILLARS) - 1


def test_pillars_none_previous_draws_a_dash_not_a_bar():
    svg = pillars_svg()
    assert "4:previous" not in by_label(svg)
    assert "4:now" in by_label(svg)
    assert "\u2014" in texts(svg)


def test_pillars_bars_are_proportional_and_names_complete():
    m = by_label(pillars_svg())
    a, b = m["1:now"], m["8:now"]
    assert width(a) / width(b) == pytest.approx(PILLARS[0]["now"] / PILLARS[7]["now"], rel=1e-3)
    assert float(a.get("x")) == float(b.get("x"))
    assert width(m["2:previous"]) / width(m["2:now"]) == pytest.approx(PILLARS[1]["previous"] / PILLARS[1]["now"], rel=1e-3)
    assert set(PILLAR_NAMES) <= set(texts(pillars_svg()))
    assert fmt2(PILLARS[5]["now"]) in texts(pillars_svg())


def test_previous_and_now_differ_by_more_than_colour():
    m = by_label(pillars_svg())
    assert m["1:previous"].get("fill").startswith("url(#")  # hatched
    assert not m["1:now"].get("fill").startswith("url(")


# ---------------------------------------------------------------------------------------------
# 2. Agencies


def test_agencies_sorted_with_the_rest_summed_into_others():
    shuffled = AGENCIES[5:] + AGENCIES[:5]
    got = C.read_values(agencies_svg(shuffled))
    assert len(got) == 13
    assert got[:12] == [(a["name"], a["points"]) for a in AGENCIES[:12]]
    assert got[12][0] == "Các cơ quan khác"
    assert got[12][1] == pytest.approx(sum(a["points"] for a in AGENCIES[12:]))
    assert by_label(agencies_svg())["Các cơ quan khác"].get("data-others") == "true"


def test_agencies_no_others_bar_when_everything_fits():
    got = C.read_values(agencies_svg(AGENCIES[:5], max_items=5))
    assert [n for n, _ in got] == AGENCY_NAMES[:5]


def test_agencies_bars_proportional():
    m = by_label(agencies_svg())
    a, b = m[AGENCY_NAMES[0]], m[AGENCY_NAMES[3]]
    assert width(a) / width(b) == pytest.approx(AGENCIES[0]["points"] / AGENCIES[3]["points"], rel=1e-3)


def test_agencies_negative_points_are_refused():
    with pytest.raises(ValueError, match="negative"):
        agencies_svg([{"name": "x", "points": -1}])


# ---------------------------------------------------------------------------------------------
# 3. Bridge


def test_bridge_marks_values_and_signs():
    svg = bridge_svg()
    got = C.read_values(svg)
    assert got == [("Tổng điểm 2022", START)] + [(s["label"], s["delta"]) for s in STEPS] + [("Tổng điểm 2023 (ước tính)", END)]
    m = by_label(svg)
    gain, loss = m["Nhận thức số"], m["Thể chế số"]
    assert gain.get("data-kind") == "gain" and loss.get("data-kind") == "loss"
    assert gain.get("fill") != loss.get("fill") and loss.get("fill").startswith("url(#")
    t = texts(svg)
    assert "+12,5" in t and "\u22128,2" in t and "\u22123,5" in t and "0,0" in t


def test_bridge_steps_float_from_the_running_total_and_are_proportional():
    svg = bridge_svg()
    m = by_label(svg)
    start, end = m["Tổng điểm 2022"], m["Tổng điểm 2023 (ước tính)"]
    x0 = float(start.get("x"))
    assert x0 == float(end.get("x"))
    unit = (width(end) - width(start)) / (END - START)  # units per point
    a, b = m["Hạ tầng số"], m["Hoạt động chính quyền số"]
    assert width(a) / width(b) == pytest.approx(20.0 / 31.0, rel=1e-3)
    assert width(a) == pytest.approx(20.0 * unit, rel=1e-3)
    # A loss starts where the running total ends: its right edge is the total before it.
    loss = m["Thể chế số"]
    assert float(loss.get("x")) + width(loss) == pytest.approx(x0 + width(start) + 12.5 * unit, abs=0.02)


def test_bridge_end_must_equal_start_plus_deltas():
    with pytest.raises(ValueError, match="end"):
        bridge_svg(end=END + 0.01)
    bridge_svg(end=END + 1e-9)


def test_bridge_that_starts_near_zero_has_an_unbroken_axis():
    svg = bridge_svg(4.0, [{"label": "a", "delta": 6.0}, {"label": "b", "delta": -2.0}], 8.0)
    m = by_label(svg)
    assert width(m["a"]) / width(m["Tổng điểm 2022"]) == pytest.approx(1.5, rel=1e-3)
    assert float(m["a"].get("x")) == pytest.approx(float(m["Tổng điểm 2022"].get("x")) + width(m["Tổng điểm 2022"]), abs=0.02)


# ---------------------------------------------------------------------------------------------
# 4. Rank strip


def test_rank_strip_every_province_once_and_the_own_row_replaced():
    svg = rank_svg()
    got = C.read_values(svg)
    assert len(got) == 62 + 2
    assert sorted(got[:62], key=lambda t: t[0]) == sorted(TOTALS[:62])
    m = by_label(svg)
    own, new = m["Cà Mau"], m["Với điểm 2023: hạng 14/63"]
    assert (own.get("data-kind"), own.get("data-rank"), own.get("data-of")) == ("own", "35", "63")
    assert (new.get("data-kind"), new.get("data-rank"), float(new.get("data-value"))) == ("new", "14", END)
    t = " ".join(texts(svg))
    assert "Cà Mau 2022: hạng 35/63: 612,3" in t and "677,8" in t


def test_rank_strip_positions_are_proportional():
    m = by_label(rank_svg())
    xs = {k: float(el.get("cx")) for k, el in m.items() if el.get("cx")}
    a, b, c = xs["Tỉnh 00"], xs["Tỉnh 10"], xs["Tỉnh 40"]
    assert (c - a) / (b - a) == pytest.approx(4.0, rel=1e-3)


def test_rank_strip_accepts_bare_totals_and_no_new_marker():
    svg = rank_svg([500.0, 600.0, 700.0], new=False)
    assert len(marks(svg)) == 4
    assert [el.get("data-kind") for el in marks(svg)][-1] == "own"


# ---------------------------------------------------------------------------------------------
# 5. Running total


def test_running_total_marks_and_totals():
    svg = route_svg()
    got = C.read_values(svg)
    assert got[0] == ("Hiện tại (ước tính)", 680.15)
    assert got[1:-1] == [(s["label"], s["gain"]) for s in ROUTE]
    assert got[-1] == ("Mục tiêu", 730.0)
    totals = [float(el.get("data-total")) for el in marks(svg) if el.get("data-total")]
    assert totals == pytest.approx([704.15, 722.65, 733.65, 740.9])
    assert "+24,0 \u2192 704,2" in texts(svg) or "+24,0 \u2192 704,1" in texts(svg)


def test_running_total_gains_proportional_and_stacked():
    m = by_label(route_svg())
    a, b = m[ROUTE[0]["label"]], m[ROUTE[1]["label"]]
    assert width(a) / width(b) == pytest.approx(24.0 / 18.5, rel=1e-3)
    assert float(b.get("x")) == pytest.approx(float(a.get("x")) + width(a), abs=0.02)


def test_running_total_loss_is_hatched():
    svg = route_svg([{"label": "a", "gain": 10.0}, {"label": "b", "gain": -4.0}])
    m = by_label(svg)
    assert m["b"].get("data-kind") == "loss" and m["b"].get("fill").startswith("url(#")
    assert f"\u22124,0 \u2192 {fmt(680.15 + 10.0 - 4.0)}" in texts(svg)


@pytest.mark.parametrize("make", [
    lambda: rank_svg([("A", 600.0), ("B", 600.0)], new=False),
    lambda: rank_svg([("A", START)], new=False),
    lambda: bridge_svg(0.0, [{"label": "a", "delta": 0.0}], 0.0),
    lambda: agencies_svg([{"name": "a", "points": 0.0}]),
    lambda: route_svg([{"label": "a", "gain": 0.0}]),
    lambda: pillars_svg([{"code": "1", "name": "a", "previous": 0.0, "now": 0.0}]),
])
def test_degenerate_ranges_still_draw_a_readable_axis(make):
    svg = make()
    ticks = [t for t, el in zip(texts(svg), ET.fromstring(svg).iter(f"{NS}text"), strict=True) if el.get("class") == "tick"]
    assert len(ticks) >= 2 and len(set(ticks)) == len(ticks)


# ---------------------------------------------------------------------------------------------
# Escaping and wrapping

HOSTILE = ['<b>&"x"</b>', "a]]>b", "x\x00y\x0b'z"]


@pytest.mark.parametrize("name", HOSTILE)
def test_text_is_escaped_and_round_trips(name):
    clean = name.replace("\x00", "").replace("\x0b", "")  # not allowed in XML: dropped
    shown = " ".join(name.replace("\x00", "").split())  # a wrapped text: any whitespace is one space
    svgs = [agencies_svg([{"name": name, "points": 3.0}]),
            bridge_svg(1.0, [{"label": name, "delta": 1.0}], 2.0),
            pillars_svg([{"code": name, "name": name, "previous": 0.2, "now": 0.4}]),
            C.agency_stake([{"name": "a", "points": 1.0}], title=name, fmt=fmt, others_label=name)]
    for svg in svgs:
        assert "<b>" not in svg
        root = ET.fromstring(svg)
        assert shown in texts(svg) or root.get("aria-label") == clean
    assert by_label(svgs[0])[clean] is not None
    assert ET.fromstring(svgs[3]).find(f"{NS}title").text == clean


def test_long_vietnamese_names_wrap_whole():
    name = "Trung tâm Giải quyết thủ tục hành chính tỉnh và Cổng Thông tin điện tử tỉnh (chủ trì chung với các sở, ban, ngành)"
    svg = agencies_svg([{"name": name, "points": 10.0}, {"name": "Sở Tài chính", "points": 5.0}])
    lines = next(lines for lines in text_lines(svg) if " ".join(lines) == name)
    assert len(lines) >= 2
    assert all(C.text_width(line, C.SIZE_NAME) <= C.W - 2 * C.PAD for line in lines)


def test_wrap_breaks_a_word_longer_than_the_line():
    lines = C.wrap("x" * 200, 14, 100)
    assert "".join(lines) == "x" * 200 and all(C.text_width(s, 14) <= 100 for s in lines)
    assert C.wrap("", 14, 100) == [""]


def test_non_finite_numbers_are_refused():
    with pytest.raises(ValueError, match="finite"):
        pillars_svg([{"code": "1", "name": "a", "previous": None, "now": float("nan")}])


# ---------------------------------------------------------------------------------------------
# In a browser: measured with real fonts, printed to PDF

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PDFTOTEXT = shutil.which("pdftotext")

MEASURE = """
<script>
const out = [];
document.querySelectorAll('svg.dti-chart').forEach((svg, i) => {
  const vb = svg.viewBox.baseVal;
  const boxes = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()]);
  for (const [s, b] of boxes) {
    if (b.x < -0.5 || b.y < -0.5 || b.x + b.width > vb.width + 0.5 || b.y + b.height > vb.height + 0.5)
      out.push(`chart ${i}: outside: ${s}`);
  }
  for (let a = 0; a < boxes.length; a++) for (let b = a + 1; b < boxes.length; b++) {
    const [s, p] = boxes[a], [t, q] = boxes[b];
    const dx = Math.min(p.x + p.width, q.x + q.width) - Math.max(p.x, q.x);
    const dy = Math.min(p.y + p.height, q.y + q.height) - Math.max(p.y, q.y);
    if (dx > 1 && dy > 3) out.push(`chart ${i}: overlap: ${s} / ${t}`);
  }
});
document.getElementById('result').textContent = JSON.stringify(out);
</script>
"""


def page(svgs: list[str], *, css: str = "", script: str = "") -> str:
    return ('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<style>body{{font-family:serif;max-width:190mm;margin:0 auto;padding:0 8px}} figure{{margin:12pt 0}} {css}</style></head>'
            '<body><pre id="result"></pre>' + "".join(f"<figure>{s}</figure>" for s in svgs) + script + "</body></html>")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


needs_chromium = pytest.mark.skipif(not CHROMIUM, reason="chromium is not on PATH: the charts are not measured or printed")


@needs_chromium
@pytest.mark.chromium
@pytest.mark.parametrize("width", [360, 900])
@pytest.mark.parametrize("font", ["", "svg.dti-chart { font-family: 'DejaVu Sans' !important; }"], ids=["default-fonts", "dejavu"])
def test_in_chromium_no_text_leaves_its_chart_or_covers_another(tmp_path, width, font):
    html = tmp_path / "measure.html"
    html.write_text(page([make() for make in ALL.values()], css=font, script=MEASURE), encoding="utf-8")
    r = chromium(tmp_path, f"--window-size={width},3000", "--dump-dom", html.as_uri())
    m = re.search(r'<pre id="result">(.*?)</pre>', r.stdout, re.S)
    assert m, f"chromium did not run the page: {r.stderr[-500:]}"
    assert json.loads(m.group(1)) == []


@needs_chromium
@pytest.mark.chromium
@pytest.mark.skipif(not PDFTOTEXT, reason="pdftotext (poppler-utils) is not on PATH: the printed PDF cannot be read back")
def test_printed_to_pdf_the_words_and_numbers_are_there(tmp_path):
    html, pdf = tmp_path / "charts.html", tmp_path / "charts.pdf"
    html.write_text(page([make() for make in ALL.values()], css="@page { size: A4; margin: 14mm 12mm; }"), encoding="utf-8")
    r = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    assert pdf.exists(), r.stderr[-500:]
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for word in [*PILLAR_NAMES, *AGENCY_NAMES[:12], "Các cơ quan khác", "Tổng điểm 2022", "Tổng điểm 2023 (ước tính)",
                 "Cà Mau 2022: hạng 35/63: 612,3", "Với điểm 2023: hạng 14/63: 677,8", "Mục tiêu: 730,0", "Hiện tại (ước tính)"]:
        assert word in flat, word
    for number in ["0,35", "0,77", "80,0", "+12,5", "\u22128,2", "+31,0", "612,3", "677,8", "+24,0 \u2192 704,1", "740,9"]:
        assert number in flat, number
    # Each text printed once (a white halo drawn as a stroke makes Chrome print it twice): pillars and bridge.
    assert flat.count("Hoạt động chính quyền số") == 2
