"""Writing plain tables to .xlsx quickly: the parts openpyxl would write, built as text.

`dti merge` writes a merged workbook of a few sheets of plain values (text, numbers, yes/no) with
a bold, coloured header row, frozen panes, an auto-filter and column widths. openpyxl builds an
object per cell and serialises it through a generic XML writer: for 1,000 returned workbooks
(about 100,000 cells) that took longer than reading all the files. This module writes the same
parts openpyxl writes for such a workbook — the same sheets, cells, cell types, styles, views,
filters, widths and theme, inline strings as openpyxl 3.1 writes them — directly as XML text.

Only what these tables need is supported: values that are ``str``, ``int``, ``float``, ``bool``
or ``None``. :func:`write_tables` raises :class:`Unsupported` for anything else, and the caller
falls back to openpyxl (which is then imported). Text is always written as text (never a
formula), made storable as :func:`dti_cli.safety.cell_text` does.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .intake import col_letters
from .safety import cell_text

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


class Unsupported(TypeError):
    """A value this writer does not handle (e.g. a date): write the workbook with openpyxl instead."""


@dataclass
class Table:
    """One sheet: a header row and rows of values (one list per row, as many values as the header)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[float] | None = None  # column widths, one per header column
    styled_header: bool = True  # bold, filled, wrapped header row, frozen below it, auto-filter over the table
    hidden: bool = False


def _text(v: str) -> str:
    """An <is><t>…</t></is> body for a non-empty text, as openpyxl writes it."""
    v = cell_text(v)[:32767]  # what an .xlsx cell can hold: safety.set_cell's text, cut where openpyxl cuts it
    stripped = v.strip()
    preserve = bool(stripped) and stripped != v  # openpyxl marks leading/trailing spaces, not an all-blank text
    if "&" in v:
        v = v.replace("&", "&amp;")
    if "<" in v:
        v = v.replace("<", "&lt;")
    if ">" in v:
        v = v.replace(">", "&gt;")
    return f'<is><t xml:space="preserve">{v}</t></is>' if preserve else f"<is><t>{v}</t></is>"


def _number(v: float | int) -> str:
    if v != v or v in (_INF, -_INF):
        return "<v />"  # openpyxl writes an empty <v> for NaN and infinities
    return f"<v>{v:.16g}</v>"


_INF = float("inf")


def _cell_tail(v: Any) -> str:
    """What follows ``<c r="A1"`` for a value of a data row (None for an empty cell, which is not written)."""
    t = type(v)
    if t is str or isinstance(v, str):  # a str subclass (e.g. an error value) is written as its text
        return f' t="inlineStr">{_text(str(v))}</c>' if v else ' t="inlineStr" />'
    if t is bool:
        return f' t="b"><v>{1 if v else 0}</v></c>'
    if isinstance(v, (int, float)):
        return f' t="n">{_number(v)}</c>'
    raise Unsupported(f"{type(v).__name__} value")


def _sheet_xml(tb: Table, tails: dict[str, str]) -> tuple[str, str | None]:
    """The worksheet part and the auto-filter range (None without one).

    ``tails`` caches the XML of texts already written (unit names, statuses, file names repeat in
    every sheet).
    """
    ncols = len(tb.header)
    letters = [col_letters(j) for j in range(1, ncols + 1)]
    pre = [f'<c r="{x}' for x in letters]
    style = ' s="1"' if tb.styled_header else ""
    body = ['<row r="1">', *(f"{pre[j]}1\"{style}{_cell_tail(v)}" for j, v in enumerate(tb.header)), "</row>"]
    add = body.append
    n = 1
    for n, row in enumerate(tb.rows, 2):
        add(f'<row r="{n}">')
        for j, v in enumerate(row):
            if v is None:
                continue
            if type(v) is str:
                tail = tails.get(v)
                if tail is None:
                    tail = tails[v] = _cell_tail(v)
            else:
                tail = _cell_tail(v)
            add(f'{pre[j]}{n}"{tail}')
        add("</row>")
    last = letters[-1] if letters else "A"
    dim = f"A1:{last}{n}"
    if tb.styled_header:
        views = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen" />'
                 '<selection pane="bottomLeft" activeCell="A1" sqref="A1" /></sheetView></sheetViews>')
    else:
        views = '<sheetViews><sheetView workbookViewId="0"><selection activeCell="A1" sqref="A1" /></sheetView></sheetViews>'
    cols = ""
    if tb.widths:
        cols = "<cols>" + "".join(f'<col width="{_width(w)}" customWidth="1" min="{j}" max="{j}" />'
                                  for j, w in enumerate(tb.widths, 1)) + "</cols>"
    filt = dim if tb.styled_header and n > 1 else None
    xml = (f'<worksheet xmlns="{MAIN_NS}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1" /><pageSetUpPr /></sheetPr>'
           f'<dimension ref="{dim}" />{views}<sheetFormatPr baseColWidth="8" defaultRowHeight="15" />{cols}'
           f'<sheetData>{"".join(body)}</sheetData>'
           + (f'<autoFilter ref="{filt}" />' if filt else "")
           + '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5" /></worksheet>')
    return xml, filt


def _width(w: float) -> str:
    return str(int(w)) if float(w).is_integer() else repr(float(w))


def _absolute(ref: str) -> str:
    a, b = ref.split(":")
    return ":".join("$" + "".join(ch for ch in x if ch.isalpha()) + "$" + "".join(ch for ch in x if ch.isdigit()) for x in (a, b))


def write_tables(path: Any, tables: list[Table], *, creator: str = "dti", compresslevel: int = 3) -> None:
    """Write ``tables`` as the sheets of a new .xlsx at ``path``.

    On :class:`Unsupported` the file at ``path`` is incomplete: the caller writes it again another way.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as z:
        for name, data in _parts(tables, creator):
            z.writestr(name, data)


def _parts(tables: list[Table], creator: str) -> Iterator[tuple[str, str | bytes]]:
    """The parts of the workbook, in the order openpyxl writes them; each sheet is built when it is asked for."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    yield "docProps/app.xml", ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                               f"<Application>Microsoft Excel Compatible / {_attr(creator)}</Application><AppVersion>3.1</AppVersion>"
                               "</Properties>")
    yield "docProps/core.xml", ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                                'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
                                f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>{_attr(creator)}</dc:creator>'
                                f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
                                f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>')
    yield "xl/theme/theme1.xml", THEME_XML
    tails: dict[str, str] = {}
    names = []
    for i, tb in enumerate(tables):
        xml, filt = _sheet_xml(tb, tails)
        if filt:
            names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">\'{_attr(tb.title)}\'!{_absolute(filt)}'
                         "</definedName>")
        yield f"xl/worksheets/sheet{i + 1}.xml", xml.encode("utf-8")
    yield "xl/styles.xml", STYLES_XML
    yield "_rels/.rels", (f'<Relationships xmlns="{PKG_REL_NS}">'
                          f'<Relationship Type="{REL_NS}/officeDocument" Target="xl/workbook.xml" Id="rId1" />'
                          f'<Relationship Type="{PKG_REL_NS}/metadata/core-properties" Target="docProps/core.xml" Id="rId2" />'
                          f'<Relationship Type="{REL_NS}/extended-properties" Target="docProps/app.xml" Id="rId3" /></Relationships>')
    yield "xl/workbook.xml", (f'<workbook xmlns:r="{REL_NS}" xmlns="{MAIN_NS}"><workbookPr /><workbookProtection /><bookViews><workbookView '
                              'visibility="visible" minimized="0" showHorizontalScroll="1" showVerticalScroll="1" showSheetTabs="1" '
                              'tabRatio="600" firstSheet="0" activeTab="0" autoFilterDateGrouping="1" /></bookViews><sheets>'
                              + "".join(f'<sheet name="{_attr(tb.title)}" sheetId="{i}" state="{"hidden" if tb.hidden else "visible"}" '
                                        f'r:id="rId{i}" />' for i, tb in enumerate(tables, 1))
                              + "</sheets>" + (f"<definedNames>{''.join(names)}</definedNames>" if names else "<definedNames />")
                              + '<calcPr calcId="124519" fullCalcOnLoad="1" /></workbook>').encode("utf-8")
    n = len(tables)
    yield "xl/_rels/workbook.xml.rels", (f'<Relationships xmlns="{PKG_REL_NS}">'
                                         + "".join(f'<Relationship Type="{REL_NS}/worksheet" Target="/xl/worksheets/sheet{i}.xml" Id="rId{i}" />'
                                                   for i in range(1, n + 1))
                                         + f'<Relationship Type="{REL_NS}/styles" Target="styles.xml" Id="rId{n + 1}" />'
                                         f'<Relationship Type="{REL_NS}/theme" Target="theme/theme1.xml" Id="rId{n + 2}" /></Relationships>')
    yield "[Content_Types].xml", ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />'
                                  '<Default Extension="xml" ContentType="application/xml" />'
                                  '<Override PartName="/xl/styles.xml" '
                                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml" />'
                                  '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml" />'
                                  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml" />'
                                  '<Override PartName="/docProps/app.xml" '
                                  'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml" />'
                                  + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{WORKSHEET_CT}" />'
                                            for i in range(1, n + 1))
                                  + '<Override PartName="/xl/workbook.xml" '
                                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml" /></Types>')


def _attr(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


#: Excel's indexed colour palette, as openpyxl lists it.
_INDEXED = (
        "000000", "FFFFFF", "FF0000", "00FF00", "0000FF", "FFFF00", "FF00FF", "00FFFF", "000000", "FFFFFF", "FF0000", "00FF00", "0000FF", "FFFF00", "FF00FF", "00FFFF",
        "800000", "008000", "000080", "808000", "800080", "008080", "C0C0C0", "808080", "9999FF", "993366", "FFFFCC", "CCFFFF", "660066", "FF8080", "0066CC", "CCCCFF",
        "000080", "FF00FF", "FFFF00", "00FFFF", "800080", "800000", "008080", "0000FF", "00CCFF", "CCFFFF", "CCFFCC", "FFFF99", "99CCFF", "FF99CC", "CC99FF", "FFCC99",
        "3366FF", "33CCCC", "99CC00", "FFCC00", "FF9900", "FF6600", "666699", "969696", "003366", "339966", "003300", "333300", "993300", "993366", "333399", "333333",
)

#: Style 0: the default; style 1: the header (bold, filled DDEBF7, top-aligned and wrapped) — as openpyxl writes them.
STYLES_XML = (
    f'<styleSheet xmlns="{MAIN_NS}"><numFmts count="0" /><fonts count="2"><font><name val="Calibri" /><family val="2" />'
    '<color theme="1" /><sz val="11" /><scheme val="minor" /></font><font><b val="1" /></font></fonts><fills count="3"><fill><patternFill />'
    '</fill><fill><patternFill patternType="gray125" /></fill><fill><patternFill patternType="solid"><fgColor rgb="00DDEBF7" /></patternFill>'
    '</fill></fills><borders count="1"><border><left /><right /><top /><bottom /><diagonal /></border></borders><cellStyleXfs count="1">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" /></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0" pivotButton="0" quotePrefix="0" xfId="0" /><xf numFmtId="0" fontId="1" fillId="2" borderId="0" applyAlignment="1" '
    'pivotButton="0" quotePrefix="0" xfId="0"><alignment vertical="top" wrapText="1" /></xf></cellXfs><cellStyles count="1">'
    '<cellStyle name="Normal" xfId="0" builtinId="0" hidden="0" /></cellStyles><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
    'defaultPivotStyle="PivotStyleLight16" /><colors><indexedColors>'
    + "".join(f'<rgbColor rgb="00{c}" />' for c in _INDEXED)
    + "</indexedColors></colors></styleSheet>"
)


#: The default Office theme, as openpyxl writes it (openpyxl.writer.theme.theme_xml, MIT licence).
THEME_XML = '<?xml version="1.0"?>\n<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme">\n  <a:themeElements>\n    <a:clrScheme name="Office">\n      <a:dk1>\n        <a:sysClr val="windowText" lastClr="000000"/>\n      </a:dk1>\n      <a:lt1>\n        <a:sysClr val="window" lastClr="FFFFFF"/>\n      </a:lt1>\n      <a:dk2>\n        <a:srgbClr val="1F497D"/>\n      </a:dk2>\n      <a:lt2>\n        <a:srgbClr val="EEECE1"/>\n      </a:lt2>\n      <a:accent1>\n        <a:srgbClr val="4F81BD"/>\n      </a:accent1>\n      <a:accent2>\n        <a:srgbClr val="C0504D"/>\n      </a:accent2>\n      <a:accent3>\n        <a:srgbClr val="9BBB59"/>\n      </a:accent3>\n      <a:accent4>\n        <a:srgbClr val="8064A2"/>\n      </a:accent4>\n      <a:accent5>\n        <a:srgbClr val="4BACC6"/>\n      </a:accent5>\n      <a:accent6>\n        <a:srgbClr val="F79646"/>\n      </a:accent6>\n      <a:hlink>\n        <a:srgbClr val="0000FF"/>\n      </a:hlink>\n      <a:folHlink>\n        <a:srgbClr val="800080"/>\n      </a:folHlink>\n    </a:clrScheme>\n    <a:fontScheme name="Office">\n      <a:majorFont>\n        <a:latin typeface="Cambria"/>\n        <a:ea typeface=""/>\n        <a:cs typeface=""/>\n        <a:font script="Jpan" typeface="&#xFF2D;&#xFF33; &#xFF30;&#x30B4;&#x30B7;&#x30C3;&#x30AF;"/>\n        <a:font script="Hang" typeface="&#xB9D1;&#xC740; &#xACE0;&#xB515;"/>\n        <a:font script="Hans" typeface="&#x5B8B;&#x4F53;"/>\n        <a:font script="Hant" typeface="&#x65B0;&#x7D30;&#x660E;&#x9AD4;"/>\n        <a:font script="Arab" typeface="Times New Roman"/>\n        <a:font script="Hebr" typeface="Times New Roman"/>\n        <a:font script="Thai" typeface="Tahoma"/>\n        <a:font script="Ethi" typeface="Nyala"/>\n        <a:font script="Beng" typeface="Vrinda"/>\n        <a:font script="Gujr" typeface="Shruti"/>\n        <a:font script="Khmr" typeface="MoolBoran"/>\n        <a:font script="Knda" typeface="Tunga"/>\n        <a:font script="Guru" typeface="Raavi"/>\n        <a:font script="Cans" typeface="Euphemia"/>\n        <a:font script="Cher" typeface="Plantagenet Cherokee"/>\n        <a:font script="Yiii" typeface="Microsoft Yi Baiti"/>\n        <a:font script="Tibt" typeface="Microsoft Himalaya"/>\n        <a:font script="Thaa" typeface="MV Boli"/>\n        <a:font script="Deva" typeface="Mangal"/>\n        <a:font script="Telu" typeface="Gautami"/>\n        <a:font script="Taml" typeface="Latha"/>\n        <a:font script="Syrc" typeface="Estrangelo Edessa"/>\n        <a:font script="Orya" typeface="Kalinga"/>\n        <a:font script="Mlym" typeface="Kartika"/>\n        <a:font script="Laoo" typeface="DokChampa"/>\n        <a:font script="Sinh" typeface="Iskoola Pota"/>\n        <a:font script="Mong" typeface="Mongolian Baiti"/>\n        <a:font script="Viet" typeface="Times New Roman"/>\n        <a:font script="Uigh" typeface="Microsoft Uighur"/>\n      </a:majorFont>\n      <a:minorFont>\n        <a:latin typeface="Calibri"/>\n        <a:ea typeface=""/>\n        <a:cs typeface=""/>\n        <a:font script="Jpan" typeface="&#xFF2D;&#xFF33; &#xFF30;&#x30B4;&#x30B7;&#x30C3;&#x30AF;"/>\n        <a:font script="Hang" typeface="&#xB9D1;&#xC740; &#xACE0;&#xB515;"/>\n        <a:font script="Hans" typeface="&#x5B8B;&#x4F53;"/>\n        <a:font script="Hant" typeface="&#x65B0;&#x7D30;&#x660E;&#x9AD4;"/>\n        <a:font script="Arab" typeface="Arial"/>\n        <a:font script="Hebr" typeface="Arial"/>\n        <a:font script="Thai" typeface="Tahoma"/>\n        <a:font script="Ethi" typeface="Nyala"/>\n        <a:font script="Beng" typeface="Vrinda"/>\n        <a:font script="Gujr" typeface="Shruti"/>\n        <a:font script="Khmr" typeface="DaunPenh"/>\n        <a:font script="Knda" typeface="Tunga"/>\n        <a:font script="Guru" typeface="Raavi"/>\n        <a:font script="Cans" typeface="Euphemia"/>\n        <a:font script="Cher" typeface="Plantagenet Cherokee"/>\n        <a:font script="Yiii" typeface="Microsoft Yi Baiti"/>\n        <a:font script="Tibt" typeface="Microsoft Himalaya"/>\n        <a:font script="Thaa" typeface="MV Boli"/>\n        <a:font script="Deva" typeface="Mangal"/>\n        <a:font script="Telu" typeface="Gautami"/>\n        <a:font script="Taml" typeface="Latha"/>\n        <a:font script="Syrc" typeface="Estrangelo Edessa"/>\n        <a:font script="Orya" typeface="Kalinga"/>\n        <a:font script="Mlym" typeface="Kartika"/>\n        <a:font script="Laoo" typeface="DokChampa"/>\n        <a:font script="Sinh" typeface="Iskoola Pota"/>\n        <a:font script="Mong" typeface="Mongolian Baiti"/>\n        <a:font script="Viet" typeface="Arial"/>\n        <a:font script="Uigh" typeface="Microsoft Uighur"/>\n      </a:minorFont>\n    </a:fontScheme>\n    <a:fmtScheme name="Office">\n      <a:fillStyleLst>\n        <a:solidFill>\n          <a:schemeClr val="phClr"/>\n        </a:solidFill>\n        <a:gradFill rotWithShape="1">\n          <a:gsLst>\n            <a:gs pos="0">\n              <a:schemeClr val="phClr">\n                <a:tint val="50000"/>\n                <a:satMod val="300000"/>\n              </a:schemeClr>\n            </a:gs>\n            <a:gs pos="35000">\n              <a:schemeClr val="phClr">\n                <a:tint val="37000"/>\n                <a:satMod val="300000"/>\n              </a:schemeClr>\n            </a:gs>\n            <a:gs pos="100000">\n              <a:schemeClr val="phClr">\n                <a:tint val="15000"/>\n                <a:satMod val="350000"/>\n              </a:schemeClr>\n            </a:gs>\n          </a:gsLst>\n          <a:lin ang="16200000" scaled="1"/>\n        </a:gradFill>\n        <a:gradFill rotWithShape="1">\n          <a:gsLst>\n            <a:gs pos="0">\n              <a:schemeClr val="phClr">\n                <a:shade val="51000"/>\n                <a:satMod val="130000"/>\n              </a:schemeClr>\n            </a:gs>\n            <a:gs pos="80000">\n              <a:schemeClr val="phClr">\n                <a:shade val="93000"/>\n                <a:satMod val="130000"/>\n              </a:schemeClr>\n            </a:gs>\n            <a:gs pos="100000">\n              <a:schemeClr val="phClr">\n                <a:shade val="94000"/>\n                <a:satMod val="135000"/>\n              </a:schemeClr>\n            </a:gs>\n          </a:gsLst>\n          <a:lin ang="16200000" scaled="0"/>\n        </a:gradFill>\n      </a:fillStyleLst>\n      <a:lnStyleLst>\n        <a:ln w="9525" cap="flat" cmpd="sng" algn="ctr">\n          <a:solidFill>\n            <a:schemeClr val="phClr">\n              <a:shade val="95000"/>\n              <a:satMod val="105000"/>\n            </a:schemeClr>\n          </a:solidFill>\n          <a:prstDash val="solid"/>\n        </a:ln>\n        <a:ln w="25400" cap="flat" cmpd="sng" algn="ctr">\n          <a:solidFill>\n            <a:schemeClr val="phClr"/>\n          </a:solidFill>\n          <a:prstDash val="solid"/>\n        </a:ln>\n        <a:ln w="38100" cap="flat" cmpd="sng" algn="ctr">\n          <a:solidFill>\n            <a:schemeClr val="phClr"/>\n          </a:solidFill>\n          <a:prstDash val="solid"/>\n        </a:ln>\n      </a:lnStyleLst>\n      <a:effectStyleLst>\n        <a:effectStyle>\n          <a:effectLst>\n            <a:outerShdw blurRad="40000" dist="20000" dir="5400000" rotWithShape="0">\n              <a:srgbClr val="000000">\n                <a:alpha val="38000"/>\n              </a:srgbClr>\n            </a:outerShdw>\n          </a:effectLst>\n        </a:effectStyle>\n        <a:effectStyle>\n          <a:effectLst>\n            <a:outerShdw blurRad="40000" dist="23000" dir="5400000" rotWithShape="0">\n              <a:srgbClr val="000000">\n                <a:alpha val="35000"/>\n              </a:srgbClr>\n            </a:outerShdw>\n          </a:effectLst>\n        </a:effectStyle>\n        <a:effectStyle>\n          <a:effectLst>\n            <a:outerShdw blurRad="40000" dist="23000" dir="5400000" rotWithShape="0">\n              <a:srgbClr val="000000">\n                <a:alpha val="35000"/>\n              </a:srgbClr>\n            </a:outerShdw>\n          </a:effectLst>\n          <a:scene3d>\n            <a:camera prst="orthographicFront">\n              <a:rot lat="0" lon="0" rev="0"/>\n            </a:camera>\n            <a:lightRig rig="threePt" dir="t">\n              <a:rot lat="0" lon="0" rev="1200000"/>\n            </a:lightRig>\n          </a:scene3d>\n          <a:sp3d>\n            <a:bevelT w="63500" h="25400"/>\n          </a:sp3d>\n        </a:effectStyle>\n      </a:effectStyleLst>\n      <a:bgFillStyleLst>\n        <a:solidFill>\n          <a:schemeClr val="phClr"/>\n        </a:solidFill>\n        <a:gradFill rotWithShape="1">\n          <a:gsLst>\n            <a:gs pos="0">\n              <a:schemeClr val="phClr">\n                <a:tint val="40000"/>\n                <a:satMod val="350000"/>\n              </a:schemeClr>\n            </a:gs>\n            <a:gs pos="40000">\n              <a:schemeClr val="phClr">\n                <a:tint val="45000"/>\n                <a:shade val="99000"/>\n                <a:satMod val="350000"/>\n              </a:schemeClr>\n            </a:gs>\n            <a:gs pos="100000">\n              <a:schemeClr val="phClr">\n                <a:shade val="20000"/>\n                <a:satMod val="255000"/>\n              </a:schemeClr>\n            </a:gs>\n          </a:gsLst>\n          <a:path path="circle">\n            <a:fillToRect l="50000" t="-80000" r="50000" b="180000"/>\n          </a:path>\n        </a:gradFill>\n        <a:gradFill rotWithShape="1">\n          <a:gsLst>\n            <a:gs pos="0">\n              <a:schemeClr val="phClr">\n                <a:tint val="80000"/>\n                <a:satMod val="300000"/>\n              </a:schemeClr>\n            </a:gs>\n            <a:gs pos="100000">\n              <a:schemeClr val="phClr">\n                <a:shade val="30000"/>\n                <a:satMod val="200000"/>\n              </a:schemeClr>\n            </a:gs>\n          </a:gsLst>\n          <a:path path="circle">\n            <a:fillToRect l="50000" t="50000" r="50000" b="50000"/>\n          </a:path>\n        </a:gradFill>\n      </a:bgFillStyleLst>\n    </a:fmtScheme>\n  </a:themeElements>\n  <a:objectDefaults/>\n  <a:extraClrSchemeLst/>\n</a:theme>\n'
