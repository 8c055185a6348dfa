"""Shared pieces of the API views."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.negotiation import DefaultContentNegotiation

from reports.models import Report
from reports.permissions import access_report


def report_queryset() -> QuerySet[Report]:
    """Everything a report's representation reads, in a fixed number of queries."""
    return Report.objects.select_related(
        "species__group", "product_type", "company", "volunteer", "duplicate_of"
    ).prefetch_related("evidence")


def fetch_report(user, reference: str) -> Report:
    """The report if ``user`` may see it (reports.permissions), else 404 — as in the UI."""
    return access_report(user, reference, report_queryset())


def reload_report(report: Report) -> Report:
    """A fresh copy after a transition (the caller may no longer 'see' it the same way)."""
    return report_queryset().get(pk=report.pk)


class FirstRendererNegotiation(DefaultContentNegotiation):
    """Ignore Accept for endpoints whose success body is not JSON: errors stay JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
