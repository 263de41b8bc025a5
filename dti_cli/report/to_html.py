"""The report as one HTML page: nothing fetched, readable on a phone, printable on A4.

One file with its styles and its charts inline (SVG): no script, no font, no image from
elsewhere. On a screen the page is one column as wide as a book page, tables scroll sideways on a
phone. Printed (Chromium, Firefox, Edge): A4, every section from a new page, table rows never
split and headers repeated, the charts side by side; the banner of a sample round ("SỐ LIỆU
MẪU") and the page number are printed on every page. The first section, a page and a half,
is what a director reads: the report in words, the key figures, two pictures, what to do first.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from ..core.i18n import _
from ..core.safety import atomic_output, looks_like_formula
from . import pictures, tables
from .model import Report
from .tables import TextTable

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; font-size: 15px;
  line-height: 1.45; color: #111; margin: 0 auto; max-width: 62rem; padding: 0.8rem; }
h1 { font-size: 1.45rem; margin: 0.2rem 0 0.3rem; line-height: 1.25; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 0.5rem; border-bottom: 1px solid #999; }
h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
p { margin: 0.4rem 0; }
.sub, .note { color: #444; font-size: 0.88rem; }
.banner { font-weight: bold; color: #b00000; letter-spacing: 0.05em; border: 2px solid #b00000; padding: 0.2rem 0.6rem;
  display: inline-block; margin: 0.2rem 0; }
.first-warning { border-left: 5px solid #b00000; background: #fdeaea; padding: 0.4rem 0.7rem; font-weight: bold; }
.lede p { font-size: 1.02rem; margin: 0.35rem 0; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: 0.86rem; margin: 0.3rem 0; }
th, td { border: 1px solid #8c8c8c; padding: 0.2rem 0.35rem; vertical-align: top; text-align: left; }
th { background: #dde7f3; }
td.num { text-align: right; white-space: nowrap; }
tr.total td { font-weight: bold; background: #f2f2f2; }
tr.declined td { background: #fbe3e3; } tr.improved td { background: #e6f4e6; }
tr.no_data td, tr.needs_reference td { background: #fff4d6; }
td.what { min-width: 16rem; }
table.figures { width: auto; min-width: 60%; }
table.figures td:first-child { max-width: 28rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; margin: 0.6rem 0; }
.charts figure { margin: 0; flex: 1 1 20rem; max-width: 440px; }
.txt { mso-number-format: "\\@"; }
@page { size: A4; margin: 16mm 11mm 15mm; }
@page wide { size: A4 landscape; margin: 14mm 11mm 13mm; }
@media print {
  body { font-size: 9.5pt; max-width: none; padding: 0; }
  h1 { font-size: 15pt; } h2 { font-size: 12pt; margin-top: 0; } h3 { font-size: 10.5pt; }
  table { font-size: 8.5pt; }
  .lede p { font-size: 10pt; }
  section { break-before: page; page-break-before: always; }
  section.first { break-before: auto; page-break-before: auto; }
  tr, figure, .first-warning, .lede p, table.figures { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .scroll { overflow: visible; }
  section.wide { page: wide; }
  .charts { display: flex; flex-wrap: nowrap; gap: 8mm; justify-content: center; }
  .charts figure { flex: 0 1 82mm; max-width: 82mm; }
  .charts svg { max-width: 100% !important; }
  td.what { min-width: 0; }
  .screen-only { display: none; }
}
"""


def css_string(text: str) -> str:
    """Text as a CSS string literal that cannot end the string, the rule or the style element."""
    out = "".join(ch if ch.isalnum() or ch in " .,-_()/:;!?&%+" else f"\\{ord(ch):x} " for ch in text)
    return f'"{out}"'


def _h(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _td(value: str, numeric: bool, cls: str = "") -> str:
    classes = [cls] if cls else []
    if numeric:
        classes.append("num")
    elif looks_like_formula(value):
        classes.append("txt")  # Excel's HTML import keeps such a cell as text
    c = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{c}>{_h(value)}</td>"


def table_html(t: TextTable, *, heading: str = "h2") -> str:
    out = [f"<{heading}>{_h(t.title)}</{heading}>"]
    if not t.rows:
        none = _("None.")
        out.append(f"<p>{_h(none)}</p>")
    else:
        what = len(t.head) - 1 if t.head[-1] == _("What to do about it") else None  # the step's words get room
        out.append(f'<div class="scroll"><table class="{_h(t.key)}"><thead><tr>' + "".join(f"<th>{_h(x)}</th>" for x in t.head)
                   + "</tr></thead><tbody>")
        for i, row in enumerate(t.rows):
            cls = t.row_classes[i] if i < len(t.row_classes) else ""
            tr = f'<tr class="{_h(cls)}">' if cls else "<tr>"
            out.append(tr + "".join(_td(c, j in t.numeric, "what" if j == what else "") for j, c in enumerate(row)) + "</tr>")
        out.append("</tbody></table></div>")
    if t.note:
        out.append(f'<p class="note">{_h(t.note)}</p>')
    return "\n".join(out)


def render_html(rep: Report, *, top: int | None = None, banner: str | None = None) -> str:
    title = tables.title(rep)
    css = CSS
    if banner:
        # Chromium (and Edge, Opera) print a page's margin boxes: the banner on every printed page, and the page number.
        css += "@page { @top-center { content: " + css_string(banner) + "; color: #b00000; font-weight: bold; font-size: 11pt; } }\n"
    css += '@page { @bottom-right { content: counter(page) "/" counter(pages); font-size: 8pt; color: #444; } }\n'
    out = [f'<!DOCTYPE html>\n<html lang="{_h(rep.lang)}">\n<head>\n<meta charset="utf-8">\n'
           '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           f'<meta name="generator" content="dti">\n<title>{_h(title)}</title>\n<style>{css}</style>\n</head>\n<body>']
    ban = f'<p class="banner">{_h(banner)}</p>' if banner else ""
    # 1. The first page: the report in words, the key figures, the pictures, what to do first.
    out.append(f'<section class="first" id="summary">{ban}<h1>{_h(title)}</h1>')
    out.append(f'<p class="sub">{_h(tables.subtitle(rep))}</p>')
    sentences = list(rep.summary)
    out.append('<div class="lede">')
    if rep.headline["few_inputs"] and sentences:
        out.append(f'<p class="first-warning">{_h(sentences.pop(0))}</p>')
    out += [f"<p>{_h(s)}</p>" for s in sentences]
    out.append("</div>")
    out.append('<div class="charts">')
    out.append(f"<figure>{pictures.pillars_svg(rep)}</figure>")
    out.append(f"<figure>{pictures.bridge_svg(rep)}</figure>")
    out.append("</div>")
    out.append(table_html(tables.figures(rep), heading="h3"))
    rank = pictures.rank_svg(rep)
    if rank:
        out.append(f'<div class="charts"><figure>{rank}</figure></div>')
    out.append(table_html(tables.priorities(rep), heading="h2"))
    out.append("</section>")
    # 2. Pillars, with which baseline each line uses.
    out.append(f'<section id="pillars">{ban}' + table_html(tables.pillars(rep)) + "</section>")
    # 3. Every gap with its concrete step.
    out.append(f'<section id="gaps" class="wide">{ban}' + table_html(tables.gaps(rep, top)) + "</section>")
    # 4. Quick wins and regressions.
    out.append(f'<section id="quick">{ban}' + table_html(tables.quick_wins(rep)) + table_html(tables.regressions(rep)) + "</section>")
    # 5. By agency.
    out.append(f'<section id="agencies">{ban}<div class="charts"><figure>{pictures.agencies_svg(rep)}</figure></div>'
               + table_html(tables.agencies(rep)) + "</section>")
    history = tables.history(rep)
    if history is not None:  # the rounds and years lined up (--history)
        out.append(f'<section id="history">{ban}' + table_html(history) + "</section>")
    # 6. The data's problems.
    heading = _("Problems in the data")
    out.append(f'<section id="problems">{ban}<h2>{_h(heading)}</h2>')
    for t in (tables.no_data(rep), tables.references(rep), tables.adjustments(rep), tables.findings(rep)):
        out.append(table_html(t, heading="h3"))
    heading = _("About this report")
    out.append(f'<h3>{_h(heading)}</h3><p class="note">{_h(about(rep))}</p>')
    out.append("</section>\n</body>\n</html>\n")
    return "\n".join(out)


def about(rep: Report) -> str:
    m = rep.meta
    parts = [_("Written by dti from {file} with the methodology {catalogue} {version}.").format(
        file=m["source"]["file"] or m["source"]["merged"] or "—", catalogue=m["catalogue"]["id"], version=m["catalogue"]["version"])]
    if m["source"].get("merged"):
        parts.append(_("The scores come from the merged workbook {file}.").format(file=m["source"]["merged"]))
    parts.append(tables.pillar_note(rep))
    return " ".join(parts)


def write_html(rep: Report, path: str | Path, *, top: int | None = None, banner: str | None = None, force: bool = False,
               inputs: tuple[str, ...] = ()) -> Path:
    with atomic_output(path, force=force, inputs=inputs) as tmp:
        tmp.write_text(render_html(rep, top=top, banner=banner), encoding="utf-8")
    return Path(path)
