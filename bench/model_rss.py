"""Peak RSS of a web process that serves predictions with a model active (issue #12).

    .venv/bin/python bench/model_rss.py prepare /tmp/model.json   # train (scikit-learn here)
    .venv/bin/python bench/model_rss.py seed /tmp/model.json      # the version, portable form
    .venv/bin/python bench/model_rss.py seed /tmp/model.json --no-portable   # as before it
    .venv/bin/python bench/model_rss.py seed                      # no model
    .venv/bin/python bench/model_rss.py measure                   # after each seed

``prepare`` trains on the synthetic set of ``bench/model_bench.py`` (``--n`` listings, 6,000 by
default): the risk classifier as ``classifier.fit`` does and the two suggesters as
``suggesters.fit_one`` does, on the confirmed listings, both on the species group (the
generator has no product type), and writes the version's two blobs as ``training.train``
stores them. ``seed`` migrates a throwaway SQLite file (``--db``, /tmp/model_rss.sqlite3) with
the reference data, three users and that version, active (in its own process: migrating costs
more memory than anything measured). ``measure`` is one fresh process, as a gunicorn worker:
it imports the WSGI application (peak RSS printed), opens the seeded file, submits a report
(its eager after-commit tasks: the risk refresh predicts), requests the pages of the "Peak
RSS" bullet in docs/benchmarks.md (the review page's model panel among them) and the
suggest-while-typing box, then prints the peak RSS again and which of scikit-learn, scipy,
numpy got imported. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import resource
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotter.settings")
for name in ("DATABASE_URL", "REDIS_URL"):
    os.environ.pop(name, None)

WATCHED = ("sklearn", "scipy", "numpy", "joblib")


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def prepare(path: str, n: int) -> None:
    import django

    django.setup()
    import joblib

    from bench.listing_generator import generate
    from verification import classifier, listings, suggesters, training

    examples = generate(n)
    documents = [
        listings.document(listings.Listing(e.title, e.text, (), e.platform, e.species_group))
        for e in examples
    ]
    fitted = classifier.fit(documents, [e.label for e in examples])
    confirmed = [e for e in examples if e.label == 1]
    texts = [listings.suggestion_document(e.title, e.text) for e in confirmed]
    groups = [e.species_group for e in confirmed]
    extra = {t: suggesters.fit_one(texts, groups, 30)[0] for t in suggesters.TARGETS}
    buffer = io.BytesIO()
    joblib.dump({"model": fitted.pipeline, **extra}, buffer, compress=3)
    plain = training.portable_of(fitted.pipeline, extra)
    Path(path).write_text(
        json.dumps(
            {
                "version": 1,
                "metrics": fitted.metrics,
                "features": len(fitted.pipeline.named_steps["tfidf"].vocabulary_),
                "pipeline": base64.b64encode(buffer.getvalue()).decode(),
                "portable": base64.b64encode(plain).decode(),
            }
        )
    )
    print(f"{path}: pipeline {len(buffer.getvalue())} B, portable {len(plain)} B")


SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "MEDIA_ROOT": tempfile.mkdtemp(),
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "MFA_REQUIRED_ROLES": [],
    "SECOND_REVIEW_SHARE": 0.0,
}
EMAILS = {role: f"{role}@rss.example" for role in ("volunteer", "expert", "admin")}


def seed(db: str, path: str, use_portable: bool) -> None:
    """A migrated SQLite file with the reference data, three users and the version (its own
    process: migrating costs more memory than anything measured)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import override_settings

    Path(db).unlink(missing_ok=True)
    connection.settings_dict["TEST"]["NAME"] = db
    connection.creation.create_test_db(verbosity=0)
    with override_settings(**SETTINGS):
        from reports.reference import load_reference_data
        from tests import factories
        from verification.models import ModelVersion

        load_reference_data()
        for role, email in EMAILS.items():
            factories.make_user(role, email=email)
        if path:
            stored = json.loads(Path(path).read_text())
            ModelVersion.objects.create(
                version=stored["version"],
                status="active",
                metrics=stored["metrics"],
                pipeline=base64.b64decode(stored["pipeline"]),
                portable=base64.b64decode(stored["portable"]) if use_portable else None,
            )


def measure(db: str) -> None:
    from django.core.wsgi import get_wsgi_application

    get_wsgi_application()
    result = {"wsgi_mb": peak_mb(), "at_wsgi": [m for m in WATCHED if m in sys.modules]}

    from django.db import connection
    from django.test import Client, override_settings

    connection.close()
    connection.settings_dict["NAME"] = db  # the seeded file: no migration in this process
    with override_settings(**SETTINGS, ALLOWED_HOSTS=["testserver"]):
        from spotter.models import User
        from tests import factories
        from verification.models import ModelVersion

        users = {role: User.objects.get(email=email) for role, email in EMAILS.items()}
        result["model"] = list(ModelVersion.objects.values_list("version", "status"))
        report = factories.make_report(
            users["volunteer"], listing_title="象牙手镯 老料 genuine ivory"
        )
        pages = [
            (None, "/"),
            ("volunteer", "/reports/mine/"),
            ("expert", "/review/"),
            ("expert", f"/review/{report.reference}/"),
            ("expert", "/review/?sort=risk"),
            ("admin", "/dashboard/"),
            ("admin", "/verification/model/"),
        ]
        statuses, panel = [], False
        for role, page in pages:
            client = Client()
            if role is not None:
                client.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
            response = client.get(page)
            statuses.append(response.status_code)
            panel |= b'id="model-probability"' in response.content
        client = Client()
        client.force_login(users["volunteer"], backend="django.contrib.auth.backends.ModelBackend")
        suggested = False
        for title in ("象牙手镯 老料", "pangolin scales 1 kg", "écailles de tortue"):
            response = client.post("/keywords/suggest/", {"listing_title": title})
            statuses.append(response.status_code)
            suggested |= b"The model suggests" in response.content
    result |= {
        "statuses": sorted(set(statuses)),
        "model_panel": panel,
        "model_suggests": suggested,
        "pages_mb": peak_mb(),
        "after_pages": [m for m in WATCHED if m in sys.modules],
    }
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["prepare", "seed", "measure"])
    parser.add_argument("path", nargs="?", default="")
    parser.add_argument("--db", default="/tmp/model_rss.sqlite3")
    parser.add_argument("--n", type=int, default=6000)
    parser.add_argument("--no-portable", action="store_true")
    args = parser.parse_args()
    if args.action == "prepare":
        prepare(args.path, args.n)
    elif args.action == "seed":
        seed(args.db, args.path, not args.no_portable)
    else:
        measure(args.db)


if __name__ == "__main__":
    main()
