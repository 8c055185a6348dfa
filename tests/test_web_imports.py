"""A web process never imports scikit-learn or scipy: not at start-up, not for pages without a
prediction, and not to predict either (the model panel, the suggest box, the risk refresh).

scikit-learn and scipy cost a gunicorn worker about 80 MB (docs/benchmarks.md, "Peak RSS"):
the web path predicts with the active version's portable form (``verification.portable``,
read by ``verification.model_runtime.active_model``); only a version stored without one
falls back to unpickling its pipeline. ``sys.modules`` of this pytest process is useless here
(other tests train models), so a fresh interpreter imports the WSGI application, migrates a
throwaway in-memory database, submits a report (its eager after-commit tasks: risk refresh,
seller indexing) and requests pages as each role, then prints which heavy modules got
imported. The second test first trains a model here (scikit-learn allowed in this process) and
hands the fresh interpreter the stored version's bytes, so that it serves the review page with
its model panel and the suggest-while-typing box with a model active.

numpy is not asserted: it is imported at start-up anyway (sellers' task wiring →
``sellers/imagehashing.py`` → ``imagehash``); the probe only checks that predicting adds no
import of it beyond that.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from verification.models import ModelVersion

from .verification.helpers import train_small_model

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("sklearn", "scipy", "joblib")
WATCHED = (*HEAVY, "numpy")

PROBE = r"""
import base64, json, sys, tempfile

import django
from django.core.wsgi import get_wsgi_application

get_wsgi_application()
watched = %(watched)r
model_file = %(model_file)r
found = {"after_wsgi": [m for m in watched if m in sys.modules]}

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
    from verification.models import ModelVersion, ReportRisk

    load_reference_data()
    if model_file:  # the version the parent trained, stored as training.train stores it
        with open(model_file) as handle:
            stored = json.load(handle)
        ModelVersion.objects.create(
            version=stored["version"],
            status="active",
            metrics=stored["metrics"],
            pipeline=base64.b64decode(stored["pipeline"]),
            portable=base64.b64decode(stored["portable"]) if stored["portable"] else None,
        )
    volunteer = factories.make_user(Role.VOLUNTEER)
    expert = factories.make_user(Role.EXPERT)
    admin = factories.make_user(Role.ADMIN)
    report = factories.make_report(volunteer)  # eager after-commit tasks run here
    found["model_probability"] = ReportRisk.objects.get(pk=report.pk).model_probability
    pages = [
        (None, "/"),
        (volunteer, "/reports/mine/"),
        (expert, "/review/"),
        (expert, "/review/%%s/" %% report.reference),
        (expert, "/review/?sort=risk"),
        (admin, "/dashboard/"),
        (admin, "/verification/model/"),
    ]
    statuses, bodies = {}, {}
    for user, path in pages:
        client = Client()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        response = client.get(path)
        statuses[path], bodies[path] = response.status_code, response.content.decode()
    client = Client()
    client.force_login(volunteer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/keywords/suggest/", {"listing_title": "象牙手镯 老料", "listing_text": "保真"}
    )
    statuses["suggest"], suggest = response.status_code, response.content.decode()
found["after_pages"] = [m for m in watched if m in sys.modules]
found["statuses"] = statuses
found["model_panel"] = 'id="model-probability"' in bodies["/review/%%s/" %% report.reference]
found["model_suggests"] = "The model suggests" in suggest
print(json.dumps(found))
"""


def probe(model_file: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "spotter.settings"
    done = subprocess.run(
        [sys.executable, "-c", PROBE % {"watched": WATCHED, "model_file": model_file}],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(found["statuses"].values()) == {200}, found["statuses"]
    for name in HEAVY:
        assert name not in found["after_wsgi"], f"{name} imported by the WSGI application"
        assert name not in found["after_pages"], f"{name} imported while serving pages"
    if "numpy" not in found["after_wsgi"]:
        assert "numpy" not in found["after_pages"], "numpy imported while serving pages"
    return found


def test_web_path_does_not_import_scikit_learn():
    found = probe()
    assert found["model_probability"] is None and not found["model_panel"]


@pytest.mark.django_db
def test_predicting_on_the_web_path_does_not_import_scikit_learn(settings, tmp_path):
    run = train_small_model(settings)
    stored = ModelVersion.objects.get(pk=run.pk)
    model_file = tmp_path / "model.json"
    model_file.write_text(
        json.dumps(
            {
                "version": stored.version,
                "metrics": stored.metrics,
                "pipeline": base64.b64encode(bytes(stored.pipeline)).decode(),
                "portable": base64.b64encode(bytes(stored.portable)).decode(),
            }
        )
    )
    found = probe(str(model_file))
    assert 0 <= found["model_probability"] <= 1  # the risk refresh predicted
    assert found["model_panel"] and found["model_suggests"]  # the page and the box did
