"""Confirmed reports with no company and no partner route: "waiting with no route".

The list reads the reports' partial index of confirmed non-member reports
(``report_non_member_waiting``) and is bounded; the number on the overview is a snapshot the
sweep (beat, or the embedded loop) refreshes into the cache — never counted on a request except
once on a cold cache, and then capped at COUNT_CAP.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from reports.models import Report, ReportStatus

CACHE_KEY = "referrals:unrouted:v1"
COUNT_CAP = 1000


def unrouted_reports() -> QuerySet[Report]:
    return Report.objects.filter(
        Q(routing__isnull=True) | Q(routing__routes=0),
        status=ReportStatus.CONFIRMED,
        company__isnull=True,
    ).order_by("decided_at", "pk")


def count_now() -> int:
    """Capped: the number is a signal for admins, past COUNT_CAP it reads "1000+"."""
    # Unordered, so the capped count stops at COUNT_CAP rows instead of sorting every waiting
    # report first (669 ms with 113k of them at 1M reports; EXPLAIN in docs/benchmarks.md).
    return unrouted_reports().order_by().values("pk")[:COUNT_CAP].count()


def refresh_count() -> int:
    count = count_now()
    cache.set(CACHE_KEY, (count, timezone.now()), timeout=None)
    return count


def snapshot() -> tuple | None:
    """The last (number, when) the sweep counted, or None on a cold cache."""
    return cache.get(CACHE_KEY)


def unrouted_count(oldest: list[Report] | None = None, shown: int = 0) -> tuple[int, bool]:
    """(number, capped) from the last snapshot. On a cold cache, ``oldest`` (the page's own
    list of the first ``shown`` waiting reports, already read) is the exact number when it is
    shorter than ``shown``; only otherwise is the capped count run here, once."""
    snapshot = cache.get(CACHE_KEY)
    if snapshot is not None:
        count = snapshot[0]
    elif oldest is not None and len(oldest) < shown:
        count = len(oldest)
        cache.set(CACHE_KEY, (count, timezone.now()), timeout=None)
    else:
        count = refresh_count()
    return count, count >= COUNT_CAP
