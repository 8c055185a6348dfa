"""The "already reported" check while the URL is typed (reports:listing_check, htmx fragment)."""

import pytest
from django.urls import reverse

from reports import services
from spotter.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("reports:listing_check")
EBAY_ITEM = "https://www.ebay.com/itm/256123456789"
ANOTHER_SHAPE = "https://m.ebay.co.uk/itm/Carved-bangle/256123456789?mkevt=1"


@pytest.fixture
def ebay(db):
    return factories.make_company(slug="ebay", domains=("ebay.com", "ebay.co.uk"), name="eBay")


def check(client, url):
    response = client.get(URL, {"listing_url": url}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return response.content.decode()


def test_someone_elses_report_is_only_known_to_the_programme(
    client_for, volunteer, other_volunteer, ebay
):
    earlier = factories.make_report(other_volunteer, url=EBAY_ITEM)
    body = check(client_for(volunteer), ANOTHER_SHAPE)
    assert 'data-listing-check="known"' in body
    assert "already reported and is known to the programme" in body
    assert "Hosted by eBay, a coalition member." in body
    # Nothing about the earlier report or its volunteer.
    for secret in (
        earlier.reference,
        other_volunteer.email,
        other_volunteer.pseudonym,
        "Submitted",
    ):
        assert secret not in body


def test_own_report_shows_its_reference_and_state(client_for, volunteer, expert, ebay):
    own = factories.make_report(volunteer, url=EBAY_ITEM)
    services.claim_report(report=own, expert=expert)
    body = check(client_for(volunteer), ANOTHER_SHAPE)
    assert 'data-listing-check="own"' in body
    assert own.reference in body and "In review" in body
    assert reverse("reports:detail", args=[own.reference]) in body


def test_a_hidden_closed_report_is_not_mentioned(client_for, volunteer, other_volunteer, expert):
    """Someone else's rejected report says nothing (not even "known"): it no longer holds it."""
    factories.make_company(slug="ebay", domains=("ebay.com",), name="eBay")
    rejected = factories.make_report(other_volunteer, url=EBAY_ITEM)
    services.claim_report(report=rejected, expert=expert)
    services.reject_report(report=rejected, expert=expert, reason="not_wildlife")
    body = check(client_for(volunteer), EBAY_ITEM)
    assert 'data-listing-check="known"' not in body
    assert 'data-listing-check="own"' not in body
    assert "Hosted by eBay" in body


def test_new_listing_names_the_member_company_or_says_non_member(client_for, volunteer, ebay):
    client = client_for(volunteer)
    body = check(client, EBAY_ITEM)
    assert "already reported" not in body
    assert "Hosted by eBay, a coalition member." in body
    assert "ebay:256123456789" in body
    body = check(client, "https://unknown-bazaar.net/item/1")
    assert "not a coalition member" in body


@pytest.mark.parametrize("typed", ["", "htt", "https://", "not a url", "ftp://x.com/1", "a" * 5000])
def test_unfinished_or_bad_urls_give_an_empty_answer(client_for, volunteer, typed):
    assert check(client_for(volunteer), typed).strip() == ""


def test_only_signed_in_volunteers(client, client_for, expert, staff):
    assert client.get(URL, {"listing_url": EBAY_ITEM}).status_code == 302
    for user in (expert, staff, factories.make_user(Role.ADMIN)):
        assert client_for(user).get(URL, {"listing_url": EBAY_ITEM}).status_code == 403
    assert client_for(factories.make_user(Role.VOLUNTEER)).post(URL).status_code == 405


def test_checks_are_rate_limited(client_for, volunteer, settings):
    from reports.views import volunteer as views

    client = client_for(volunteer)
    for _ in range(views.LISTING_CHECKS_PER_MINUTE):
        assert client.get(URL, {"listing_url": EBAY_ITEM}).status_code == 200
    assert client.get(URL, {"listing_url": EBAY_ITEM}).status_code == 429


def test_the_submit_form_asks_while_typing_and_the_resubmit_form_does_not(
    client_for, volunteer, expert, company
):
    client = client_for(volunteer)
    page = client.get(reverse("reports:submit")).content.decode()
    assert f'hx-get="{URL}"' in page
    assert 'id="listing-check"' in page
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    services.request_info(report=report, expert=expert, message="Which shop?")
    page = client.get(reverse("reports:resubmit", args=[report.reference])).content.decode()
    assert 'id="listing-check"' not in page  # the URL cannot change there
