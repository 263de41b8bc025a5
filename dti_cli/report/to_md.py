"""The report as Markdown: the same words and tables as the HTML page, for a wiki, an e-mail or a chat."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..core.i18n import _
from ..core.safety import atomic_output, looks_like_formula
from . import tables
from .model import Report
from .tables import TextTable

_MD_SPECIAL = re.compile(r"([\\|*_`<>\[\]#])")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*%?")


def md_escape(value: Any) -> str:
    """Markdown-safe cell text: special characters escaped, line breaks as spaces, no leading formula sign."""
    s = str(value).replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " ")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    if (looks_like_formula(str(value)) or s.startswith(("=", "+", "-", "@"))) and not _PLAIN_NUMBER.fullmatch(s):
        s = "\\" + s
    return s


def _table(t: TextTable, level: str = "##") -> list[str]:
    out = ["", f"{level} {md_escape(t.title)}", ""]
    if not t.rows:
        out.append(md_escape(_("None.")))
    else:
        out.append("| " + " | ".join(md_escape(h) for h in t.head) + " |")
        out.append("|" + "|".join("---:" if j in t.numeric else "---" for j in range(len(t.head))) + "|")
        out += ["| " + " | ".join(md_escape(c) for c in r) + " |" for r in t.rows]
    if t.note:
        out += ["", md_escape(t.note)]
    return out


def render_markdown(rep: Report, *, top: int | None = None, banner: str | None = None) -> str:
    lines = []
    if banner:
        lines += [f"**{md_escape(banner)}**", ""]
    lines += [f"# {md_escape(tables.title(rep))}", "", md_escape(tables.subtitle(rep)), ""]
    for sentence in rep.summary:
        lines += [md_escape(sentence), ""]
    for t in (tables.figures(rep), tables.priorities(rep), tables.pillars(rep), tables.gaps(rep, top), tables.quick_wins(rep),
              tables.regressions(rep), tables.agencies(rep), tables.history(rep)):
        if t is not None:
            lines += _table(t)
    heading = _("Problems in the data")
    lines += ["", f"## {md_escape(heading)}"]
    for t in (tables.no_data(rep), tables.references(rep), tables.adjustments(rep), tables.findings(rep)):
        lines += _table(t, "###")
    if banner:
        lines += ["", f"**{md_escape(banner)}**"]
    return "\n".join(lines) + "\n"


def write_markdown(rep: Report, path: str | Path, *, top: int | None = None, banner: str | None = None, force: bool = False,
                   inputs: tuple[str, ...] = ()) -> Path:
    with atomic_output(path, force=force, inputs=inputs) as tmp:
        tmp.write_text(render_markdown(rep, top=top, banner=banner), encoding="utf-8")
    return Path(path)
