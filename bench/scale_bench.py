"""Admin dashboard and overview at scale on PostgreSQL: CPU per request in-process.

    .venv/bin/python bench/scale_bench.py seed --size 100000      # creates cs_dash_100000
    .venv/bin/python bench/scale_bench.py measure --sizes 10000,100000
    # The same pages with another checkout's code (same database schema):
    .venv/bin/python bench/scale_bench.py measure --sizes 10000,100000 --code-dir /tmp/before

``seed`` drops and recreates the database ``<prefix>_<size>`` and fills it with
bench/write_workers.py's COPY seeding (dashboard_bench.Seeder's rows), then rebuilds the
counters and ANALYZEs. ``measure`` times each page through Django's test Client in this process
(median CPU of this process per request: Django's share; PostgreSQL's own time shows in the wall
time beside it), counts its queries and prints the EXPLAIN of the overview's hot queries. The
gunicorn throughput figures are bench/pages_bench.py's. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = {
    "trivial": "/bench/trivial/",
    "dashboard": "/dashboard/",
    "dashboard?region=US": "/dashboard/?region=US",
    "overview": "/overview/",
}


def setup(db_url: str, code_dir: Path | None) -> None:
    # The checkout under test first, this directory second (bench.settings, bench.urls).
    for path in (str(ROOT), *([str(code_dir)] if code_dir else [])):
        sys.path.insert(0, path)
    os.environ.update(
        DATABASE_URL=db_url,
        SECRET_KEY="bench-only-secret-key-not-used-anywhere-else-0123456789",
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="testserver",
        MFA_REQUIRED_ROLES="",
        DJANGO_SETTINGS_MODULE="bench.settings",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # In-process stand-in for Redis: one process, so the same cache the refresh job writes.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def seed(args) -> None:
    name = f"{args.prefix}_{args.size}"
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    setup(f"postgres://postgres@127.0.0.1:5432/{name}", None)
    from django.core.management import call_command
    from django.db import connection

    from bench.dashboard_bench import Seeder
    from bench.write_workers import copy_reports

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    seeder = Seeder()
    seeder.users(volunteers=400, experts=20)
    copy_reports(seeder, args.size)
    print(f"  seeded {args.size:,} reports in {time.perf_counter() - t0:.1f} s", flush=True)
    t0 = time.perf_counter()
    call_command("rebuild_rollups", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  rebuild_rollups + ANALYZE in {time.perf_counter() - t0:.1f} s", flush=True)


def explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def hot_queries() -> dict[str, str]:
    """EXPLAIN ANALYZE of the overview's queries that read the reports table."""
    from django.db.models import Count
    from django.utils import timezone

    from reports.forwarding.sla import overdue_reports
    from reports.models import Delivery, DeliveryStatus, Report, ReportStatus

    now = timezone.now()
    overdue = overdue_reports(now)
    querysets = {
        "overdue count": None,
        "overdue list": overdue.select_related("company", "species").order_by("forwarded_at")[:50],
        "non-member list": Report.objects.filter(
            status=ReportStatus.CONFIRMED, company__isnull=True
        ).order_by("decided_at")[:50],
        "outbox counts": Delivery.objects.filter(
            status__in=[DeliveryStatus.DEAD, DeliveryStatus.PENDING]
        )
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by("status"),
    }
    out = {}
    for name, qs in querysets.items():
        if name == "overdue count":  # what .count() runs
            inner, params = overdue.order_by().query.sql_with_params()
            sql = f"SELECT count(*) FROM ({inner}) AS q"  # noqa: S608 (ORM-built SQL)
        else:
            sql, params = qs.query.sql_with_params()
        out[name] = explain(sql, params)
    return out


def count_queries(client, url: str) -> int:
    from django.db import connection

    queries = []
    with connection.execute_wrapper(lambda run, sql, *a: queries.append(sql) or run(sql, *a)):
        client.get(url)
    return len(queries)


def measure(args) -> None:
    sizes = [int(s) for s in args.sizes.split(",")]
    urls = [f"postgres://postgres@127.0.0.1:5432/{args.prefix}_{size}" for size in sizes]
    setup(urls[0], Path(args.code_dir) if args.code_dir else None)
    from django.db import connections
    from django.test import Client

    from spotter.models import User

    results = {}
    for size, url in zip(sizes, urls, strict=True):
        connections["default"].close()
        connections["default"].settings_dict["NAME"] = url.rsplit("/", 1)[1]
        from django.core.cache import cache

        cache.clear()
        client = Client()
        client.force_login(User.objects.get(email="admin@bench.invalid"))
        for name, url_path in PAGES.items():
            for _ in range(3):  # warm-up (and the cold cache's one count)
                assert client.get(url_path).status_code == 200, url_path
            queries = count_queries(client, url_path)
            cpu, wall = [], []
            for _ in range(args.reps):
                w0, c0 = time.perf_counter(), time.process_time()
                response = client.get(url_path)
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
                assert response.status_code == 200
            results[(size, name)] = (statistics.median(cpu), statistics.median(wall), queries)
        if args.explain:
            for name, plan in hot_queries().items():
                print(f"\n--- {size:,} reports: {name}\n{plan}")
    print(f"\ncode: {args.code_dir or ROOT}")
    print("| page | " + " | ".join(f"{s:,} reports" for s in sizes) + " | growth (CPU) |")
    print("|---|" + "---|" * (len(sizes) + 1))
    for name in PAGES:
        cells = [
            "{:.1f} ms CPU, {:.1f} ms wall, {} queries".format(*results[(s, name)]) for s in sizes
        ]
        growth = results[(sizes[-1], name)][0] / results[(sizes[0], name)][0]
        print(f"| {name} | " + " | ".join(cells) + f" | {growth:.2f}× |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", default="cs_dash", help="database name prefix")
    sub = parser.add_subparsers(dest="command", required=True)
    p_seed = sub.add_parser("seed")
    p_seed.add_argument("--size", type=int, required=True)
    p_measure = sub.add_parser("measure")
    p_measure.add_argument("--sizes", default="10000,100000")
    p_measure.add_argument("--reps", type=int, default=20)
    p_measure.add_argument("--code-dir", default="", help="another checkout's code to time")
    p_measure.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    seed(args) if args.command == "seed" else measure(args)


if __name__ == "__main__":
    main()
