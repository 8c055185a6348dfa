"""The audit log: every change recorded with who/when/what/before-after/IP, append-only at every
level, hash-chained, and the chain verifiable (first broken link reported)."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from reports.models import ReportStatus
from spotter import services
from spotter.audit import audit_key, record_event, seal_hash, seal_pending, verify_chain
from spotter.models import AuditEvent, AuditSeal, Role
from tests import factories

pytestmark = pytest.mark.django_db


def _events(n: int = 4) -> list[AuditEvent]:
    return [record_event(actor=None, action="test.event", data={"n": i}) for i in range(n)]


def _raw(sql: str, params=()):
    """What someone with database access (not the application) could do."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A database superuser can switch triggers off; the hash chain still catches it.
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


# --- append-only --------------------------------------------------------------------------


def test_orm_cannot_change_or_delete_events():
    event = _events(1)[0]
    event.reason = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_update([event], ["reason"])
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_create([AuditEvent(action="forged")])
    with pytest.raises(PermissionError):
        AuditEvent._base_manager.filter(pk=event.pk).update(reason="rewritten")
    event.refresh_from_db()
    assert event.reason == ""
    assert verify_chain().ok


def test_admin_is_read_only(client_for, admin_user):
    event = _events(1)[0]
    client = client_for(admin_user)
    assert client.get(reverse("admin:spotter_auditevent_changelist")).status_code == 200
    change = reverse("admin:spotter_auditevent_change", args=[event.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content, "no save button"
    assert client.post(change, {"reason": "rewritten"}).status_code == 403
    assert client.get(reverse("admin:spotter_auditevent_add")).status_code == 403
    delete = reverse("admin:spotter_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:spotter_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    event.refresh_from_db()
    assert event.reason == ""


# --- hash chain -------------------------------------------------------------------------------


def test_chain_links_each_event_to_the_previous_one():
    events = _events(3)
    assert not AuditSeal.objects.filter(event__in=events).exists(), "writers only append"
    assert seal_pending() >= 3
    seals = [AuditSeal.objects.get(event=event) for event in events]
    before = AuditSeal.objects.filter(seq__lt=seals[0].seq).order_by("-seq").first()
    assert seals[0].prev_hash == (before.hash if before else "0" * 64)
    assert seals[1].prev_hash == seals[0].hash and seals[2].prev_hash == seals[1].hash
    assert [s.seq for s in seals] == [seals[0].seq, seals[0].seq + 1, seals[0].seq + 2]
    result = verify_chain()
    assert result.ok and result.checked == AuditEvent.objects.count()
    assert result.unsealed == 0
    call_command("verify_audit_chain")


def test_seals_are_keyed_so_a_hash_reveals_nothing_without_the_key(settings):
    """The old chain hashed actor id and IP with plain SHA-256: anyone holding a hash could try
    candidate ids and IPs. A seal is an HMAC under the server's key."""
    event = record_event(actor=None, action="test.event", data={"n": 1})
    seal_pending()
    seal = AuditSeal.objects.get(event=event)
    unkeyed = hashlib.sha256(
        json.dumps(
            {"seq": seal.seq, "prev_hash": seal.prev_hash, "event": event.canonical_payload()},
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        ).encode()
    ).hexdigest()
    assert seal.hash != unkeyed
    assert seal.hash == seal_hash(seq=seal.seq, prev_hash=seal.prev_hash, event=event)
    # An auditor given the key verifies with it; any other key fails at the first event.
    assert verify_chain(key=audit_key()).ok
    assert not verify_chain(key=b"not the key").ok
    settings.AUDIT_CHAIN_KEY = "an-auditors-key"
    assert not verify_chain(seal_first=False).ok, "a different key does not verify"


def test_seals_are_append_only():
    _events(1)
    seal_pending()
    seal = AuditSeal.objects.order_by("-seq").first()
    seal.hash = "0" * 64
    with pytest.raises(PermissionError):
        seal.save()
    with pytest.raises(PermissionError):
        AuditSeal.objects.filter(pk=seal.pk).update(hash="0" * 64)
    with pytest.raises(PermissionError):
        AuditSeal.objects.all().delete()


def test_tampering_a_row_is_detected_at_that_row():
    events = _events(5)
    seal_pending()
    victim = events[2]
    _raw("UPDATE spotter_auditevent SET reason = %s WHERE id = %s", ["edited", victim.pk])
    result = verify_chain()
    assert not result.ok
    assert result.broken_event_id == victim.pk
    assert "content" in result.problem
    with pytest.raises(CommandError, match=f"event {victim.pk}"):
        call_command("verify_audit_chain")


def test_rehashing_a_tampered_row_breaks_the_next_link():
    events = _events(4)
    seal_pending()
    victim = events[1]
    _raw("UPDATE spotter_auditevent SET reason = %s WHERE id = %s", ["edited", victim.pk])
    victim.refresh_from_db()
    seal = AuditSeal.objects.get(event=victim)
    # Without the key, a forger's hash is wrong at the forged row itself.
    forged = hashlib.sha256(victim.reason.encode()).hexdigest()
    _raw("UPDATE spotter_auditseal SET hash = %s WHERE id = %s", [forged, seal.pk])
    result = verify_chain()
    assert not result.ok and result.broken_event_id == victim.pk
    # Even a holder of the key who re-seals the row breaks the next link.
    rehashed = seal_hash(seq=seal.seq, prev_hash=seal.prev_hash, event=victim)
    _raw("UPDATE spotter_auditseal SET hash = %s WHERE id = %s", [rehashed, seal.pk])
    result = verify_chain()
    assert not result.ok and result.broken_event_id == events[2].pk


def test_deleting_a_middle_row_is_detected_at_the_next_one():
    events = _events(4)
    seal_pending()
    _raw("DELETE FROM spotter_auditevent WHERE id = %s", [events[1].pk])
    result = verify_chain()
    assert not result.ok and result.broken_event_id == events[2].pk


def test_deleting_the_newest_row_is_detected():
    events = _events(3)
    seal_pending()
    _raw("DELETE FROM spotter_auditevent WHERE id = %s", [events[-1].pk])
    result = verify_chain()
    assert not result.ok
    assert "newest" in result.problem
    with pytest.raises(CommandError, match="newest"):
        call_command("verify_audit_chain")


# --- what gets recorded -----------------------------------------------------------------------


def test_request_driven_transition_records_actor_states_and_ip(client_for, volunteer, expert):
    report = factories.make_report(volunteer)
    response = client_for(expert).post(
        reverse("reports:claim", args=[report.reference]), REMOTE_ADDR="198.51.100.23"
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="report.claimed")
    assert event.actor == expert
    assert (event.object_type, event.object_id) == ("report", str(report.pk))
    assert (event.from_state, event.to_state) == (ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW)
    assert event.ip_address == "198.51.100.23"
    assert event.created_at is not None
    # The log never stores an email: it cannot be erased from an append-only chain.
    assert event.actor_label == f"expert#{expert.pk}"
    assert volunteer.email not in str(AuditEvent.objects.values_list())


def test_every_transition_forward_and_outcome_is_audited(volunteer, expert, staff, company):
    report = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    from reports import services as report_services

    report_services.acknowledge_report(report=report, staff=staff)
    report_services.record_outcome(report=report, staff=staff, outcome="removed")
    actions = list(
        AuditEvent.objects.filter(object_type="report", object_id=str(report.pk)).values_list(
            "action", "from_state", "to_state"
        )
    )
    assert actions == [
        ("report.submitted", "", "submitted"),
        ("report.claimed", "submitted", "in_review"),
        ("report.confirmed", "in_review", "confirmed"),
        ("report.forwarded", "confirmed", "forwarded"),
        ("report.acknowledged", "forwarded", "acknowledged"),
        ("report.outcome", "acknowledged", "closed"),
    ]


def test_role_change_in_admin_is_audited_with_before_and_after(
    client_for, admin_user, volunteer, company
):
    response = client_for(admin_user).post(
        reverse("admin:spotter_user_change", args=[volunteer.pk]),
        {
            "email": volunteer.email,
            "display_name": volunteer.display_name,
            "country": "US",
            "languages": "",
            "role": Role.COMPANY_STAFF,
            "company": company.pk,
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "00:00:00",
        },
        REMOTE_ADDR="192.0.2.44",
    )
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(action="user.role_changed")
    assert (event.from_state, event.to_state) == ("volunteer", "company_staff")
    assert event.data == {"company_before": None, "company_after": company.slug}
    assert event.actor == admin_user and event.ip_address == "192.0.2.44"
    # The admin's own change log entry is mirrored into the chain, without the person's email.
    logged = AuditEvent.objects.get(action="admin.changed")
    assert (logged.object_type, logged.object_id) == ("user", str(volunteer.pk))
    assert logged.actor == admin_user and logged.ip_address == "192.0.2.44"
    assert volunteer.email not in str(logged.data) + logged.reason
    assert verify_chain().ok


def test_role_change_service_is_audited(volunteer, admin_user):
    services.change_role(user=volunteer, role=Role.EXPERT, actor=admin_user)
    event = AuditEvent.objects.get(action="user.role_changed")
    assert (event.from_state, event.to_state, event.actor) == ("volunteer", "expert", admin_user)
