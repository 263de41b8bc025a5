"""intake's fast path (ElementTree's C parser) reads every workbook exactly as the streaming reader does.

The streaming reader (expat, a Python call per tag) is the reference: for each workbook the tests
build — real templates, filled and damaged ones, the whole bad-file corpus — and for generated
sheets, open_workbook with the fast path must give the same workbook, or the same refusal with the
same code and message, as open_workbook with the fast path turned off.
"""

from __future__ import annotations

import contextlib
import zipfile
from pathlib import Path
from typing import Any

import badfiles
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dti_cli.intake import IntakeError, Limits, open_workbook, tree, zipread


def _snapshot(path: Path, limits: Limits) -> Any:
    zipread._BY_CONTENT.clear()  # each reader reads every part itself, not what the other read before
    try:
        wb = open_workbook(path, limits)
    except IntakeError as e:
        return ("refused", e.code, e.message)
    sheets = {t: (s.kind, sorted(s.rows()), dict(s.formulas), s._sorted) for t, s in wb.sheets.items()}
    return (wb.format, wb.sheet_order, sorted(wb.hidden), wb.defined_names, wb.date1904, sheets, [n.code for n in wb.notes])


def _both(path: Path, limits: Limits = Limits()) -> tuple[Any, Any]:  # noqa: B008
    fast = _snapshot(path, limits)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tree, "_tree", lambda z, member: None)
        slow = _snapshot(path, limits)
    return fast, slow


def _tree_used(path: Path) -> int:
    """How many parts the fast path read (so a test knows it compared something)."""
    calls = []
    real = tree._tree

    def spy(z, member):
        t = real(z, member)
        calls.append(t is not None)
        return t

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tree, "_tree", spy)
        with contextlib.suppress(IntakeError):
            open_workbook(path)
    return sum(calls)


def test_the_bad_file_corpus_reads_and_refuses_the_same(tmp_path):
    valid = badfiles.build_valid(tmp_path / "valid.xlsx")
    cases = badfiles.build_corpus(tmp_path / "bad", valid)
    assert len(cases) > 50
    for case in [*cases, badfiles.BadCase("valid", valid, None, "read")]:
        fast, slow = _both(case.path, badfiles.CORPUS_LIMITS)
        assert fast == slow, case.name


def test_real_templates_filled_and_damaged_read_the_same(tmp_path, ctx):
    from helpers_fill import make_returned_set

    paths = make_returned_set(tmp_path, ctx)
    assert len(paths) > 20
    for p in paths.values():
        fast, slow = _both(p)
        assert fast == slow and fast[0] == "xlsx", p.name
    assert _tree_used(next(iter(paths.values()))) >= 5  # every sheet and the styles went through the tree
    samples = Path(__file__).resolve().parent.parent / "samples" / "returned"
    for p in sorted(samples.glob("*.xlsx")):
        assert _both(p)[0] == _both(p)[1], p.name


MAIN = badfiles.MAIN


def _sheet_file(tmp: Path, body: str, *, head: str = "", tail: str = "", decl: str = '<?xml version="1.0" encoding="UTF-8"?>',
                shared: list[str] | None = None) -> Path:
    parts = {"xl/worksheets/sheet1.xml": f'{decl}<worksheet xmlns="{MAIN}" xmlns:x="{MAIN}">{head}<sheetData>{body}</sheetData>{tail}'
                                          "</worksheet>".encode()}
    return badfiles.write_xlsx(tmp, {"S": ""}, parts=parts, shared=[f"<si><t>{x}</t></si>" for x in shared] if shared is not None else None)


ODD_SHEETS = [
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t><r><rPr><b/></rPr><t>b</t></r><rPh sb="0" eb="1"><t>ph</t></rPh></is></c></row>',
    '<row r="1"><c r="A1"><v>1</v><v>2</v></c><c r="B1" t="str"><f>A1&amp;"x"</f><v>12x</v></c></row>',
    '<row r="2"><c r="A2" t="n"><f t="shared" ref="A2:A4" si="0">B2*2</f><v>2</v></c></row><row r="3"><c r="A3"><f t="shared" si="0"/><v>4</v></c></row>',
    '<row r="1"><c r="B2"><v>1</v></c></row>',  # a cell outside its row element
    '<row><c><v>1</v></c><c><v>2</v></c></row><row><c t="b"><v>1</v></c></row>',  # no references at all
    '<row r="3"><c r="A3"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row>',  # rows out of order
    '<row r="1"><c r="A1" t="e"><v>#N/A</v></c><c r="B1" t="d"><v>2023-10-15T08:00:00</v></c><c r="C1" t="x"><v>_x0041_</v></c></row>',
    '<row r="1"><c r="A1"><x:v>7</x:v></c><x:c r="B1"><v>8</v></x:c></row>',
    '<row r="1"><c r="A1"><!-- a comment --><v>7</v></c></row>',
    '<row r="1"><c r="A1"><v><![CDATA[7]]></v></c></row>',
    '<row r="1"><c r="A1"><v>1<?pi x?>2</v></c></row>',
    '<row r="1"><c r="A1"><v>1</v><extLst/></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is><v>b</v></c></row>',
    '<row r="1"><c r="ZZZZ1"><v>1</v></c></row>',
    '<row r="0"><c><v>1</v></c></row>',
    '<row r="x"><c><v>1</v></c></row>',
    '<row r="1"><c r="A1" t="s"><v>5</v></c></row>',
    '<row r="1"><c r="XFD1"><v>1</v></c></row><row r="2"><c r="XFD2"><v>1</v></c></row>' * 40,
    '<row r="1"><c r="A1" s="1"><v>45000</v></c><c r="B1" s="x"><v>1</v></c></row>',
    '<row r="1"><c r="A1"><v> 12 </v></c><c r="B1"><v>1.5e3</v></c><c r="C1"><v>abc</v></c><c r="D1"><v>nan</v></c></row>',
]


@pytest.mark.parametrize("body", ODD_SHEETS)
def test_odd_sheets_read_the_same(tmp_path, body):
    path = _sheet_file(tmp_path / "odd.xlsx", body)
    fast, slow = _both(path, Limits(max_cells=5000))
    assert fast == slow


@pytest.mark.parametrize(("head", "tail"), [
    ('<sheetPr><x:v>1</x:v></sheetPr>', ""),
    ("", '<extLst><ext><x:f>Lists!$A$1:$A$5</x:f></ext></extLst>'),
    ("", '<extLst><row r="9"><c r="A9"><v>1</v></c></row></extLst>'),
    ('<c r="A1"><v>1</v></c>', ""),
    ("", "<sheetData><row r=\"7\"><c r=\"A7\"><v>7</v></c></row></sheetData>"),
])
def test_content_around_sheet_data_reads_the_same(tmp_path, head, tail):
    path = _sheet_file(tmp_path / "around.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>', head=head, tail=tail)
    fast, slow = _both(path)
    assert fast == slow


@pytest.mark.parametrize("decl", ['<?xml version="1.0" encoding="ISO-8859-1"?>', '<?xml version="1.0"?>', "", " ",
                                  '<!DOCTYPE worksheet [<!ENTITY e "x">]>'])
def test_declarations_and_doctypes_read_or_refuse_the_same(tmp_path, decl):
    path = _sheet_file(tmp_path / "decl.xlsx", '<row r="1"><c r="A1" t="inlineStr"><is><t>é</t></is></c></row>', decl=decl)
    fast, slow = _both(path)
    assert fast == slow


def test_styles_read_the_same(tmp_path):
    styles = (f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" '
              'formatCode="0.00"/></numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/>'
              '<xf numFmtId="165"/><xf numFmtId="14"/><xf numFmtId="x"/></cellXfs></styleSheet>')
    body = "".join(f'<c r="{c}1" s="{i}"><v>45000</v></c>' for i, c in enumerate("ABCDEF"))
    path = badfiles.write_xlsx(tmp_path / "st.xlsx", {"S": f'<row r="1">{body}</row>'}, parts={"xl/styles.xml": styles.encode()})
    fast, slow = _both(path)
    assert fast == slow
    assert [type(v).__name__ for v in dict(fast[5]["S"][1])[1]] == ["int", "datetime", "int", "datetime", "int", "int"]


_cell_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=6)


@st.composite
def _sheet_body(draw) -> str:
    from xml.sax.saxutils import escape

    rows = []
    for _ in range(draw(st.integers(0, 4))):
        r = draw(st.one_of(st.integers(1, 6), st.integers(1, 6), st.none(), st.integers(0, 6), st.just("x")))
        cells = []
        for _ in range(draw(st.integers(0, 4))):
            own = f"{draw(st.sampled_from(['A', 'B', 'C', '$D$', 'aa']))}{r if isinstance(r, int) else 1}"  # in its own row
            ref = draw(st.one_of(st.just(own), st.just(own), st.just(own), st.none(), st.sampled_from(["A1", "B2", "$A$1", "AA10", "1A"])))
            t = draw(st.one_of(st.none(), st.sampled_from(["n", "s", "b", "e", "str", "inlineStr", "d", "zz"])))
            s = draw(st.one_of(st.none(), st.sampled_from(["0", "1", "2", "x"])))
            kids = draw(st.lists(st.sampled_from(["v", "f", "fs", "is", "isr", "x"]), max_size=3))
            inner = ""
            for k in kids:
                txt = escape(draw(st.one_of(_cell_text, st.sampled_from(["0", "1", "2.5", "45000", "true", "#DIV/0!"]))))
                inner += {"v": f"<v>{txt}</v>", "f": f"<f>{txt}</f>", "fs": f'<f t="shared" si="0">{txt}</f>', "is": f"<is><t>{txt}</t></is>",
                          "isr": f"<is><r><t>{txt}</t></r><rPh><t>p</t></rPh></is>", "x": "<extLst/>"}[k]
            attrs = "".join(f' {a}="{v}"' for a, v in (("r", ref), ("t", t), ("s", s)) if v is not None)
            cells.append(f"<c{attrs}>{inner}</c>" if inner else f"<c{attrs}/>")
        rows.append(f"<row{'' if r is None else f' r={chr(34)}{r}{chr(34)}'}>{''.join(cells)}</row>")
    return "".join(rows)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_sheet_body())
def test_generated_sheets_read_the_same(tmp_path, body):
    path = _sheet_file(tmp_path / "gen.xlsx", body, shared=["a", "b"])
    fast, slow = _both(path, Limits(max_cells=60))
    assert fast == slow


def test_a_large_part_is_streamed_not_held_as_a_tree(tmp_path, monkeypatch):
    body = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 3000))
    path = _sheet_file(tmp_path / "big.xlsx", body)
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size > 50_000
    monkeypatch.setattr(tree, "_TREE_MAX", 50_000)
    assert _tree_used(path) == 0
    fast, slow = _both(path)
    assert fast == slow and len(fast[5]["S"][1]) == 2999


# Shared strings (Excel and LibreOffice save every text there): the same through the tree as streamed.

ODD_SHARED = [
    ["<si><t>a</t></si>", "<si><t/></si>", "<si><t xml:space=\"preserve\"> b </t></si>", "<si/>"],
    ["<si><r><rPr><b/><sz val=\"11\"/></rPr><t>bold</t></r><r><t> plain</t></r></si>", "<si><t>x</t><rPh sb=\"0\" eb=\"1\"><t>ph</t></rPh>"
     "<phoneticPr fontId=\"1\"/></si>"],
    ["<si><t>a</t><t>b</t></si>", "<si>\n  <t>a</t>\n  <r><t>b</t></r>\n</si>", "<si><t>_x000D_x_x005F_x0041_</t></si>"],
    ["<si><t>a<b/>c</t></si>"],  # a child inside <t>
    ["<si><foo><t>x</t></foo></si>"],  # <t> under an unknown element
    ["<si><r><foo/><t>x</t></r></si>", "<si><rPh><x/></rPh></si>", "<si><phoneticPr><t>p</t></phoneticPr></si>"],
    ["<si><t>a</t></si>", "<extLst><ext><si><t>hidden</t></si></ext></extLst>", "<si><t>b</t></si>"],
    ["<si><t>a</t></si>", "<extLst><ext uri=\"x\"/></extLst>"],
    ["<si><si><t>nested</t></si></si>"],
    ["<si><r><rPr><t>in rPr</t></rPr><t>x</t></r></si>"],
]


@pytest.mark.parametrize("shared", ODD_SHARED)
def test_odd_shared_strings_read_the_same(tmp_path, shared):
    body = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(shared)))
    path = _sheet_file(tmp_path / "sst.xlsx", f'<row r="1">{body}</row>', shared=[])
    with zipfile.ZipFile(path) as z:
        sst = z.read("xl/sharedStrings.xml").replace(b"</sst>", "".join(shared).encode() + b"</sst>")
    path = badfiles.rewrite_zip(path, tmp_path / "sst2.xlsx", {"xl/sharedStrings.xml": sst})
    fast, slow = _both(path)
    assert fast == slow


def test_shared_strings_of_a_libreoffice_or_excel_file_go_through_the_tree(tmp_path):
    shared = ["<si><t>Mã số liệu</t></si>", "<si><r><rPr><b/></rPr><t>Có</t></r></si>"]
    path = _sheet_file(tmp_path / "s.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>', shared=[])
    with zipfile.ZipFile(path) as z:
        sst = z.read("xl/sharedStrings.xml").replace(b"</sst>", "".join(shared).encode() + b"</sst>")
    path = badfiles.rewrite_zip(path, tmp_path / "s2.xlsx", {"xl/sharedStrings.xml": sst})
    assert _tree_used(path) == 2  # the sheet and the shared strings
    assert _both(path)[0][5]["S"][1] == [(1, ["Mã số liệu", "Có"])]


def test_too_many_shared_strings_are_refused_the_same(tmp_path):
    path = _sheet_file(tmp_path / "many.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared=[f"s{i}" for i in range(30)])
    fast, slow = _both(path, Limits(max_shared_strings=10))
    assert fast == slow and fast[0] == "refused" and fast[1] == "file.too_many_strings"


@st.composite
def _shared_items(draw) -> list[str]:
    from xml.sax.saxutils import escape

    items = []
    for _ in range(draw(st.integers(0, 4))):
        kids = []
        for _ in range(draw(st.integers(0, 3))):
            txt = escape(draw(_cell_text))
            kids.append(draw(st.sampled_from([
                f"<t>{txt}</t>", f'<t xml:space="preserve">{txt}</t>', f"<r><t>{txt}</t></r>", f"<r><rPr><b/></rPr><t>{txt}</t></r>",
                f'<rPh sb="0" eb="1"><t>{txt}</t></rPh>', '<phoneticPr fontId="1"/>', "<t/>", f"<x>{txt}</x>", f"<t>{txt}<b/></t>"])))
        items.append(f"<si>{''.join(kids)}</si>")
    return items


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=_shared_items())
def test_generated_shared_strings_read_the_same(tmp_path, items):
    body = "".join(f'<c r="A{i + 1}" t="s"><v>{i}</v></c>' for i in range(len(items)))
    path = _sheet_file(tmp_path / "gsst.xlsx", f'<row r="1">{body}</row>' if items else "", shared=[])
    with zipfile.ZipFile(path) as z:
        sst = z.read("xl/sharedStrings.xml").replace(b"</sst>", "".join(items).encode() + b"</sst>")
    path = badfiles.rewrite_zip(path, tmp_path / "gsst2.xlsx", {"xl/sharedStrings.xml": sst})
    fast, slow = _both(path)
    assert fast == slow
