"""Server-side SVG charts: no JavaScript, no network, no inline styles (CSP).

Here only the geometry: each function turns figures into a chart of plain numbers and
labels (coordinates rounded to 0.1 unit). The SVG is written by one template per chart type
under ``templates/quality/charts/`` (autoescaped): an ``svg`` element with ``role="img"``, a
title and a description, scaled by its ``viewBox``, a tooltip on every mark. The pages put the
same numbers in a data table beside each chart. Colours are SVG presentation attributes
(allowed by the CSP).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from spotter.stats import interval_text, pct

# viewBox widths: at a 390 px phone the chart is drawn about 310 px wide, so 400 units keep
# 13-unit text at ~10 px; wider desktop cards scale it up to their CSS max-width.
WIDTH = 400
WIDE = 480


def _at(value: float) -> float:
    """A coordinate as the SVG shows it (0.1 unit is far below a pixel)."""
    return round(float(value), 1)


class Frame(NamedTuple):
    """The ``svg`` element: its id, title, description and viewBox size."""

    chart_id: str
    title: str
    desc: str
    width: int
    height: int

    @property
    def wide(self) -> bool:
        return self.width > WIDTH


class Label(NamedTuple):
    x: float
    y: float
    text: str


def nice_max(value: float) -> float:
    """A round axis maximum ≥ value (1, 2, 2.5, 5 × 10^k)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


# --- stacked columns -------------------------------------------------------------------------
@dataclass
class Series:
    name: str
    colour: str
    values: list[int]


class ColumnMark(NamedTuple):
    """One series' part of one column, with its tooltip ("03-17 · Removed: 3").

    ``columns.html`` unpacks it in this field order (``{% for x, y, height, tip in … %}``): a
    year of weeks has ~400 marks, and plain loop variables render faster than attributes."""

    x: float
    y: float
    height: float
    tip: str


class SeriesMarks(NamedTuple):
    """A series' parts of every column, drawn in one group of its colour (far fewer template
    nodes than a fill on each of a year's worth of marks)."""

    colour: str
    marks: list[ColumnMark]


class AxisLabel(NamedTuple):
    x: float
    text: str
    anchor: str = "middle"  # its text-anchor


class HorizontalRule(NamedTuple):
    """A grid line across the plot with its value at the axis."""

    y: float
    label: Label


@dataclass
class ColumnChart:
    frame: Frame
    left: int
    right: int
    rules: list[HorizontalRule]
    bar_width: float
    series: list[SeriesMarks]
    label_y: float
    labels: list[AxisLabel]  # under the columns, one in every few


def stacked_columns(
    chart_id: str, title: str, desc: str, labels: Sequence[str], series: Sequence[Series]
) -> ColumnChart:
    """Columns per period, stacked by series (e.g. reports per week by where they ended up)."""
    height, left, right, top, bottom = 240, 44, 8, 10, 36
    plot_w, plot_h = WIDE - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top_value = nice_max(max(totals, default=0))
    rules = []
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        rules.append(
            HorizontalRule(_at(y), Label(_at(left - 6), _at(y + 5), f"{top_value * fraction:g}"))
        )
    count = max(1, len(labels))
    slot = plot_w / count
    bar = max(1.0, slot * 0.8)
    every = max(1, math.ceil(count / 6))
    marks: list[list[ColumnMark]] = [[] for _ in series]
    axis = []
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        for s, series_marks in zip(series, marks, strict=True):
            value = s.values[i]
            if not value:
                continue
            mark_height = plot_h * value / top_value
            y -= mark_height
            tip = f"{label} · {s.name}: {value}"
            series_marks.append(ColumnMark(_at(x), _at(y), _at(mark_height), tip))
        if i % every == 0:
            axis.append(AxisLabel(_at(x + bar / 2), label))
    return ColumnChart(
        Frame(chart_id, title, desc, WIDE, height),
        left,
        WIDE - right,
        rules,
        _at(bar),
        [SeriesMarks(s.colour, m) for s, m in zip(series, marks, strict=True) if m],
        _at(height - bottom + 18),
        axis,
    )


# --- horizontal bars -------------------------------------------------------------------------
@dataclass
class Bar:
    label: str
    value: float
    note: str = ""  # printed after the bar, e.g. "62% of submitted"


class BarMark(NamedTuple):
    label: Label  # the (clipped) label left of the bar
    tip: str  # the tooltip: the full label and the value
    y: int
    width: float
    value: Label  # the value (and note) right of the bar


@dataclass
class BarChart:
    frame: Frame
    colour: str
    left: int
    bar_height: int
    bars: list[BarMark]


def horizontal_bars(
    chart_id: str, title: str, desc: str, bars: Sequence[Bar], colour: str = "#1f6f4a"
) -> BarChart:
    """One labelled bar per row (funnel stages, species groups, companies)."""
    row, top, label_w = 26, 6, 120
    height = top * 2 + row * max(1, len(bars))
    plot_w = WIDTH - label_w - 100
    top_value = max((b.value for b in bars), default=0) or 1
    marks = []
    for i, bar in enumerate(bars):
        y = top + i * row
        width = plot_w * bar.value / top_value
        marks.append(
            BarMark(
                Label(_at(label_w - 8), _at(y + 17), _clip(bar.label, 16)),
                f"{bar.label}: {bar.value:g}",
                y + 4,
                _at(max(width, 1)),
                Label(_at(label_w + width + 6), _at(y + 17), f"{bar.value:g} {bar.note}".strip()),
            )
        )
    return BarChart(Frame(chart_id, title, desc, WIDTH, height), colour, label_w, row - 8, marks)


# --- intervals -------------------------------------------------------------------------------
@dataclass
class Interval:
    label: str
    rate: float | None
    low: float | None
    high: float | None
    n: int


class VerticalRule(NamedTuple):
    x: float
    label: Label | None  # None: a line without a label


class IntervalDot(NamedTuple):
    """The estimate (a dot) and its 95% interval (a line through it) on one row."""

    y: float
    low_x: float
    high_x: float
    x: float
    tip: str


class IntervalRow(NamedTuple):
    label: Label  # left of the plot
    dot: IntervalDot | None  # None: no decided report
    figure: Label  # right of the plot ("83% n=12"), or "no decided reports" inside it


@dataclass
class IntervalChart:
    frame: Frame
    rule_top: int
    rule_bottom: int
    rules: list[VerticalRule]
    rows: list[IntervalRow]


def interval_dots(chart_id: str, title: str, desc: str, rows: Sequence[Interval]) -> IntervalChart:
    """A dot per row at the estimate with a bar for its 95% interval, on a 0–100% axis."""
    row_h, top, label_w, right = 26, 22, 90, 80
    height = top + row_h * max(1, len(rows)) + 6
    plot_w = WIDTH - label_w - right
    rules = []
    for tick in (0, 0.5, 0.9, 1):
        x = label_w + plot_w * tick
        # The lead-spotter bar (90%): a line without a label (it would collide).
        label = Label(_at(x), _at(top - 8), pct(tick)) if tick != 0.9 else None
        rules.append(VerticalRule(_at(x), label))
    marks = []
    for i, interval in enumerate(rows):
        y = top + i * row_h + row_h / 2
        label = Label(_at(label_w - 8), _at(y + 4), _clip(interval.label, 11))
        if interval.rate is None:
            note = Label(_at(label_w + 4), _at(y + 4), "no decided reports")
            marks.append(IntervalRow(label, None, note))
            continue
        dot = IntervalDot(
            _at(y),
            _at(label_w + plot_w * interval.low),
            _at(label_w + plot_w * interval.high),
            _at(label_w + plot_w * interval.rate),
            f"{interval.label}: {_ci(interval)}, n={interval.n}",
        )
        figure = f"{pct(interval.rate)} n={interval.n}"
        marks.append(IntervalRow(label, dot, Label(_at(WIDTH - right + 6), _at(y + 4), figure)))
    frame = Frame(chart_id, title, desc, WIDTH, height)
    return IntervalChart(frame, top - 4, height - 4, rules, marks)


# --- trend -----------------------------------------------------------------------------------
class Point(NamedTuple):
    x: float
    y: float

    def __str__(self) -> str:
        """As an SVG points list writes it (the template joins them with spaces)."""
        return f"{self.x},{self.y}"


class TrendDot(NamedTuple):
    x: float
    y: float
    tip: str


@dataclass
class TrendChart:
    frame: Frame
    left: int
    right: int
    rules: list[HorizontalRule]
    band: list[Point]  # the 95% interval: the upper bounds, then the lower ones backwards
    line: list[Point]
    dots: list[TrendDot]
    label_y: float
    labels: list[AxisLabel]  # under the plot


def trend_line(chart_id: str, title: str, desc: str, points: Sequence[Interval]) -> TrendChart:
    """Accuracy over time: a line through the estimates and a band for the 95% interval."""
    height, left, right, top, bottom = 200, 40, 10, 10, 30
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    rules = []
    for tick in (0, 0.5, 1):
        y = top + plot_h * (1 - tick)
        rules.append(HorizontalRule(_at(y), Label(_at(left - 6), _at(y + 4), pct(tick))))
    count = max(1, len(points))
    step = plot_w / max(1, count - 1) if count > 1 else 0

    def at(i: int, value: float) -> Point:
        x = left + i * step if count > 1 else left + plot_w / 2
        return Point(_at(x), _at(top + plot_h * (1 - value)))

    upper, lower, line, dots = [], [], [], []
    for i, point in enumerate(points):
        if point.rate is None:
            continue
        upper.append(at(i, point.high))
        lower.append(at(i, point.low))
        centre = at(i, point.rate)
        line.append(centre)
        dots.append(TrendDot(centre.x, centre.y, f"{point.label}: {_ci(point)}, n={point.n}"))
    every = max(1, math.ceil(count / 6))
    labels = []
    for i, point in enumerate(points):
        if i % every == 0:
            x = at(i, 0).x
            # The last label would be cut by the edge of the chart if centred on its point.
            anchor = "end" if i == count - 1 and count > 1 else "middle"
            labels.append(AxisLabel(x, point.label, anchor))
    return TrendChart(
        Frame(chart_id, title, desc, WIDTH, height),
        left,
        WIDTH - right,
        rules,
        upper + lower[::-1],
        line,
        dots,
        _at(height - 10),
        labels,
    )


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _ci(interval: Interval) -> str:
    return f"{pct(interval.rate)} ({interval_text(interval.low, interval.high)})"
