"""What every page's header and the admins' overview keep in the cache (issue 12): the
volunteer's needs-input badge and certificate, the admins' alert badge, the overview's panels,
the memoised navigation (spotter/templatetags/memo.py). A repeated request runs only the
session and user queries and what cannot be cached; every change the page shows replaces it."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals import services as referral_services
from reports import services
from reports.forwarding import alerts
from reports.models import AlertKind
from tests import factories
from tests.referrals.helpers import make_partner, non_member_report
from training import services as training_services
from training.models import Certificate

pytestmark = pytest.mark.django_db


def get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def badge(html: str) -> str | None:
    found = re.search(r'data-testid="needs-input-badge">(\d+)<', html)
    return found.group(1) if found else None


def alert_badge(html: str) -> str | None:
    found = re.search(r'Alerts <span class="badge overdue">(\d+)</span>', html)
    return found.group(1) if found else None


def test_my_reports_hit_runs_only_what_is_not_cached(client_for, volunteer):
    factories.make_report(volunteer)
    client = client_for(volunteer)
    url = reverse("reports:mine")
    first, cold = get(client, url)
    again, warm = get(client, url)
    # The session and the user: the table, the accuracy line, the needs-input count, the
    # certificate and "takes part in no running round" are cached.
    assert warm == 2 < cold


def test_needs_input_badge_follows_the_transitions(client_for, volunteer, expert):
    report = factories.make_report(volunteer)
    client = client_for(volunteer)
    url = reverse("reports:mine")
    assert badge(get(client, url)[0]) is None
    services.claim_report(report=report, expert=expert)
    services.request_info(report=report, expert=expert, message="Which species is it?")
    assert badge(get(client, url)[0]) == "1"
    assert badge(get(client, reverse("quality:accuracy"))[0]) == "1"  # every page's header
    services.resubmit_report(
        report=report, volunteer=volunteer, details=factories.details(report.listing_url)
    )
    assert badge(get(client, url)[0]) is None


def test_flag_link_follows_revocation_and_a_new_certificate(client_for, volunteer, admin_user):
    client = client_for(volunteer)
    url = reverse("reports:mine")
    assert 'data-testid="finish-training"' not in get(client, url)[0]
    training_services.revoke_certificate(
        certificate=Certificate.objects.get(user=volunteer), actor=admin_user
    )
    revoked, _ = get(client, url)
    assert 'data-testid="finish-training"' in revoked and "withdrawn" in revoked
    factories.certify(volunteer)  # a new certificate (a save): the header follows
    assert 'data-testid="finish-training"' not in get(client, url)[0]


def test_a_cached_certificate_ends_when_it_expires(client_for, volunteer, monkeypatch):
    expires = timezone.now() + timedelta(hours=1)
    Certificate.objects.filter(user=volunteer).update(expires_at=expires)
    client = client_for(volunteer)
    url = reverse("reports:mine")
    assert 'data-testid="finish-training"' not in get(client, url)[0]  # cached until then
    later = expires + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert 'data-testid="finish-training"' in get(client, url)[0]


def test_alert_badge_follows_opening_and_acknowledgement(client_for, admin_user):
    client = client_for(admin_user)
    url = reverse("quality:dashboard")
    assert alert_badge(get(client, url)[0]) is None
    problem = alerts.Problem(AlertKind.DEAD_LETTER, "dead_letter:delivery:1", "/overview/")
    assert alerts._open(problem, timezone.now())
    assert alert_badge(get(client, url)[0]) == "1"
    alert = alerts.OpsAlert.objects.get()
    alerts.acknowledge_alert(alert_id=alert.pk, actor=admin_user)
    assert alert_badge(get(client, url)[0]) is None


def test_overview_hit_and_its_panels_follow_routing(client_for, admin_user, volunteer):
    report = non_member_report(volunteer=volunteer, location="Paris, France")
    client = client_for(admin_user)
    url = reverse("reports:overview")
    first, cold = get(client, url)
    assert report.reference in first.split('data-testid="unrouted"')[1]
    # A cold cache also counts the waiting reports once (referrals.unrouted's snapshot): the
    # panel is stored from the next request on, under that snapshot.
    get(client, url)
    again, warm = get(client, url)
    # The session, the user and the outbox's two states (no dead delivery: no dead list).
    assert warm == 3 < cold
    make_partner(name="Wild NGO", worldwide=True)
    referral_services.route_report(report_id=report.pk)
    routed, _ = get(client, url)
    assert report.reference not in routed.split('data-testid="unrouted"')[1]


def test_navigation_is_per_role_and_csrf_tokens_are_not_memoised(
    client_for, volunteer, expert, admin_user
):
    pages = {
        who: get(client_for(user), reverse("reports:catalogue"))[0]
        for who, user in (("volunteer", volunteer), ("expert", expert), ("admin", admin_user))
    }
    assert 'href="/reports/mine/"' in pages["volunteer"]
    assert reverse("reports:queue") in pages["expert"] and "/reports/mine/" not in pages["expert"]
    assert reverse("reports:overview") in pages["admin"]
    assert reverse("reports:overview") not in pages["expert"]
    client = client_for(volunteer)
    tokens = [
        re.findall(
            r'name="csrfmiddlewaretoken" value="([^"]+)"',
            get(client, reverse("reports:catalogue"))[0],
        )
        for _ in range(2)
    ]
    assert tokens[0] and tokens[0] != tokens[1]  # masked anew on each response


def test_navigation_follows_the_language(client_for, volunteer):
    client = client_for(volunteer)
    english = get(client, reverse("reports:mine"))[0]
    client.cookies["django_language"] = "fr"
    french = client.get(reverse("reports:mine"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "My reports" in english
    assert french != english
