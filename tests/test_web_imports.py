"""A web process that serves pages without a model prediction never imports scikit-learn.

scikit-learn and numpy cost a gunicorn worker about 100 MB (docs/benchmarks.md, "Peak RSS");
only ``verification.model_runtime.active_model`` may pull the scikit-learn side in, and only
while a model version is active. ``sys.modules`` of this pytest process is useless here (other
tests train models), so a fresh interpreter imports the WSGI application, migrates a throwaway
in-memory database, submits a report (its eager after-commit tasks: risk refresh, seller
indexing) and requests pages as each role, then prints which heavy modules got imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("sklearn", "scipy", "joblib")

PROBE = r"""
import json, sys, tempfile

import django
from django.core.wsgi import get_wsgi_application

get_wsgi_application()
heavy = %(heavy)r
found = {"after_wsgi": [m for m in heavy if m in sys.modules]}

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import setup_test_environment

setup_test_environment()
connection.creation.create_test_db(verbosity=0)
with override_settings(
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    MEDIA_ROOT=tempfile.mkdtemp(),
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    MFA_REQUIRED_ROLES=[],
    SECOND_REVIEW_SHARE=0.0,
):
    from reports.reference import load_reference_data
    from spotter.models import Role
    from tests import factories

    load_reference_data()
    volunteer = factories.make_user(Role.VOLUNTEER)
    expert = factories.make_user(Role.EXPERT)
    admin = factories.make_user(Role.ADMIN)
    report = factories.make_report(volunteer)  # eager after-commit tasks run here
    pages = [
        (None, "/"),
        (volunteer, "/reports/mine/"),
        (expert, "/review/"),
        (expert, "/review/%%s/" %% report.reference),
        (expert, "/review/?sort=risk"),
        (admin, "/dashboard/"),
        (admin, "/verification/model/"),
    ]
    statuses = {}
    for user, path in pages:
        client = Client()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        statuses[path] = client.get(path).status_code
found["after_pages"] = [m for m in heavy if m in sys.modules]
found["statuses"] = statuses
print(json.dumps(found))
"""


def test_web_path_does_not_import_scikit_learn():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "spotter.settings"
    done = subprocess.run(
        [sys.executable, "-c", PROBE % {"heavy": HEAVY}],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["after_wsgi"] == [], "imported by the WSGI application at start-up"
    assert set(found["statuses"].values()) == {200}, found["statuses"]
    assert found["after_pages"] == [], "imported while serving pages without a model"
