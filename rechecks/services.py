"""Every change rechecks makes: scheduling checks, claiming due ones, recording what a check
found, and raising flags (discrepancy, relisted). Each lock → check → save → audit event.

The fetch itself (``rechecks.fetch``) runs between :func:`claim_due_checks` and
:func:`record_check`, outside any transaction: a slow platform never holds a row lock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reports.models import Outcome, Report
from spotter.audit import record_event

from . import signals
from .classify import Verdict
from .fetch import DOMAIN_INTERVAL_SECONDS, Fetched
from .models import (
    DISCREPANCY_FROM_HOURS,
    STAGES,
    CheckStatus,
    FlagKind,
    ListingCheck,
    TakedownFlag,
)
from .pagetext import snapshot

LEASE = timedelta(minutes=10)
# The outcomes by which a company says the listing is no longer online.
GONE_OUTCOMES = (Outcome.REMOVED, Outcome.ALREADY_GONE)

# Audit actions (also the timeline's sentences: rechecks.receivers registers them).
CHECKED = {
    CheckStatus.LIVE: "recheck.live",
    CheckStatus.REMOVED: "recheck.removed",
    CheckStatus.UNKNOWN: "recheck.unknown",
}
FLAGGED = {FlagKind.DISCREPANCY: "recheck.discrepancy", FlagKind.RELISTED: "recheck.relisted"}


def schedule_checks(*, report: Report, start: datetime) -> int:
    """Checks at 24 h, 72 h and 7 days after ``start``; checks not yet run move to the new
    start (an outcome recorded after forwarding restarts the clock). Runs inside the report's
    transition (a ``report_changed`` receiver). Returns how many checks were created."""
    existing = dict(ListingCheck.objects.filter(report=report).values_list("stage_hours", "status"))
    for stage in STAGES:
        if existing.get(stage) == CheckStatus.PENDING:
            ListingCheck.objects.filter(
                report=report, stage_hours=stage, status=CheckStatus.PENDING
            ).update(due_at=start + timedelta(hours=stage), claimed_until=None)
    new = [
        ListingCheck(
            report=report,
            stage_hours=stage,
            due_at=start + timedelta(hours=stage),
            url=report.listing_url,
        )
        for stage in STAGES
        if stage not in existing
    ]
    ListingCheck.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def claim_due_checks(*, limit: int = 50, now: datetime | None = None) -> list[int]:
    """Hold up to ``limit`` due checks for this worker (rows other workers hold are skipped)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            ListingCheck.objects.select_for_update(skip_locked=True)
            .filter(status=CheckStatus.PENDING, due_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("due_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        ListingCheck.objects.filter(pk__in=ids).update(claimed_until=now + LEASE)
    return ids


def defer_check(*, check_id: int) -> None:
    """The domain was fetched moments ago (rate limit): try again after the interval."""
    with transaction.atomic():
        check = ListingCheck.objects.select_for_update().filter(pk=check_id).first()
        if check is None or check.status != CheckStatus.PENDING:
            return
        check.due_at = timezone.now() + timedelta(seconds=DOMAIN_INTERVAL_SECONDS)
        check.claimed_until = None
        check.deferrals += 1
        check.save(update_fields=["due_at", "claimed_until", "deferrals"])


def _summary(check: ListingCheck) -> str:
    status = f"HTTP {check.http_status}" if check.http_status else "no response"
    return f"{check.rule} · {status} · {check.final_url}"[:500]


def record_check(*, check_id: int, fetched: Fetched, verdict: Verdict) -> ListingCheck | None:
    """Store what the check found; flag a discrepancy or a relisting. Idempotent: a check
    already recorded is left as it is (returns None)."""
    with transaction.atomic():
        check = (
            ListingCheck.objects.select_for_update(of=("self",))
            .select_related("report")
            .filter(pk=check_id)
            .first()
        )
        if check is None or check.status != CheckStatus.PENDING:
            return None
        check.status = verdict.status
        check.checked_at = timezone.now()
        check.claimed_until = None
        check.final_url = fetched.final_url[:2000]
        check.http_status = fetched.http_status
        check.content_sha256 = fetched.sha256
        check.snapshot = snapshot(verdict.text)
        check.rule = verdict.rule[:120]
        check.save(
            update_fields=[
                "status",
                "checked_at",
                "claimed_until",
                "final_url",
                "http_status",
                "content_sha256",
                "snapshot",
                "rule",
            ]
        )
        report = check.report
        record_event(
            actor=None,
            action=CHECKED[verdict.status],
            target=report,
            reason=_summary(check),
            data={
                "stage_hours": check.stage_hours,
                "status": check.status,
                "http_status": check.http_status,
                "final_url": check.final_url,
                "sha256": check.content_sha256,
                "rule": check.rule,
            },
        )
        if check.status == CheckStatus.LIVE:
            if _said_gone_long_ago(report, check):
                raise_flag(kind=FlagKind.DISCREPANCY, report=report, listing_check=check)
            if report.listing_checks.filter(
                status=CheckStatus.REMOVED, stage_hours__lt=check.stage_hours
            ).exists():
                raise_flag(
                    kind=FlagKind.RELISTED,
                    report=report,
                    listing_check=check,
                    dedupe=f"relisted:{report.pk}:live-again",
                )
    return check


def _said_gone_long_ago(report: Report, check: ListingCheck) -> bool:
    """The company said the listing is gone, and this check ran 72 h or more after that."""
    if report.outcome not in GONE_OUTCOMES or report.outcome_at is None:
        return False
    return check.due_at - report.outcome_at >= timedelta(hours=DISCREPANCY_FROM_HOURS)


def raise_flag(
    *,
    kind: str,
    report: Report,
    listing_check: ListingCheck | None = None,
    related_report: Report | None = None,
    dedupe: str = "",
) -> TakedownFlag | None:
    """Raise a flag once (``dedupe`` names it; by default one per kind and report): audit event
    on the report, then ``takedown_flagged``. Must run inside the caller's transaction."""
    flag, created = TakedownFlag.objects.get_or_create(
        dedupe_key=(dedupe or f"{kind}:{report.pk}")[:80],
        defaults={
            "kind": kind,
            "report": report,
            "company_id": report.company_id,
            "listing_check": listing_check,
            "related_report": related_report,
        },
    )
    if not created:
        return None
    record_event(
        actor=None,
        action=FLAGGED[kind],
        target=report,
        reason=related_report.reference if related_report else "",
        data={"related": related_report.reference if related_report else ""},
    )
    signals.takedown_flagged.send(sender=TakedownFlag, flag=flag)
    return flag


def flag_relisting(*, report: Report) -> TakedownFlag | None:
    """A new report of a listing that an earlier report got removed: link the two."""
    same_listing = (
        Q(listing_key=report.listing_key)
        if report.listing_key
        else Q(normalized_url=report.normalized_url)
    )
    earlier = (
        Report.objects.filter(same_listing)
        .exclude(pk=report.pk)
        .filter(Q(outcome__in=GONE_OUTCOMES) | Q(listing_checks__status=CheckStatus.REMOVED))
        .order_by("-submitted_at")
        .first()
    )
    if earlier is None:
        return None
    return raise_flag(
        kind=FlagKind.RELISTED,
        report=report,
        related_report=earlier,
        dedupe=f"relisted:{report.pk}:{earlier.pk}",
    )
