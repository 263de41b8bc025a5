"""``dti report`` on the terminal: the report in words, the pillars, the first gaps, and how to see more.

What a person sees on a first run (no ``-o``): the warning first when fewer than half of the
inputs arrived, the first page's sentences, the pillars against what they are compared with,
the first 15 gaps with the step each asks, and one line saying how to see them all or write
files. Text that came from a file (agency names, targets) is shown inert.
"""

from __future__ import annotations

from typing import Any

from ..core import i18n
from ..core.i18n import _
from ..core.text import inert
from ..report.model import Report
from ..report.tables import leads, pillar_note

#: How many gaps the terminal shows when --top is not given.
TOP = 15
#: The command that writes the report as files (file names are not translated).
FILES = "dti report -o bao-cao.html -o bao-cao.xlsx"


def report_view(rep: Report, *, top: int | None = None, banner: str | None = None) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from ..report import tables

    parts: list[Any] = []
    sentences = list(rep.summary)
    if rep.headline["few_inputs"] and sentences:
        parts.append(Text(inert(sentences.pop(0)), style="bold red"))
    if banner:
        parts.append(Text(inert(banner), style="bold red"))
    parts.append(Text(inert(tables.title(rep)), style="bold"))
    parts.append(Text(inert(tables.subtitle(rep)), style="dim"))
    for s in sentences:
        parts.append(Text("• " + inert(s)))

    cmp = rep.compare
    t = Table(title=_("Points by pillar"), title_justify="left", expand=False)
    t.add_column(_("Pillar"), no_wrap=True)
    t.add_column(_("Name"), overflow="fold", max_width=34)
    t.add_column(cmp["label"], justify="right", no_wrap=True)
    t.add_column(_("Now"), justify="right", no_wrap=True)
    t.add_column(_("Change"), justify="right", no_wrap=True)
    t.add_column(_("Max"), justify="right", no_wrap=True)
    t.add_column(_("Index"), justify="right", no_wrap=True)
    for p in rep.pillars:
        prev = i18n.pts(p["previous"]) + (" *" if p["baseline_differs"] else "")
        style = "red" if (p["change"] or 0) < -0.005 else None
        t.add_row(p["code"], inert(p["name"]), prev, i18n.pts(p["now"]), Text(i18n.signed(p["change"]), style=style or ""),
                  i18n.num(p["max_points"]), i18n.pts(p["index"]))
    h = rep.headline
    t.add_row("", Text(_("Total"), style="bold"), i18n.pts(h["previous_total"]), Text(i18n.pts(h["total_estimated"]), style="bold"),
              i18n.signed(h["change"]), i18n.num(h["max_points"]), i18n.pts(h["index"]))
    parts.append(t)
    parts.append(Text(inert(pillar_note(rep)), style="dim"))

    n = TOP if top is None else (len(rep.gaps) if top == 0 else top)
    shown = rep.gaps[:n]
    if shown:
        g = Table(title=tables.gaps(rep, 1).title, title_justify="left", expand=True)
        g.add_column(_("#"), justify="right", no_wrap=True)
        g.add_column(_("Code"), no_wrap=True)
        g.add_column(_("Indicator"), overflow="fold", ratio=3, min_width=16)
        g.add_column(_("Lead agency"), overflow="fold", ratio=1, min_width=10)
        g.add_column(_("Now"), justify="right", no_wrap=True)
        g.add_column(_("Points at stake"), justify="right", no_wrap=True)
        g.add_column(_("What to do about it"), overflow="fold", ratio=4, min_width=20)
        for x in shown:
            now = f"{i18n.pts(x['now'])}/{i18n.num(x['max_points'])}" if x["now"] is not None else f"({i18n.pts(x['estimate'])})"
            name = inert(x["name"]) + (" (" + _("shared") + ")" if x.get("shared") else "")
            style = "red" if x["status"] == "declined" else "yellow" if x["status"] in ("no_data", "needs_reference") else ""
            g.add_row(str(x["rank"]), x["code"], name, inert(leads(x, short=True)), Text(now, style=style), i18n.pts(x["at_stake"]),
                      inert(x["action"]["short"]))
        parts.append(g)
    hist = tables.history(rep)
    if hist is not None:
        ht = Table(title=hist.title, title_justify="left", expand=False)
        for k, head in enumerate(hist.head):
            ht.add_column(inert(head), justify="right" if k in hist.numeric else "left", overflow="fold",
                          max_width=None if k else 34)
        for row in hist.rows:
            ht.add_row(*(inert(c) for c in row))
        parts.append(ht)
    more = len(rep.gaps) - len(shown)
    if more > 0:
        parts.append(Text(_("{shown} of {total} indicators short of their max are shown. All of them: {all}; as files: {files}").format(
            shown=len(shown), total=len(rep.gaps), all="dti report --top 0", files=FILES), style="bold"))
    else:
        parts.append(Text(_("As files (with the charts, every step and the data's problems): {files}").format(files=FILES), style="bold"))
    return Group(*parts)


def written_line(rep: Report, path: Any) -> str:
    """One line per file written: the file and what it holds."""
    h, cmp = rep.headline, rep.compare
    said = _("{n} indicators short of their max, total {total} ({change} against {label})").format(
        n=len(rep.gaps), total=i18n.pts(h["total_estimated"]), change=i18n.signed(h["change"]), label=cmp["label"])
    return f"{inert(path)}: {said}"
