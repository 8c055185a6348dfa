"""Operations alerts: each problem opens one alert and one email (however often the check runs),
resolves when gone, reaches only admins, and links to where to act
(reports/forwarding/alerts.py)."""

import os
import threading
import warnings
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from reports import forwarding, services, tasks
from reports.forwarding import alerts
from reports.models import (
    AlertKind,
    Channel,
    Delivery,
    DeliveryStatus,
    DigestRun,
    Heartbeat,
    OpsAlert,
    Report,
)
from spotter.celery import app
from spotter.languages import user_language
from spotter.models import AuditEvent, Role
from tests import factories

from .helpers import Reply, confirmed, delivery_of

pytestmark = pytest.mark.django_db

THREADS = 6


@pytest.fixture
def admins(db):
    return [
        factories.make_user(Role.ADMIN, email="ada.ops@example.org"),
        factories.make_user(Role.ADMIN, email="bo.ops@example.org", languages="fr, en"),
        factories.make_user(Role.ADMIN, email="gone.ops@example.org", is_active=False),
    ]


@pytest.fixture
def check(django_capture_on_commit_callbacks):
    """Run the whole check as beat / cron / the outbox loop would, emails after commit."""

    def run(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return alerts.check_operations(now)

    return run


def alert_emails():
    return [m for m in mail.outbox if "alert" in m.subject.lower()]


def assert_told_once(key, admins):
    """One alert with that key, one email to each active admin naming it, nothing else."""
    assert OpsAlert.objects.filter(key=key).count() == 1
    sent = alert_emails()
    assert sorted(m.to[0] for m in sent) == ["ada.ops@example.org", "bo.ops@example.org"]
    alert = OpsAlert.objects.get(key=key)
    for message in sent:
        assert alert.link in message.body and message.body.count("http://") == 2
    return alert


def assert_no_identity(report, *texts):
    volunteer = report.volunteer
    for text in texts:
        for secret in (volunteer.email, volunteer.display_name, volunteer.pseudonym):
            assert secret not in text


# --- each kind: one alert, one email, resolved when gone --------------------------------------


@pytest.fixture
def dead(hook_company, receiver, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    receiver.respond = Reply(500)
    delivery = delivery_of(confirmed(), Channel.WEBHOOK)
    assert forwarding.attempt_delivery(delivery.pk) == DeliveryStatus.DEAD
    mail.outbox.clear()
    return delivery


def test_dead_letter_told_once_and_resolved_after_retry(
    dead, admins, check, receiver, client_for, django_capture_on_commit_callbacks
):
    first = check()
    second = check()
    key = f"dead_letter:delivery:{dead.pk}"
    assert first.opened == [key] and second.opened == []
    alert = assert_told_once(key, admins)
    assert alert.kind == AlertKind.DEAD_LETTER and alert.notified_at is not None
    [message] = [m for m in alert_emails() if m.to == ["ada.ops@example.org"]]
    assert dead.report.reference in message.subject and "HookMarket" in message.subject
    assert "http://127.0.0.1:8000/overview/#dead-deliveries" in message.body
    page = client_for(admins[0]).get(reverse("reports:ops_alerts")).content.decode()
    assert dead.report.reference in page and "Signed webhook" in page
    assert_no_identity(dead.report, message.subject, message.body, page)

    receiver.respond = Reply(200)
    with django_capture_on_commit_callbacks(execute=True):
        forwarding.retry_dead_delivery(delivery=dead, actor=admins[0])  # sent on commit
    assert check().resolved == 1
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    assert len(alert_emails()) == 2  # resolving tells nobody


def test_dead_letter_that_dies_again_is_reopened_and_told_again(dead, admins, check, receiver):
    check()
    Delivery.objects.filter(pk=dead.pk).update(status=DeliveryStatus.PENDING)
    check()
    assert OpsAlert.objects.get().resolved_at is not None
    Delivery.objects.filter(pk=dead.pk).update(status=DeliveryStatus.DEAD)
    assert check().opened == [f"dead_letter:delivery:{dead.pk}"]
    alert = OpsAlert.objects.get()
    assert alert.resolved_at is None and len(alert_emails()) == 4


def test_a_dead_digest_is_one_alert_not_one_per_report(company, admins, check):
    run = DigestRun.objects.create(
        company=company,
        date=timezone.now().date(),
        idempotency_key="msg_digest_dead",
        status=DeliveryStatus.DEAD,
        attempts=12,
    )
    for _ in range(3):
        report = confirmed("example-shop.com")
        Delivery.objects.create(
            report=report,
            company=company,
            channel=Channel.DIGEST,
            idempotency_key=forwarding.new_key(),
            status=DeliveryStatus.DEAD,
            digest=run,
        )
    Delivery.objects.exclude(channel=Channel.DIGEST).update(status=DeliveryStatus.SENT)
    check()
    check()
    assert list(OpsAlert.objects.values_list("key", flat=True)) == [f"dead_letter:digest:{run.pk}"]
    assert_told_once(f"dead_letter:digest:{run.pk}", admins)


def test_deliveries_stuck_past_their_lease(
    hook_company, receiver, admins, check, settings, client_for
):
    # A worker claimed the row (lease) and died; nothing picked it up long after the lease.
    delivery = delivery_of(confirmed(), Channel.WEBHOOK)
    assert forwarding.claim_attempt(Delivery, delivery.pk) is not None
    long_ago = timezone.now() - timedelta(seconds=settings.OPS_STUCK_DELIVERY_SECONDS + 60)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=long_ago)
    assert check().opened == ["stuck_delivery:outbox"]
    # A second stuck row is the same problem: the alert's count follows, nobody is emailed again.
    other = delivery_of(confirmed(), Channel.WEBHOOK)
    Delivery.objects.filter(pk=other.pk).update(next_attempt_at=long_ago)
    assert check().opened == []
    alert = assert_told_once("stuck_delivery:outbox", admins)
    assert alert.kind == AlertKind.STUCK_DELIVERY and alert.params["count"] == 2
    page = client_for(admins[0]).get(reverse("reports:ops_alerts")).content.decode()
    assert "2 deliveries stuck in the outbox" in page

    receiver.respond = Reply(200)
    assert forwarding.drain_due() == 2  # the outbox runs again
    assert check().resolved == 1
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_a_delivery_merely_waiting_for_its_retry_is_not_stuck(hook_company, admins, check):
    delivery = delivery_of(confirmed(), Channel.WEBHOOK)
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=3, next_attempt_at=timezone.now() + timedelta(hours=2)
    )
    assert check().opened == []


@pytest.fixture
def portal_company(db):
    """A company reached through the portal only: no email or webhook rows to get stuck."""
    return factories.make_company(
        slug="portalonly", name="Portal'Only", domains=("portal-only.com",), notify_by_email=False
    )


def test_overdue_notice_told_once_and_resolved_when_acknowledged(
    portal_company, admins, check, client_for
):
    report = Report.objects.get(pk=confirmed("portal-only.com").pk)
    late = report.ack_due_at + timedelta(minutes=5)
    check(late)
    check(late + timedelta(minutes=2))
    alert = assert_told_once(f"overdue_notice:report:{report.pk}", admins)
    assert alert.kind == AlertKind.OVERDUE_NOTICE and alert.link == reverse(
        "reports:detail", args=[report.reference]
    )
    [message] = [m for m in alert_emails() if m.to == ["ada.ops@example.org"]]
    assert f"Overdue at Portal'Only: {report.reference}" in message.subject  # not &#x27;
    assert "Not acknowledged by the deadline" in message.body
    assert_no_identity(report, message.subject, message.body)

    staff = factories.make_user(Role.COMPANY_STAFF, company=portal_company)
    services.acknowledge_report(report=report, staff=staff)
    assert check(late + timedelta(minutes=10)).resolved == 1
    # Acknowledged but past the deadline to act: a new problem, told again.
    report.refresh_from_db()
    check(report.act_due_at + timedelta(minutes=5))
    alert.refresh_from_db()
    assert alert.resolved_at is None and alert.params["deadline"] == "act"
    assert len(alert_emails()) == 4


def test_one_email_per_admin_per_run_lists_all_new_alerts(dead, portal_company, admins, check):
    report = Report.objects.get(pk=confirmed("portal-only.com").pk)
    check(report.ack_due_at + timedelta(minutes=1))
    assert OpsAlert.objects.count() >= 2
    sent = alert_emails()
    # One email per admin, in the admin's language, counting every new alert of the run.
    count = OpsAlert.objects.count()
    assert len(sent) == 2 and all(m.subject.startswith(f"[Cyber Spotter] {count} ") for m in sent)
    assert all(dead.report.reference in m.body and report.reference in m.body for m in sent)


def test_no_email_is_lost_when_the_mail_server_is_down(dead, admins, check, failing_smtp):
    check()
    alert = OpsAlert.objects.get()
    assert alert.notified_at is None and mail.outbox == []  # not claimed: told next time
    failing_smtp.failing = False
    check()
    check()
    alert.refresh_from_db()
    assert alert.notified_at is not None and len(alert_emails()) == 2


def test_two_checks_racing_open_one_alert():
    problem = alerts.Problem(AlertKind.DEAD_LETTER, "dead_letter:delivery:1", "/overview/")
    now = timezone.now()
    assert alerts._open(problem, now) is True
    assert alerts._open(problem, now) is False  # the unique key: the second insert finds it
    OpsAlert.objects.update(resolved_at=now)
    assert [alerts._open(problem, now), alerts._open(problem, now)] == [True, False]


# --- heartbeats -------------------------------------------------------------------------------


def stale():
    return timezone.now() - timedelta(minutes=10)


def test_stale_outbox_loop_opens_worker_down_and_fresh_one_resolves_it(admins, check):
    alerts.record_heartbeat(alerts.WORKER, stale())
    assert check().opened == ["worker_down"]
    assert check().opened == []
    alert = assert_told_once("worker_down", admins)
    assert alert.kind == AlertKind.WORKER_DOWN
    assert "run_outbox --loop" in alert_emails()[0].body  # embedded: the loop is the worker
    alerts.record_heartbeat(alerts.WORKER)
    assert check().resolved == 1


def test_never_seen_heartbeats_are_not_alerted(admins, check):
    assert check().opened == []


def test_production_worker_down_while_beat_keeps_scheduling(admins, check, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    alerts.record_heartbeat(alerts.BEAT)
    alerts.record_heartbeat(alerts.WORKER, stale())
    assert check().opened == ["worker_down"]
    assert "celery -A spotter worker" in alert_emails()[0].body


def test_production_beat_down_is_one_alert(admins, check, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    alerts.record_heartbeat(alerts.BEAT, stale())
    alerts.record_heartbeat(alerts.WORKER, stale())  # it only hears from beat: unknown
    assert check().opened == ["beat_down"]
    assert_told_once("beat_down", admins)


def test_production_worker_that_never_answered_a_running_beat(admins, check, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    alerts.record_heartbeat(alerts.BEAT)  # beat just started: give the worker time
    assert check().opened == []
    Heartbeat.objects.filter(name=alerts.BEAT).update(first_seen_at=stale())
    assert check().opened == ["worker_down"]
    assert "has ever run it" in alert_emails()[0].body


def test_the_admin_pages_notice_a_dead_worker_the_worker_cannot(
    admins, client_for, django_capture_on_commit_callbacks
):
    alerts.record_heartbeat(alerts.WORKER, stale())
    client = client_for(admins[0])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(reverse("reports:overview")).content.decode()
    assert OpsAlert.objects.get().key == "worker_down"
    assert len(alert_emails()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(reverse("reports:ops_alerts")).content.decode()
    assert "The outbox worker is not running" in page and len(alert_emails()) == 2
    alerts.record_heartbeat(alerts.WORKER)
    client.get(reverse("reports:ops_alerts"))
    assert OpsAlert.objects.get().resolved_at is not None


def test_celery_heartbeat_task_and_beat_publication(settings):
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reports.tasks.heartbeat", "reports.tasks.check_operations"} <= entries
    tasks.heartbeat.delay()  # the worker runs it
    assert set(alerts.heartbeats()) == {alerts.WORKER}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "task_always_eager ignored": we want the publish
        app.send_task("reports.tasks.heartbeat")  # what beat does every minute
    assert set(alerts.heartbeats()) == {alerts.WORKER, alerts.BEAT}


def test_outbox_loop_writes_the_heartbeat_and_runs_the_check(dead, admins):
    call_command("run_outbox")
    assert alerts.WORKER in alerts.heartbeats()
    assert OpsAlert.objects.filter(key=f"dead_letter:delivery:{dead.pk}").exists()


def test_management_command_for_cron(dead, admins, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("check_operations")
    assert OpsAlert.objects.filter(kind=AlertKind.DEAD_LETTER).count() == 1
    assert len(alert_emails()) == 2


# --- in-app: who sees, who acknowledges, the links work -----------------------------------------


@pytest.fixture
def every_kind(dead, portal_company, admins, check):
    report = Report.objects.get(pk=confirmed("portal-only.com").pk)
    Delivery.objects.filter(pk=dead.pk).update(status=DeliveryStatus.DEAD)
    stuck = delivery_of(confirmed(), Channel.WEBHOOK)
    Delivery.objects.filter(pk=stuck.pk).update(next_attempt_at=timezone.now() - timedelta(days=1))
    alerts.record_heartbeat(alerts.WORKER, stale())
    check(report.ack_due_at + timedelta(minutes=1))
    return OpsAlert.objects.all()


def test_every_link_takes_an_admin_to_where_to_act(every_kind, admins, client_for):
    kinds = {alert.kind for alert in every_kind}
    assert kinds == {"dead_letter", "stuck_delivery", "overdue_notice", "worker_down"}
    client = client_for(admins[0])
    for alert in every_kind:
        assert alert.link.startswith("/")
        assert client.get(alert.link).status_code == 200, alert.link
    page = client.get(reverse("reports:ops_alerts")).content.decode()
    for alert in every_kind:
        assert f'href="{alert.link.replace("&", "&amp;")}"' in page


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.EXPERT, Role.COMPANY_STAFF])
def test_only_admins_see_or_acknowledge_alerts(every_kind, role, company, client_for, client):
    user = factories.make_user(role, company=company if role == Role.COMPANY_STAFF else None)
    other = client_for(user)
    alert = every_kind.first()
    assert other.get(reverse("reports:ops_alerts")).status_code == 403
    url = reverse("reports:acknowledge_alert")
    assert other.post(url, {"alert": alert.pk}).status_code == 403
    anon = client.post(url, {"alert": alert.pk})
    assert anon.status_code == 302 and "/accounts/login/" in anon["Location"]
    assert "ops/alerts" not in other.get(reverse("profile")).content.decode()
    assert not OpsAlert.objects.filter(acknowledged_at__isnull=False).exists()


def test_acknowledge_and_the_header_count(every_kind, admins, client_for):
    client = client_for(admins[0])
    open_count = every_kind.count()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("profile")).content.decode()
    assert f'<span class="badge overdue">{open_count}</span>' in page
    assert sum("reports_opsalert" in q["sql"] for q in queries.captured_queries) == 1

    alert = every_kind.get(kind=AlertKind.DEAD_LETTER)
    response = client.post(reverse("reports:acknowledge_alert"), {"alert": alert.pk})
    assert response.status_code == 302 and response["Location"] == reverse("reports:ops_alerts")
    alert.refresh_from_db()
    assert alert.acknowledged_by == admins[0] and alert.acknowledged_at is not None
    assert alert.resolved_at is None  # still a problem: acknowledged means someone is on it
    event = AuditEvent.objects.get(action="ops_alert.acknowledged")
    assert event.actor == admins[0] and event.object_id == str(alert.pk)
    page = client.get(reverse("profile")).content.decode()
    assert f'<span class="badge overdue">{open_count - 1}</span>' in page
    # Twice is harmless.
    client.post(reverse("reports:acknowledge_alert"), {"alert": alert.pk})
    assert AuditEvent.objects.filter(action="ops_alert.acknowledged").count() == 1


@pytest.mark.parametrize("value", ["", "abc", "-1", "9" * 40, "999999"])
def test_acknowledge_bad_input_is_a_clear_message(admins, client_for, value):
    client = client_for(admins[0])
    response = client.post(reverse("reports:acknowledge_alert"), {"alert": value}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choose an alert to acknowledge." in text or "That alert does not exist." in text


def test_admin_language_from_profile():
    assert user_language(factories.make_user(Role.ADMIN, languages="fr, en")) == "fr"
    assert user_language(factories.make_user(Role.ADMIN, languages="sw, zh")) == "zh-hans"
    assert user_language(factories.make_user(Role.ADMIN)) == "en"


# --- on PostgreSQL: checks racing in several processes -----------------------------------------


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("production tests must run on PostgreSQL (see Makefile PROD_ENV)")
        pytest.skip("needs PostgreSQL: run with the Makefile's PROD_ENV")


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_concurrent_checks_open_each_alert_once_and_tell_it_once(postgresql, admins):
    company = factories.make_company(
        slug="portalonly", name="PortalOnly", domains=("portal-only.com",), notify_by_email=False
    )
    reports = [confirmed("portal-only.com") for _ in range(5)]
    alerts.record_heartbeat(alerts.WORKER, stale())
    later = Report.objects.filter(company=company).latest("ack_due_at").ack_due_at
    mail.outbox.clear()
    barrier = threading.Barrier(THREADS)
    errors = []

    def run():
        try:
            barrier.wait(timeout=30)
            alerts.check_operations(later + timedelta(minutes=1))
        except Exception as exc:  # re-raised in the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert OpsAlert.objects.count() == 6
    assert not OpsAlert.objects.filter(notified_at__isnull=True).exists()
    for admin in admins[:2]:
        bodies = "".join(m.body for m in alert_emails() if m.to == [admin.email])
        for report in reports:
            assert bodies.count(f": {report.reference}") == 1, report.reference
        # Each admin reads the alert in their own language (the second one in French).
        with translation.override(user_language(admin)):
            worker_down = gettext("The outbox worker is not running")
        assert bodies.count(worker_down) == 1
