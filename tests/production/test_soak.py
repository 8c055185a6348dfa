"""Load without loss (issue 12), short version for CI: volunteers submit through the API of a
real gunicorn while experts claim and confirm and company staff acknowledge and record outcomes;
afterwards every accepted submission is stored, every forwarded report has its outbox rows, the
audit chain verifies, the counters equal a rebuild and no request failed.

The full run (200 volunteers, 60 s) is bench/soak.py; both share bench/soak_load.py.
SOAK_VOLUNTEERS / SOAK_SECONDS make this one longer.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings as django_settings
from django.db import connection

from bench.soak_load import PrivateRedis, Server, check, run_load, seed_actors
from tests import factories

pytestmark = [pytest.mark.production]

VOLUNTEERS = int(os.environ.get("SOAK_VOLUNTEERS", "20"))
SECONDS = float(os.environ.get("SOAK_SECONDS", "10"))


@pytest.mark.django_db(transaction=True)
def test_load_without_loss(tmp_path):
    assert connection.vendor == "postgresql", "run with DATABASE_URL (see Makefile PROD_ENV)"
    hooked = factories.make_company(
        slug="soak-hooks",
        domains=("soak-hooks.com",),
        notify_by_email=True,
        webhook_enabled=True,
        # Nobody consumes the queue (no worker): the rows stay pending, which is all we check.
        webhook_url="https://hooks.soak.invalid/cs",
    )
    digest = factories.make_company(slug="soak-digest", domains=("soak-digest.com",),
                                    daily_digest=True)  # fmt: skip
    actors = seed_actors(
        volunteers=VOLUNTEERS,
        experts=4,
        companies=[hooked, digest],
        species=factories.get_species(),
        product_type=factories.get_product_type(),
    )
    db = connection.settings_dict
    redis_server = PrivateRedis(tmp_path)  # the Celery messages nobody consumes go with it
    redis_server.start()
    server = None
    try:
        server = Server(
            db_url=(
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
                f"{db['PORT'] or 5432}/{db['NAME']}"
            ),
            redis_url=redis_server.url,
            media=tmp_path / "media",
            secret_key=django_settings.SECRET_KEY,
            workers=2,
            threads=4,
        )
        tally = run_load(server.port, actors, SECONDS, "ci")
    finally:
        if server:
            server.stop()
        redis_server.stop()
    outcome = check(tally)
    summary = tally.summary()
    print("SOAK", {k: v for k, v in summary.items() if k != "failures"}, outcome)
    assert outcome["problems"] == []
    assert tally.accepted > 0
    assert outcome["reports_by_status"].get("closed", 0) > 0, "no outcome was recorded"
