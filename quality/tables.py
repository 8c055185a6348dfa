"""A table of figures: named rows shown by ``templates/quality/includes/data_table.html`` and
downloaded as CSV with the same cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from reports.catalogue import language_suffix
from spotter.stats import pct
from spotter.typography import number

# Where a report is now, as the dashboards name it (the charts' legends, the tables' columns).
STATE_LABELS = {
    "pending": _("Awaiting decision"),
    "rejected": _("Rejected"),
    "confirmed": _("Confirmed (not forwarded)"),
    "forwarded": _("Forwarded, awaiting action"),
    "removed": _("Removed"),
    "already_gone": _("Already gone"),
    "no_violation": _("No violation found"),
    "other": _("Other outcome"),
    "withdrawn": _("Withdrawn"),
    "duplicate": _("Duplicate"),
}

# The page shows these words for the column names below; so does a CSV downloaded in French or
# Chinese, while an English CSV keeps the machine names (stable for scripts and spreadsheets).
# One list for every dashboard table, so a name reads the same everywhere. A name missing here
# is shown as is (the names passed already translated).
COLUMN_LABELS = {
    **STATE_LABELS,
    "figure": _("Figure"),
    "value": _("Value"),
    "week_start": _("Week starting"),
    "month_start": _("Month starting"),
    "total": _("Total"),
    "stage": _("Stage"),
    "reports": _("Reports"),
    "share_of_submitted": _("Share of submitted"),
    "region": _("Region"),
    "submitted": _("Submitted"),
    "confirmed": _("Confirmed"),
    "decided": _("Decided"),
    "accuracy": _("Accuracy"),
    # xgettext:no-python-format
    "ci_low": _("95% interval, low"),
    # xgettext:no-python-format
    "ci_high": _("95% interval, high"),
    "species_group": _("Species group"),
    "notices": _("Notices"),
    "platform": _("Platform"),
    "open": _("Open"),
    "other_outcomes": _("Other outcomes"),
    "median_hours_to_act": _("Median hours to act"),
    "acted_late": _("Acted late"),
    "overdue_now": _("Overdue now"),
    "share_overdue": _("Share overdue"),
    "language": _("Listing language"),
    "label": _("Scope"),
    "median_hours_to_outcome": _("Median hours to outcome"),
    "outcome_discrepancies": _("Outcome discrepancies"),
    "section": _("Section"),
}

# The names of rows that are figures rather than things (headline, funnel, agreement).
FIGURE_LABELS = {
    "all": _("All reports"),
    "submitted": _("Submitted"),
    "confirmed": _("Confirmed"),
    "forwarded": _("Forwarded"),
    "removed": _("Removed"),
    "volunteers_active": _("Volunteers active"),
    "reports_submitted": _("Reports submitted"),
    "reports_confirmed": _("Reports confirmed"),
    "reports_rejected": _("Reports rejected"),
    "reports_forwarded": _("Reports forwarded"),
    "reports_removed": _("Listings removed"),
    "reports_awaiting_decision": _("Reports awaiting a decision"),
    "accuracy": _("Accuracy"),
    # xgettext:no-python-format
    "accuracy_ci_low": _("Accuracy, 95% interval low"),
    # xgettext:no-python-format
    "accuracy_ci_high": _("Accuracy, 95% interval high"),
    "median_hours_submit_to_decision": _("Median hours from submission to decision"),
    "median_hours_forward_to_takedown": _("Median hours from notice to takedown"),
    "median_hours_forward_to_outcome": _("Median hours from notice to outcome"),
    "notices_received": _("Notices received"),
    "notices_open": _("Notices open"),
    "listings_removed": _("Listings removed"),
    "other_outcomes": _("Other outcomes"),
    "open_notices_overdue_now": _("Open notices overdue now"),
    "both_confirmed": _("Both experts confirmed"),
    "first_confirmed_second_rejected": _("First confirmed, second rejected"),
    "first_rejected_second_confirmed": _("First rejected, second confirmed"),
    "both_rejected": _("Both experts rejected"),
    "cases": _("Cases"),
    "agreement_rate": _("Agreement rate"),
    "cohens_kappa": _("Cohen's kappa"),
    "senior_upheld_first_verdict": _("Senior expert upheld the first verdict"),
    "senior_overturned_first_verdict": _("Senior expert overturned the first verdict"),
}


@dataclass
class Column:
    label: str  # the CSV header
    kind: str = "int"  # int | pct | hours | text | day | month (dates: ISO in the CSV)

    @property
    def numeric(self) -> bool:
        return self.kind not in ("text", "day", "month")

    @property
    def heading(self) -> str:
        """The page's header for the column."""
        return str(COLUMN_LABELS.get(self.label, self.label))

    @property
    def csv_heading(self) -> str:
        """The CSV header: the machine name in English, the page's words in other languages."""
        return self.label if language_suffix() == "en" else self.heading


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
    # Page names for the rows' first cells (the CSV keeps the cells as they are).
    row_labels: Mapping[str, str] = field(default_factory=lambda: FIGURE_LABELS)

    def display_rows(self) -> list[DisplayRow]:
        shown = []
        for row in self.rows:
            values = [_show(c.kind, v) for c, v in zip(self.columns, _flatten(row), strict=True)]
            shown.append(DisplayRow(str(self.row_labels.get(values[0], values[0])), values[1:]))
        return shown

    def csv_response(self, filename: str) -> HttpResponse:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([c.csv_heading for c in self.columns])
        in_words = language_suffix() != "en"  # the same rule as the headers
        for row in self.rows:
            cells = [_csv(c.kind, v) for c, v in zip(self.columns, _flatten(row), strict=True)]
            if in_words:
                cells[0] = _csv("text", str(self.row_labels.get(cells[0], cells[0])))
            writer.writerow(cells)
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


# Dates on the page in the reader's language ("2025年12月", "décembre 2025"); ISO in the CSV.
DATE_FORMATS = {"day": "SHORT_DATE_FORMAT", "month": "YEAR_MONTH_FORMAT"}


def _show(kind: str, value) -> str:
    if value is None:
        return "—"
    if kind == "pct":
        return pct(value)
    if kind == "hours":
        return number(value, 1)
    if kind == "int" and isinstance(value, int | float):
        return number(value)
    if kind in DATE_FORMATS:
        return date_format(value, DATE_FORMATS[kind])
    return str(value)


def _csv(kind: str, value) -> str:
    if value is None:
        return ""
    if kind in DATE_FORMATS:
        return value.isoformat()
    if kind == "pct":
        return f"{value:.4f}"
    if kind == "hours":
        return f"{value:.1f}"
    text = str(value)
    # Spreadsheets run cells that start with these as formulas (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
