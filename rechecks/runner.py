"""One takedown check from start to end, as a worker runs it (never the web process)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from . import services
from .classify import classify, removed_redirect
from .fetch import enabled, fetch, take_domain_slot
from .models import CheckStatus, ListingCheck

log = logging.getLogger(__name__)
OFF, GONE, DEFERRED = "off", "gone", "deferred"


def run_check(check_id: int) -> str:
    """Fetch, classify and record one check; returns its status (or off / gone / deferred)."""
    if not enabled():
        return OFF
    check = (
        ListingCheck.objects.select_related("report")
        .filter(pk=check_id, status=CheckStatus.PENDING)
        .first()
    )
    if check is None:
        return GONE  # recorded meanwhile, or the report was deleted
    domain = check.report.domain or urlsplit(check.url).hostname or ""
    if not take_domain_slot(domain):
        services.defer_check(check_id=check_id)
        return DEFERRED
    fetched = fetch(check.url, stop=lambda here, there: bool(removed_redirect(here, there)))
    verdict = classify(fetched)
    services.record_check(check_id=check_id, fetched=fetched, verdict=verdict)
    log.info(
        "Takedown check %s of report %s: %s (%s)",
        check_id,
        check.report.reference,
        verdict.status,
        verdict.rule,
    )
    return verdict.status
