"""Server-side SVG charts: no JavaScript, no network, no inline styles (CSP).

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>``, scales with its
``viewBox``, and every mark carries a ``<title>`` tooltip; the templates put the same numbers
in a data table beside it. Colours are SVG presentation attributes (allowed by the CSP).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# viewBox widths: at a 390 px phone the chart is drawn about 310 px wide, so 400 units keep
# 13-unit text at ~10 px; wider desktop cards scale it up to their CSS max-width.
WIDTH = 400
WIDE = 480
FONT = 13
INK, MUTED, GRID = "#1d2b24", "#5b6b63", "#d9e2dd"


@dataclass
class Series:
    name: str
    colour: str
    values: list[int]


def _open(chart_id: str, title: str, desc: str, height: float, width: int = WIDTH) -> list[str]:
    cid = escape(chart_id)
    wide = " wide" if width > WIDTH else ""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart{wide}" id="{cid}" role="img" '
        f'viewBox="0 0 {width} {height:.0f}" aria-labelledby="{cid}-t {cid}-d" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}">',
        f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{escape(desc)}</desc>',
    ]


def _close(parts: list[str]) -> SafeString:
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def nice_max(value: float) -> float:
    """A round axis maximum ≥ value (1, 2, 2.5, 5 × 10^k)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _text(x: float, y: float, text: str, anchor: str = "start", fill: str = INK, size=None) -> str:
    size_attr = f' font-size="{size}"' if size else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{size_attr}>'
        f"{escape(text)}</text>"
    )


def stacked_columns(
    chart_id: str, title: str, desc: str, labels: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """Columns per period, stacked by series (e.g. reports per week by where they ended up)."""
    height, left, right, top, bottom = 240, 44, 8, 10, 36
    plot_w, plot_h = WIDE - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top_value = nice_max(max(totals, default=0))
    parts = _open(chart_id, title, desc, height, WIDE)
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{left}" x2="{WIDE - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_text(left - 6, y + 5, f"{top_value * fraction:g}", "end", MUTED))
    count = max(1, len(labels))
    slot = plot_w / count
    bar = max(1.0, slot * 0.8)
    every = max(1, math.ceil(count / 6))
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        for s in series:
            value = s.values[i]
            if not value:
                continue
            h = plot_h * value / top_value
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{s.colour}"><title>{escape(label)} · {escape(s.name)}: {value}</title>'
                "</rect>"
            )
        if i % every == 0:
            parts.append(_text(x + bar / 2, height - bottom + 18, label, "middle", MUTED))
    return _close(parts)


@dataclass
class Bar:
    label: str
    value: float
    note: str = ""  # printed after the bar, e.g. "62% of submitted"


def horizontal_bars(
    chart_id: str, title: str, desc: str, bars: Sequence[Bar], colour: str = "#1f6f4a"
) -> SafeString:
    """One labelled bar per row (funnel stages, species groups, companies)."""
    row, top, label_w = 26, 6, 120
    height = top * 2 + row * max(1, len(bars))
    plot_w = WIDTH - label_w - 100
    top_value = max((b.value for b in bars), default=0) or 1
    parts = _open(chart_id, title, desc, height)
    for i, b in enumerate(bars):
        y = top + i * row
        w = plot_w * b.value / top_value
        parts.append(_text(label_w - 8, y + 17, _clip(b.label, 16), "end"))
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row - 8}" '
            f'fill="{colour}"><title>{escape(b.label)}: {b.value:g}</title></rect>'
        )
        parts.append(_text(label_w + w + 6, y + 17, f"{b.value:g} {b.note}".strip(), fill=MUTED))
    return _close(parts)


@dataclass
class Interval:
    label: str
    rate: float | None
    low: float | None
    high: float | None
    n: int


def interval_dots(chart_id: str, title: str, desc: str, rows: Sequence[Interval]) -> SafeString:
    """A dot per row at the estimate with a bar for its 95% interval, on a 0–100% axis."""
    row, top, label_w, right = 26, 22, 90, 80
    height = top + row * max(1, len(rows)) + 6
    plot_w = WIDTH - label_w - right
    parts = _open(chart_id, title, desc, height)
    for tick in (0, 0.5, 0.9, 1):
        x = label_w + plot_w * tick
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 4}" stroke="{GRID}"/>'
        )
        if tick != 0.9:  # the lead-spotter bar: a line without a label (it would collide)
            parts.append(_text(x, top - 8, f"{tick * 100:.0f}%", "middle", MUTED, 12))
    for i, r in enumerate(rows):
        y = top + i * row + row / 2
        parts.append(_text(label_w - 8, y + 4, _clip(r.label, 11), "end"))
        if r.rate is None:
            parts.append(_text(label_w + 4, y + 4, "no decided reports", fill=MUTED))
            continue
        x_low, x_high = label_w + plot_w * r.low, label_w + plot_w * r.high
        x = label_w + plot_w * r.rate
        tip = f"{r.label}: {_ci(r)}, n={r.n}"
        parts.append(
            f'<g><title>{escape(tip)}</title><line x1="{x_low:.1f}" x2="{x_high:.1f}" '
            f'y1="{y:.1f}" y2="{y:.1f}" stroke="#1c5d99" stroke-width="3"/>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#14513a"/></g>'
        )
        parts.append(_text(WIDTH - right + 6, y + 4, f"{r.rate * 100:.0f}% n={r.n}", fill=MUTED))
    return _close(parts)


def trend_line(chart_id: str, title: str, desc: str, points: Sequence[Interval]) -> SafeString:
    """Accuracy over time: a line through the estimates and a band for the 95% interval."""
    height, left, right, top, bottom = 200, 40, 10, 10, 30
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    parts = _open(chart_id, title, desc, height)
    for tick in (0, 0.5, 1):
        y = top + plot_h * (1 - tick)
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_text(left - 6, y + 4, f"{tick * 100:.0f}%", "end", MUTED, 11))
    count = max(1, len(points))
    step = plot_w / max(1, count - 1) if count > 1 else 0

    def xy(i: int, value: float) -> tuple[float, float]:
        return left + i * step if count > 1 else left + plot_w / 2, top + plot_h * (1 - value)

    upper, lower, line = [], [], []
    for i, p in enumerate(points):
        if p.rate is None:
            continue
        upper.append(xy(i, p.high))
        lower.append(xy(i, p.low))
        line.append(xy(i, p.rate))
    if upper:
        band = " ".join(f"{x:.1f},{y:.1f}" for x, y in upper + lower[::-1])
        parts.append(f'<polygon points="{band}" fill="#e6f2ec"/>')
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in line)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1f6f4a" stroke-width="2"/>')
    for i, p in enumerate(points):
        if p.rate is not None:
            x, y = xy(i, p.rate)
            tip = f"{p.label}: {_ci(p)}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#14513a">'
                f"<title>{escape(tip)}, n={p.n}</title></circle>"
            )
    every = max(1, math.ceil(count / 6))
    for i, p in enumerate(points):
        if i % every == 0:
            x, _y = xy(i, 0)
            # The last label would be cut by the edge of the chart if centred on its point.
            anchor = "end" if i == count - 1 and count > 1 else "middle"
            parts.append(_text(x, height - 10, p.label, anchor, MUTED, 11))
    return _close(parts)


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _ci(r: Interval) -> str:
    return f"{r.rate * 100:.0f}% (95% CI {r.low * 100:.0f}–{r.high * 100:.0f}%)"
