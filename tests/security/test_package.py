"""The evidence package: complete, verifiable, audited, and only for admins and the company."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.test import Client
from django.urls import reverse

from reports import services
from spotter.models import AuditEvent

pytestmark = pytest.mark.django_db


def _open(response) -> dict[str, bytes]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    names = archive.namelist()
    root = names[0].split("/")[0]
    assert all(name.startswith(root + "/") for name in names)
    return {name.split("/", 1)[1]: archive.read(name) for name in names}


def _check_signature(signature: dict, manifest_bytes: bytes) -> None:
    """As a recipient would: with the published key, not the server's private one."""
    published = Client().get(reverse("reports:evidence_package_key")).json()
    assert signature["algorithm"] == published["algorithm"] == "Ed25519"
    assert signature["key_id"] == published["key_id"]
    key = load_pem_public_key(published["public_key_pem"].encode())
    key.verify(base64.b64decode(signature["signature"]), manifest_bytes)  # raises if forged
    with pytest.raises(InvalidSignature):
        key.verify(base64.b64decode(signature["signature"]), manifest_bytes + b" ")


@pytest.fixture
def closed(forwarded, staff):
    services.record_outcome(report=forwarded, staff=staff, outcome="removed", note="Gone.")
    forwarded.refresh_from_db()
    return forwarded


def test_company_package_is_complete_and_verifiable(client_for, closed, staff, volunteer):
    url = reverse("reports:evidence_package", args=[closed.reference])
    files = _open(client_for(staff).get(url, REMOTE_ADDR="203.0.113.80"))
    assert {"notice.txt", "notice.html", "listing.json", "hashes.txt", "timeline.json"} <= set(
        files
    )
    assert "images/1.png" in files
    assert not any(name.startswith("originals/") for name in files), "originals are admin-only"

    signature = json.loads(files.pop("signature.json"))
    manifest_bytes = files.pop("manifest.json")
    _check_signature(signature, manifest_bytes)
    manifest = json.loads(manifest_bytes)
    assert manifest["reference"] == closed.reference
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(files), "every file is in the manifest, and nothing else"
    for name, data in files.items():
        assert listed[name]["sha256"] == hashlib.sha256(data).hexdigest(), name
        assert listed[name]["size"] == len(data)

    evidence = closed.evidence.get()
    assert hashlib.sha256(files["images/1.png"]).hexdigest() == evidence.image_sha256
    assert evidence.original_sha256.encode() in files["hashes.txt"]
    listing = json.loads(files["listing.json"])
    assert listing["url"] == closed.listing_url and listing["outcome"] == "removed"
    timeline = json.loads(files["timeline.json"])
    assert [e["action"] for e in timeline][:4] == [
        "report.submitted",
        "report.claimed",
        "report.confirmed",
        "report.forwarded",
    ]
    assert timeline[0]["actor"] == "volunteer"
    assert b"Notice of illegal wildlife content" in files["notice.html"]

    everything = b"".join(files.values())
    for secret in (volunteer.email, volunteer.display_name, volunteer.pseudonym):
        assert secret.encode() not in everything, secret
    assert b"203.0.113.80" not in everything

    event = AuditEvent.objects.get(action="report.package_downloaded")
    assert event.actor == staff and event.ip_address == "203.0.113.80"


def test_admin_package_includes_originals(client_for, closed, admin_user):
    files = _open(
        client_for(admin_user).get(reverse("reports:evidence_package", args=[closed.reference]))
    )
    evidence = closed.evidence.get()
    original = files["originals/1.png"]
    assert hashlib.sha256(original).hexdigest() == evidence.original_sha256
    manifest = json.loads(files["manifest.json"])
    assert manifest["originals_included"] is True
    assert "originals/1.png" in {entry["path"] for entry in manifest["files"]}


def test_package_refused_to_everyone_else(
    client_for, forwarded, volunteer, other_volunteer, expert, other_staff
):
    url = reverse("reports:evidence_package", args=[forwarded.reference])
    for user in (other_staff, volunteer, other_volunteer, expert):
        assert client_for(user).get(url).status_code == 404, user.role
    assert not AuditEvent.objects.filter(action="report.package_downloaded").exists()


def test_package_of_unforwarded_report_refused_to_its_company(client_for, volunteer, staff):
    from tests import factories

    report = factories.make_report(volunteer)
    url = reverse("reports:evidence_package", args=[report.reference])
    assert client_for(staff).get(url).status_code == 404
