"""Property-based tests of the API against its own OpenAPI schema (Schemathesis).

The schema is generated in-process, every operation gets generated requests as each role
(volunteer, expert, company staff, admin — each with a personal token), sent to the Django WSGI
app in-process. A 5xx, an undocumented status code or content type, or a body that does not
match the schema fails the test. Path parameters are often swapped for real references so the
requests reach real objects, not only 404s.
"""

import zlib
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import ServerError
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.tokens import create_token
from reports import services
from spotter.models import Role
from spotter.wsgi import application
from tests import factories

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 8
ROLES = ["volunteer", "expert", "staff", "admin"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CASES: Counter = Counter()
STATUSES: Counter = Counter()
SUCCEEDED: set = set()  # operations that answered 2xx at least once

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE])


@pytest.fixture(scope="module", autouse=True)
def _report_case_count(pytestconfig):
    yield
    if CASES:
        reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
        total = sum(CASES.values())
        classes = ", ".join(f"{k}: {v}" for k, v in sorted(STATUSES.items()))
        line = (
            f"schemathesis: {total} generated cases over {len(CASES)} operation×role pairs "
            f"(max {MAX_EXAMPLES} examples each); responses {classes}; "
            f"{len(SUCCEEDED)} of {len({op for op, _role in CASES})} operations answered 2xx"
        )
        missing = sorted({op for op, _role in CASES} - SUCCEEDED)
        if missing:
            line += " (never 2xx: " + ", ".join(missing) + ")"
        capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
        with capture.global_and_fixture_disabled():  # shown even when the tests pass
            reporter.write_line(line)


@pytest.fixture
def world(settings):
    """A small programme: one company, users of every role with tokens, reports in many states."""
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = dict.fromkeys(rest["DEFAULT_THROTTLE_RATES"], "100000/hour")
    settings.REST_FRAMEWORK = rest
    company = factories.make_company(slug="shopco", domains=("example-shop.com",))
    factories.get_species()
    factories.get_product_type("scales")
    users = {
        "volunteer": factories.make_user(Role.VOLUNTEER),
        "expert": factories.make_user(Role.EXPERT),
        "staff": factories.make_user(Role.COMPANY_STAFF, company=company),
        "admin": factories.make_user(Role.ADMIN),
    }
    volunteer, expert = users["volunteer"], users["expert"]
    submitted = factories.make_report(volunteer)
    in_review = factories.make_report(volunteer)
    services.claim_report(report=in_review, expert=expert)
    needs_info = factories.make_report(volunteer)
    services.claim_report(report=needs_info, expert=expert)
    services.request_info(report=needs_info, expert=expert, message="Price?")
    forwarded = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    closed = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    services.record_outcome(report=closed, staff=users["staff"], outcome="removed")
    reports = [submitted, in_review, needs_info, forwarded, closed]
    # The WSGI handler closes "old" connections around each request, which would end the
    # test's transaction; the Django test client switches this off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {
        "tokens": {
            role: create_token(user=user, name="schemathesis")[1] for role, user in users.items()
        },
        "references": [r.reference for r in reports],
        "by_state": {
            "submitted": [submitted.reference, needs_info.reference],
            "in_review": [in_review.reference],
            "forwarded": [forwarded.reference],
        },
        "evidence": {r.reference: r.evidence.first().pk for r in reports},
        "pseudonym": volunteer.pseudonym,
        "species": factories.get_species().pk,
        "png": factories.png_bytes(64, 48),
    }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


SLUGS = {
    "/api/v1/companies/{slug}/": "shopco",
    "/api/v1/species-groups/{slug}/": "pangolins",
    "/api/v1/product-types/{slug}/": "scales",
}
PREFERRED_STATE = {
    "/withdraw/": "submitted",
    "/claim/": "submitted",
    "/{reference}/": "submitted",  # PATCH: the needs-info report is among them
    "/release/": "in_review",
    "/confirm/": "in_review",
    "/reject/": "in_review",
    "/needs-info/": "in_review",
    "/acknowledge/": "forwarded",
    "/outcome/": "forwarded",
}


def _pick(value, choices):
    return choices[zlib.crc32(repr(value).encode()) % len(choices)]


def use_real_identifiers(case, world) -> None:
    """Two times in three, point identifiers at objects that exist and attach real PNGs, so
    generated requests get past "not found" and reach the services, not only the validators."""
    params = case.path_parameters or {}
    body = case.body if isinstance(case.body, dict) else {}
    seed = repr(sorted(params.items())) + repr(sorted(body))
    if zlib.crc32(seed.encode()) % 3 == 0:
        return
    if "reference" in params:
        # Prefer reports in a state where the operation can succeed.
        path = case.operation.path
        candidates = world["references"]
        for suffix, state in PREFERRED_STATE.items():
            if path.endswith(suffix) and case.method != "GET":
                candidates = world["by_state"][state]
        reference = _pick(params["reference"], candidates)
        params["reference"] = reference
        if "evidence_id" in params:
            params["evidence_id"] = world["evidence"][reference]
    if "pseudonym" in params:
        params["pseudonym"] = world["pseudonym"]
    if "slug" in params:
        params["slug"] = SLUGS[case.operation.path]
    if "id" in params:
        params["id"] = world["species"]
    if body.get("species") is not None:
        body["species"] = world["species"]
    if "listing_url" in body:
        body["listing_url"] = f"https://www.example-shop.com/item/{zlib.crc32(seed.encode())}"
    if "product_type" in body:
        body["product_type"] = "scales"
    if "screenshots" in body:
        count = min(max(len(body["screenshots"] or []), 1), 2)
        body["screenshots"] = [world["png"]] * count


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, role, world):
    use_real_identifiers(case, world)
    with override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False):
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {world['tokens'][role]}"}, checks=CHECKS
        )
    CASES[(case.operation.label, role)] += 1
    STATUSES[f"{response.status_code // 100}xx"] += 1
    if response.status_code < 300:
        SUCCEEDED.add(case.operation.label)


def test_a_server_error_fails_the_run(world, monkeypatch):
    """The harness is not blind: a view that crashes is reported as a failure."""
    from api.views import me

    def boom(self, request):
        raise RuntimeError("deliberate crash")

    monkeypatch.setattr(me.MeView, "get", boom)
    case = schema["/api/v1/me/"]["GET"].Case()
    with pytest.raises(BaseExceptionGroup) as failure:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {world['tokens']['volunteer']}"}, checks=CHECKS
        )
    assert failure.group_contains(ServerError)
