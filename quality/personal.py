"""The volunteer's personal dashboard ("My accuracy"), from their own counter rows only."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from reports.models import MemberCompany, RejectionReason, Report, SpeciesGroup, Verdict
from spotter.models import User

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


def _intervals(points: list[TrendPoint], fmt: str) -> list[charts.Interval]:
    return [
        charts.Interval(
            p.start.strftime(fmt),
            p.accuracy.rate,
            p.accuracy.low,
            p.accuracy.high,
            p.accuracy.decided,
        )
        for p in points
    ]


def _trend_table(name: str, title: str, points: list[TrendPoint], fmt: str) -> Table:
    table = Table(
        name,
        title,
        [
            Column(_("Period"), "text"),
            Column(_("Submitted")),
            Column(_("Decided")),
            Column(_("Accuracy"), "pct"),
            # xgettext:no-python-format
            Column(_("95% interval"), "text"),
        ],
    )
    for p in points:
        a = p.accuracy
        table.rows.append([p.start.strftime(fmt), p.submitted, a.decided, a.rate, a.ci_text])
    return table


def verdicts_table(volunteer: User, limit: int = 50) -> SafeString:
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
            return f"{reasons.get(code, code)}: {note}" if note else reasons.get(code, code)
        return note

    body = format_html_join(
        "",
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td><span class="badge verdict-{}">{}</span>'
        "</td><td>{}</td><td>{}</td></tr>",
        (
            (
                link.replace("REFERENCE", reference),
                reference,
                Truncator(title).chars(50),
                verdict,
                verdicts.get(verdict, verdict),
                reason(code, note),
                decided_at.strftime("%Y-%m-%d") if decided_at else "",
            )
            for reference, title, verdict, code, note, decided_at in rows
        ),
    )
    if not body:
        return format_html('<p class="empty card">{}</p>', _("No decided reports yet."))
    return format_html(
        '<div class="table-wrap"><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>'
        "<th>{}</th></tr></thead><tbody>{}</tbody></table></div>",
        _("Reference"),
        _("Listing"),
        _("Verdict"),
        _("Expert's reason"),
        _("Decided"),
        body,
    )


def _labelled(rows: list[tuple[str, AccuracyEstimate]], labels: dict[str, str]):
    return [(labels.get(value, value or _("unspecified")), a) for value, a in rows]


def personal_dashboard(volunteer: User, today: date | None = None) -> dict:
    data = load_volunteer_data(volunteer, today)
    totals = data.tally()
    accuracy = accuracy_from(totals)
    weekly, monthly = trend(data, "w"), trend(data, "m")
    group_rows = breakdown(data, "group")
    company_rows = breakdown(data, "company")
    group_names = {
        str(pk): str(name) for pk, name in SpeciesGroup.objects.values_list("pk", "name")
    }
    group_names["0"] = _("No species chosen")
    company_ids = [int(v) for v, _a in company_rows if v.isdigit() and v != "0"]
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
        "weekly_table": _trend_table("my-weekly", _("My accuracy per week"), weekly, "%Y-%m-%d"),
        "monthly_table": _trend_table("my-monthly", _("My accuracy per month"), monthly, "%Y-%m"),
        "weekly_svg": charts.trend_line(
            "chart-my-weekly",
            _("My accuracy per week"),
            _(
                "Share of the reports you submitted each week that experts confirmed, with the "
                "confidence interval (95%) as a band."
            ),
            _intervals(weekly, "%m-%d"),
        ),
        "monthly_svg": charts.trend_line(
            "chart-my-monthly",
            _("My accuracy per month"),
            _(
                "Share of the reports you submitted each month that experts confirmed, with the "
                "confidence interval (95%) as a band."
            ),
            _intervals(monthly, "%Y-%m"),
        ),
        "groups": groups,
        "groups_svg": charts.interval_dots(
            "chart-my-groups",
            _("My accuracy by species group"),
            _("Accuracy per species group with 95% Wilson intervals."),
            [charts.Interval(label, a.rate, a.low, a.high, a.decided) for label, a in groups],
        )
        if groups
        else None,
        "platforms": _labelled(company_rows, company_names),
        "languages": _labelled(breakdown(data, "language"), {}),
        "offer": None if volunteer.is_lead_spotter else lead_spotter_offer(volunteer, data),
    }
