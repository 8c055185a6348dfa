"""The admins' audit search: filters, newest first, pages by id, the seals of the page."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import RejectionReason
from reports.views import audit as audit_view
from spotter.audit import record_event, seal_pending
from spotter.models import AuditEvent, Role
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("reports:audit_search")


@pytest.fixture
def history(volunteer, expert):
    """Two reports: one confirmed (submitted, claimed, confirmed), one rejected with a reason."""
    confirmed = factories.make_report(volunteer)
    services.claim_report(report=confirmed, expert=expert)
    services.confirm_report(report=confirmed, expert=expert)
    rejected = factories.make_report(volunteer, url="https://www.example-shop.com/item/2")
    services.claim_report(report=rejected, expert=expert)
    services.reject_report(
        report=rejected, expert=expert, reason=RejectionReason.OTHER, note="plastic replica"
    )
    return confirmed, rejected


def rows(response):
    assert response.status_code == 200, response.content[:800]
    return [row[0] for row in response.context["rows"]]


def test_newest_first_and_filters(client_for, admin_user, history, volunteer, expert):
    confirmed, rejected = history
    client = client_for(admin_user)
    everything = rows(client.get(URL))
    ids = [e.pk for e in everything]
    assert ids == sorted(ids, reverse=True) and len(ids) >= 6

    by_reference = rows(client.get(URL, {"reference": confirmed.reference.lower()}))
    assert by_reference and {(e.object_type, e.object_id) for e in by_reference} == {
        ("report", str(confirmed.pk))
    }
    by_object = rows(client.get(URL, {"object_type": "report", "object_id": rejected.pk}))
    assert {e.object_id for e in by_object} == {str(rejected.pk)}

    actions = {e.action for e in everything if e.object_type == "report"}
    action = next(a for a in actions if "reject" in a)
    assert {e.object_id for e in rows(client.get(URL, {"action": action}))} == {str(rejected.pk)}

    assert {e.actor_id for e in rows(client.get(URL, {"role": Role.EXPERT}))} == {expert.pk}
    assert {e.actor_id for e in rows(client.get(URL, {"role": Role.VOLUNTEER}))} == {volunteer.pk}

    today = timezone.now().date()
    assert len(rows(client.get(URL, {"date_from": today, "date_to": today}))) == len(ids)
    yesterday = today - timedelta(days=1)
    assert rows(client.get(URL, {"date_to": yesterday})) == []


def test_reason_text_search(client_for, admin_user, history):
    record_event(actor=None, action="test.note", object_type="thing", object_id=1, reason="Plastic")
    found = rows(client_for(admin_user).get(URL, {"reason": "plastic"}))
    assert found and all("plastic" in e.reason.lower() for e in found)


def test_pages_by_id(client_for, admin_user, monkeypatch):
    for n in range(7):
        record_event(actor=None, action="test.page", object_type="thing", object_id=n)
    monkeypatch.setattr(audit_view, "PAGE_SIZE", 3)
    client = client_for(admin_user)
    first = client.get(URL, {"action": "test.page"})
    assert [e.object_id for e in rows(first)] == ["6", "5", "4"]
    second = client.get(f"{URL}?{first.context['next_query']}")
    assert [e.object_id for e in rows(second)] == ["3", "2", "1"]
    third = client.get(f"{URL}?{second.context['next_query']}")
    assert [e.object_id for e in rows(third)] == ["0"]
    assert third.context["next_query"] is None


def test_volunteers_are_shown_by_pseudonym_only(client_for, admin_user, history, volunteer):
    page = client_for(admin_user).get(URL, {"role": Role.VOLUNTEER}).content.decode()
    assert volunteer.pseudonym in page
    assert volunteer.email not in page and volunteer.display_name not in page


def test_page_seals_are_checked(client_for, admin_user, history):
    client = client_for(admin_user)
    response = client.get(URL)
    window = response.context["window"]
    assert window.events and window.ok
    seal_pending(from_start=True)
    window = client.get(URL).context["window"]
    assert window.all_sealed and window.ok
    assert "match their seals" in client.get(URL).content.decode()
    # An event changed behind the application's back no longer matches its seal.
    event = AuditEvent.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET reason = %s WHERE id = %s",
            ["rewritten", event.pk],
        )
    response = client.get(URL)
    assert response.context["window"].mismatched == [event.pk]
    assert "no longer match their seal" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"object_id": "5"}, "object_type", "Give the object type"),
        ({"reference": "CS-NOPE"}, "reference", "no report with this reference"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_from", "must not be after"),
        ({"date_from": "yesterday"}, "date_from", "Enter a valid date"),
        ({"role": "pirate"}, "role", "Select a valid choice"),
        ({"reason": "ab"}, "reason", "at least 3"),
        ({"before": "x"}, "before", "Enter a whole number"),
        ({"action": "a" * 61}, "action", "at most 60"),
    ],
)
def test_bad_filters_are_form_errors(client_for, admin_user, params, field, message):
    response = client_for(admin_user).get(URL, params)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    if field != "before":  # a hidden field: the error is in the form, not next to an input
        assert message in response.content.decode()


def test_query_count_does_not_grow(client_for, admin_user, volunteer, expert):
    client = client_for(admin_user)

    def queries():
        cache.clear()  # cold: the cached alert badge must not make the counts differ
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    def grow(n):
        for _ in range(n):
            report = factories.make_report(volunteer)
            services.claim_report(report=report, expert=expert)

    grow(2)
    small = queries()
    grow(15)
    assert queries() == small
    assert small <= 10


def test_not_for_other_roles(client_for, volunteer, expert, staff):
    for user in (volunteer, expert, staff):
        assert client_for(user).get(URL).status_code in (403, 404)
