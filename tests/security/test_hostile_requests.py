"""Hostile input on PostgreSQL: every URL pattern answers 4xx, never 5xx.

PostgreSQL refuses a NUL byte in a query parameter (psycopg DataError) where SQLite does not
mind, so these walks run in production mode. The URL list is walked from ``get_resolver()``
(admin and allauth included, as in test_access_matrix.py) and requested as several roles:

- each path parameter in turn gets each hostile value (NUL, invalid UTF-8, 400 digits, ``../``,
  4,000 characters, -1) while the others keep a real value, with GET and POST;
- every page and endpoint gets a NUL byte in every query parameter the site reads;
- every page and endpoint is POSTed a form and a JSON body with a NUL byte in every field.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.urls import get_resolver

from .test_access_matrix import PARAMS, URL_PARAMS, World, _client, _walk
from .test_access_matrix import world as world  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.production, pytest.mark.django_db]

ROLES = ("anon", "volunteer", "expert", "staff", "admin")

# Raw (already percent-encoded) path segments.
HOSTILE = {
    "nul": "%00",
    "nul-inside": "CS-ABC%00DEF",
    "invalid-utf8": "%ff%fe",
    "400-digits": "9" * 400,
    "dot-dot": "..%2f..%2fsettings.py",
    "long": "A" * 4000,
    "negative": "-1",
}

# Query parameters the views, filters and forms read.
QUERY_NAMES = [
    *("group", "platform", "status", "page", "page_size", "cursor", "region", "format"),
    *("species", "product_type", "q", "company", "country", "start", "end", "year"),
    *("verdict", "outcome", "claimed", "ordering", "next", "cites_appendix"),
    *("listing_url", "listing_title", "listing_text", "submitted_after", "forwarded_after"),
]

# Fields the site's forms and API bodies read.
FIELD_NAMES = [
    *("listing_url", "listing_title", "species", "species_other", "product_type"),
    *("listing_text", "listing_language", "price", "currency", "seller_handle", "quantity"),
    *("listing_location", "notes", "note", "message", "reason", "outcome", "verdict"),
    *("confirm", "name", "display_name", "country", "languages", "password", "company"),
    *("group", "region", "start", "end", "year", "attempt", "q1", "alert", "login", "email"),
]

_CONVERTER = re.compile(r"(?<!\?P)<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _fill(route: str, values: dict[str, str]) -> str:
    """The path of ``route`` (a Django route or a regex, or a mix of both) with ``values``."""
    route = _CONVERTER.sub(lambda m: values[m.group("name")], route)
    out, i = [], 0
    while i < len(route):
        if route.startswith("(?P<", i):  # a named regex group: replace it whole
            name = route[i + 4 : route.index(">", i)]
            depth, j = 0, i
            while True:
                if route[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(route[j], 0)
                j += 1
                if depth == 0:
                    break
            out.append(values[name])
            i = j
        elif route[i] == "\\":
            out.append(route[i + 1])
            i += 2
        elif route[i] in "^$":
            i += 1
        elif route.startswith(".*", i):
            i += 2
        else:
            out.append(route[i])
            i += 1
    return "/" + "".join(out)


def _param_names(route: str) -> list[str]:
    return [m.group("name") for m in _CONVERTER.finditer(route)] + re.findall(
        r"\(\?P<(\w+)>", route
    )


def _valid(world: World, key: str, name: str) -> str:
    maker = URL_PARAMS.get(key, {}).get(name) or PARAMS.get(name)
    return str(maker(world)) if maker else "1"


def _site_paths(world: World):
    """(key, path) of every URL but the admin's, with real parameter values."""
    for key, route, _entry in _walk(get_resolver().url_patterns):
        if not (key.startswith("admin:") or route.startswith("admin/")):
            values = {name: _valid(world, key, name) for name in _param_names(route)}
            yield key, _fill(route, values)


def _send(problems: list[str], label: str, send: Callable) -> None:
    """Send a request; a raised exception or a 5xx is a problem."""
    try:
        status = send().status_code
    except Exception as exc:  # noqa: BLE001 - a server error, reported below
        problems.append(f"{label}: {type(exc).__name__}: {exc}"[:300])
        return
    if status >= 500:
        problems.append(f"{label}: {status}")


def _report(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} server error(s):\n" + "\n".join(problems)


@pytest.fixture(autouse=True)
def _needs_postgresql(settings):
    if connection.vendor != "postgresql":
        message = "production-mode test: run with DATABASE_URL on PostgreSQL (make test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # The walks send many requests per role: no rate limit may hide a view behind a 429.
    rates = dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/minute")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_fill_builds_paths_from_routes_and_regexes():
    values = {"reference": "R", "evidence_id": "7", "uidb36": "u", "key": "k", "url": "x"}
    assert _fill("reports/<ref:reference>/evidence/<id:evidence_id>/", values) == (
        "/reports/R/evidence/7/"
    )
    assert _fill(r"api/v1/^reports/(?P<reference>[^/]+)/evidence/$", values) == (
        "/api/v1/reports/R/evidence/"
    )
    route = r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$"
    assert _fill(route, values) == "/accounts/password/reset/key/u-k/"
    assert _fill("admin/(?P<url>.*)$", values) == "/admin/x"
    assert _param_names(route) == ["uidb36", "key"]


def test_no_url_answers_5xx_to_hostile_path_values(world):
    cases = []
    for key, route, _entry in _walk(get_resolver().url_patterns):
        names = _param_names(route)
        for target in names:
            for label, hostile in HOSTILE.items():
                values = {name: _valid(world, key, name) for name in names}
                values[target] = hostile
                cases.append((f"{key} [{target}={label}]", _fill(route, values)))
    walked = {case.split(" [")[0] for case, _path in cases}
    # Pages, the API router, allauth's regexes and the admin are all in the walk.
    assert {
        "reports:evidence_package",
        "api:company-detail",
        "api:report-claim",
        "account_confirm_email",
        "admin:reports_report_change",
    } <= walked
    clients = {role: _client(world, role) for role in ROLES}
    problems: list[str] = []
    for case, path in cases:
        for role, client in clients.items():
            _send(problems, f"GET {case} as {role}", lambda c=client, p=path: c.get(p))
            _send(
                problems,
                f"POST {case} as {role}",
                lambda c=client, p=path: c.post(p, {}, content_type="application/json"),
            )
    _report(problems)


def test_no_url_answers_5xx_to_a_nul_in_the_query_string(world):
    query = "&".join(f"{name}=%00" for name in QUERY_NAMES)
    clients = {role: _client(world, role) for role in ROLES}
    problems: list[str] = []
    for key, path in _site_paths(world):
        for role, client in clients.items():
            _send(problems, f"GET {key} as {role}", lambda c=client, p=path: c.get(f"{p}?{query}"))
    _report(problems)


def test_no_url_answers_5xx_to_nul_bytes_in_the_body(world):
    form = dict.fromkeys(FIELD_NAMES, "1\x00")
    problems: list[str] = []
    for key, path in _site_paths(world):
        for role in ROLES:
            client = _client(world, role)  # afresh: a POST may have signed the last one out
            _send(problems, f"POST form {key} as {role}", lambda c=client, p=path: c.post(p, form))
            _send(
                problems,
                f"POST json {key} as {role}",
                lambda c=client, p=path: c.post(p, form, content_type="application/json"),
            )
    _report(problems)
