"""Shared pieces of the API views."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.mixins import ListModelMixin
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from reports.fragments import cached_fragment
from reports.models import Report
from reports.permissions import access_report
from spotter.models import Role


def report_queryset() -> QuerySet[Report]:
    """Everything a report's representation reads, in a fixed number of queries."""
    return Report.objects.select_related(
        "species__group", "product_type", "company", "volunteer", "duplicate_of"
    ).prefetch_related(
        # The company's representation explains each report with its species' CITES listing on
        # the listing date: one query for the page, not one per report (found at 1M reports).
        "evidence",
        "species__cites_listings",
    )


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


def list_scopes(user) -> list[str]:
    """What a user's report list shows changes with (reports/fragments.py): their own reports
    (volunteers), their platform's (company staff), any report (experts, admins)."""
    if user.role == Role.VOLUNTEER:
        return [f"volunteer:{user.pk}"]
    if user.role == Role.COMPANY_STAFF:
        return [f"company:{user.company_id}"]
    return ["all"]


def cached_list(view, request, *args, **kwargs) -> Response:
    """DRF's list, its page (the serialized rows and the cursor links) cached per user and query
    until a transition changes what the user's list shows (reports/fragments.py): serializing
    25 reports of ~45 fields each was most of an API list's time. Bad parameters raise before
    anything is stored (a 400 is never cached)."""

    def build():
        return ListModelMixin.list(view, request, *args, **kwargs).data

    parts = [
        type(view).__name__,
        request.user.pk,
        f"{request.scheme}://{request.get_host()}",  # the links in the page are absolute
        sorted(request.query_params.lists()),
    ]
    data = cached_fragment("api-list", list_scopes(request.user), parts, build)
    return Response(data)
