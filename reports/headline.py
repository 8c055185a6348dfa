"""The overview's headline figures: a snapshot counted off the request path.

Counting them is nine ``COUNT … FILTER`` over the whole reports table, a parallel sequential
scan (65 ms at 100k reports, ~450 ms at 1M) that would grow with every report. So pages never
count: they read the last snapshot from the cache (Redis in production, shared by web servers and
workers). ``refresh`` recounts it: Celery beat every HEADLINE_REFRESH_SECONDS
(``reports.tasks.refresh_headline_counts``) and the embedded worker loop (``run_outbox --loop``)
as often. The figures are therefore up to that many seconds old.
Only a cold cache (the first read after a deploy or a cache flush) counts on a request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from spotter.stats import AccuracyEstimate

from .figures import HEADLINE
from .models import Report

# Bump the suffix when the snapshot's fields change, so an old snapshot is never read.
CACHE_KEY = "reports:headline:v1"


def count_now() -> dict:
    """Count the figures from the reports table (the expensive part: never on a request).

    Each number is counted with its figure's own filter (reports.figures), the one the admin's
    list of the reports behind it uses."""
    now = timezone.now()
    return Report.objects.aggregate(
        **{figure.name: Count("id", filter=figure.where({}, now)) for figure in HEADLINE}
    )


def refresh() -> dict:
    """Recount and store the snapshot with the time it was counted (beat task, worker loop)."""
    counts = count_now()
    # No expiry: a stale snapshot is better than a page that counts; refresh replaces it.
    cache.set(CACHE_KEY, (counts, timezone.now()), timeout=None)
    return counts


def refresh_if_due() -> bool:
    """Recount when the snapshot is older than HEADLINE_REFRESH_SECONDS (the worker loop's
    pass is shorter than that)."""
    snapshot = cache.get(CACHE_KEY)
    age = settings.HEADLINE_REFRESH_SECONDS
    if snapshot is not None and (timezone.now() - snapshot[1]).total_seconds() < age:
        return False
    refresh()
    return True


def headline_counts() -> dict:
    """The last snapshot, with its accuracy estimate; counted here only on a cold cache."""
    snapshot = cache.get(CACHE_KEY)
    counts = refresh() if snapshot is None else snapshot[0]
    return {**counts, "accuracy": AccuracyEstimate(counts["confirmed"], counts["rejected"])}
