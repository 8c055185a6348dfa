"""A volunteer downloads their data and closes their account; evidence retention."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import call_command
from django.db.models import ForeignKey
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quality.selectors import volunteer_accuracy
from reports import headline, services
from reports.models import Evidence, ReportStatus
from reports.selectors import headline_counts
from spotter.audit import verify_chain
from spotter.models import AuditEvent, User
from spotter.privacy import FORMER_VOLUNTEER, personal_data_registry
from tests import factories

pytestmark = pytest.mark.django_db


def test_profile_offers_export_and_closure(client_for, volunteer, staff):
    page = client_for(volunteer).get(reverse("profile"))
    assert reverse("data_export").encode() in page.content
    assert reverse("close_account").encode() in page.content
    staff_page = client_for(staff).get(reverse("profile"))
    assert reverse("data_export").encode() in staff_page.content
    assert reverse("close_account").encode() not in staff_page.content


def test_data_export_holds_profile_reports_and_events(
    client_for, volunteer, other_volunteer, expert, company
):
    mine = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    theirs = factories.make_report(other_volunteer)
    response = client_for(volunteer).get(reverse("data_export"), REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["email"] == volunteer.email
    assert data["profile"]["pseudonym"] == volunteer.pseudonym
    assert [r["reference"] for r in data["reports"]] == [mine.reference]
    assert data["reports"][0]["evidence"][0]["original_sha256"]
    actions = {e["action"] for e in data["audit_events"]}
    assert {"user.created", "report.submitted", "report.confirmed"} <= actions
    # Other people appear by role only; other volunteers' reports never.
    body = response.content.decode()
    assert expert.email not in body and str(expert.display_name) not in body
    assert theirs.reference not in body and other_volunteer.email not in body
    assert "Certificate" in json.dumps(data["other_records"]) or data["other_records"] == {}
    assert "password" not in body
    event = AuditEvent.objects.filter(action="privacy.data_exported").get()
    assert event.actor == volunteer and event.ip_address == "203.0.113.5"


def test_every_app_holding_rows_about_a_user_takes_part_in_export_and_closure():
    """spotter.privacy exports and erases only what apps register: an app whose models point at
    a user must be registered (spotter's own account data, allauth's email addresses and
    two-factor devices, and Django's admin log are handled by spotter itself)."""
    handled_by_spotter = {"spotter", "account", "mfa", "admin"}
    unregistered = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, ForeignKey)
        and field.related_model is User
        and model._meta.app_label not in handled_by_spotter | set(personal_data_registry)
    }
    assert not unregistered, unregistered


def test_anonymous_cannot_export(client):
    response = client.get(reverse("data_export"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_close_account_anonymises_and_keeps_the_figures(
    client_for, volunteer, expert, staff, company
):
    confirmed = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    rejected = factories.make_report(volunteer)
    services.claim_report(report=rejected, expert=expert)
    services.reject_report(report=rejected, expert=expert, reason="not_wildlife")
    accuracy_before = volunteer_accuracy(volunteer)
    headline.refresh()  # the figures are a snapshot recounted off the request path
    counts_before = headline_counts()
    email, name = volunteer.email, volunteer.display_name

    client = client_for(volunteer)
    refused = client.post(reverse("close_account"), {"password": "wrong", "confirm": "CLOSE"})
    assert refused.status_code == 200 and User.objects.get(pk=volunteer.pk).is_active
    response = client.post(
        reverse("close_account"), {"password": factories.PASSWORD, "confirm": "close"}
    )
    assert response.status_code == 302

    user = User.objects.get(pk=volunteer.pk)
    assert user.email == f"deleted-{user.pk}@invalid"
    assert user.display_name == FORMER_VOLUNTEER
    assert not user.has_usable_password() and not user.is_active
    assert not EmailAddress.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("reports:mine")).status_code == 302, "signed out"
    assert (
        Client()
        .post(reverse("account_login"), {"login": email, "password": factories.PASSWORD})
        .status_code
        == 200
    ), "cannot sign in any more"

    # Reports stay, and every figure is unchanged.
    assert set(user.reports.values_list("reference", flat=True)) == {
        confirmed.reference,
        rejected.reference,
    }
    assert volunteer_accuracy(user) == accuracy_before
    headline.refresh()
    assert headline_counts() == counts_before
    event = AuditEvent.objects.get(action="privacy.account_closed")
    assert event.actor_id == user.pk and event.to_state == "anonymised"
    assert verify_chain().ok

    # Nobody sees the old identity any more: admin pages show "former volunteer".
    admin = client_for(factories.make_user("admin"))
    page = admin.get(reverse("reports:detail", args=[confirmed.reference]))
    assert email.encode() not in page.content and name.encode() not in page.content
    assert FORMER_VOLUNTEER.encode() in page.content or b"deleted-" in page.content
    assert email not in str(list(AuditEvent.objects.values_list()))


def test_close_account_page_refused_to_staff_roles(client_for, staff, expert):
    for user in (staff, expert):
        assert client_for(user).get(reverse("close_account")).status_code == 403
        response = client_for(user).post(
            reverse("close_account"), {"password": factories.PASSWORD, "confirm": "CLOSE"}
        )
        assert response.status_code == 403
        assert User.objects.get(pk=user.pk).is_active


# --- retention -------------------------------------------------------------------------------


def _rejected(volunteer, expert, decided_days_ago: int):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    report = services.reject_report(report=report, expert=expert, reason="not_wildlife")
    type(report).objects.filter(pk=report.pk).update(
        decided_at=timezone.now() - timedelta(days=decided_days_ago)
    )
    return report


def test_purge_rejected_originals_after_retention(
    volunteer, expert, company, settings, django_capture_on_commit_callbacks
):
    assert settings.EVIDENCE_RETENTION_REJECTED_DAYS == 180
    old = _rejected(volunteer, expert, 181)
    recent = _rejected(volunteer, expert, 10)
    confirmed = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    type(confirmed).objects.filter(pk=confirmed.pk).update(
        decided_at=timezone.now() - timedelta(days=400)
    )
    old_evidence = old.evidence.get()
    original_path = old_evidence.original.path
    image_before = (old_evidence.image_sha256, old_evidence.image.name)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_rejected_originals")

    old_evidence.refresh_from_db()
    assert not old_evidence.original and old_evidence.original_purged_at is not None
    assert not os.path.exists(original_path)
    assert (old_evidence.image_sha256, old_evidence.image.name) == image_before
    assert old_evidence.image.storage.exists(old_evidence.image.name)
    assert old_evidence.original_sha256, "the hash of the upload is kept"
    for kept in (recent, confirmed):
        evidence = kept.evidence.get()
        assert evidence.original and evidence.original_purged_at is None
    event = AuditEvent.objects.get(action="evidence.originals_purged")
    assert event.object_id == str(old.pk) and event.data["evidence"] == [old_evidence.pk]

    call_command("purge_rejected_originals")  # idempotent
    assert AuditEvent.objects.filter(action="evidence.originals_purged").count() == 1


def test_purged_original_is_gone_for_admins_too(client_for, volunteer, expert, admin_user):
    old = _rejected(volunteer, expert, 365)
    call_command("purge_rejected_originals", days=30)
    evidence = Evidence.objects.get(report=old)
    url = reverse("reports:evidence_original", args=[old.reference, evidence.pk])
    assert client_for(admin_user).get(url).status_code == 404
    image = reverse("reports:evidence", args=[old.reference, evidence.pk])
    assert client_for(admin_user).get(image).status_code == 200
    assert old.status == ReportStatus.REJECTED


def test_beat_schedule_runs_the_purge(settings):
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reports.tasks.purge_rejected_originals" in entries
    from reports.tasks import purge_rejected_originals

    assert purge_rejected_originals.name == "reports.tasks.purge_rejected_originals"


def test_admin_closes_a_volunteer_account_but_cannot_delete_people(
    client_for, admin_user, volunteer, staff
):
    client = client_for(admin_user)
    changelist = reverse("admin:spotter_user_changelist")
    response = client.post(
        changelist,
        {"action": "close_accounts", "_selected_action": [volunteer.pk, staff.pk]},
        REMOTE_ADDR="192.0.2.70",
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    staff.refresh_from_db()
    assert volunteer.display_name == FORMER_VOLUNTEER and not volunteer.is_active
    assert staff.is_active, "staff accounts are not closed this way"
    event = AuditEvent.objects.get(action="privacy.account_closed")
    assert event.actor == admin_user and event.ip_address == "192.0.2.70"
    delete = reverse("admin:spotter_user_delete", args=[staff.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=staff.pk).exists()
