"""The email notice: DSA Art. 16 contents, signed expiring evidence links, stable Message-ID."""

import re

import pytest

from reports import forwarding
from reports.models import Channel, DeliveryStatus

from .helpers import confirmed, delivery_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_company(db):
    from tests import factories

    return factories.make_company(slug="mailco", name="MailCo", domains=("mail-market.com",))


def test_email_notice_contents(mail_company, mailoutbox):
    report = confirmed("mail-market.com")
    delivery = delivery_of(report, Channel.EMAIL)
    assert forwarding.attempt_delivery(delivery.pk) == DeliveryStatus.SENT
    [message] = mailoutbox
    html = message.alternatives[0][0]
    evidence = report.evidence.get()
    assert message.to == [mail_company.enforcement_email]
    assert (
        message.extra_headers["Message-ID"] == f"<{delivery.idempotency_key}@cyberspotter.notices>"
    )
    for body in (message.body, html):
        assert report.reference in body  # reference number
        assert report.listing_url in body  # exact URL
        assert "Manis pentadactyla" in body and "Appendix I" in body  # species + CITES
        assert "Prohibited Wildlife Policy Framework" in body  # why prohibited
        assert evidence.original_sha256 in body and evidence.image_sha256 in body
        assert "good faith" in body
        assert "notices@cyberspotter.invalid" in body  # the notifier's contact
        assert report.volunteer.email not in body  # never the volunteer
        assert report.volunteer.display_name not in body


def test_evidence_link_in_the_notice_is_signed_and_expires(
    mail_company, mailoutbox, client, settings
):
    report = confirmed("mail-market.com")
    forwarding.attempt_delivery(delivery_of(report, Channel.EMAIL).pk)
    link = re.search(r"view: (\S+)", mailoutbox[0].body).group(1)
    path = link.removeprefix(settings.SITE_URL)
    response = client.get(path)  # no login: the signature is the permission
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client.get(path[:-3] + "xx/").status_code == 404  # tampered
    settings.EVIDENCE_URL_MAX_AGE = -1
    assert client.get(path).status_code == 404  # expired


def test_smtp_failure_is_retried_with_the_same_message_id(mail_company, failing_smtp, settings):
    from django.core import mail
    from django.utils import timezone

    from reports.models import Delivery

    delivery = delivery_of(confirmed("mail-market.com"), Channel.EMAIL)
    assert forwarding.attempt_delivery(delivery.pk) == DeliveryStatus.PENDING
    assert "SMTP" in Delivery.objects.get(pk=delivery.pk).last_error
    failing_smtp.failing = False
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert forwarding.attempt_delivery(delivery.pk) == DeliveryStatus.SENT
    [message] = mail.outbox
    assert (
        message.extra_headers["Message-ID"] == f"<{delivery.idempotency_key}@cyberspotter.notices>"
    )
