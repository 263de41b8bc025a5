"""Inline SVG charts for the report and the plan: pure functions from numbers and words to an ``<svg>`` string.

Every word comes from the caller, already translated, and every number is written by the caller's
``fmt`` (``1.234,5`` in Vietnamese), so this module knows no language. The SVG needs nothing else:
no script, no font or file fetched, the same on screen, on a phone and on paper. Each chart is
``width="100%"`` over a ``viewBox`` 400 units wide whose text is 12.5 to 16 units high, so it stays
legible on a 360 px phone (11 to 14 px text) and is capped at :data:`MAX_WIDTH_PX` so that the
printed text is about the size of the report's own (10 to 12 pt). Names are written in full on their own line above
their bars, wrapped by an estimate of the text width that errs on the wide side.

Meaning never rests on colour alone: previous values and losses are hatched, gains and losses carry
a + or − sign, the province's own marker and "what if" marker differ in shape and carry a label.
Every mark carries ``data-label`` and ``data-value`` (the ``repr`` of the float, not the formatted
text) so that tests read the numbers back with :func:`read_values` and compare them with the JSON.

Why one module of ~650 lines: the charts share one drawing vocabulary (scales, wrapped labels,
hatching, markers, the data attributes tests read); each chart is a short function on top of it.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Fmt = Callable[[float], str]

#: Width of every chart's viewBox, in user units; all sizes below are in the same units.
W = 400.0
#: The widest a chart is drawn (CSS px): there the 15-unit names print at about 12 pt, the ticks at 10 pt,
#: and at a 344 px phone column they are 13 px and 11 px.
MAX_WIDTH_PX = 440
PAD = 8.0
FONT = "'Noto Sans', Roboto, 'Segoe UI', 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"
SIZE_TITLE = 16.0
SIZE_NAME = 15.0
SIZE_VALUE = 14.0
SIZE_TICK = 12.5

# Print-friendly colours, each at least 3:1 against white; none carries meaning alone.
INK = "#111111"
INK_SOFT = "#444444"
GRID = "#bdbdbd"
TRACK = "#efefef"
NOW = "#1f4e79"
PREV_BG = "#b9c7d6"
PREV_LINE = "#3d4f63"
GAIN = "#1e6b34"
LOSS = "#b3261e"
LOSS_LINE = "#ffffff"
OTHERS = "#7d7d7d"
DOT = "#8c8c8c"
NEW = "#a34700"

_INVALID_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MINUS = "\u2212"


# ---------------------------------------------------------------------------------------------
# Text: escaping and an estimate of its width


def _esc(text: Any) -> str:
    """Text safe inside an XML element or a double- or single-quoted attribute."""
    s = _INVALID_XML.sub("", str(text))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")


def _char_em(ch: str) -> float:
    base = unicodedata.normalize("NFD", ch)[:1] or ch
    if base in " ":
        return 0.32
    if base in "iljtfrI.,:;'!|()[]-/\u2212":
        return 0.4
    if base.isdigit():
        return 0.64
    if base in "mwMW%@":
        return 0.96
    if base.isupper():
        return 0.74
    return 0.62


def text_width(text: str, size: float) -> float:
    """Width of ``text`` at ``size``, by DejaVu Sans' widths (wider than Arial, Roboto or Noto Sans)."""
    return sum(_char_em(c) for c in text) * size


def wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width``; a word too long is cut by characters."""
    lines: list[str] = []
    line = ""
    for word in str(text).split():
        while text_width(word, size) > width:  # a word wider than the line (a long id or URL): break it
            cut = 1
            while cut < len(word) and text_width(word[: cut + 1], size) <= width:
                cut += 1
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        if not word:
            continue
        cand = f"{line} {word}" if line else word
        if text_width(cand, size) <= width:
            line = cand
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


# ---------------------------------------------------------------------------------------------
# Numbers and scales


def _n(x: float) -> str:
    """A coordinate: two decimals at most."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _value(x: float) -> str:
    return repr(float(x))


def _finite(name: str, x: Any) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a number, got {x!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{name}: expected a finite number, got {x!r}")
    return v


def _nice_step(span: float, n: int) -> float:
    raw = span / max(n, 1)
    if raw <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw - 1e-12:
            return m * mag
    return 10 * mag


class _Scale:
    """Values ``lo..hi`` onto ``x0..x1``."""

    def __init__(self, lo: float, hi: float, x0: float, x1: float):
        self.lo, self.hi, self.x0, self.x1 = lo, (hi if hi > lo else lo + 1.0), x0, x1

    def __call__(self, v: float) -> float:
        return self.x0 + (v - self.lo) / (self.hi - self.lo) * (self.x1 - self.x0)

    def ticks(self, fmt: Fmt, n: int = 4, *, with_lo: bool = False) -> list[float]:
        """Round values from ``lo`` to ``hi`` whose labels do not touch; ``with_lo``: ``lo`` itself first."""
        while True:
            step = _nice_step(self.hi - self.lo, n)
            first = math.ceil(self.lo / step - 1e-9) * step
            out = [first + i * step for i in range(int((self.hi - first) / step + 1e-9) + 1)]
            out = [0.0 if abs(t) < step * 1e-9 else t for t in out]
            widest = max((text_width(fmt(t), SIZE_TICK) for t in [*out, self.lo]), default=0)
            room = abs(self(step) - self(0))
            if n <= 1 or widest + 8 <= room:
                break
            n -= 1
        if with_lo:
            out = [self.lo] + [t for t in out if self(t) - self(self.lo) >= widest + 8]
        return out


def _axis_range(values: Sequence[float]) -> float:
    """Where a running-total axis starts: 0, unless the totals sit far from it and the steps would be slivers.

    When the axis does not start at 0, the bars that start at its left end are drawn broken
    (:meth:`_Svg.break_mark`) and the first tick says where the axis starts.
    """
    vmin, vmax = min(values), max(values)
    if vmin <= 0:
        return vmin
    span = vmax - vmin
    if span <= 0 or vmin <= 1.5 * span:
        return 0.0
    target = vmin - 0.35 * span
    step = _nice_step(vmax - target, 4)
    return max(0.0, math.floor(target / step) * step)


# ---------------------------------------------------------------------------------------------
# The SVG document


class _Svg:
    def __init__(self, kind: str, title: str, seed: Any):
        self.kind = kind
        self.title = title
        # Ids must be unique in the HTML page that holds several charts, and the same for the same input.
        self.id = f"dti-{kind}-" + hashlib.sha1(repr((kind, title, seed)).encode("utf-8", "surrogatepass")).hexdigest()[:10]
        self.defs: list[str] = []
        self.body: list[str] = []
        # Texts are drawn over the marks. No white halo (paint-order: stroke): Chrome then prints each text
        # twice into the PDF, and a reader's search or copy finds every word doubled.
        self.labels: list[str] = []
        self.y = PAD
        self.desc = ""

    # -- primitives
    def add(self, s: str) -> None:
        self.body.append(s)

    def text(self, x: float, y: float, lines: Sequence[str], *, size: float, anchor: str = "start", weight: str = "normal",
             fill: str = INK, cls: str = "", line_h: float | None = None) -> None:
        """One ``<text>``; several lines as ``<tspan>``s. ``y`` is the first line's baseline."""
        lh = line_h or size * 1.22
        attrs = f'x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}"'
        if anchor != "start":
            attrs += f' text-anchor="{anchor}"'
        if weight != "normal":
            attrs += f' font-weight="{weight}"'
        if fill != INK:
            attrs += f' fill="{fill}"'
        if cls:
            attrs += f' class="{cls}"'
        if len(lines) == 1:
            self.labels.append(f"<text {attrs}>{_esc(lines[0])}</text>")
        else:
            spans = "".join(f'<tspan x="{_n(x)}" dy="{_n(0 if i == 0 else lh)}">{_esc(s)}</tspan>' for i, s in enumerate(lines))
            self.labels.append(f"<text {attrs}>{spans}</text>")

    def block(self, text: str, *, size: float, width: float = W - 2 * PAD, x: float = PAD, weight: str = "normal",
              fill: str = INK, cls: str = "") -> int:
        """Wrapped text at the cursor, which moves below it; returns the number of lines."""
        lines = wrap(text, size, width)
        lh = size * 1.22
        self.text(x, self.y + size * 0.95, lines, size=size, weight=weight, fill=fill, cls=cls, line_h=lh)
        self.y += lh * len(lines)
        return len(lines)

    def mark_rect(self, x: float, y: float, w: float, h: float, *, label: str, value: float, fill: str, stroke: str = "",
                  extra: str = "") -> None:
        s = f' stroke="{stroke}" stroke-width="1"' if stroke else ""
        self.add(f'<rect class="mark" x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(h)}" fill="{fill}"{s}'
                 f' data-label="{_esc(label)}" data-value="{_value(value)}"{extra}/>')

    def line(self, x1: float, y1: float, x2: float, y2: float, *, stroke: str = GRID, width: float = 1, dash: str = "") -> None:
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" stroke-width="{_n(width)}"{d}/>')

    def hatch(self, name: str, bg: str, fg: str, *, angle: int = 45, gap: float = 5, stroke: float = 1.6) -> str:
        """A diagonal hatch; returns its ``url(#…)``."""
        pid = f"{self.id}-{name}"
        if not any(f'id="{pid}"' in d for d in self.defs):
            self.defs.append(f'<pattern id="{pid}" width="{_n(gap)}" height="{_n(gap)}" patternUnits="userSpaceOnUse" '
                             f'patternTransform="rotate({angle})"><rect width="{_n(gap)}" height="{_n(gap)}" fill="{bg}"/>'
                             f'<line x1="0" y1="0" x2="0" y2="{_n(gap)}" stroke="{fg}" stroke-width="{_n(stroke)}"/></pattern>')
        return f"url(#{pid})"

    def break_mark(self, x: float, y: float, h: float) -> None:
        """Two white slashes across a bar whose start is off the axis (the axis does not start at 0)."""
        for dx in (0, 4):
            self.add(f'<line x1="{_n(x + dx - 2)}" y1="{_n(y + h + 1)}" x2="{_n(x + dx + 2)}" y2="{_n(y - 1)}" stroke="#ffffff" stroke-width="1.6"/>')

    def axis(self, sc: _Scale, fmt: Fmt, *, broken: bool = False, n: int = 4, drop: float = 0.0) -> None:
        """A horizontal axis at the cursor: a line, ticks and their labels (``drop`` lower), kept inside the viewBox."""
        y = self.y + 2
        self.line(sc.x0, y, sc.x1, y, stroke=INK_SOFT)
        for t in sc.ticks(fmt, n, with_lo=broken):
            x = sc(t)
            self.line(x, y, x, y + 4, stroke=INK_SOFT)
            label = fmt(t)
            w = text_width(label, SIZE_TICK)
            anchor, tx = "middle", x
            if x - w / 2 < 1:
                anchor, tx = "start", max(x - 2, 1)
            elif x + w / 2 > W - 1:
                anchor, tx = "end", min(x + 2, W - 1)
            self.text(tx, y + 4 + drop + SIZE_TICK * 1.05, [label], size=SIZE_TICK, anchor=anchor, fill=INK_SOFT, cls="tick")
        if broken:
            for dx in (4, 8):
                self.line(sc.x0 + dx - 2, y + 4, sc.x0 + dx + 2, y - 4, stroke=INK_SOFT, width=1.2)
        self.y = y + 4 + drop + SIZE_TICK * 1.4

    def legend(self, items: Sequence[tuple[str, str, str]]) -> None:
        """Swatches and their words, on one line when they fit, else one per line. Items: (text, fill, stroke)."""
        sw, gap = 16.0, 14.0
        widths = [sw + 5 + text_width(t, SIZE_VALUE) for t, _, _ in items]
        one_line = sum(widths) + gap * (len(items) - 1) <= W - 2 * PAD
        x = PAD
        for (t, fill, stroke), w in zip(items, widths, strict=True):
            lines = wrap(t, SIZE_VALUE, W - 2 * PAD - sw - 5)
            s = f' stroke="{stroke}" stroke-width="1"' if stroke else ""
            self.add(f'<rect x="{_n(x)}" y="{_n(self.y + 2)}" width="{_n(sw)}" height="11" fill="{fill}"{s}/>')
            self.text(x + sw + 5, self.y + SIZE_VALUE * 0.95, lines, size=SIZE_VALUE, cls="legend")
            if one_line:
                x += w + gap
            else:
                self.y += SIZE_VALUE * 1.22 * len(lines) + 3
        if one_line:
            self.y += SIZE_VALUE * 1.22 + 3

    def render(self, desc: str) -> str:
        h = math.ceil(self.y + PAD)
        tid, did = f"{self.id}-title", f"{self.id}-desc"
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" class="dti-chart dti-chart-{self.kind}" viewBox="0 0 {_n(W)} {h}" '
                f'width="100%" style="max-width:{MAX_WIDTH_PX}px;height:auto;display:block;break-inside:avoid;page-break-inside:avoid" '
                f'role="img" aria-label="{_esc(self.title)}" aria-describedby="{did}" font-family="{_esc(FONT)}" fill="{INK}">'
                f'<title id="{tid}">{_esc(self.title)}</title><desc id="{did}">{_esc(desc)}</desc>{defs}'
                f'{"".join(self.body)}{"".join(self.labels)}</svg>')


def _start(kind: str, title: str, seed: Any) -> _Svg:
    svg = _Svg(kind, title, seed)
    svg.block(title, size=SIZE_TITLE, weight="bold", cls="title")
    svg.y += 6
    return svg


def _empty(kind: str, title: str, no_data: str) -> str:
    svg = _start(kind, title, ("empty", no_data))
    svg.block(no_data, size=SIZE_NAME, fill=INK_SOFT, cls="no-data")
    return svg.render(no_data)


def _signed(x: float, fmt: Fmt) -> str:
    """A change with its sign always written: +1,5 / −1,5 / 0."""
    if x > 0:
        return "+" + fmt(x)
    if x < 0:
        return _MINUS + fmt(-x)
    return fmt(0.0)


def _value_room(labels: Sequence[str], size: float = SIZE_VALUE) -> float:
    return max((text_width(s, size) for s in labels), default=0.0) + 6


# ---------------------------------------------------------------------------------------------
# The charts

_BAR = 13.0  # height of a bar
_NAME_GAP = 3.0  # between a name and its bars
_ROW_GAP = 11.0  # between one row (name and bars) and the next


def pillar_index(pillars: Sequence[Mapping[str, Any]], *, title: str, legend_prev: str, legend_now: str, fmt: Fmt,
                 no_data: str = "\u2014") -> str:
    """The pillars as an index 0–1, the previous year's bar (hatched) above this year's (solid).

    ``pillars``: ``{"code", "name", "previous": float | None, "now": float}``. A pillar without a
    previous value shows a dash where its bar would be. Marks are labelled ``"<code>:previous"`` and
    ``"<code>:now"``.
    """
    if not pillars:
        return _empty("pillars", title, no_data)
    rows = [(str(p["code"]), str(p["name"]), None if p.get("previous") is None else _finite(f"{p['code']}.previous", p["previous"]),
             _finite(f"{p['code']}.now", p["now"])) for p in pillars]
    svg = _start("pillars", title, rows)
    prev_fill = svg.hatch("prev", PREV_BG, PREV_LINE)
    svg.legend([(legend_prev, prev_fill, PREV_LINE), (legend_now, NOW, "")])
    svg.y += 4
    labels = [fmt(v) for _, _, pv, nv in rows for v in (pv, nv) if v is not None]
    hi = max([1.0] + [v for _, _, pv, nv in rows for v in (pv, nv) if v is not None])
    lo = min([0.0] + [v for _, _, pv, nv in rows for v in (pv, nv) if v is not None])
    sc = _Scale(lo, hi, PAD, W - PAD - _value_room(labels))
    for code, name, pv, nv in rows:
        svg.block(name, size=SIZE_NAME, cls="name")
        svg.y += _NAME_GAP
        for series, v, fill, stroke, weight in (("previous", pv, prev_fill, PREV_LINE, "normal"), ("now", nv, NOW, "", "bold")):
            y = svg.y
            svg.add(f'<rect x="{_n(sc(0))}" y="{_n(y)}" width="{_n(sc(1) - sc(0))}" height="{_n(_BAR)}" fill="{TRACK}"/>')
            if v is None:
                svg.text(sc(0) + 4, y + _BAR - 2.5, ["\u2014"], size=SIZE_VALUE, fill=INK_SOFT, cls="value")
            else:
                x0, x1 = sorted((sc(0), sc(v)))
                svg.mark_rect(x0, y, x1 - x0, _BAR, label=f"{code}:{series}", value=v, fill=fill, stroke=stroke,
                              extra=f' data-series="{series}"')
                svg.text(x1 + 4, y + _BAR - 2.5, [fmt(v)], size=SIZE_VALUE, weight=weight, cls="value")
            svg.y += _BAR + 2
        svg.y += _ROW_GAP - 2
    svg.axis(sc, fmt)
    desc = "; ".join(f"{name}: {fmt(nv)}" if pv is None else f"{name}: {fmt(pv)} \u2192 {fmt(nv)}" for _, name, pv, nv in rows)
    return svg.render(desc)


def agency_stake(items: Sequence[Mapping[str, Any]], *, title: str, fmt: Fmt, others_label: str, max_items: int = 12,
                 no_data: str = "\u2014") -> str:
    """Points at stake per lead agency, the largest first; beyond ``max_items`` the rest is one hatched bar.

    ``items``: ``{"name", "points"}`` with points ≥ 0. Ties keep the caller's order.
    """
    rows = [(str(i["name"]), _finite(f"{i['name']}.points", i["points"])) for i in items]
    if any(p < 0 for _, p in rows):
        raise ValueError("agency_stake: points at stake cannot be negative")
    if not rows:
        return _empty("agencies", title, no_data)
    rows.sort(key=lambda r: -r[1])
    shown, rest = rows[:max_items], rows[max_items:]
    bars = [(n, p, False) for n, p in shown]
    if rest:
        bars.append((others_label, math.fsum(p for _, p in rest), True))
    svg = _start("agencies", title, (bars, max_items))
    others_fill = svg.hatch("others", "#d9d9d9", OTHERS, angle=-45)
    sc = _Scale(0.0, max(p for _, p, _ in bars) or 1.0, PAD, W - PAD - _value_room([fmt(p) for _, p, _ in bars]))
    for name, p, is_others in bars:
        svg.block(name, size=SIZE_NAME, cls="name")
        svg.y += _NAME_GAP
        extra = ' data-others="true"' if is_others else ""
        svg.mark_rect(sc(0), svg.y, sc(p) - sc(0), _BAR + 2, label=name, value=p, fill=others_fill if is_others else NOW,
                      stroke=OTHERS if is_others else "", extra=extra)
        svg.text(sc(p) + 4, svg.y + _BAR - 1.5, [fmt(p)], size=SIZE_VALUE, weight="bold", cls="value")
        svg.y += _BAR + 2 + _ROW_GAP
    svg.axis(sc, fmt)
    return svg.render("; ".join(f"{n}: {fmt(p)}" for n, p, _ in bars))


def bridge(start: float, steps: Sequence[Mapping[str, Any]], end: float, *, title: str, start_label: str, end_label: str, fmt: Fmt,
           no_data: str = "\u2014") -> str:
    """A waterfall from the previous total to this one: one floating bar per step, gains solid, losses hatched.

    ``steps``: ``{"label", "delta"}``. ``end`` must equal ``start`` plus the deltas (within 1e-6);
    a difference means the caller's numbers do not add up and is a ``ValueError``, not a chart.
    Each step's value text carries its sign (+ / −) and its colour.
    """
    s0 = _finite("start", start)
    e0 = _finite("end", end)
    rows = [(str(s["label"]), _finite(f"{s['label']}.delta", s["delta"])) for s in steps]
    total = s0 + math.fsum(d for _, d in rows)
    if abs(total - e0) > 1e-6:
        raise ValueError(f"bridge: start + deltas = {total!r}, but end = {e0!r}")
    svg = _start("bridge", title, (s0, rows, e0, start_label, end_label))
    loss_fill = svg.hatch("loss", LOSS, LOSS_LINE, gap=5, stroke=2)
    running = [s0]
    for _, d in rows:
        running.append(running[-1] + d)
    lo = _axis_range(running + [e0])
    hi = max(running + [e0, 0.0])
    texts = [fmt(s0), fmt(e0)] + [_signed(d, fmt) for _, d in rows]
    sc = _Scale(lo, hi, PAD, W - PAD - _value_room(texts))
    broken = lo > 0

    def total_bar(label: str, v: float) -> None:
        svg.block(label, size=SIZE_NAME, weight="bold", cls="name")
        svg.y += _NAME_GAP
        y = svg.y
        x0, x1 = sorted((sc(lo if broken else 0.0), sc(v)))
        svg.mark_rect(x0, y, x1 - x0, _BAR + 2, label=label, value=v, fill=NOW, extra=' data-kind="total"')
        if broken:
            svg.break_mark(x0 + 6, y, _BAR + 2)
        svg.text(x1 + 4, y + _BAR - 1.5, [fmt(v)], size=SIZE_VALUE, weight="bold", cls="value")
        svg.y += _BAR + 2 + _ROW_GAP

    total_bar(start_label, s0)
    for (label, d), before in zip(rows, running, strict=False):
        after = before + d
        svg.block(label, size=SIZE_NAME, cls="name")
        svg.y += _NAME_GAP
        y = svg.y
        x0, x1 = sorted((sc(before), sc(after)))
        if d == 0:
            svg.mark_rect(x0 - 0.75, y, 1.5, _BAR + 2, label=label, value=d, fill=INK_SOFT, extra=' data-kind="step"')
        else:
            svg.mark_rect(x0, y, max(x1 - x0, 1.0), _BAR + 2, label=label, value=d, fill=GAIN if d > 0 else loss_fill,
                          stroke="" if d > 0 else LOSS, extra=f' data-kind="{"gain" if d > 0 else "loss"}"')
        svg.text(max(x1, x0 + 1) + 4, y + _BAR - 1.5, [_signed(d, fmt)], size=SIZE_VALUE, weight="bold",
                 fill=GAIN if d > 0 else LOSS if d < 0 else INK, cls="value")
        svg.y += _BAR + 2 + _ROW_GAP
    total_bar(end_label, e0)
    svg.axis(sc, fmt, broken=broken)
    desc = f"{start_label}: {fmt(s0)}; " + "; ".join(f"{lab}: {_signed(d, fmt)}" for lab, d in rows) + f"; {end_label}: {fmt(e0)}"
    return svg.render(desc)


def _place_label(svg: _Svg, x: float, text: str, *, size: float, weight: str = "normal", fill: str = INK) -> None:
    """Wrapped text at the cursor, centred under ``x`` but kept inside the chart."""
    lines = wrap(text, size, W - 2 * PAD)
    w = max(text_width(s, size) for s in lines)
    tx = min(max(x, PAD + w / 2), W - PAD - w / 2)
    lh = size * 1.22
    svg.text(tx, svg.y + size * 0.95, lines, size=size, anchor="middle", weight=weight, fill=fill, cls="name", line_h=lh)
    svg.y += lh * len(lines)


def rank_strip(totals: Sequence[float | tuple[str, float]], *, own: str, own_total: float, own_rank: int, of: int, title: str,
               fmt: Fmt, own_label: str, new_label: str | None = None, new_total: float | None = None,
               new_rank: int | None = None, no_data: str = "\u2014") -> str:
    """Every province's total as a dot on one axis, the province itself as a dark diamond, its label below.

    ``totals``: the national table as ``(province, total)`` pairs (as ``report.load_national``
    returns) or bare totals. A row named ``own`` is the province itself and is drawn as its marker
    at ``own_total``, not as a dot. With ``new_total`` a hollow triangle shows where that total
    would stand (``new_label`` says so, e.g. the rank it would have had). The label texts are the
    caller's: they should say the rank (``own_rank``/``of``, ``new_rank``), which the marks also
    carry as ``data-rank`` and ``data-of``. Dots that would overlap are stacked upwards.
    """
    others: list[tuple[str, float]] = []
    for i, t in enumerate(totals):
        name, v = (str(t[0]), t[1]) if isinstance(t, tuple | list) else (f"#{i + 1}", t)
        if name != own:
            others.append((name, _finite(name, v)))
    own_v = _finite("own_total", own_total)
    new_v = None if new_total is None else _finite("new_total", new_total)
    if not others and not totals:
        return _empty("rank", title, no_data)
    svg = _start("rank", title, (others, own, own_v, own_rank, of, own_label, new_label, new_v, new_rank))
    r = 5.0
    allv = [v for _, v in others] + [own_v] + ([new_v] if new_v is not None else [])
    vmin, vmax = min(allv), max(allv)
    if vmax - vmin < 1e-9:  # one total, or all equal: an axis around it
        vmin, vmax = vmin - max(1.0, abs(vmin) * 0.05), vmax + max(1.0, abs(vmax) * 0.05)
    step = _nice_step(vmax - vmin, 4)
    lo, hi = math.floor(vmin / step) * step, math.ceil(vmax / step) * step
    if hi <= lo:
        hi = lo + step
    sc = _Scale(lo, hi, PAD + r + 2, W - PAD - r - 2)

    # Stack the dots: each goes on the lowest level where it does not touch one already there.
    levels: list[list[float]] = []
    placed: list[tuple[str, float, int]] = []
    for name, v in sorted(others, key=lambda t: t[1]):
        x = sc(v)
        lvl = next((k for k, xs in enumerate(levels) if all(abs(x - o) >= 2 * r + 0.6 for o in xs)), len(levels))
        if lvl == len(levels):
            levels.append([])
        levels[lvl].append(x)
        placed.append((name, v, lvl))
    dot_h = 2 * r + 1
    top = svg.y + 4
    base = top + max(len(levels), 1) * dot_h
    for name, v, lvl in placed:
        cy = base - r - lvl * dot_h
        svg.add(f'<circle class="mark" cx="{_n(sc(v))}" cy="{_n(cy)}" r="{_n(r)}" fill="{DOT}" stroke="#ffffff" stroke-width="0.8" '
                f'data-label="{_esc(name)}" data-value="{_value(v)}"><title>{_esc(name)}: {_esc(fmt(v))}</title></circle>')
    # The province's markers: a line through the dots, the marker on the axis, its words below.
    markers = [(own, own_v, own_rank, own_label, "own")]
    if new_v is not None:
        markers.append((new_label or "", new_v, new_rank, new_label or "", "new"))
    for _, v, _, _, kind in markers:
        svg.line(sc(v), top - 2, sc(v), base + 8, stroke=NOW if kind == "own" else NEW, width=1.4, dash="" if kind == "own" else "3 2")
    svg.y = base + 2
    svg.axis(sc, fmt, drop=4)  # below the markers that sit on the axis
    axis_y = base + 4
    for label, v, rank, _, kind in markers:
        x = sc(v)
        extra = f' data-rank="{rank}" data-of="{of}"' if rank is not None else f' data-of="{of}"'
        if kind == "own":
            d = f"M{_n(x)} {_n(axis_y - 7)} L{_n(x + 7)} {_n(axis_y)} L{_n(x)} {_n(axis_y + 7)} L{_n(x - 7)} {_n(axis_y)} Z"
            svg.add(f'<path class="mark" d="{d}" fill="{NOW}" stroke="#ffffff" stroke-width="1" data-label="{_esc(label)}" '
                    f'data-value="{_value(v)}" data-kind="own"{extra}/>')
        else:
            d = f"M{_n(x)} {_n(axis_y - 8)} L{_n(x + 7)} {_n(axis_y + 5)} L{_n(x - 7)} {_n(axis_y + 5)} Z"
            svg.add(f'<path class="mark" d="{d}" fill="#ffffff" stroke="{NEW}" stroke-width="2" data-label="{_esc(label)}" '
                    f'data-value="{_value(v)}" data-kind="new"{extra}/>')
    for _, v, _, text, kind in markers:
        svg.y += 2
        sym = "\u25c6 " if kind == "own" else "\u25b3 "
        _place_label(svg, sc(v), f"{sym}{text}: {fmt(v)}", size=SIZE_NAME, weight="bold" if kind == "own" else "normal",
                     fill=NOW if kind == "own" else NEW)
    desc = f"{own_label}: {fmt(own_v)}" + (f"; {new_label}: {fmt(new_v)}" if new_v is not None else "")
    return svg.render(desc)


def running_total(steps: Sequence[Mapping[str, Any]], *, start: float, goal: float, title: str, fmt: Fmt, start_label: str,
                  goal_label: str, no_data: str = "\u2014") -> str:
    """The route to a goal: from ``start``, each step's gain on top of the total so far, the goal a dashed line.

    ``steps``: ``{"label", "gain"}``, in the order they are to be taken. Each bar is the running
    total after its step: the part already reached pale, the step's gain solid (a loss hatched),
    its value text ``+gain → total``. Marks: the start bar (``start_label``), one per step (value:
    the gain; ``data-total``: the total after it) and the goal line (``goal_label``).
    """
    s0 = _finite("start", start)
    g0 = _finite("goal", goal)
    rows = [(str(s["label"]), _finite(f"{s['label']}.gain", s["gain"])) for s in steps]
    if not rows:
        return _empty("route", title, no_data)
    svg = _start("route", title, (s0, g0, rows, start_label, goal_label))
    loss_fill = svg.hatch("loss", LOSS, LOSS_LINE, gap=5, stroke=2)
    running = [s0]
    for _, g in rows:
        running.append(running[-1] + g)
    lo = _axis_range(running + [g0])
    hi = max(running + [g0, 0.0])
    texts = [fmt(s0)] + [f"{_signed(g, fmt)} \u2192 {fmt(t)}" for (_, g), t in zip(rows, running[1:], strict=True)]
    sc = _Scale(lo, hi, PAD, W - PAD - _value_room(texts))
    broken = lo > 0
    base_x = sc(lo if broken else 0.0)

    # The goal: its words above the plot, then a dashed mark across each bar (not across the names).
    gx = sc(g0)
    _place_label(svg, gx, f"{goal_label}: {fmt(g0)}", size=SIZE_VALUE, weight="bold")
    bar_rows = [svg.y + 1]

    def value_text(x_end: float, y: float, text: str) -> None:
        x = x_end + 4
        if x - 3 < gx < x + text_width(text, SIZE_VALUE) + 3:  # the text would sit on the goal mark: put it past it
            x = gx + 5
        svg.text(x, y + _BAR - 1.5, [text], size=SIZE_VALUE, weight="bold", cls="value")

    svg.y += 4
    svg.block(start_label, size=SIZE_NAME, weight="bold", cls="name")
    svg.y += _NAME_GAP
    bar_rows.append(svg.y)
    svg.mark_rect(base_x, svg.y, sc(s0) - base_x, _BAR + 2, label=start_label, value=s0, fill=NOW, extra=' data-kind="start"')
    if broken:
        svg.break_mark(base_x + 6, svg.y, _BAR + 2)
    value_text(sc(s0), svg.y, fmt(s0))
    svg.y += _BAR + 2 + _ROW_GAP
    for (label, g), before, after in zip(rows, running, running[1:], strict=False):
        svg.block(label, size=SIZE_NAME, cls="name")
        svg.y += _NAME_GAP
        y = svg.y
        bar_rows.append(y)
        kept = min(before, after)
        svg.add(f'<rect x="{_n(base_x)}" y="{_n(y)}" width="{_n(max(sc(kept) - base_x, 0))}" height="{_n(_BAR + 2)}" fill="{PREV_BG}"/>')
        if broken:
            svg.break_mark(base_x + 6, y, _BAR + 2)
        x0, x1 = sorted((sc(before), sc(after)))
        svg.mark_rect(x0, y, x1 - x0, _BAR + 2, label=label, value=g, fill=GAIN if g >= 0 else loss_fill, stroke="" if g >= 0 else LOSS,
                      extra=f' data-kind="{"gain" if g >= 0 else "loss"}" data-total="{_value(after)}"')
        value_text(max(x1, sc(after)), y, f"{_signed(g, fmt)} \u2192 {fmt(after)}")
        svg.y += _BAR + 2 + _ROW_GAP
    svg.y -= _ROW_GAP - 4
    bar_rows.append(svg.y + 2)  # down to the axis
    segs = [f"M{_n(gx)} {_n(bar_rows[0] - 3)}V{_n(bar_rows[0] + 1)}"]
    segs += [f"M{_n(gx)} {_n(y - 4)}V{_n(y + _BAR + 6)}" for y in bar_rows[1:-1]]
    segs.append(f"M{_n(gx)} {_n(bar_rows[-1] - 4)}V{_n(bar_rows[-1])}")
    svg.add(f'<path class="mark" d="{"".join(segs)}" fill="none" stroke="{INK}" stroke-width="2" stroke-dasharray="4 2" '
            f'data-label="{_esc(goal_label)}" data-value="{_value(g0)}" data-kind="goal"/>')
    svg.y -= 2
    svg.axis(sc, fmt, broken=broken)
    desc = (f"{start_label}: {fmt(s0)}; " + "; ".join(f"{lab}: {_signed(g, fmt)} \u2192 {fmt(t)}" for (lab, g), t in zip(rows, running[1:], strict=True))
            + f"; {goal_label}: {fmt(g0)}")
    return svg.render(desc)


# ---------------------------------------------------------------------------------------------
# Reading a chart back


def read_values(svg: str) -> list[tuple[str, float]]:
    """The ``(data-label, data-value)`` of every mark of a chart, in drawing order (for tests and checks)."""
    root = ET.fromstring(svg)
    return [(el.get("data-label", ""), float(el.get("data-value", "nan"))) for el in root.iter() if el.get("data-value") is not None]
