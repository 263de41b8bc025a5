"""One language per run in everything `dti demo` writes: every workbook (each sheet's name and each cell a person
sees), the HTML pages, the Markdown and the CSV. A Vietnamese run has no English word of test_i18n's list; an
English run no Vietnamese word of its list outside names (the province's, its units'), and none of the catalogue's
Vietnamese texts that have their English (indicator names, labels, units of measure, targets, deadlines, coordinating
bodies, the methodology's source): the catalogue gives each its English, so its Vietnamese in an English output is
itself a finding.

Hidden sheets (the `_dti` stamp, validation lists) are for machines and are skipped, and so is every column whose
header says, in the run's language, that it is for machines ("Status (for machines)", "Trạng thái (cho máy đọc)": ids,
keys and JSON beside the words); so are the returned workbooks' value cells, which hold what the (sample) officials typed.
"""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

import openpyxl
import pytest
from test_i18n import ENGLISH, VIETNAMESE, _found

from dti_cli.core import i18n
from dti_cli.demo import run_demo
from dti_cli.methodology.context import load_context

_DEMO: dict[str, Path] = {}


def demo(lang: str) -> Path:
    if lang not in _DEMO:
        folder = Path(tempfile.mkdtemp(prefix=f"dti-demo-{lang}-")) / "round"
        with i18n.using(lang):
            run_demo(load_context(), folder)
        _DEMO[lang] = folder
    return _DEMO[lang]


def _names(ctx) -> list[str]:
    """Names that are names in any language: the province, its units, every spelling."""
    texts = {ctx.profile.name, ctx.profile.name_full, "Cà Mau"}
    for u in ctx.profile.units:
        texts |= set(u.names())
    return sorted((t for t in texts if t and t.strip()), key=len, reverse=True)


def _catalogue_vietnamese(ctx) -> dict[str, str]:
    """Every Vietnamese text of the catalogue that has its English, → the field it is (names, labels, choices, units,
    targets, deadlines, coordinating bodies, the source): an English output shows the English instead."""
    cat = ctx.catalogue
    out: dict[str, str] = {}

    def add(vi: str, en: str, what: str) -> None:
        if vi and en and vi != en:
            out.setdefault(vi, what)

    add(cat.source, cat.source_en, "source")
    for p in cat.pillars.values():
        add(p.name_vi, p.name_en, f"pillar {p.code} name")
    for ind in cat.indicators.values():
        add(ind.name_vi, ind.name_en, f"{ind.code} name")
        add(ind.target.text, ind.target.text_en, f"{ind.code} target")
        add(ind.deadline_vi, ind.deadline_en, f"{ind.code} deadline")
        for vi, en in zip(ind.coordinating, ind.coordinating_in("en"), strict=True):
            add(vi, en, f"{ind.code} coordinating")
        for inp in ind.inputs:
            add(inp.label_vi, inp.label_en, f"{inp.id} label")
            add(inp.unit, inp.unit_en, f"{inp.id} unit")
            for c in inp.choices:
                add(c.label_vi, c.label_en, f"{inp.id} choice")
    return out


def _for_machines(lang: str) -> str:
    """The words that end the header of a column for machines, in ``lang``: "(for machines)", "(cho máy đọc)"."""
    with i18n.using(lang):
        header = i18n._("Status (for machines)")
    found = re.search(r"\([^()]+\)$", header)
    assert found, header
    return found.group(0)


def _workbook_texts(path: Path, returned: bool, lang: str) -> list[tuple[str, str]]:
    wb = openpyxl.load_workbook(path, read_only=False)
    marker = _for_machines(lang)
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        out.append((f"{path.name}!sheet name", ws.title))
        machines: dict[int, int] = {}  # column → the row of its header, for the columns whose header says they are for machines
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and not c.value.startswith("="):
                    if returned and c.protection.locked is False:
                        continue  # what the official typed
                    if c.column in machines and c.row > machines[c.column]:
                        continue  # an id, a key or JSON under a header "… (for machines)"
                    out.append((f"{path.name}!{ws.title}!{c.coordinate}", c.value))
                    if c.value.strip().endswith(marker):
                        machines[c.column] = c.row
    for cs in getattr(wb, "chartsheets", []):
        out.append((f"{path.name}!chart sheet", cs.title))
    return out


def _typed(lang: str) -> set[str]:
    """What the (sample) officials typed in the returned workbooks: the merged workbook quotes it as it is."""
    out = set()
    for p in sorted((demo(lang) / "2-phieu-nhan-ve").rglob("*.xlsx")):
        for ws in openpyxl.load_workbook(p).worksheets:
            out |= {c.value.strip() for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.protection.locked is False}
    return out


def _page_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
        text = html.unescape(text)
    return text


def _texts(lang: str) -> list[tuple[str, str]]:
    folder = demo(lang)
    out: list[tuple[str, str]] = []
    for p in sorted(folder.rglob("*.xlsx")):
        out += _workbook_texts(p, returned="2-phieu-nhan-ve" in p.parts, lang=lang)
    for p in sorted([*folder.glob("*.html"), *folder.glob("*.md"), *folder.glob("*.csv")]):
        if p.name == "tham-chieu.csv":
            continue  # the references file: machine ids and figures
        out.append((p.name, _page_text(p)))
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_file_of_the_demo_speaks_the_run_s_language(lang):
    ctx = load_context()
    words, names = (ENGLISH, []) if lang == "vi" else (VIETNAMESE, _names(ctx))
    wrong = []
    for where, text in _texts(lang):
        for name in names:
            text = text.replace(name, " ")
        found = _found(text, words)
        if found:
            wrong.append(f"{where}: {found} in {text[:160]!r}")
    assert wrong == [], "\n".join(wrong[:40]) + f"\n({len(wrong)} in all)"


def test_an_english_run_shows_the_catalogue_s_english():
    """No Vietnamese text of the catalogue that has its English (an indicator's name, a label, a unit of measure, a target,
    a deadline, a coordinating body, the methodology's source) in any output of an English run."""
    ctx = load_context()
    vietnamese = _catalogue_vietnamese(ctx)
    assert {"người", "tỷ đồng", "Có/Không", "Trong năm", "Các cơ quan, đơn vị có liên quan", ctx.catalogue.source} <= set(vietnamese)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in sorted(vietnamese, key=len, reverse=True)) + r")(?!\w)")
    names, typed = _names(ctx), _typed("en")
    wrong = []
    for where, text in _texts("en"):
        if text.strip() in typed:
            continue
        text = re.sub(r"\s+", " ", text)  # a name a chart wraps over two lines is still a name
        for name in names:
            text = text.replace(name, " ")
        for m in pattern.finditer(text):
            wrong.append(f"{where}: {vietnamese[m.group(0)]} {m.group(0)!r}")
    assert wrong == [], "\n".join(wrong[:40]) + f"\n({len(wrong)} in all)"


def test_the_demo_writes_workbooks_and_pages_in_both_languages():
    for lang in ("vi", "en"):
        folder = demo(lang)
        assert len(list(folder.rglob("*.xlsx"))) > 80 and (folder / "bao-cao-dti.html").is_file()
