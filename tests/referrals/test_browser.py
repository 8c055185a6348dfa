"""In headless Chromium: an admin adds a partner with a webhook, an expert confirms a report on
a non-member platform, the outbox runs and a local receiver gets a correctly signed referral."""

import re

import pytest

from referrals import outbox
from referrals.models import ReferralDelivery, ReferralPartner
from reports.models import DeliveryStatus, ReportStatus
from spotter.models import Role
from tests import factories
from tests.browser import login, logout
from tests.forwarding.helpers import verify_standard_webhook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_referral_reaches_the_partner_webhook_signed(
    live_server, page, receiver, loopback_webhooks
):
    base = live_server.url
    admin = factories.make_user(Role.ADMIN, email="admin@example.org")
    expert = factories.make_user(Role.EXPERT, email="expert@example.org")
    volunteer = factories.make_user(
        Role.VOLUNTEER, email="vera@example.org", display_name="Vera Identifiable"
    )
    report = factories.make_report(
        volunteer, url="https://www.wild-bazaar.com/item/42", listing_location="Kunming, 中国"
    )
    assert report.company is None  # not a member platform

    # 1. The admin adds a partner (a police unit, China) whose webhook is the local receiver.
    login(page, base, admin.email)
    page.goto(f"{base}/referrals/partners/new/")
    page.fill("#id_name", "Yunnan forest police")
    page.select_option("#id_kind", "police")
    page.select_option("#id_jurisdictions", ["CN"])
    page.uncheck("#id_send_email_notice")
    page.fill("#id_webhook_url", receiver.url("/referrals"))
    page.check("#id_webhook_enabled")
    page.click("form button[type=submit].primary")
    page.wait_for_selector("text=Partner Yunnan forest police saved.")
    secret = re.search(r"whsec_[A-Za-z0-9+/=]+", page.content()).group(0)
    assert ReferralPartner.objects.get(name="Yunnan forest police").webhook_secret == secret
    logout(page, base)

    # 2. An expert claims and confirms the report in the browser.
    login(page, base, expert.email)
    page.goto(f"{base}/review/{report.reference}/")
    page.click("button:has-text('Claim for review')")
    page.click("button:has-text('Confirm and forward')")
    page.wait_for_selector("text=confirmed")
    report.refresh_from_db()
    assert report.status == ReportStatus.CONFIRMED  # no member company: stays confirmed

    # 3. The outbox runs (embedded: the first attempt ran after commit; drain whatever is due).
    outbox.drain_due()
    delivery = ReferralDelivery.objects.get(referral__report=report)
    assert delivery.status == DeliveryStatus.SENT
    [request] = receiver.snapshot()
    assert request.path == "/referrals"
    body = verify_standard_webhook(secret, request.headers, request.body)
    assert request.headers["webhook-id"] == delivery.idempotency_key
    assert body["type"] == "report.referred"
    assert body["data"]["reference"] == report.reference
    assert body["data"]["referral"]["country"] == "CN"
    for value in (volunteer.email, volunteer.display_name):
        assert value not in request.body.decode()

    # 4. The expert sees the referral on the review page.
    page.goto(f"{base}/review/{report.reference}/")
    assert "Yunnan forest police" in page.inner_text("[data-testid=referrals-panel]")
