"""``dti export`` and ``dti history`` on the terminal: what was written, and rounds side by side."""

from __future__ import annotations

from typing import Any

from ..core import i18n
from ..core.i18n import _
from ..core.text import inert


def export_summary(table: Any, path: Any) -> str:
    """One line: where the table went, how many rows, which rounds and years."""
    years = sorted({r["year"] for r in table.rounds if r.get("year") is not None})
    sources = len({r["round"] for r in table.rounds})  # the baseline is one source for its two years
    return _("Written: {path} ({rows} rows from {sources} source(s), years {years}).").format(
        path=inert(path), rows=i18n.integer(len(table)), sources=sources, years=", ".join(str(y) for y in years) or i18n.DASH)


def _heads(history: Any) -> list[str]:
    """Column headings: the year, and the round's label where two rounds share a year."""
    years = [r.year for r in history.rounds]
    out = []
    for r in history.rounds:
        if years.count(r.year) > 1 and r.kind != "baseline":
            out.append(f"{r.year}\n{inert(r.label)}")
        elif r.kind == "baseline":
            out.append(f"{r.year}\n" + _("published"))
        else:
            out.append(str(r.year))
    return out


def _signed(x: float | None) -> Any:
    from rich.text import Text

    if x is None:
        return Text(i18n.DASH, style="dim")
    style = "green" if x > 0.005 else "red" if x < -0.005 else ""
    return Text(i18n.signed(x), style=style)


def history_view(history: Any, *, indicators: bool = True) -> Any:
    """The line-up as a table: points in each round and the change from the round before the last."""
    from rich.table import Table
    from rich.text import Text

    measure = _("estimated points") if history.measure == "estimated" else _("confirmed points")
    heads = _heads(history)
    last = history.rounds[-1].year if history.rounds else ""
    before = history.rounds[-2].year if len(history.rounds) > 1 else ""
    t = Table(title=_("DTI by round ({measure})").format(measure=measure), title_justify="left",
              caption=_("Published: the baseline's result (the year before it: total and pillars only). "
                        "Change: {last} against {before}.").format(last=last, before=before), caption_justify="left")
    t.add_column(_("Code"))
    t.add_column(_("Name"), max_width=48, overflow="ellipsis", no_wrap=True)
    t.add_column(_("Max points"), justify="right")
    for h in heads:
        t.add_column(h, justify="right")
    t.add_column(_("Change"), justify="right")
    for ln in history.lines:
        if ln.level == "indicator" and not indicators:
            continue
        style = "bold" if ln.level in ("total", "pillar") else ""
        code = _("Total") if ln.level == "total" else ln.code
        t.add_row(Text(code, style=style), Text(inert(ln.name) if ln.level != "total" else "", style=style),
                  i18n.num(ln.max_points) if ln.max_points is not None else i18n.DASH,
                  *(Text(i18n.pts(p), style=style) if p is not None else Text(i18n.DASH, style="dim") for p in ln.points),
                  _signed(ln.changes[-1] if ln.changes else None), end_section=ln.level == "total")
    return t
