"""The read replica (DATABASE_REPLICA_URL): explicit reads only, never writes.

A replica alias must exist when Django starts, so the tests that use one run in a child pytest
with DATABASE_REPLICA_URL pointing at the database under test; the alias is a TEST MIRROR of
``default`` (settings), i.e. a second connection to the same test database. The parent test
(``test_with_a_replica_in_a_subprocess``) runs them in the normal suite; in the child it skips.
"""

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext

from quality import dashboard
from quality.filters import Filters
from reports.models import Species, SpeciesGroup
from spotter import dbrouter

ROOT = Path(__file__).resolve().parents[2]
HAS_REPLICA = "replica" in settings.DATABASES
needs_replica = pytest.mark.skipif(not HAS_REPLICA, reason="run by the subprocess test")


def test_without_a_replica_everything_reads_default():
    if HAS_REPLICA:
        pytest.skip("replica configured")
    assert dbrouter.replica() == "default"


def test_router_never_sends_anything_to_the_replica_by_itself():
    router = dbrouter.ReplicaRouter()
    assert router.db_for_read(Species) == "default"
    assert router.db_for_write(Species) == "default"
    assert router.allow_migrate("replica", "reports") is False
    assert router.allow_migrate("default", "reports") is True


@pytest.mark.skipif(HAS_REPLICA, reason="this is the child run")
def test_with_a_replica_in_a_subprocess():
    _run_child()


@pytest.mark.production
@pytest.mark.skipif(HAS_REPLICA, reason="this is the child run")
def test_with_a_replica_on_postgresql():
    """The same in the production-mode run (`make test`: PostgreSQL, Redis)."""
    _run_child()


def _run_child():
    env = dict(os.environ)
    if env.get("DATABASE_URL"):
        # PostgreSQL: this run holds test_<name>; the child makes test_<name>_replica.
        parts = urlsplit(env["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=parts.path + "_replica"))
        env["DATABASE_REPLICA_URL"] = env["DATABASE_URL"]
    else:
        env["DATABASE_REPLICA_URL"] = f"sqlite:///{ROOT / 'db.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"\b3 passed", result.stdout), result.stdout[-1000:]


@needs_replica
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_replica_reads_see_the_mirrored_database():
    assert dbrouter.replica() == "replica"
    group = SpeciesGroup.objects.create(slug="replica-test", name="Replica test")
    assert SpeciesGroup.objects.using(dbrouter.replica()).filter(pk=group.pk).exists()
    # Reads without .using() stay on default: nothing is routed to the replica implicitly.
    assert SpeciesGroup.objects.all().db == "default"


@needs_replica
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
