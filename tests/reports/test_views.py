"""The browser pages, through real HTTP requests."""

import pytest
from django.urls import reverse

from reports import services
from reports.models import Report, ReportStatus
from spotter.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def submit_data(url="https://www.example-shop.com/item/77", **extra):
    data = {
        "listing_url": url,
        "listing_title": "Carved bangle, white gold",
        "species": str(factories.get_species().pk),
        "product_type": str(factories.get_product_type().pk),
        "listing_text": "real, not resin",
        "price": "450",
        "currency": "usd",
        "seller_handle": "gx_antiques",
        "quantity": "1",
    }
    data.update(extra)
    return data


def screenshot(name="shot.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, factories.png_bytes(), content_type="image/png")


def test_volunteer_submits_report_through_form(client_for, volunteer, company):
    client = client_for(volunteer)
    assert client.get(reverse("reports:submit")).status_code == 200
    response = client.post(
        reverse("reports:submit"), {**submit_data(), "screenshots": [screenshot()]}
    )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.reference])
    assert report.currency == "USD" and report.company == company
    page = client.get(response["Location"])
    assert b"The report was submitted." in page.content  # the timeline, in words
    assert report.listing_title.encode() in page.content


def test_submit_form_prefills_from_query_string(client_for, volunteer):
    response = client_for(volunteer).get(
        reverse("reports:submit"),
        {"listing_url": "https://www.example-shop.com/i/1", "listing_title": "Tiger claw"},
    )
    assert b'value="https://www.example-shop.com/i/1"' in response.content
    assert b'value="Tiger claw"' in response.content


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("listing_url", "ftp://example.com/x", b"Only http:// and https://"),
        ("listing_url", "https://user:pw@example.com/x", b"user name or password"),
        ("listing_title", "", b"This field is required"),
        ("currency", "dollars", b"three-letter currency code"),
        ("price", "-5", b"greater than or equal to 0"),
        ("quantity", "0", b"greater than or equal to 1"),
        ("species", "99999", b"Select a valid choice"),
    ],
)
def test_bad_input_gets_a_form_error(client_for, volunteer, field, value, message):
    response = client_for(volunteer).post(
        reverse("reports:submit"), {**submit_data(**{field: value}), "screenshots": [screenshot()]}
    )
    assert response.status_code == 200
    assert message in response.content
    assert not Report.objects.exists()


def test_unknown_species_needs_description(client_for, volunteer):
    data = submit_data(species="")
    response = client_for(volunteer).post(
        reverse("reports:submit"), {**data, "screenshots": [screenshot()]}
    )
    assert b"describe it here" in response.content
    data["species_other"] = "Unknown lizard, blue tail"
    response = client_for(volunteer).post(
        reverse("reports:submit"), {**data, "screenshots": [screenshot()]}
    )
    assert response.status_code == 302
    assert Report.objects.get().species_other == "Unknown lizard, blue tail"


def test_screenshot_required_and_validated(client_for, volunteer):
    client = client_for(volunteer)
    response = client.post(reverse("reports:submit"), submit_data())
    assert b"Attach at least one screenshot" in response.content
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script></html>", "image/png")
    response = client.post(reverse("reports:submit"), {**submit_data(), "screenshots": [fake]})
    assert b"is not a JPEG, PNG or WebP image" in response.content
    six = [screenshot(f"s{i}.png") for i in range(6)]
    response = client.post(reverse("reports:submit"), {**submit_data(), "screenshots": six})
    assert b"at most 5 screenshots" in response.content
    assert not Report.objects.exists()


def test_duplicate_submission_tells_the_volunteer(client_for, volunteer, other_volunteer, company):
    factories.make_report(other_volunteer, url="https://www.example-shop.com/item/77")
    response = client_for(volunteer).post(
        reverse("reports:submit"), {**submit_data(), "screenshots": [screenshot()]}, follow=True
    )
    assert b"already reported" in response.content
    assert Report.objects.filter(status=ReportStatus.DUPLICATE).count() == 1


def test_expert_review_flow_over_http(client_for, volunteer, expert, company):
    report = factories.make_report(volunteer)
    client = client_for(expert)
    queue = client.get(reverse("reports:queue"))
    assert report.reference.encode() in queue.content
    review = client.get(reverse("reports:review", args=[report.reference]))
    assert b"Catalogue entry" in review.content
    assert volunteer.email.encode() not in review.content  # blind review
    assert volunteer.pseudonym.encode() in review.content
    client.post(reverse("reports:claim", args=[report.reference]))
    response = client.post(reverse("reports:confirm", args=[report.reference]), {"note": "ok"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED


def test_expert_reject_and_needs_info_over_http(client_for, volunteer, expert, company):
    a = factories.make_report(volunteer)
    b = factories.make_report(volunteer)
    client = client_for(expert)
    for r in (a, b):
        client.post(reverse("reports:claim", args=[r.reference]))
    client.post(
        reverse("reports:reject", args=[a.reference]), {"reason": "legal_trade", "confirm": "yes"}
    )
    client.post(reverse("reports:needs_info", args=[b.reference]), {"message": "More photos"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == ReportStatus.REJECTED and b.status == ReportStatus.NEEDS_INFO
    # the volunteer answers
    vclient = client_for(volunteer)
    page = vclient.get(reverse("reports:detail", args=[b.reference]))
    assert b"More photos" in page.content
    response = vclient.post(
        reverse("reports:resubmit", args=[b.reference]),
        {
            **submit_data(url=b.listing_url, listing_title="Now with close-up"),
            "screenshots": [screenshot()],
        },
    )
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.status == ReportStatus.SUBMITTED and b.evidence.count() == 2


def test_expert_error_is_shown_not_500(client_for, volunteer, expert, other_expert, company):
    report = factories.make_report(volunteer)
    client_for(expert).post(reverse("reports:claim", args=[report.reference]))
    response = client_for(other_expert).post(
        reverse("reports:confirm", args=[report.reference]), follow=True
    )
    assert response.status_code == 200
    assert b"Claim the report before deciding it" in response.content


def test_company_portal_and_outcome(client_for, volunteer, expert, staff, company):
    report = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    client = client_for(staff)
    portal = client.get(reverse("reports:portal"))
    assert report.reference.encode() in portal.content
    detail = client.get(reverse("reports:company_detail", args=[report.reference]))
    assert volunteer.email.encode() not in detail.content
    assert volunteer.pseudonym.encode() not in detail.content
    assert volunteer.display_name.encode() not in detail.content
    assert b"good faith" in detail.content
    bad = client.post(reverse("reports:outcome", args=[report.reference]), {"outcome": "other"})
    assert bad.status_code == 400 and b"Describe the outcome" in bad.content
    client.post(
        reverse("reports:outcome", args=[report.reference]),
        {"outcome": "removed", "confirm": "yes"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED
    page = client_for(volunteer).get(reverse("reports:detail", args=[report.reference]))
    assert b"Listing removed" in page.content


def test_volunteer_accuracy_page(client_for, volunteer, expert, company):
    confirmed = factories.make_report(volunteer)
    rejected = factories.make_report(volunteer)
    factories.make_report(volunteer)  # undecided: not counted
    for r in (confirmed, rejected):
        services.claim_report(report=r, expert=expert)
    services.confirm_report(report=confirmed, expert=expert)
    services.reject_report(report=rejected, expert=expert, reason="not_wildlife", note="resin")
    page = client_for(volunteer).get(reverse("quality:accuracy"))
    assert b"50%" in page.content
    assert b"resin" in page.content


def test_home_redirects_by_role(client_for, volunteer, expert, staff, admin_user, client):
    assert client.get("/").status_code == 200
    assert client_for(volunteer).get("/")["Location"] == reverse("reports:mine")
    assert client_for(expert).get("/")["Location"] == reverse("reports:queue")
    assert client_for(staff).get("/")["Location"] == reverse("reports:portal")
    assert client_for(admin_user).get("/")["Location"] == reverse("reports:overview")


def test_overview_counts(client_for, admin_user, volunteer, expert, company):
    factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    other = factories.make_report(volunteer, url="https://nonmember.example.net/1")
    services.claim_report(report=other, expert=expert)
    services.confirm_report(report=other, expert=expert)
    page = client_for(admin_user).get(reverse("reports:overview"))
    assert page.status_code == 200
    assert other.reference.encode() in page.content


def test_role_of_signup_is_always_volunteer(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "a-long-enough-pass-42",
            "password2": "a-long-enough-pass-42",
            "role": Role.ADMIN,
            "display_name": "New",
            "country": "US",
        },
    )
    assert response.status_code == 302
    from spotter.models import User

    user = User.objects.get(email="new@example.org")
    assert user.role == Role.VOLUNTEER and not user.is_staff and user.country == "US"
    assert any("new@example.org" in m.to for m in mailoutbox)  # verification email
