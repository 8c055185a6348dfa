"""Soak: load without loss (issue 12), the full run.

    .venv/bin/python bench/soak.py                       # 200 volunteers, 60 s (~2-3 minutes)
    .venv/bin/python bench/soak.py --volunteers 50 --duration 20

Drops and recreates a PostgreSQL database, migrates, loads the reference data and seeds the
actors (bench/soak_load.py: certified volunteers, experts, one company-staff account per member
company used, each with its own API token). Starts a private redis-server (cache, limits and
the Celery queue; no worker consumes it: the outbox rows are what is checked) and gunicorn
(gthread, keep-alive) on loopback with production settings, then for ``--duration`` seconds:
every volunteer submits reports through the API (multipart, a 400 x 300 PNG, unique listing
URLs, one keep-alive connection each), experts claim and confirm the queue (each its own share,
so no two race for a report) and company staff acknowledge and record outcomes through the API.

Afterwards (soak_load.check): reports stored == submissions answered 201; every forwarded
report has one Delivery per channel of its company; no confirmed report left unforwarded;
``seal_pending()`` then ``verify_chain()`` ok with nothing unsealed; the quality counters after
``rollups.refresh()`` equal a full rebuild; zero failed requests. Prints a summary with the CPU
time per request of the gunicorn workers, the PostgreSQL backends and the load generator (the
machine is shared: CPU per request is the comparable figure) and writes
bench/results/soak-<time>.json. Exit status 1 if a check failed. Not part of the test suite
(tests/production/test_soak.py is the short CI version).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.soak_load import PrivateRedis, Server, check, run_load, seed_actors  # noqa: E402
from bench.write_bench import backend_pids, cpu_delta, cpu_seconds  # noqa: E402

SECRET_KEY = "bench-only-secret-key-not-used-anywhere-else-0123456789"


def setup_django(db_url: str, redis_url: str, media: Path) -> None:
    """This process talks to the same database as the server (seeding, checks)."""
    os.environ.update(
        DATABASE_URL=db_url,
        REDIS_URL=redis_url,
        SECRET_KEY=SECRET_KEY,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        MEDIA_ROOT=str(media),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="bench.settings",
    )
    import django

    django.setup()


def seed(args):
    from django.conf import settings
    from django.core.management import call_command

    from reports.models import MemberCompany, ProductType, Species

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    # Two member platforms: one with email + webhook (4 outbox rows... portal, email, webhook),
    # one with a daily digest (portal, digest). The webhook goes nowhere: no worker runs.
    hooked = MemberCompany.objects.get(domains__domain="ebay.com")
    MemberCompany.objects.filter(pk=hooked.pk).update(
        notify_by_email=True,
        daily_digest=False,
        webhook_enabled=True,
        webhook_url="https://hooks.soak.invalid/cs",
    )
    digest = MemberCompany.objects.exclude(pk=hooked.pk).filter(domains__isnull=False)
    digest = digest.order_by("slug").first()
    MemberCompany.objects.filter(pk=digest.pk).update(daily_digest=True)
    return seed_actors(
        volunteers=args.volunteers,
        experts=args.experts,
        companies=[hooked, digest],
        species=Species.objects.order_by("pk").first(),
        product_type=ProductType.objects.order_by("pk").first(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 2)[2],
    )
    parser.add_argument("--volunteers", type=int, default=200)
    parser.add_argument("--experts", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument(
        "--db-url",
        default="postgres://postgres@127.0.0.1:5432/cs_bench_soak",
        help="database to DROP and recreate",
    )
    args = parser.parse_args()
    import psycopg

    dbname = args.db_url.rsplit("/", 1)[1]
    admin_url = args.db_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    workdir = Path(tempfile.mkdtemp(prefix="soak-"))
    media = workdir / "media"
    redis_server = PrivateRedis(workdir)
    redis_server.start()
    server = None
    try:
        setup_django(args.db_url, redis_server.url, media)
        t0 = time.perf_counter()
        actors = seed(args)
        print(
            f"soak: seeded {args.volunteers} volunteers, {args.experts} experts, 2 companies "
            f"in {time.perf_counter() - t0:.1f} s; {args.workers} gunicorn workers x "
            f"{args.threads} threads, {args.duration:.0f} s",
            flush=True,
        )
        server = Server(
            db_url=args.db_url,
            redis_url=redis_server.url,
            media=media,
            secret_key=SECRET_KEY,
            workers=args.workers,
            threads=args.threads,
        )
        db = SimpleNamespace(db_url=args.db_url)
        workers = server.worker_pids()
        cpu_before = cpu_seconds(workers), cpu_seconds(backend_pids(db))
        self_before = resource.getrusage(resource.RUSAGE_SELF)
        load_before = os.getloadavg()[0]
        t0 = time.perf_counter()
        tally = run_load(server.port, actors, args.duration, datetime.now(UTC).strftime("%H%M%S"))
        elapsed = time.perf_counter() - t0
        self_after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = {
            "gunicorn": cpu_delta(cpu_before[0], workers),
            # backends opened during the run count whole
            "postgres": cpu_delta(cpu_before[1], backend_pids(db)),
            "load generator": (self_after.ru_utime - self_before.ru_utime)
            + (self_after.ru_stime - self_before.ru_stime),
        }
    finally:
        if server:
            server.stop()
    try:
        t0 = time.perf_counter()
        outcome = check(tally)
        check_s = time.perf_counter() - t0
    finally:
        redis_server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    summary = tally.summary()
    n = max(summary["requests"], 1)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": vars(args),
        "elapsed_s": round(elapsed, 1),
        "loadavg_1min_before": round(load_before, 2),
        "req_per_s": round(summary["requests"] / elapsed, 1),
        "submissions_per_s": round(tally.accepted / elapsed, 1),
        "cpu_ms_per_request": {k: round(v * 1000 / n, 2) for k, v in cpu.items()},
        "load": summary,
        "checks": outcome,
        "checks_s": round(check_s, 1),
    }
    print(json.dumps({k: v for k, v in result.items() if k != "load"}, indent=1))
    print(json.dumps({k: summary[k] for k in ("by_status", "latency_ms", "failures")}, indent=1))
    out = ROOT / "bench" / "results" / f"soak-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    print(f"{'OK' if not outcome['problems'] else 'FAILED'}: written to {out}")
    sys.exit(1 if outcome["problems"] else 0)


if __name__ == "__main__":
    main()
