"""Pages of rechecks: the admins' overview (switched on or off, discrepancies, relistings) and
the public page the checker's User-Agent points to. Neither fetches anything."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from reports.models import MemberCompany
from spotter.decorators import role_required
from spotter.models import Role

from . import fetch, selectors
from .models import FlagKind

LIST_LIMIT = 100


def _context() -> dict:
    return {
        "enabled": fetch.enabled(),
        "user_agent": fetch.user_agent(),
        "max_redirects": fetch.MAX_REDIRECTS,
        "max_megabytes": fetch.MAX_BYTES // (1024 * 1024),
        "timeout_seconds": int(fetch.TIMEOUT_SECONDS),
        "domain_interval_seconds": fetch.DOMAIN_INTERVAL_SECONDS,
    }


@role_required(Role.ADMIN)
def overview(request):
    counts = selectors.discrepancy_counts()
    names = dict(
        MemberCompany.objects.filter(pk__in=[k for k in counts if k]).values_list("pk", "name")
    )
    per_company = sorted(
        ((names.get(key, "—"), n) for key, n in counts.items()), key=lambda row: (-row[1], row[0])
    )
    return render(
        request,
        "rechecks/overview.html",
        {
            **_context(),
            "proxy_configured": bool(settings.RECHECK_PROXY_URL),
            "check_counts": selectors.check_counts(),
            "per_company": per_company,
            "discrepancies": selectors.recent_flags(FlagKind.DISCREPANCY, limit=LIST_LIMIT),
            "relistings": selectors.recent_flags(FlagKind.RELISTED, limit=LIST_LIMIT),
        },
    )


def about(request):
    """Public: what CyberSpotterRecheck is, for the platforms that see it in their logs."""
    return render(request, "rechecks/about.html", _context())
