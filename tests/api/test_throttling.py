"""Rate limits per user and per scope; report creation has its own (SUBMISSIONS_PER_HOUR)."""

import pytest

from .conftest import report_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(**overrides):
        rest = dict(settings.REST_FRAMEWORK)
        rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], **overrides}
        settings.REST_FRAMEWORK = rest

    return set_rates


def test_report_creation_has_its_own_rate(
    api_for, settings, volunteer, company, species, product_type
):
    # One limit for the form and the API (reports.services); tests/security/test_limits.py.
    settings.SUBMISSIONS_PER_HOUR = 2
    client = api_for(volunteer)
    for n in range(2):
        url = f"https://www.example-shop.com/item/{n}"
        assert (
            client.post(
                "/api/v1/reports/", report_form(species, url=url), format="multipart"
            ).status_code
            == 201
        )
    response = client.post(
        "/api/v1/reports/",
        report_form(species, url="https://www.example-shop.com/item/9"),
        format="multipart",
    )
    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # Other endpoints are not affected by the creation scope.
    assert client.get("/api/v1/reports/").status_code == 200


def test_rates_are_per_user(api_for, rates, volunteer, other_volunteer):
    rates(user="3/minute")
    first, second = api_for(volunteer), api_for(other_volunteer)
    assert [first.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert second.get("/api/v1/me/").status_code == 200


def test_review_scope(api_for, rates, expert, volunteer, company):
    from tests import factories

    rates(review="1/minute")
    reports = [factories.make_report(volunteer) for _ in range(2)]
    client = api_for(expert)
    assert client.post(f"/api/v1/reports/{reports[0].reference}/claim/").status_code == 200
    assert client.post(f"/api/v1/reports/{reports[1].reference}/claim/").status_code == 429
    assert client.get("/api/v1/review/queue/").status_code == 200


def test_anonymous_rate(client, rates):
    # Protected endpoints answer 401 before throttling; the public schema is throttled.
    rates(anon="2/minute")
    codes = [client.get("/api/schema/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
