"""Volunteers are pseudonymous to experts (blind review) and invisible to companies."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from reports import services
from reports.forwarding.mail import send_email_notice
from reports.models import Channel, Delivery
from reports.permissions import actor_label_for
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def named_volunteer(db):
    return factories.make_user("volunteer", display_name="Wanda Whistleblower")


def test_expert_sees_only_the_pseudonym_everywhere(client_for, named_volunteer, expert):
    report = factories.make_report(named_volunteer)
    client = client_for(expert)
    review = client.get(reverse("reports:review", args=[report.reference]))
    assert named_volunteer.pseudonym.encode() in review.content
    services.claim_report(report=report, expert=expert)
    services.request_info(report=report, expert=expert, message="Which page?")
    for url in (
        reverse("reports:queue"),
        reverse("reports:review", args=[report.reference]),
        reverse("reports:detail", args=[report.reference]),
        reverse("training:home"),
        reverse("profile"),
    ):
        body = client.get(url, follow=True).content
        assert named_volunteer.email.encode() not in body, url
        assert b"Wanda" not in body, url


def test_company_sees_neither_identity_nor_pseudonym(client_for, named_volunteer, staff, company):
    report = factories.make_confirmed_report(volunteer=named_volunteer)
    client = client_for(staff)
    for url in (
        reverse("reports:portal"),
        reverse("reports:company_detail", args=[report.reference]),
        reverse("reports:detail", args=[report.reference]),
    ):
        body = client.get(url, follow=True).content
        for secret in (named_volunteer.email, "Wanda", named_volunteer.pseudonym):
            assert secret.encode() not in body, (url, secret)


def test_email_notice_never_names_the_volunteer(named_volunteer, company):
    report = factories.make_confirmed_report(volunteer=named_volunteer)
    delivery = Delivery.objects.get(report=report, channel=Channel.EMAIL)
    mail.outbox.clear()
    send_email_notice(delivery)
    message = mail.outbox[-1]
    everything = message.body + "".join(str(alt[0]) for alt in message.alternatives)
    everything += str(message.extra_headers)
    for secret in (named_volunteer.email, "Wanda", named_volunteer.pseudonym):
        assert secret not in everything


def test_actor_labels_follow_the_identity_rules(named_volunteer, expert, staff, admin_user):
    report = factories.make_report(named_volunteer)
    assert actor_label_for(staff, report, named_volunteer) == "volunteer"
    assert actor_label_for(expert, report, named_volunteer) == named_volunteer.pseudonym
    assert actor_label_for(named_volunteer, report, named_volunteer) == "Wanda Whistleblower"
    assert actor_label_for(admin_user, report, named_volunteer) == "Wanda Whistleblower"
    assert actor_label_for(named_volunteer, report, expert) == "expert"
    assert actor_label_for(admin_user, report, expert) == expert.email
    assert actor_label_for(staff, report, None) == "system"
