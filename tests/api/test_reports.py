"""Reports over the API: submit, list, read, edit while needs-info, withdraw — per role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports import services
from reports.models import Report, ReportStatus
from spotter.models import AuditEvent, Role
from tests import factories

from .conftest import fields, report_form, screenshot

pytestmark = pytest.mark.django_db

LIST = "/api/v1/reports/"


def detail(ref, suffix=""):
    return f"/api/v1/reports/{ref}/{suffix}"


# --- create ----------------------------------------------------------------------------------


def test_volunteer_submits_report_with_screenshots(
    api_for, volunteer, company, species, product_type
):
    response = api_for(volunteer).post(LIST, report_form(species, shots=2), format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    report = Report.objects.get(reference=body["reference"])
    assert report.volunteer == volunteer and report.company == company
    assert report.status == ReportStatus.SUBMITTED and report.currency == "USD"
    assert report.evidence.count() == 2
    assert body["company"] == "shopco" and body["species"]["id"] == species.pk
    assert len(body["evidence"]) == 2 and body["evidence"][0]["sha256"]
    assert body["volunteer"]["email"] == volunteer.email  # the owner sees themself
    assert AuditEvent.objects.filter(action="report.submitted", object_id=str(report.pk)).exists()


def test_same_listing_twice_is_a_duplicate(
    api_for, volunteer, other_volunteer, company, species, product_type
):
    first = api_for(volunteer).post(LIST, report_form(species), format="multipart").json()
    second = api_for(other_volunteer).post(
        LIST,
        report_form(species, url="https://WWW.Example-Shop.com/item/77?utm_source=x"),
        format="multipart",
    )
    assert second.status_code == 201
    assert second.json()["status"] == "duplicate"
    assert second.json()["duplicate_of"] == first["reference"]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"listing_url": "ftp://example-shop.com/x"}, "listing_url", "invalid"),
        ({"listing_url": "not a url"}, "listing_url", "invalid"),
        ({"listing_url": None}, "listing_url", "required"),
        ({"listing_title": "   "}, "listing_title", "blank"),
        ({"product_type": "nope"}, "product_type", "does_not_exist"),
        ({"species": "999999"}, "species", "does_not_exist"),
        ({"species": "99999999999999999999999"}, "species", "does_not_exist"),
        ({"currency": "US"}, "currency", "invalid"),
        ({"currency": ""}, "currency", "invalid"),
        ({"price": "-1"}, "price", "min_value"),
        ({"quantity": "0"}, "quantity", "min_value"),
        ({"listing_language": "klingon"}, "listing_language", "invalid_choice"),
        ({"screenshots": []}, "screenshots", "required"),
    ],
)
def test_bad_input_is_400_naming_the_field(
    api_for, volunteer, species, product_type, overrides, field, code
):
    data = report_form(species)
    for key, value in overrides.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    response = api_for(volunteer).post(LIST, data, format="multipart")
    assert response.status_code == 400, response.content
    assert code in fields(response)[field], response.json()
    assert not Report.objects.exists()


def test_species_or_description_is_required(api_for, volunteer, product_type):
    response = api_for(volunteer).post(LIST, report_form(None), format="multipart")
    assert response.status_code == 400
    assert "species_other" in fields(response)
    ok = api_for(volunteer).post(
        LIST, report_form(None, species_other="Some pangolin?"), format="multipart"
    )
    assert ok.status_code == 201 and ok.json()["species"] is None


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"GIF89a not allowed", "is not a JPEG, PNG or WebP image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "damaged or not a readable image"),
        (b"", "is empty"),
    ],
)
def test_bad_screenshot_is_400_naming_the_field(
    api_for, volunteer, species, product_type, upload, message
):
    data = report_form(species)
    data["screenshots"] = [SimpleUploadedFile("evil.png", upload, content_type="image/png")]
    response = api_for(volunteer).post(LIST, data, format="multipart")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["field"] == "screenshots" and message in errors[0]["message"]
    assert "evil.png" in errors[0]["message"]


def test_six_screenshots_refused(api_for, volunteer, species, product_type):
    response = api_for(volunteer).post(LIST, report_form(species, shots=6), format="multipart")
    assert response.status_code == 400 and "screenshots" in fields(response)


def test_json_create_is_415(api_for, volunteer, species, product_type):
    response = api_for(volunteer).post(LIST, {"listing_url": "https://x.com/1"}, format="json")
    assert response.status_code == 415 and fields(response) == {None: ["unsupported_media_type"]}


def test_uncertified_volunteer_gets_403_with_the_reason(api_for, species, product_type):
    newcomer = factories.make_user(Role.VOLUNTEER, certified=False)
    response = api_for(newcomer).post(LIST, report_form(species), format="multipart")
    assert response.status_code == 403
    error = response.json()["errors"][0]
    assert error["code"] == "permission_denied" and "training" in error["message"].lower()
    assert not Report.objects.exists()


@pytest.mark.parametrize("role", ["expert", "staff", "admin_user"])
def test_other_roles_cannot_submit(request, api_for, role, species, product_type):
    user = request.getfixturevalue(role)
    response = api_for(user).post(LIST, report_form(species), format="multipart")
    assert response.status_code == 403
    assert "Only volunteers" in response.json()["errors"][0]["message"]


def test_anonymous_gets_401(api_for, species, product_type):
    response = api_for(None).post(LIST, report_form(species), format="multipart")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert api_for(None).get(LIST).status_code == 401


# --- list and retrieve -----------------------------------------------------------------------


@pytest.fixture
def world(volunteer, other_volunteer, expert, company, other_company):
    """One forwarded report for each company, one waiting, one of the other volunteer."""
    mine_fwd = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    other_fwd = factories.make_confirmed_report(
        volunteer=volunteer, expert=expert, url="https://other-market.com/p/1"
    )
    waiting = factories.make_report(volunteer)
    theirs = factories.make_report(other_volunteer)
    return {"mine_fwd": mine_fwd, "other_fwd": other_fwd, "waiting": waiting, "theirs": theirs}


def refs(response):
    assert response.status_code == 200, response.content
    return {r["reference"] for r in response.json()["results"]}


def test_list_is_scoped_like_the_ui(
    api_for, world, volunteer, other_volunteer, expert, staff, other_staff, admin_user
):
    w = {k: v.reference for k, v in world.items()}
    assert refs(api_for(volunteer).get(LIST)) == {w["mine_fwd"], w["other_fwd"], w["waiting"]}
    assert refs(api_for(other_volunteer).get(LIST)) == {w["theirs"]}
    assert refs(api_for(expert).get(LIST)) == set(w.values())
    assert refs(api_for(staff).get(LIST)) == {w["mine_fwd"]}
    assert refs(api_for(other_staff).get(LIST)) == {w["other_fwd"]}
    assert refs(api_for(admin_user).get(LIST)) == set(w.values())


def test_retrieve_permissions_and_identity(
    api_for, world, volunteer, other_volunteer, expert, staff, other_staff, admin_user
):
    ref = world["mine_fwd"].reference
    own = api_for(volunteer).get(detail(ref))
    assert own.status_code == 200 and own.json()["volunteer"]["email"] == volunteer.email
    as_expert = api_for(expert).get(detail(ref)).json()
    assert as_expert["volunteer"] == {
        "pseudonym": volunteer.pseudonym,
        "display_name": None,
        "email": None,
    }
    as_staff = api_for(staff).get(detail(ref))
    assert as_staff.status_code == 200
    body = as_staff.json()
    assert body["volunteer"] is None and body["notes"] is None and body["species_reported"] is None
    assert volunteer.email not in as_staff.content.decode()
    assert volunteer.pseudonym not in as_staff.content.decode()
    assert api_for(admin_user).get(detail(ref)).json()["volunteer"]["email"] == volunteer.email
    # Outsiders get 404 (never 403), so references cannot be probed.
    for outsider in (other_volunteer, other_staff):
        response = api_for(outsider).get(detail(ref))
        assert response.status_code == 404 and fields(response) == {None: ["not_found"]}
    assert api_for(None).get(detail(ref)).status_code == 401
    # Company staff cannot see reports of their platform that are not forwarded yet.
    waiting = factories.make_report(volunteer)
    assert api_for(staff).get(detail(waiting.reference)).status_code == 404


def test_evidence_download_follows_report_visibility(
    api_for, world, volunteer, other_volunteer, staff, other_staff
):
    report = world["mine_fwd"]
    evidence = report.evidence.get()
    url = detail(report.reference, f"evidence/{evidence.pk}/")
    response = api_for(staff).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert AuditEvent.objects.filter(action="evidence.viewed", actor=staff).exists()
    assert api_for(volunteer).get(url).status_code == 200
    assert api_for(other_staff).get(url).status_code == 404
    assert api_for(other_volunteer).get(url, HTTP_ACCEPT="image/png").status_code == 404
    assert api_for(staff).get(detail(report.reference, "evidence/999999/")).status_code == 404


def test_list_runs_a_fixed_number_of_queries(
    api_for, volunteer, company, django_assert_max_num_queries
):
    for _ in range(6):
        factories.make_report(volunteer)
    client = api_for(volunteer)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert len(response.json()["results"]) == 6


# --- pagination, filters, ordering -----------------------------------------------------------


def test_cursor_pagination_walks_every_report_once(api_for, volunteer, company):
    made = {factories.make_report(volunteer).reference for _ in range(7)}
    client = api_for(volunteer)
    seen, url, pages = [], f"{LIST}?page_size=3", 0
    while url:
        body = client.get(url).json()
        seen += [r["reference"] for r in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 3 and len(seen) == 7 and set(seen) == made
    times = [Report.objects.get(reference=r).submitted_at for r in seen]
    assert times == sorted(times, reverse=True)
    asc = client.get(f"{LIST}?ordering=submitted_at").json()["results"]
    assert [r["reference"] for r in asc] == list(reversed(seen))


def test_bad_cursor_and_ordering_and_filters_are_400(api_for, volunteer):
    client = api_for(volunteer)
    assert fields(client.get(f"{LIST}?cursor=garbage")) == {"cursor": ["invalid"]}
    import base64

    forged = base64.b64encode(b"p=not-a-date&o=0").decode()
    assert fields(client.get(f"{LIST}?cursor={forged}")) == {"cursor": ["invalid"]}
    assert "status" in fields(client.get(f"{LIST}?status=bogus"))
    assert "submitted_after" in fields(client.get(f"{LIST}?submitted_after=yesterday"))
    assert "species" in fields(client.get(f"{LIST}?species=abc"))
    # An ordering field that is not allowed is ignored (DRF's behaviour), not an error.
    assert client.get(f"{LIST}?ordering=volunteer__email").status_code == 200


def test_filters(api_for, admin_user, volunteer, expert, company, other_company):
    fwd = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    waiting = factories.make_report(volunteer, url="https://other-market.com/x/2")
    unknown = factories.make_report(volunteer, url="https://unknown-shop.net/x/3")
    client = api_for(admin_user)
    assert refs(client.get(f"{LIST}?status=forwarded")) == {fwd.reference}
    assert refs(client.get(f"{LIST}?status=forwarded&status=submitted")) == {
        fwd.reference,
        waiting.reference,
        unknown.reference,
    }
    assert refs(client.get(f"{LIST}?platform=othermarket")) == {waiting.reference}
    assert refs(client.get(f"{LIST}?platform=non-member")) == {unknown.reference}
    assert refs(client.get(f"{LIST}?verdict=confirmed")) == {fwd.reference}
    assert refs(client.get(f"{LIST}?group=pangolins")) == {
        fwd.reference,
        waiting.reference,
        unknown.reference,
    }
    assert refs(client.get(f"{LIST}?group=elephants")) == set()
    assert refs(client.get(f"{LIST}?product_type=scales&species={fwd.species_id}")) == {
        fwd.reference,
        waiting.reference,
        unknown.reference,
    }
    assert refs(client.get(f"{LIST}?submitted_after=2999-01-01T00:00:00Z")) == set()


# --- edit while needs-info, withdraw --------------------------------------------------------


def needs_info_report(volunteer, expert):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    return services.request_info(report=report, expert=expert, message="Show the price.")


def test_volunteer_edits_report_that_needs_info(api_for, volunteer, expert, company):
    report = needs_info_report(volunteer, expert)
    response = api_for(volunteer).patch(
        detail(report.reference),
        {"listing_title": "Scales, 1 kg", "screenshots": [screenshot("price.png")]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.listing_title == "Scales, 1 kg"
    assert report.evidence.count() == 2 and report.currency == "USD"  # untouched fields kept
    event = AuditEvent.objects.filter(action="report.resubmitted").get()
    assert event.data["changed"] == ["listing_title"]


def test_edit_refused_outside_needs_info_and_for_others(
    api_for, volunteer, other_volunteer, expert, staff, company
):
    report = factories.make_report(volunteer)
    response = api_for(volunteer).patch(
        detail(report.reference), {"listing_title": "x"}, format="multipart"
    )
    assert response.status_code == 409
    report = needs_info_report(volunteer, factories.make_user(Role.EXPERT))
    assert (
        api_for(other_volunteer).patch(detail(report.reference), {}, format="multipart").status_code
        == 404
    )
    assert (
        api_for(expert).patch(detail(report.reference), {}, format="multipart").status_code == 403
    )
    assert api_for(staff).patch(detail(report.reference), {}, format="multipart").status_code == 403
    bad = api_for(volunteer).patch(
        detail(report.reference), {"species": "", "species_other": ""}, format="multipart"
    )
    assert bad.status_code == 400 and "species_other" in fields(bad)
    too_many = api_for(volunteer).patch(
        detail(report.reference),
        {"screenshots": [screenshot() for _ in range(5)]},
        format="multipart",
    )
    assert too_many.status_code == 400 and "screenshots" in fields(too_many)


def test_withdraw(api_for, volunteer, other_volunteer, expert, company):
    report = factories.make_report(volunteer)
    assert api_for(other_volunteer).post(detail(report.reference, "withdraw/")).status_code == 404
    assert api_for(expert).post(detail(report.reference, "withdraw/")).status_code == 403
    response = api_for(volunteer).post(detail(report.reference, "withdraw/"))
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    again = api_for(volunteer).post(detail(report.reference, "withdraw/"))
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "invalid_transition"


def test_session_auth_needs_csrf(client_for, volunteer, species, product_type, company):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(LIST).status_code == 200
    response = client.post(LIST, report_form(species))
    assert response.status_code == 403 and "CSRF" in response.json()["errors"][0]["message"]
    assert reverse("api:report-list") == LIST


def test_edit_cannot_change_the_url(api_for, volunteer, expert, company):
    report = needs_info_report(volunteer, expert)
    response = api_for(volunteer).patch(
        detail(report.reference),
        {"listing_url": "https://www.example-shop.com/other"},
        format="multipart",
    )
    assert response.status_code == 400 and "listing_url" in fields(response)
