"""A table of figures that renders as HTML (built in Python: fast) and as a CSV download."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

NUM = mark_safe(' class="num"')  # noqa: S308 - a constant


@dataclass
class Column:
    label: str
    kind: str = "int"  # int | pct | hours | text


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    note: str = ""

    def display_rows(self) -> list[list[str]]:
        return [
            [_show(c.kind, v) for c, v in zip(self.columns, row, strict=True)] for row in self.rows
        ]

    def html(self) -> SafeString:
        """The table as HTML, built here rather than in a template loop (much faster for the
        hundreds of cells of a year of weeks)."""
        head = format_html_join(
            "",
            '<th scope="col"{}>{}</th>',
            ((NUM if c.kind != "text" else "", c.label) for c in self.columns),
        )
        rows = self.display_rows()
        if rows:
            body = format_html_join(
                "",
                "<tr>{}</tr>",
                (
                    (
                        format_html_join(
                            "", "<td{}>{}</td>", ((NUM if i else "", v) for i, v in enumerate(row))
                        ),
                    )
                    for row in rows
                ),
            )
        else:
            body = format_html(
                '<tr><td colspan="{}">{}</td></tr>', len(self.columns), _("No reports match.")
            )
        return format_html(
            '<div class="table-wrap"><table data-table="{}"><caption class="muted">{}</caption>'
            "<thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>",
            self.name,
            self.title,
            head,
            body,
        )

    def csv_response(self, filename: str) -> HttpResponse:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([c.label for c in self.columns])
        for row in self.rows:
            writer.writerow([_csv(c.kind, v) for c, v in zip(self.columns, row, strict=True)])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


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
