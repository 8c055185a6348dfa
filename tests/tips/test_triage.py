"""The triage queue: who may work it, converting a tip into a report, dismissing it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from reports import actions
from reports.models import Report, ReportStatus
from spotter.errors import InvalidState, NotAllowed
from spotter.models import AuditEvent, Role
from tests import factories
from tips import mail as mail_module
from tips import services
from tips.models import Tip, TipStatus

from .helpers import make_tip

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(db):
    return factories.make_user(Role.VOLUNTEER, is_lead_spotter=True)


def _convert_data(**overrides):
    data = {
        "listing_title": "Pangolin scales 500 g",
        "species": str(factories.get_species().pk),
        "product_type": str(factories.get_product_type().pk),
        "listing_text": "",
        "notes": "From a public tip",
    }
    data.update(overrides)
    return data


def test_expert_converts_a_tip_into_a_report(
    client_for, expert, company, django_capture_on_commit_callbacks
):
    tip = make_tip(email="tipster@example.net", language="fr")
    client = client_for(expert)
    page = client.get(reverse("tips:convert", args=[tip.reference]))
    assert page.status_code == 200
    assert tip.listing_url.encode() in page.content  # pre-filled from the tip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tips:convert", args=[tip.reference]), _convert_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    tip.refresh_from_db()
    report = tip.report
    assert tip.status == TipStatus.CONVERTED and tip.decided_by == expert
    assert report.volunteer == expert  # the triager is the reporter
    assert report.listing_url == tip.listing_url
    assert report.company == company
    assert report.status == ReportStatus.SUBMITTED
    assert report.evidence.count() == 1  # the tip's screenshot became evidence
    submitted = AuditEvent.objects.get(action="report.submitted", object_id=str(report.pk))
    assert submitted.data["source"] == "tip"
    assert submitted.data["source_reference"] == tip.reference
    assert AuditEvent.objects.filter(action="tip.converted", object_id=str(tip.pk)).exists()
    # Nobody reviews their own report: another expert must verify it.
    assert (
        actions.refusal(report, expert, actions.CLAIM)
        == "You cannot review a report you submitted."
    )
    # The tipster hears the outcome in the language they used, once.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tipster@example.net"]
    assert tip.reference in mail.outbox[0].subject
    tip.refresh_from_db()
    assert tip.outcome_emailed_at is not None


def test_lead_spotter_converts_and_is_the_reporter(lead, client_for):
    tip = make_tip()
    response = client_for(lead).post(reverse("tips:convert", args=[tip.reference]), _convert_data())
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.volunteer == lead


def test_conversion_needs_species_and_a_screenshot(client_for, expert):
    tip = make_tip(screenshot=False)
    response = client_for(expert).post(
        reverse("tips:convert", args=[tip.reference]),
        _convert_data(species="", species_other="", product_type=""),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Attach at least one screenshot of the listing." in body
    assert "Choose a species, or describe it here" in body
    assert not Report.objects.exists()
    assert Tip.objects.get().status == TipStatus.NEW


def test_a_tip_is_converted_once(expert, other_expert):
    tip = make_tip()
    details = factories.details(url=tip.listing_url)
    services.convert_tip(tip=tip, triager=expert, details=details)
    with pytest.raises(InvalidState):
        services.convert_tip(tip=tip, triager=other_expert, details=details)
    with pytest.raises(InvalidState):
        services.dismiss_tip(tip=tip, triager=other_expert, reason="spam")
    assert Report.objects.count() == 1


def test_the_tip_url_cannot_be_swapped_at_conversion(expert):
    tip = make_tip()
    with pytest.raises(Exception, match="cannot be changed"):
        services.convert_tip(
            tip=tip, triager=expert, details=factories.details(url="https://other-market.com/x")
        )


def test_dismiss_with_a_reason(client_for, expert, django_capture_on_commit_callbacks, monkeypatch):
    languages = []
    real_override = mail_module.translation.override

    def recording_override(language, *args, **kwargs):
        languages.append(language)
        return real_override(language, *args, **kwargs)

    monkeypatch.setattr(mail_module.translation, "override", recording_override)
    tip = make_tip(email="tipster@example.net", language="fr")
    client = client_for(expert)
    refused = client.post(reverse("tips:dismiss", args=[tip.reference]), {"reason": "bogus"})
    assert refused.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tips:dismiss", args=[tip.reference]), {"reason": "not_wildlife"}
        )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.status == TipStatus.DISMISSED and tip.dismiss_reason == "not_wildlife"
    assert AuditEvent.objects.get(action="tip.dismissed").reason == "not_wildlife"
    assert len(mail.outbox) == 1
    assert "n'a pas pu donner suite" in mail.outbox[0].body  # in French, like the tip
    assert languages == ["fr"]  # written in the language the tipster used


def test_volunteer_who_is_not_a_lead_is_refused(client_for, volunteer):
    tip = make_tip()
    client = client_for(volunteer)
    for name in ("tips:queue",):
        assert client.get(reverse(name)).status_code == 403
    for name in ("tips:detail", "tips:convert", "tips:screenshot"):
        assert client.get(reverse(name, args=[tip.reference])).status_code == 403
    assert (
        client.post(reverse("tips:dismiss", args=[tip.reference]), {"reason": "spam"}).status_code
        == 403
    )
    with pytest.raises(NotAllowed):
        services.dismiss_tip(tip=tip, triager=volunteer, reason="spam")
    assert Tip.objects.get().status == TipStatus.NEW


def test_company_staff_never_see_tips(client_for, staff):
    tip = make_tip()
    client = client_for(staff)
    assert client.get(reverse("tips:queue")).status_code == 403
    for name in ("tips:detail", "tips:convert", "tips:screenshot"):
        assert client.get(reverse(name, args=[tip.reference])).status_code == 403
    with pytest.raises(NotAllowed):
        services.convert_tip(tip=tip, triager=staff, details=factories.details(url=tip.listing_url))
    assert b"nav-tips" not in client.get(reverse("profile")).content


def test_anonymous_is_sent_to_login(client):
    tip = make_tip()
    response = client.get(reverse("tips:detail", args=[tip.reference]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_queue_oldest_first_paginated_and_query_guarded(
    client_for, expert, settings, django_assert_max_num_queries
):
    settings.TIPS_PAGE_SIZE = 10
    tips = [make_tip() for _ in range(25)]
    client = client_for(expert)
    with django_assert_max_num_queries(6):
        first = client.get(reverse("tips:queue"))
    body = first.content.decode()
    assert body.index(tips[0].reference) < body.index(tips[9].reference)
    assert tips[10].reference not in body
    assert "?page=2" in body
    with django_assert_max_num_queries(6):
        last = client.get(reverse("tips:queue") + "?page=3")
    assert tips[24].reference in last.content.decode()
    assert "?page=4" not in last.content.decode()
    assert b"nav-tips" in first.content


def test_detail_shows_the_url_as_text_and_the_reencoded_screenshot(client_for, expert):
    tip = make_tip(url="https://www.example-shop.com/item/77?x=<b>")
    client = client_for(expert)
    page = client.get(reverse("tips:detail", args=[tip.reference])).content.decode()
    assert "https://www.example-shop.com/item/77?x=&lt;b&gt;" in page
    assert 'href="https://www.example-shop.com' not in page  # not a clickable link
    image = client.get(reverse("tips:screenshot", args=[tip.reference]))
    assert image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")
