"""Seller pages: repeat identifiers, one identifier's reports, one report's linked reports.

Experts and admins see every page; company staff only the linked reports of a report they may
see (which are their own company's forwarded reports); volunteers none. All reads go through
``selectors`` and so through ``reports.permissions.visible_reports``.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from reports.permissions import access_report
from spotter.decorators import role_required
from spotter.models import Role
from spotter.permissions import is_role

from . import selectors
from .models import IdentifierKind


def report_url_prefix(user) -> str:
    """Where a listed report opens for this viewer: review (experts), detail (admins), the
    notice (company staff)."""
    if user.is_programme_admin:
        name = "reports:detail"
    elif user.role == Role.EXPERT:
        name = "reports:review"
    elif user.role == Role.COMPANY_STAFF:
        name = "reports:company_detail"
    else:
        name = "reports:detail"
    return reverse(name, kwargs={"reference": "X"}).removesuffix("X/")


@role_required(*selectors.VIEWER_ROLES)
def repeat_sellers(request):
    kind = request.GET.get("kind", "")
    if kind not in IdentifierKind.values:
        kind = ""
    page = Paginator(selectors.repeat_identifiers(request.user, kind), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "sellers/repeat.html",
        {
            "page": page,
            "rows": selectors.with_identifiers(page.object_list),
            "kind": kind,
            "kinds": IdentifierKind.choices,
        },
    )


@role_required(*selectors.VIEWER_ROLES)
def identifier(request, identifier_id):
    found = selectors.access_identifier(request.user, identifier_id)
    reports = selectors.reports_with_identifier(request.user, found)
    return render(
        request,
        "sellers/identifier.html",
        {
            "identifier": found,
            "reports": reports,
            "summary": selectors.summarise(reports),
            "url_prefix": report_url_prefix(request.user),
        },
    )


@role_required(*selectors.LINK_VIEWER_ROLES)
def report_links(request, reference):
    report = access_report(request.user, reference)
    linked = selectors.linked_reports(request.user, report)
    return render(
        request,
        "sellers/report_links.html",
        {
            "report": report,
            "linked": linked,
            "url_prefix": report_url_prefix(request.user),
            "show_identifier_pages": is_role(request.user, *selectors.VIEWER_ROLES),
        },
    )
