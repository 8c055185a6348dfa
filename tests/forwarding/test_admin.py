"""Admins set webhook URLs (validated) and see the secret once; they retry dead rows."""

import pytest
from django.urls import reverse

from reports.models import DeliveryStatus, MemberCompany
from spotter.models import AuditEvent

pytestmark = pytest.mark.django_db


def change_form(company, **overrides):
    data = {
        "slug": company.slug,
        "name": company.name,
        "local_name": "",
        "country": "",
        "is_active": "on",
        "enforcement_email": company.enforcement_email,
        "escalation_email": "",
        "notify_by_email": "on",
        "webhook_url": "",
        "ack_sla_hours": "24",
        "act_sla_hours": "72",
        "notice_language": company.notice_language,
        "domains-TOTAL_FORMS": "0",
        "domains-INITIAL_FORMS": "0",
        "domains-MIN_NUM_FORMS": "0",
        "domains-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://93.184.216.34/hook", "must use https"),
        ("https://10.0.0.7/hook", "private or reserved"),
        ("https://169.254.169.254/hook", "private or reserved"),
        ("https://127.0.0.1/hook", "private or reserved"),
    ],
)
def test_bad_webhook_url_is_a_form_error(company, admin_user, client_for, settings, url, message):
    settings.WEBHOOK_ALLOW_LOOPBACK_HTTP = False
    path = reverse("admin:reports_membercompany_change", args=[company.pk])
    response = client_for(admin_user).post(
        path, change_form(company, webhook_url=url, webhook_enabled="on")
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    company.refresh_from_db()
    assert company.webhook_url == "" and not company.webhook_enabled


def test_enabling_webhook_creates_a_secret_shown_once(company, admin_user, client_for):
    path = reverse("admin:reports_membercompany_change", args=[company.pk])
    client = client_for(admin_user)
    response = client.post(
        path,
        change_form(company, webhook_url="https://93.184.216.34/hook", webhook_enabled="on"),
        follow=True,
    )
    company.refresh_from_db()
    assert company.webhook_enabled and company.webhook_secret.startswith("whsec_")
    assert company.webhook_secret in response.content.decode()  # shown this once
    page = client.get(path).content.decode()
    assert company.webhook_secret not in page  # never again
    assert AuditEvent.objects.filter(action="company.webhook_secret_rotated").count() == 1


def test_enabling_without_url_is_refused(company, admin_user, client_for):
    path = reverse("admin:reports_membercompany_change", args=[company.pk])
    response = client_for(admin_user).post(path, change_form(company, webhook_enabled="on"))
    assert "Enter the webhook URL" in response.content.decode()
    assert not MemberCompany.objects.get(pk=company.pk).webhook_enabled


def test_delivery_admin_retry_action(hook_company, receiver, admin_user, client_for, settings):
    from reports import forwarding
    from reports.models import Channel

    from .helpers import Reply, confirmed, delivery_of

    settings.OUTBOX_MAX_ATTEMPTS = 1
    receiver.respond = Reply(500)
    delivery = delivery_of(confirmed(), Channel.WEBHOOK)
    forwarding.attempt_delivery(delivery.pk)
    response = client_for(admin_user).post(
        reverse("admin:reports_delivery_changelist"),
        {"action": "retry", "_selected_action": [delivery.pk]},
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
