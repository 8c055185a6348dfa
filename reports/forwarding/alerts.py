"""Operations alerts: problems admins are told about, once, with a link to act.

``check_operations`` (beat task every ``OPS_CHECK_SECONDS``, the embedded outbox loop, and
``manage.py check_operations`` for cron) looks for

- dead letters: deliveries the outbox gave up on, and dead daily digests (one alert each);
- deliveries stuck: pending rows due for longer than ``OPS_STUCK_DELIVERY_SECONDS`` that nobody
  attempted (one alert for the outbox: it is one systemic problem, not hundreds);
- overdue notices: forwarded reports past their company's deadline (one alert per report);
- a silent worker or beat: heartbeats older than ``OPS_HEARTBEAT_STALE_SECONDS``.

Each problem has a key; ``OpsAlert.key`` is unique, so running the check twice, or in two
processes at once, opens one alert. An alert whose problem is gone is resolved; if the problem
comes back the same row is reopened (one conditional UPDATE, so one run wins) and told again.
New alerts are emailed to every active admin after commit, claimed first so no two runs send the
same alert. Alerts never name the volunteer: reference, company, channel and times only.

A check run by the worker cannot notice that the worker is dead, and one scheduled by beat
cannot notice that beat is dead: ``check_heartbeats`` (the heartbeat part alone: one query) also
runs when an admin opens the overview or the alert list, and the management command runs it all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from spotter.audit import record_event
from spotter.languages import user_language
from spotter.models import Role, User
from spotter.siteurl import absolute_url

from .. import fragments
from ..models import (
    AlertKind,
    Channel,
    Delivery,
    DeliveryStatus,
    DigestRun,
    Heartbeat,
    OpsAlert,
    ReportStatus,
)
from .outbox import INDIVIDUAL_CHANNELS
from .sla import overdue_reports

log = logging.getLogger(__name__)

WORKER = "worker"  # the Celery worker, or the embedded outbox loop
BEAT = "beat"
HEARTBEAT_KINDS = (AlertKind.WORKER_DOWN, AlertKind.BEAT_DOWN)
EMAIL_LIST_LIMIT = 20
# reports/fragments.py's scope of what shows the open alerts (the admin badge, the overview).
ALERTS_SCOPE = "alerts"
# The overview checks the heartbeats at most this often (check_heartbeats_now_and_then).
HEARTBEAT_PAGE_CHECK_SECONDS = 30


@dataclass(frozen=True)
class Problem:
    kind: str
    key: str
    link: str
    params: dict = field(default_factory=dict)


@dataclass
class CheckResult:
    opened: list[str] = field(default_factory=list)
    resolved: int = 0


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if moment else ""


# --- finding problems ---------------------------------------------------------------------


def _dead_letters() -> list[Problem]:
    link = reverse("reports:overview") + "#dead-deliveries"
    problems = []
    # Rows carried by a digest die with it: the digest is the one problem (and one retry).
    rows = (
        Delivery.objects.filter(status=DeliveryStatus.DEAD, digest__isnull=True)
        .values_list("pk", "report__reference", "company__name", "channel", "attempts")
        .order_by("pk")
    )
    for pk, reference, company, channel, attempts in rows:
        params = {
            "reference": reference,
            "company": company,
            "channel": channel,
            "attempts": attempts,
        }
        problems.append(Problem(AlertKind.DEAD_LETTER, f"dead_letter:delivery:{pk}", link, params))
    runs = (
        DigestRun.objects.filter(status=DeliveryStatus.DEAD)
        .values_list("pk", "company__name", "date", "attempts")
        .order_by("pk")
    )
    for pk, company, day, attempts in runs:
        params = {"company": company, "date": day.isoformat(), "attempts": attempts}
        problems.append(Problem(AlertKind.DEAD_LETTER, f"dead_letter:digest:{pk}", link, params))
    return problems


def _stuck_deliveries(now: datetime) -> list[Problem]:
    """Pending rows due for longer than a lease plus a re-queue that nobody attempted: the
    sweep or the worker (or the broker) is not doing its job. One alert for the outbox."""
    seconds = settings.OPS_STUCK_DELIVERY_SECONDS
    stuck = Delivery.objects.filter(
        status=DeliveryStatus.PENDING,
        channel__in=INDIVIDUAL_CHANNELS,
        next_attempt_at__lt=now - timedelta(seconds=seconds),
    )
    oldest = stuck.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    if oldest is None:
        return []
    link = reverse("admin:reports_delivery_changelist") + "?status__exact=pending"
    params = {"count": stuck.count(), "oldest": _when(oldest), "minutes": seconds // 60}
    return [Problem(AlertKind.STUCK_DELIVERY, "stuck_delivery:outbox", link, params)]


def _overdue_notices(now: datetime) -> list[Problem]:
    rows = (
        overdue_reports(now)
        .values_list("pk", "reference", "company__name", "status", "ack_due_at", "act_due_at")
        .order_by("pk")
    )
    problems = []
    for pk, reference, company, status, ack_due, act_due in rows:
        late_ack = status == ReportStatus.FORWARDED and ack_due is not None and ack_due < now
        params = {
            "reference": reference,
            "company": company or "",
            "deadline": "ack" if late_ack else "act",
            "due": _when(ack_due if late_ack else act_due),
        }
        link = reverse("reports:detail", args=[reference])
        problems.append(
            Problem(AlertKind.OVERDUE_NOTICE, f"overdue_notice:report:{pk}", link, params)
        )
    return problems


def embedded() -> bool:
    """No broker: the outbox loop (manage.py run_outbox --loop) is the worker and the beat."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


def heartbeats() -> dict[str, Heartbeat]:
    return {beat.name: beat for beat in Heartbeat.objects.all()}


def _heartbeat_problems(now: datetime) -> list[Problem]:
    """Beat publishes the ``heartbeat`` task every minute (that publication is beat's heartbeat)
    and a worker runs it (the worker's). A stale beat means the worker's state is unknown: no
    heartbeat task reaches it either. Never-seen heartbeats are not alerted (fresh install)."""
    stale_after = timedelta(seconds=settings.OPS_HEARTBEAT_STALE_SECONDS)
    beats = heartbeats()
    worker, beat = beats.get(WORKER), beats.get(BEAT)
    link = reverse("reports:ops_alerts") + "#heartbeats"
    params = {"minutes": max(1, settings.OPS_HEARTBEAT_STALE_SECONDS // 60)}
    if not embedded() and beat is not None and beat.seen_at < now - stale_after:
        params["seen"] = _when(beat.seen_at)
        return [Problem(AlertKind.BEAT_DOWN, "beat_down", link, params)]
    if worker is None:
        # A beat that has been publishing for a while without a worker ever answering.
        if embedded() or beat is None or beat.first_seen_at >= now - stale_after:
            return []
        params["seen"] = ""
    elif worker.seen_at < now - stale_after:
        params["seen"] = _when(worker.seen_at)
    else:
        return []
    params["embedded"] = embedded()
    return [Problem(AlertKind.WORKER_DOWN, "worker_down", link, params)]


# --- opening and resolving ----------------------------------------------------------------


def _open(problem: Problem, now: datetime) -> bool:
    """Open the problem's alert, or reopen its resolved one. True only for the one caller that
    did (the unique key and the conditional UPDATE decide between concurrent runs)."""
    alert, created = OpsAlert.objects.get_or_create(
        key=problem.key,
        defaults={
            "kind": problem.kind,
            "params": problem.params,
            "link": problem.link,
            "opened_at": now,
        },
    )
    if created:
        fragments.bump_now_and_on_commit([ALERTS_SCOPE])
        return True
    reopened = bool(
        OpsAlert.objects.filter(pk=alert.pk, resolved_at__isnull=False).update(
            params=problem.params,
            link=problem.link,
            opened_at=now,
            resolved_at=None,
            notified_at=None,
            acknowledged_by=None,
            acknowledged_at=None,
        )
    )
    if reopened:
        fragments.bump_now_and_on_commit([ALERTS_SCOPE])
    return reopened


def _reconcile(kinds, problems: list[Problem], now: datetime, *, notify: bool) -> CheckResult:
    result = CheckResult()
    wanted = {problem.key: problem for problem in problems}
    open_alerts = OpsAlert.objects.filter(kind__in=kinds, resolved_at__isnull=True)
    current = dict(open_alerts.values_list("key", "params"))
    gone = [key for key in current if key not in wanted]
    if gone:
        result.resolved = open_alerts.filter(key__in=gone).update(resolved_at=now)
        fragments.bump_now_and_on_commit([ALERTS_SCOPE])
    for key, problem in wanted.items():
        if key in current:
            if current[key] != problem.params:  # e.g. the number of stuck deliveries
                open_alerts.filter(key=key).update(params=problem.params)
            continue
        if _open(problem, now):
            result.opened.append(key)
    if result.opened:
        log.warning("Operations alerts opened: %s", ", ".join(result.opened[:20]))
    if notify or result.opened:
        transaction.on_commit(send_alert_emails)
    return result


def check_operations(now: datetime | None = None) -> CheckResult:
    """Open an alert for every current problem, resolve the rest, email admins the new ones."""
    now = now or timezone.now()
    problems = [
        *_dead_letters(),
        *_stuck_deliveries(now),
        *_overdue_notices(now),
        *_heartbeat_problems(now),
    ]
    # Always try to tell: also picks up alerts whose email the mail server refused last time.
    return _reconcile(AlertKind.values, problems, now, notify=True)


def check_heartbeats(now: datetime | None = None) -> CheckResult:
    """The worker/beat part alone: cheap enough for the admin pages to run when rendered."""
    now = now or timezone.now()
    return _reconcile(HEARTBEAT_KINDS, _heartbeat_problems(now), now, notify=False)


def check_heartbeats_now_and_then(now: datetime | None = None) -> CheckResult | None:
    """:func:`check_heartbeats` at most once every ``HEARTBEAT_PAGE_CHECK_SECONDS`` across the
    web processes (the overview, read often: two queries each time otherwise). A heartbeat is
    stale only after ``OPS_HEARTBEAT_STALE_SECONDS`` (minutes), so this delays an alert by
    seconds at most. None when the check was skipped."""
    if not cache.add("ops:heartbeats-checked", 1, timeout=HEARTBEAT_PAGE_CHECK_SECONDS):
        return None
    return check_heartbeats(now)


def record_heartbeat(name: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if Heartbeat.objects.filter(name=name).update(seen_at=now):
        return
    try:
        with transaction.atomic():
            Heartbeat.objects.create(name=name, first_seen_at=now, seen_at=now)
    except IntegrityError:  # created meanwhile by another process
        Heartbeat.objects.filter(name=name).update(seen_at=now)


# --- telling admins -----------------------------------------------------------------------


def describe(alert: OpsAlert) -> tuple[str, str]:
    """(title, detail) in the active language, written from the alert's params."""
    p = dict(alert.params)
    kind = alert.kind
    if kind == AlertKind.DEAD_LETTER and "date" in p:
        return (
            _("Dead letter: daily digest of %(date)s to %(company)s") % p,
            _(
                "The outbox gave up on the digest email after %(attempts)s attempt(s). Fix the "
                "cause, then retry it on the overview."
            )
            % p,
        )
    if kind == AlertKind.DEAD_LETTER:
        p["channel"] = (
            Channel(p["channel"]).label if p["channel"] in Channel.values else p["channel"]
        )
        return (
            _("Dead letter: %(channel)s of %(reference)s to %(company)s") % p,
            _(
                "The outbox gave up after %(attempts)s attempt(s). Fix the cause, then "
                "retry it on the overview."
            )
            % p,
        )
    if kind == AlertKind.STUCK_DELIVERY:
        title = ngettext(
            "%(count)s delivery stuck in the outbox",
            "%(count)s deliveries stuck in the outbox",
            p["count"],
        )
        return (
            title % p,
            _(
                "Due for more than %(minutes)s minutes without an attempt (the oldest "
                "since %(oldest)s UTC): the outbox worker, its scheduler or the broker "
                "is not working."
            )
            % p,
        )
    if kind == AlertKind.OVERDUE_NOTICE:
        if p["deadline"] == "ack":
            detail = _("Not acknowledged by the deadline (%(due)s UTC).")
        else:
            detail = _("No outcome recorded by the deadline (%(due)s UTC).")
        return _("Overdue at %(company)s: %(reference)s") % p, detail % p
    if kind == AlertKind.BEAT_DOWN:
        return (
            _("The Celery beat scheduler is not running"),
            _(
                "Beat last scheduled the heartbeat at %(seen)s UTC (more than "
                "%(minutes)s minutes ago): the outbox sweep, SLA checks, digests and "
                "these checks stop. The worker's heartbeat comes from beat, so the "
                "worker's state is unknown. Start one celery -A spotter beat."
            )
            % p,
        )
    if p.get("embedded"):
        detail = _(
            "The outbox loop (manage.py run_outbox --loop) has not reported for "
            "more than %(minutes)s minutes (last seen %(seen)s UTC): retries, SLA "
            "escalations, digests and these checks are not running. Start it again."
        )
    elif p.get("seen"):
        detail = _(
            "No Celery worker has run the heartbeat task for more than %(minutes)s "
            "minutes (last at %(seen)s UTC) although beat schedules it: deliveries, "
            "escalations and digests wait. Check celery -A spotter worker."
        )
    else:
        detail = _(
            "Beat schedules the heartbeat task but no Celery worker has ever run "
            "it: deliveries, escalations and digests wait. Start celery -A spotter "
            "worker."
        )
    return _("The outbox worker is not running"), detail % p


def _email_for(admin: User, alerts: list[OpsAlert]) -> EmailMessage:
    with translation.override(user_language(admin)):
        shown = [
            {"title": title, "detail": detail, "url": absolute_url(alert.link)}
            for alert in alerts[:EMAIL_LIST_LIMIT]
            for title, detail in [describe(alert)]
        ]
        context = {
            "alerts": shown,
            "count": len(alerts),
            "more": len(alerts) - len(shown),
            "list_url": absolute_url(reverse("reports:ops_alerts")),
        }
        subject = render_to_string("reports/email/ops_alert_subject.txt", context)
        body = render_to_string("reports/email/ops_alert.txt", context)
    subject = " ".join(subject.split())
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [admin.email])


def send_alert_emails(now: datetime | None = None) -> int:
    """Email every active admin the open alerts nobody was told about yet: one email per admin
    per run, listing them. Alerts are claimed (``notified_at``) before sending, so concurrent
    runs never tell the same alert twice; if the mail server refuses, the claim is released and
    the next check tries again. Returns the number of alerts told."""
    now = now or timezone.now()
    with transaction.atomic():
        alerts = list(
            OpsAlert.objects.select_for_update(skip_locked=True)
            .filter(resolved_at__isnull=True, notified_at__isnull=True)
            .order_by("opened_at", "pk")
        )
        ids = [alert.pk for alert in alerts]
        OpsAlert.objects.filter(pk__in=ids).update(notified_at=now)
    if not alerts:
        return 0
    admins = User.objects.filter(role=Role.ADMIN, is_active=True).exclude(email="")
    try:
        get_connection().send_messages([_email_for(admin, alerts) for admin in admins])
    except Exception:  # noqa: BLE001 — mail down: keep the alerts for the next check
        log.warning("Could not email %d operations alert(s); will retry.", len(ids), exc_info=True)
        OpsAlert.objects.filter(pk__in=ids, notified_at=now).update(notified_at=None)
        return 0
    return len(alerts)


# --- the in-app list ----------------------------------------------------------------------


def open_alert_count() -> int:
    """Open alerts nobody has acknowledged (the header badge): one COUNT on a partial index."""
    return OpsAlert.objects.filter(resolved_at__isnull=True, acknowledged_at__isnull=True).count()


def open_alert_count_cached() -> int:
    """:func:`open_alert_count` kept in the cache under the ``alerts`` version, which every
    opening, reopening, resolution and acknowledgement in this module moves (reports/fragments.py;
    an edit in /admin shows after PAGE_FRAGMENT_SECONDS). The badge of every admin page."""
    return fragments.cached_fragment("ops-alert-count", [ALERTS_SCOPE], [], open_alert_count)


def acknowledge_alert(*, alert_id: int, actor: User) -> tuple[OpsAlert | None, bool]:
    """An admin takes the alert on. Returns (alert or None if unknown, whether it changed)."""
    with transaction.atomic():
        alert = OpsAlert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None or alert.acknowledged_at is not None:
            return alert, False
        alert.acknowledged_by = actor
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
        fragments.bump_now_and_on_commit([ALERTS_SCOPE])
        record_event(
            actor=actor,
            action="ops_alert.acknowledged",
            target=alert,
            data={"key": alert.key, "kind": alert.kind},
        )
    return alert, True
