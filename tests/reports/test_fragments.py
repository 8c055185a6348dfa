"""The hot list tables are cached (reports/fragments.py) and replaced as soon as a transition
changes what they show; a cached table is never served to another viewer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import fragments, services
from tests import factories

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_queue_table_is_cached_until_a_transition(client_for, volunteer, expert, other_expert):
    report = factories.make_report(volunteer)
    client = client_for(expert)
    url = reverse("reports:queue")
    first, cold = get(client, url)
    assert report.reference in first and "(you)" not in first
    again, warm = get(client, url)
    assert report.reference in again
    assert warm <= cold - 4  # no COUNT, page query, species groups or companies
    services.claim_report(report=report, expert=other_expert)
    claimed, _ = get(client, url)
    assert "(another expert)" in claimed
    newer = factories.make_report(volunteer)
    assert newer.reference in get(client, url)[0]


def test_queue_table_is_per_expert(client_for, volunteer, expert, other_expert):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    mine, _ = get(client_for(expert), reverse("reports:queue"))
    theirs, _ = get(client_for(other_expert), reverse("reports:queue"))
    assert "(you)" in mine and "(another expert)" not in mine
    assert "(another expert)" in theirs and "(you)" not in theirs


def test_queue_filters_answer_htmx_with_the_fragment_only(client_for, volunteer, expert):
    report = factories.make_report(volunteer)
    client = client_for(expert)
    response = client.get(reverse("reports:queue") + "?sort=newest", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="queue">') and "<html" not in body
    assert report.reference in body
    assert "HX-Request" in response["Vary"]
    # A history restore needs the whole page.
    full = client.get(
        reverse("reports:queue"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in full.content.decode()


def test_queue_filter_bar_follows_species_group_edits(client_for, expert):
    client = client_for(expert)
    group = factories.get_species().group
    assert group.name in get(client, reverse("reports:queue"))[0]
    group.name = "Renamed group for the test"
    group.save()
    assert "Renamed group for the test" in get(client, reverse("reports:queue"))[0]


def test_portal_table_follows_acknowledgement(client_for, staff, expert, company):
    report = factories.make_confirmed_report(expert=expert)
    assert report.company_id == company.pk
    client = client_for(staff)
    url = reverse("reports:portal")
    first, cold = get(client, url)
    assert report.reference in first and 'name="references"' in first
    again, warm = get(client, url)
    assert warm < cold
    services.acknowledge_report(report=report, staff=staff)
    after, _ = get(client, url)
    assert 'name="references"' not in after  # only new notices can be selected


def test_portal_cache_is_per_company(client_for, staff, other_staff, expert):
    report = factories.make_confirmed_report(expert=expert)
    assert report.reference in get(client_for(staff), reverse("reports:portal"))[0]
    assert report.reference not in get(client_for(other_staff), reverse("reports:portal"))[0]


def test_my_reports_follow_the_expert_decision(client_for, volunteer, expert):
    report = factories.make_report(volunteer)
    client = client_for(volunteer)
    url = reverse("reports:mine")
    first, cold = get(client, url)
    assert report.reference in first
    assert get(client, url)[1] < cold
    services.claim_report(report=report, expert=expert)
    services.reject_report(report=report, expert=expert, reason="not_wildlife", note="")
    assert "badge status-rejected" in get(client, url)[0]


def test_scopes_of_a_transition(volunteer, company):
    report = factories.make_report(volunteer)
    assert fragments.scopes_for(report, from_state="submitted", to_state="in_review") == {
        "all",
        f"volunteer:{volunteer.pk}",
        f"company:{company.pk}",
        "queue",
    }
    assert "queue" not in fragments.scopes_for(
        report, from_state="forwarded", to_state="acknowledged"
    )


def test_versions_only_move_forward():
    before = fragments.versions("queue")
    fragments.bump(["queue"])
    assert int(fragments.versions("queue")) == int(before) + 1


def test_overview_lists_follow_a_confirmation(client_for, admin_user, expert):
    client = client_for(admin_user)
    url = reverse("reports:overview")
    assert get(client, url)[0].count('class="ref"') == 0
    report = factories.make_confirmed_report(
        expert=expert, url="https://www.wildtrade-bazaar.com/item/9"
    )
    assert report.company_id is None
    assert report.reference in get(client, url)[0]
