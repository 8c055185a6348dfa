"""Evidence files are reachable only through permission-checked views or signed, expiring links."""

from __future__ import annotations

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from reports.notices import EVIDENCE_LINK_SALT, evidence_link
from spotter.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def _file_urls(evidence):
    """Every way someone might guess at the stored file under a public prefix."""
    names = [evidence.image.name, evidence.original.name]
    return [f"{prefix}{name}" for name in names for prefix in ("/media/", "/", "/static/")]


def test_media_root_is_not_mapped_to_any_url(client_for, forwarded, admin_user, settings):
    evidence = forwarded.evidence.get()
    for client in (Client(), client_for(admin_user)):
        for url in _file_urls(evidence):
            response = client.get(url)
            assert response.status_code in (301, 302, 404), url
            if response.status_code == 200:  # pragma: no cover - would be the bug
                pytest.fail(f"{url} served a file")


def test_served_image_headers(client_for, forwarded, staff):
    evidence = forwarded.evidence.get()
    response = client_for(staff).get(
        reverse("reports:evidence", args=[forwarded.reference, evidence.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_original_download_headers(client_for, forwarded, admin_user):
    evidence = forwarded.evidence.get()
    url = reverse("reports:evidence_original", args=[forwarded.reference, evidence.pk])
    response = client_for(admin_user).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Evidence-SHA256"] == evidence.original_sha256


def test_evidence_of_another_report_is_404(client_for, forwarded, volunteer, staff):
    other = factories.make_confirmed_report()
    evidence = other.evidence.get()
    # The evidence id of a report the user may not see, under a reference they may see.
    url = reverse("reports:evidence", args=[forwarded.reference, evidence.pk])
    assert client_for(volunteer).get(url).status_code == 404
    assert client_for(staff).get(url).status_code == 404


def test_staff_evidence_access_is_audited_with_ip(client_for, forwarded, staff):
    evidence = forwarded.evidence.get()
    client_for(staff).get(
        reverse("reports:evidence", args=[forwarded.reference, evidence.pk]),
        REMOTE_ADDR="203.0.113.7",
    )
    event = AuditEvent.objects.filter(action="evidence.viewed").get()
    assert event.actor == staff
    assert event.ip_address == "203.0.113.7"
    assert event.data == {"evidence": evidence.pk}


def test_signed_link_works_then_expires_and_cannot_be_forged(
    client, forwarded, settings, monkeypatch
):
    evidence = forwarded.evidence.get()
    url = evidence_link(evidence.pk).removeprefix(settings.SITE_URL)
    response = client.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="evidence.link_opened").count() == 1

    forged = signing.TimestampSigner(salt="something-else").sign(str(evidence.pk))
    assert client.get(reverse("reports:evidence_link", args=[forged])).status_code == 404
    tampered = url.replace(f"/e/{evidence.pk}:", f"/e/{evidence.pk + 1}:")
    assert client.get(tampered).status_code == 404

    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 8 * 24 * 3600)
    old = signing.TimestampSigner(salt=EVIDENCE_LINK_SALT).sign(str(evidence.pk))
    monkeypatch.setattr(signing.time, "time", real_time)
    assert client.get(reverse("reports:evidence_link", args=[old])).status_code == 404
