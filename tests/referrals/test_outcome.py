"""The partner's one-click outcome link (valid, expired, tampered) and the admins' form."""

import time
from datetime import timedelta

import pytest
from django.core import signing

from referrals import conf, services
from referrals.models import Referral, ReferralOutcome
from referrals.notices import OUTCOME_SALT, outcome_link
from reports.timeline import timeline_for
from spotter.models import AuditEvent

from .helpers import make_partner, non_member_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(ngo, volunteer) -> Referral:
    report = non_member_report(volunteer=volunteer)
    [referral] = services.route_report(report_id=report.pk)
    return referral


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_valid_link_shows_the_form_and_records_the_outcome(client, referral, expert):
    path = _path(outcome_link(referral))
    page = client.get(path)
    assert page.status_code == 200
    assert referral.report.reference in page.content.decode()
    response = client.post(
        path, {"outcome": "acted", "note": "Seller identified; case opened.", "on": ""}
    )
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.ACTED
    assert referral.outcome_by is None  # the partner, through its link
    assert referral.outcome_on is not None
    event = AuditEvent.objects.get(action="referral.outcome", object_id=str(referral.report_id))
    assert event.data["by_partner"] is True
    # On the report's timeline for experts, not for the volunteer or the company.
    sentences = [entry.sentence for entry in timeline_for(referral.report, expert)]
    assert "A partner's outcome was recorded:" in sentences
    volunteer_view = [e.sentence for e in timeline_for(referral.report, referral.report.volunteer)]
    assert "A partner's outcome was recorded:" not in volunteer_view


def test_declined_needs_a_note_and_future_dates_are_refused(client, referral):
    path = _path(outcome_link(referral))
    response = client.post(path, {"outcome": "declined", "note": ""})
    assert response.status_code == 200
    assert "Say why the referral was declined." in response.content.decode()
    tomorrow = (referral.created_at + timedelta(days=2)).date().isoformat()
    response = client.post(path, {"outcome": "received", "on": tomorrow})
    assert "The date cannot be in the future." in response.content.decode()
    referral.refresh_from_db()
    assert referral.outcome == ""


def test_expired_link_is_410_and_changes_nothing(client, referral, monkeypatch):
    path = _path(outcome_link(referral))
    later = time.time() + 91 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert client.get(path).status_code == 410
    assert client.post(path, {"outcome": "acted"}).status_code == 410
    referral.refresh_from_db()
    assert referral.outcome == ""


def test_tampered_or_foreign_links_are_404(client, referral):
    token = _path(outcome_link(referral)).rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/r/outcome/{token[:-2]}xx/").status_code == 404
    # A valid signature over another partner's referral id pair.
    other = make_partner(name="Other", worldwide=True)
    forged = signing.TimestampSigner(salt=OUTCOME_SALT).sign(f"{referral.pk}-{other.pk}")
    assert client.get(f"/r/outcome/{forged}/").status_code == 404
    # The package link's token does not open the outcome form (another salt).
    package = signing.TimestampSigner(salt="referrals.package-link").sign(
        f"{referral.pk}-{referral.partner_id}"
    )
    assert client.get(f"/r/outcome/{package}/").status_code == 404


def test_admin_records_an_outcome(client_for, admin_user, referral):
    client = client_for(admin_user)
    url = f"/referrals/{referral.pk}/outcome/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"outcome": "no_response", "note": "", "on": ""})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.NO_RESPONSE
    assert referral.outcome_by == admin_user


def test_link_pages_are_throttled_per_address(client, referral, settings, monkeypatch):
    monkeypatch.setattr(conf, "REFERRAL_LINK_REQUESTS_PER_IP_HOUR", 2)
    path = _path(outcome_link(referral))
    assert client.get(path).status_code == 200
    assert client.get("/r/outcome/forged/").status_code == 404  # invalid tries count too
    refused = client.get(path)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
