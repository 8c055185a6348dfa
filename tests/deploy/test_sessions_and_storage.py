"""Past one host: sessions in the cache, evidence through the storage API only."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.files.storage import storages
from django.urls import reverse

from reports.models import Evidence
from spotter import privacy
from tests import factories

pytestmark = pytest.mark.django_db

CACHED_DB = "django.contrib.sessions.backends.cached_db"


def test_closing_an_account_ends_cached_sessions_too(client, settings, volunteer):
    """With cached_db sessions a deleted row alone would still be served from the cache."""
    settings.SESSION_ENGINE = CACHED_DB
    client.force_login(volunteer)
    assert client.session[SESSION_KEY] == str(volunteer.pk)
    assert client.get("/profile/").status_code == 200
    privacy._end_sessions(volunteer)
    response = client.get("/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


class RecordingStorage:
    """Stands in for S3: no filesystem path exists, only the storage API."""

    def __init__(self, real):
        self.real = real
        self.opened = []

    def open(self, name, mode="rb"):
        self.opened.append(name)
        return self.real.open(name, mode)

    def path(self, name):
        raise NotImplementedError("object storage has no local paths")

    def __getattr__(self, attr):
        return getattr(self.real, attr)


def test_evidence_is_streamed_through_the_storage_api(client, volunteer, monkeypatch):
    report = factories.make_report(volunteer=volunteer)
    evidence = Evidence.objects.get(report=report)
    field = Evidence._meta.get_field("image")
    recording = RecordingStorage(storages["default"])
    monkeypatch.setattr(field, "storage", recording)
    client.force_login(volunteer)
    response = client.get(reverse("reports:evidence", args=[report.reference, evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)
    assert recording.opened == [evidence.image.name]
