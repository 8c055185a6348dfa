"""The read replica (DATABASE_REPLICA_URL): explicit reads only, never writes.

A replica alias must exist when Django starts, so the tests that use one live in
``replica_child.py`` (not collected by the normal run) and run in a child pytest with
DATABASE_REPLICA_URL pointing at the database under test; the alias is a TEST MIRROR of
``default`` (settings), i.e. a second connection to the same test database.
"""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from reports.models import Species
from spotter import dbrouter

ROOT = Path(__file__).resolve().parents[2]
HAS_REPLICA = "replica" in settings.DATABASES
CHILD = Path(__file__).with_name("replica_child.py")


def test_without_a_replica_everything_reads_default():
    assert not HAS_REPLICA
    assert dbrouter.replica() == "default"


def test_router_never_sends_anything_to_the_replica_by_itself():
    router = dbrouter.ReplicaRouter()
    assert router.db_for_read(Species) == "default"
    assert router.db_for_write(Species) == "default"
    assert router.allow_migrate("replica", "reports") is False
    assert router.allow_migrate("default", "reports") is True


def test_with_a_replica_in_a_subprocess():
    _run_child()


@pytest.mark.production
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
        [sys.executable, "-m", "pytest", str(CHILD), "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"\b3 passed", result.stdout), result.stdout[-1000:]
