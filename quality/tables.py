"""A table of figures: named rows shown by ``templates/quality/includes/data_table.html`` and
downloaded as CSV with the same cells."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import NamedTuple

from django.http import HttpResponse


@dataclass
class Column:
    label: str
    kind: str = "int"  # int | pct | hours | text

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


class DisplayRow(NamedTuple):
    """A row as the page shows it: its label, then the figures (right-aligned)."""

    label: str
    figures: list[str]


@dataclass
class Table:
    """``rows`` are named tuples whose cells follow ``columns``; a field that is itself a tuple
    or a dict (an accuracy with its interval, the counts per state of a week) spreads over
    consecutive columns, in its order."""

    name: str
    title: str
    columns: list[Column]
    rows: list[tuple] = field(default_factory=list)
    note: str = ""

    def display_rows(self) -> list[DisplayRow]:
        shown = []
        for row in self.rows:
            values = [_show(c.kind, v) for c, v in zip(self.columns, _flatten(row), strict=True)]
            shown.append(DisplayRow(values[0], values[1:]))
        return shown

    def csv_response(self, filename: str) -> HttpResponse:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([c.label for c in self.columns])
        for row in self.rows:
            writer.writerow(
                [_csv(c.kind, v) for c, v in zip(self.columns, _flatten(row), strict=True)]
            )
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def _flatten(values) -> list:
    cells = []
    for value in values.values() if isinstance(values, dict) else values:
        if isinstance(value, tuple | dict):
            cells.extend(_flatten(value))
        else:
            cells.append(value)
    return cells


def _show(kind: str, value) -> str:
    if value is None:
        return "—"
    if kind == "pct":
        return f"{value * 100:.0f}%"
    if kind == "hours":
        return f"{value:.1f}"
    return str(value)


def _csv(kind: str, value) -> str:
    if value is None:
        return ""
    if kind == "pct":
        return f"{value:.4f}"
    if kind == "hours":
        return f"{value:.1f}"
    text = str(value)
    # Spreadsheets run cells that start with these as formulas (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
