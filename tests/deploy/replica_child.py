"""Run only as a child pytest by test_replica.py, with DATABASE_REPLICA_URL set (the file name
keeps the normal run from collecting it)."""

from datetime import date

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quality import dashboard
from quality.filters import Filters
from reports.models import SpeciesGroup
from spotter import dbrouter

assert "replica" in settings.DATABASES, "run by tests/deploy/test_replica.py"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_replica_reads_see_the_mirrored_database():
    assert dbrouter.replica() == "replica"
    group = SpeciesGroup.objects.create(slug="replica-test", name="Replica test")
    assert SpeciesGroup.objects.using(dbrouter.replica()).filter(pk=group.pk).exists()
    # Reads without .using() stay on default: nothing is routed to the replica implicitly.
    assert SpeciesGroup.objects.all().db == "default"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_dashboard_rollups_are_read_on_the_replica():
    filters = Filters(start=date(2026, 1, 1), end=date(2026, 3, 1))
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        dashboard.read(filters, ["submitted"])
    assert len(on_replica) == 1 and "periodcount" in on_replica[0]["sql"].lower()
    assert len(on_default) == 0


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_volunteers_export_is_read_on_the_replica(client_for, admin_user):
    client = client_for(admin_user)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(reverse("quality:volunteers"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert any("quality_volunteertally" in q["sql"] for q in on_replica)
    # The page itself (not an export) stays on the primary.
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(reverse("quality:volunteers")).status_code == 200
    assert not any("quality_volunteertally" in q["sql"] for q in on_replica)
