"""Hostile input to the API: deep JSON, non-integer ids, bad page sizes, hostile path values,
and the limits Django enforces itself (too large, too many fields, too long) — always a 4xx in
the API's error shape, never a 500 or an HTML page."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve
from rest_framework import viewsets

from api.parsers import MAX_DEPTH, nesting_depth
from api.routers import ConverterRouter
from api.views.docs import not_found
from reports import services
from tests import factories
from tests.security.test_access_matrix import _walk

from .conftest import fields, report_form

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports/"


def error_codes(response) -> dict:
    """{field: [codes]} of an error answered outside DRF (middleware, Django's error views)."""
    assert response["Content-Type"] == "application/json", response.content[:200]
    out: dict = {}
    for error in response.json()["errors"]:
        assert set(error) == {"field", "code", "message"} and error["message"], error
        out.setdefault(error["field"], []).append(error["code"])
    return out


@pytest.fixture
def claimed(volunteer, expert, company):
    report = factories.make_report(volunteer)
    return services.claim_report(report=report, expert=expert)


def confirm(api_for, expert, report, body):
    return api_for(expert).post(f"{REPORTS}{report.reference}/confirm/", body, format="json")


# --- deep JSON --------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000, 100_000])
def test_deeply_nested_json_is_a_400(api_for, expert, claimed, depth):
    body = '{"note": ' + "[" * depth + "]" * depth + "}"
    response = api_for(expert).post(
        f"{REPORTS}{claimed.reference}/confirm/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert fields(response) == {None: ["too_deep"]}
    claimed.refresh_from_db()
    assert claimed.status == "in_review"


def test_nesting_depth():
    assert nesting_depth(1) == 0
    assert nesting_depth({"a": [1, {"b": []}]}) == 4
    assert nesting_depth([[]] * 3) == 2


# --- ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [2.9, 2.0, True, "2.0", "2.9", "abc", [2], {"id": 2}, "-1"])
def test_a_species_id_that_is_not_a_whole_number_is_a_400_naming_it(
    api_for, expert, claimed, value
):
    response = confirm(api_for, expert, claimed, {"species": value})
    assert response.status_code == 400
    assert fields(response) == {"species": ["incorrect_type"]}
    claimed.refresh_from_db()
    assert claimed.status == "in_review"


@pytest.mark.parametrize("as_text", [False, True])
def test_a_whole_number_species_id_is_accepted(api_for, expert, claimed, as_text):
    tiger = factories.get_species("Panthera tigris")
    value = str(tiger.pk) if as_text else tiger.pk
    response = confirm(api_for, expert, claimed, {"species": value})
    assert response.status_code == 200, response.content
    assert response.json()["species"]["scientific_name"] == "Panthera tigris"


def test_an_unknown_or_huge_species_id_does_not_exist(api_for, expert, claimed):
    for value in (10**6, 10**30, "9" * 40):
        response = confirm(api_for, expert, claimed, {"species": value})
        assert fields(response) == {"species": ["does_not_exist"]}, value


@pytest.mark.parametrize("value", ["\x00", "scales\x00", "../scales", "x" * 500, "2.9"])
def test_a_product_type_that_cannot_be_a_slug_does_not_exist(
    api_for, volunteer, species, product_type, value
):
    data = report_form(species, product_type=value)
    response = api_for(volunteer).post(REPORTS, data, format="multipart")
    assert response.status_code == 400
    assert fields(response) == {"product_type": ["does_not_exist"]}


# --- page_size --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-1", "0", "abc", "", "2.5", "101", "9" * 5000])
def test_a_bad_page_size_is_a_400_naming_it(api_for, expert, value):
    for url in (REPORTS, "/api/v1/review/queue/"):
        response = api_for(expert).get(url, {"page_size": value})
        assert response.status_code == 400, (url, value)
        assert fields(response) == {"page_size": ["invalid"]}


def test_company_feed_refuses_a_bad_page_size_too(api_for, staff):
    response = api_for(staff).get("/api/v1/company/reports/?page_size=-1")
    assert fields(response) == {"page_size": ["invalid"]}


def test_a_good_page_size_is_used(api_for, volunteer, company):
    for n in range(3):
        factories.make_report(volunteer, url=f"https://www.example-shop.com/item/p{n}")
    response = api_for(volunteer).get(REPORTS, {"page_size": "2"})
    assert response.status_code == 200 and len(response.json()["results"]) == 2
    assert "page_size=2" in response.json()["next"]


def test_the_schema_documents_the_page_size_bounds(client):
    schema = client.get("/api/schema/?format=json").json()

    def parameter(path, name):
        parameters = schema["paths"][path]["get"]["parameters"]
        return next(p for p in parameters if p["name"] == name)["schema"]

    page_size = parameter("/api/v1/reports/", "page_size")
    assert page_size == {"type": "integer", "minimum": 1, "maximum": 100}
    assert parameter("/api/v1/species/{id}/", "id")["type"] == "integer"
    reference = parameter("/api/v1/reports/{reference}/", "reference")
    assert reference["pattern"] == "^[A-Za-z0-9-]{1,20}$"


# --- path values ------------------------------------------------------------------------------

# Values no path parameter of the project may take: each is a 404 (or the API's JSON 404).
NEVER = ["\x00", "CS-ABC\x00DEF", "%FF%FE", "..", "a b", "a/b"]
# Values too long for a reference, an id or a token (Django's slug converter takes them: a long
# slug is only a lookup that finds nothing).
TOO_LONG = ["9" * 400, "A" * 4000]
FILLER = {"ref": "CS-1", "id": "1", "token": "1:a:b", "slug": "x"}
PROJECT_NAMESPACES = ("reports", "training", "quality", "api")
PARAMETER = re.compile(r"<(\w+):(\w+)>")


def _project_routes():
    """(name, route) of every project URL pattern with a parameter (allauth/admin excluded)."""
    for key, route, _entry in _walk(get_resolver().url_patterns):
        if key.split(":")[0] in PROJECT_NAMESPACES and PARAMETER.search(route):
            yield key, route


def test_no_project_route_takes_a_hostile_path_value():
    """Every reference, id, token and slug in a project URL goes through one converter
    (spotter.converters), so a value that cannot be one resolves to nothing — or to the API's
    JSON 404 catch-all — and never reaches a view that would query with it."""
    routes = list(_project_routes())
    assert len(routes) >= 30, routes
    problems = []
    for key, route in routes:
        parameters = PARAMETER.findall(route)
        for converter, name in parameters:
            assert converter in FILLER, f"{key}: <{converter}:{name}> is not a project converter"
            values = NEVER + (TOO_LONG if converter != "slug" else [])
            for value in values:

                def fill(match, name=name, value=value):
                    return value if match.group(2) == name else FILLER[match.group(1)]

                path = "/" + PARAMETER.sub(fill, route)
                try:
                    match = resolve(path)
                except Resolver404:
                    continue
                if match.func is not not_found:
                    problems.append(f"{key}: {path[:80]!r} resolves to {match.view_name}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reports/%00/",
        "/api/v1/reports/CS-1%00/claim/",
        "/api/v1/companies/%00/",
        "/api/v1/species/99999999999999999999999999/",
        "/api/v1/species/2.9/",
        "/api/v1/reports/%ff%fe/evidence/1/",
        "/api/v1/stats/volunteers/%00/accuracy/",
    ],
)
def test_hostile_api_path_values_are_a_json_404(api_for, admin_user, path):
    for method in ("get", "post"):
        response = getattr(api_for(admin_user), method)(path)
        assert response.status_code == 404, (method, path)
        assert fields(response) == {None: ["not_found"]}


@pytest.mark.parametrize(
    "path",
    ["/reports/%00/", "/review/%00/", "/company/reports/%00/", "/reports/%00/evidence-package.zip"],
)
def test_hostile_page_path_values_are_a_404(client_for, admin_user, path):
    assert client_for(admin_user).get(path).status_code == 404


def test_the_api_router_wants_a_converter_for_every_lookup():
    class NoConverter(viewsets.ReadOnlyModelViewSet):
        pass

    router = ConverterRouter()
    router.register("things", NoConverter, basename="thing")
    with pytest.raises(ImproperlyConfigured, match="lookup_value_converter"):
        router.get_urls()


# --- limits Django and the middleware enforce -------------------------------------------------


def test_an_oversized_body_is_a_413_in_the_api_shape(api_for, volunteer, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = api_for(volunteer).post(REPORTS, {"notes": "x" * 2000}, format="multipart")
    assert response.status_code == 413
    assert error_codes(response) == {None: ["request_too_large"]}
    page = Client().post("/accounts/login/", {"login": "x" * 2000})
    assert page.status_code == 413 and page["Content-Type"].startswith("text/plain")


def test_a_body_over_django_memory_limit_is_a_413_in_the_api_shape(
    api_for, volunteer, species, product_type, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5000
    data = report_form(species, listing_text="x" * 6000)
    response = api_for(volunteer).post(REPORTS, data, format="multipart")
    assert response.status_code == 413
    assert error_codes(response) == {None: ["request_too_large"]}


def test_too_many_multipart_fields_is_a_400_in_the_api_shape(
    api_for, volunteer, species, product_type, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    data = report_form(species, **{f"extra{n}": "x" for n in range(30)})
    response = api_for(volunteer).post(REPORTS, data, format="multipart")
    assert response.status_code == 400
    assert error_codes(response) == {None: ["too_many_fields"]}


def test_too_many_query_parameters_is_a_400_in_the_api_shape(api_for, volunteer, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    query = "&".join(f"x{n}=1" for n in range(30))
    response = api_for(volunteer).get(f"{REPORTS}?{query}")
    assert response.status_code == 400
    assert error_codes(response) == {None: ["too_many_fields"]}


def test_pages_keep_django_html_answer_for_too_many_fields(client_for, expert, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    query = "&".join(f"x{n}=1" for n in range(30))
    response = client_for(expert).get(f"/review/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_an_overlong_query_string_is_a_414(api_for, client_for, volunteer, settings):
    query = "q=" + "x" * settings.MAX_QUERY_STRING_BYTES
    response = api_for(volunteer).get(f"/api/v1/species/?{query}")
    assert response.status_code == 414
    assert error_codes(response) == {None: ["uri_too_long"]}
    assert client_for(volunteer).get(f"/reports/mine/?{query}").status_code == 414


def test_the_bookmarklet_prefill_fits_in_the_query_string_limit(client_for, volunteer):
    text = "穿山甲鳞片" * 800  # 4,000 characters, 36,000 bytes percent-encoded
    response = client_for(volunteer).get(
        "/reports/new/",
        {"listing_url": "https://www.ebay.com/itm/1", "listing_title": "x", "listing_text": text},
    )
    assert response.status_code == 200


def test_a_nul_in_the_query_string_is_a_400(api_for, client_for, volunteer, expert):
    response = api_for(volunteer).get(f"{REPORTS}?group=%00")
    assert response.status_code == 400
    assert error_codes(response) == {None: ["invalid"]}
    assert client_for(expert).get("/review/?group=%00").status_code == 400
    assert client_for(expert).get("/review/?group=%2500").status_code == 200  # "%00" as text


def test_the_api_answers_django_errors_in_its_shape(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/api/v1/species/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert error_codes(response) == {None: ["bad_request"]}
    page = client.get("/", headers={"host": "evil.example"})
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
