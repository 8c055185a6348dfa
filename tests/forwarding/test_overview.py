"""Admins see dead deliveries with a one-click retry, overdue reports and non-member reports."""

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import forwarding, headline, tasks
from reports.models import Channel, Delivery, DeliveryStatus
from spotter.models import AuditEvent, Role
from tests import factories

from .helpers import Reply, confirmed, delivery_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead(hook_company, receiver, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    receiver.respond = Reply(500, headers={})
    delivery = delivery_of(confirmed(), Channel.WEBHOOK)
    assert forwarding.attempt_delivery(delivery.pk) == DeliveryStatus.DEAD
    return delivery


def test_dead_delivery_listed_with_retry_button(dead, admin_user, client_for):
    page = client_for(admin_user).get(reverse("reports:overview")).content.decode()
    section = page[page.index('id="dead-deliveries"') :].split("</section>")[0]
    assert dead.report.reference in section and "HTTP 500" in section
    assert reverse("reports:retry_delivery", args=[dead.pk]) in section
    assert 'method="post"' in section and "csrfmiddlewaretoken" in section


def test_one_click_retry_sends_again(
    dead, admin_user, client_for, receiver, django_capture_on_commit_callbacks
):
    receiver.respond = Reply(200)
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry_delivery", args=[dead.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("reports:overview")
    dead.refresh_from_db()
    assert dead.status == DeliveryStatus.SENT  # embedded: first attempt after commit
    assert AuditEvent.objects.get(action="delivery.retried").actor == admin_user
    assert {r.webhook_id for r in receiver.snapshot()} == {dead.idempotency_key}
    page = client.get(reverse("reports:overview")).content.decode()
    assert "queued again" in page


def test_retry_is_admin_only_and_post_only(dead, client_for):
    url = reverse("reports:retry_delivery", args=[dead.pk])
    for role in (Role.EXPERT, Role.VOLUNTEER):
        assert client_for(factories.make_user(role)).post(url).status_code == 403
    admin = client_for(factories.make_user(Role.ADMIN))
    assert admin.get(url).status_code == 405
    assert admin.post(reverse("reports:retry_delivery", args=[999999])).status_code == 404
    dead.refresh_from_db()
    assert dead.status == DeliveryStatus.DEAD


def test_retry_of_a_delivery_that_is_not_dead_is_refused_politely(
    hook_company, admin_user, client_for
):
    delivery = delivery_of(confirmed(), Channel.WEBHOOK)
    client = client_for(admin_user)
    response = client.post(reverse("reports:retry_delivery", args=[delivery.pk]), follow=True)
    assert "not dead" in response.content.decode()
    assert Delivery.objects.get(pk=delivery.pk).attempts == 0


def test_non_member_reports_counted_and_listed(company, admin_user, client_for):
    report = confirmed("unknown-bazaar.net")
    page = client_for(admin_user).get(reverse("reports:overview")).content.decode()
    section = page[page.index('id="non-member"') :].split("</section>")[0]
    assert report.reference in section and "(1)" in section


def test_overview_is_admin_only(client_for, expert):
    assert client_for(expert).get(reverse("reports:overview")).status_code == 403


def test_headline_figures_are_a_snapshot_recounted_off_the_request_path(
    company, admin_user, client_for, settings
):
    """The page reads the last count; beat / the worker loop recount (reports.headline)."""
    client = client_for(admin_user)
    confirmed("unknown-bazaar.net")
    assert client.get(reverse("reports:overview")).context["counts"]["non_member_waiting"] == 1
    confirmed("unknown-bazaar.net/2")
    with CaptureQueriesContext(connection) as ctx:
        counts = client.get(reverse("reports:overview")).context["counts"]
    assert counts["non_member_waiting"] == 1, "not recounted on the request"
    assert not any("FILTER" in q["sql"] for q in ctx.captured_queries), "no full-table count"

    settings.HEADLINE_REFRESH_SECONDS = 3600
    assert headline.refresh_if_due() is False, "snapshot is fresh"
    settings.HEADLINE_REFRESH_SECONDS = 0
    call_command("run_outbox")  # one pass of the embedded worker loop recounts when due
    assert client.get(reverse("reports:overview")).context["counts"]["non_member_waiting"] == 2

    tasks.refresh_headline_counts()  # the beat task
    assert "reports.tasks.refresh_headline_counts" in {
        entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
    }
