"""The volunteer's personal dashboard ("My accuracy"), from their own counter rows only."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from reports.models import MemberCompany, RejectionReason, Report, SpeciesGroup, Verdict
from spotter.models import User
from spotter.typography import with_colon

from . import charts
from .selectors import (
    TrendPoint,
    accuracy_from,
    breakdown,
    calibration,
    lead_spotter_offer,
    load_volunteer_data,
    rolling_accuracy,
    trend,
)
from .stats import AccuracyEstimate
from .tables import Column, Table


class TrendRow(NamedTuple):
    period: date
    submitted: int
    decided: int
    accuracy: float | None
    interval: str


class VerdictRow(NamedTuple):
    """A decided report in the volunteer's list (``templates/quality/includes/verdicts.html``)."""

    reference: str
    url: str
    listing: str  # the listing's title, shortened
    verdict: str
    verdict_label: str
    reason: str  # the rejection reason and the expert's note, shortened
    decided: str  # the date in the reader's language


def _intervals(points: list[TrendPoint], fmt: str) -> list[charts.Interval]:
    """``fmt`` is a Django format name: the labels are in the reader's language."""
    return [
        charts.Interval(
            date_format(point.start, fmt),
            point.accuracy.rate,
            point.accuracy.low,
            point.accuracy.high,
            point.accuracy.decided,
        )
        for point in points
    ]


def _trend_table(name: str, title: str, points: list[TrendPoint], kind: str) -> Table:
    table = Table(
        name,
        title,
        [
            Column(_("Period"), kind),
            Column(_("Submitted")),
            Column(_("Decided")),
            Column(_("Accuracy"), "pct"),
            # xgettext:no-python-format
            Column(_("95% interval"), "text"),
        ],
    )
    for point in points:
        accuracy = point.accuracy
        table.rows.append(
            TrendRow(
                point.start,
                point.submitted,
                accuracy.decided,
                accuracy.rate,
                accuracy.ci_text,
            )
        )
    return table


def verdicts_table(volunteer: User, limit: int = 50) -> list[VerdictRow]:
    """The volunteer's latest decided reports with the verdict and the expert's reason.

    Plain values and labels looked up once: this is the longest table of the page."""
    rows = (
        Report.objects.filter(volunteer=volunteer)
        .exclude(verdict="")
        .order_by("-submitted_at")
        .values_list(
            "reference", "listing_title", "verdict", "rejection_reason", "expert_note", "decided_at"
        )[:limit]
    )
    link = reverse("reports:detail", args=["REFERENCE"])
    verdicts = {value: str(label) for value, label in Verdict.choices}
    reasons = {value: str(label) for value, label in RejectionReason.choices}

    def reason(code: str, note: str) -> str:
        note = Truncator(note).chars(80)
        if code:
            return (
                f"{with_colon(reasons.get(code, code))} {note}" if note else reasons.get(code, code)
            )
        return note

    return [
        VerdictRow(
            reference,
            link.replace("REFERENCE", reference),
            Truncator(title).chars(50),
            verdict,
            verdicts.get(verdict, verdict),
            reason(code, note),
            date_format(decided_at, "SHORT_DATE_FORMAT") if decided_at else "",
        )
        for reference, title, verdict, code, note, decided_at in rows
    ]


def _labelled(rows: list[tuple[str, AccuracyEstimate]], labels: dict[str, str]):
    return [(labels.get(value, value or _("unspecified")), estimate) for value, estimate in rows]


def personal_dashboard(volunteer: User, today: date | None = None) -> dict:
    data = load_volunteer_data(volunteer, today)
    totals = data.tally()
    accuracy = accuracy_from(totals)
    weekly, monthly = trend(data, "w"), trend(data, "m")
    group_rows = breakdown(data, "group")
    company_rows = breakdown(data, "company")
    group_names = {str(group.pk): str(group) for group in SpeciesGroup.objects.all()}
    group_names["0"] = _("No species chosen")
    company_ids = [
        int(value) for value, _estimate in company_rows if value.isdigit() and value != "0"
    ]
    company_names = {
        str(pk): name
        for pk, name in MemberCompany.objects.filter(pk__in=company_ids).values_list("pk", "name")
    }
    company_names["0"] = _("Non-member platforms")
    groups = _labelled(group_rows, group_names)
    return {
        "accuracy": accuracy,
        "totals": totals,
        "rolling": rolling_accuracy(data),
        "calibration": calibration(volunteer),
        "weekly": weekly,
        "monthly": monthly,
        "weekly_table": _trend_table("my-weekly", _("My accuracy per week"), weekly, "day"),
        "monthly_table": _trend_table("my-monthly", _("My accuracy per month"), monthly, "month"),
        "weekly_chart": charts.trend_line(
            "chart-my-weekly",
            _("My accuracy per week"),
            _(
                "Share of the reports you submitted each week that experts confirmed, with the "
                "confidence interval (95%) as a band."
            ),
            _intervals(weekly, "MONTH_DAY_FORMAT"),
        ),
        "monthly_chart": charts.trend_line(
            "chart-my-monthly",
            _("My accuracy per month"),
            _(
                "Share of the reports you submitted each month that experts confirmed, with the "
                "confidence interval (95%) as a band."
            ),
            _intervals(monthly, "YEAR_MONTH_FORMAT"),
        ),
        "groups": groups,
        "groups_chart": charts.interval_dots(
            "chart-my-groups",
            _("My accuracy by species group"),
            _("Accuracy per species group with 95% Wilson intervals."),
            [
                charts.Interval(label, estimate.rate, estimate.low, estimate.high, estimate.decided)
                for label, estimate in groups
            ],
        )
        if groups
        else None,
        "platforms": _labelled(company_rows, company_names),
        "languages": _labelled(breakdown(data, "language"), {}),
        "offer": None if volunteer.is_lead_spotter else lead_spotter_offer(volunteer, data),
    }
