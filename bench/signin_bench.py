"""Sign-in cost: N sign-ins through Django's test client with the production password hasher.

    .venv/bin/python bench/signin_bench.py            # 20 sign-ins
    .venv/bin/python bench/signin_bench.py -n 50

The POST to /accounts/login/ is dominated by checking the password: the production settings
keep Django's default hasher list (PBKDF2-SHA256 first, 1,000,000 iterations in Django 5.2),
whose cost is the point — it makes a stolen password table expensive to guess. This measures
what a user waits for, so nothing here weakens it: the settings are spotter/settings.py as a
deployment loads them (only the database is a throw-away SQLite test database, and allauth's
per-IP sign-in rate limit is lifted so one client can sign in N times in a row). Prints the
hasher, the time of ``check_password`` alone, and the p50 / p95 / max of a whole successful
and a failed sign-in POST. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotter.settings")
os.environ.pop("DATABASE_URL", None)  # the embedded default, on a test database

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import check_password, get_hasher, make_password  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    override_settings,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

PASSWORD = "correct horse battery staple 42"  # noqa: S105 (a throw-away bench account)


def summary(label: str, timings: list[tuple[float, float]]) -> str:
    """Wall-clock p50 / p95 / max, and the p50 of this process's CPU time (on a busy, shared
    machine the CPU time is the steadier figure)."""
    ms = sorted(wall * 1000 for wall, _ in timings)
    cpu = statistics.median(c * 1000 for _, c in timings)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return (
        f"{label:<30} n={len(ms):<4} p50 {statistics.median(ms):7.1f} ms   "
        f"p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms   CPU p50 {cpu:7.1f} ms"
    )


def timed(action) -> tuple[tuple[float, float], object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return (time.perf_counter() - wall, time.process_time() - cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="sign-ins to time (default 20)")
    args = parser.parse_args()

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        with override_settings(ACCOUNT_RATE_LIMITS=False, MFA_REQUIRED_ROLES=[]):
            run(args.n)
    finally:
        teardown_databases(databases, verbosity=0)


def run(n: int) -> None:
    from spotter.models import Role  # noqa: PLC0415 (models load after django.setup())
    from spotter.services import create_user_with_role  # noqa: PLC0415

    hasher = get_hasher()
    print(f"Django {django.get_version()}; PASSWORD_HASHERS[0] = {settings.PASSWORD_HASHERS[0]}")
    print(f"hasher {hasher.algorithm}, iterations {getattr(hasher, 'iterations', '-')}")
    email = "bench-signin@example.org"
    create_user_with_role(email=email, role=Role.VOLUNTEER, password=PASSWORD)
    encoded = make_password(PASSWORD)
    checks = []
    for _ in range(n):
        timing, ok = timed(lambda: check_password(PASSWORD, encoded))
        assert ok
        checks.append(timing)
    print(summary("check_password alone", checks))

    client = Client()
    client.get("/accounts/login/")  # warm: templates, URL resolver
    good, bad = [], []
    for _ in range(n):
        timing, response = timed(
            lambda: client.post("/accounts/login/", {"login": email, "password": PASSWORD})
        )
        good.append(timing)
        assert response.status_code == 302, response.status_code
        client.logout()
        timing, response = timed(
            lambda: client.post("/accounts/login/", {"login": email, "password": "wrong password"})
        )
        bad.append(timing)
        assert response.status_code == 200, response.status_code
    print(summary("sign-in POST (success)", good))
    print(summary("sign-in POST (wrong password)", bad))


if __name__ == "__main__":
    main()
