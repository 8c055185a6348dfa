"""CPU time per request of the hot read pages, in-process (profiling harness, issue 12).

    .venv/bin/python bench/render_cpu.py --db cyberspotter_perf            # table of all pages
    .venv/bin/python bench/render_cpu.py --db cyberspotter_perf --profile queue   # cProfile top

The database is one seeded by bench/write_workers.py's ``_seed`` (bench/pages_bench.py does it
for ``cs_bench_pages_<n>``). One user per role as pages_bench.py picks them (first expert, the
staff of the member company with the most reports, the median volunteer, an admin; API tokens
for the expert and the company user), each page requested through Django's test Client in this
process: 3 warm-up requests, then ``--reps`` timed; the figure is the median CPU time of this
process per request (``time.process_time``: Django's whole share, unaffected by other jobs on a
shared machine; PostgreSQL's own time is in the wall time beside it). ``--redis`` uses that
Redis for the cache (else a local-memory cache stands in). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages_bench import bench_users  # noqa: E402 (the same users as the page benchmark)

PAGES = [
    ("trivial", "/bench/trivial/", "admin"),
    ("queue", "/review/", "expert"),
    ("portal", "/company/reports/", "company"),
    ("mine", "/reports/mine/", "volunteer"),
    ("api-expert", "/api/v1/reports/", "expert-token"),
    ("api-company", "/api/v1/company/reports/", "company-token"),
    ("dashboard", "/dashboard/", "admin"),
    ("overview", "/overview/", "admin"),
]


def setup(args) -> None:
    for path in (str(ROOT), *([str(args.code_dir)] if args.code_dir else [])):
        sys.path.insert(0, path)
    os.environ.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.db}",
        SECRET_KEY="bench-only-secret-key-not-used-anywhere-else-0123456789",
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="testserver",
        MFA_REQUIRED_ROLES="",
        DJANGO_SETTINGS_MODULE="bench.settings",
        LOG_LEVEL="WARNING",
        MEDIA_ROOT="/tmp/perf-media",
    )
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
    else:
        os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings

    if not args.redis:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def clients() -> dict:
    from django.test import Client

    from api.models import ApiToken
    from api.tokens import hash_token

    expert, volunteer, staff, admin = bench_users()
    out = {}
    for who, user in {"expert": expert, "company": staff, "volunteer": volunteer}.items():
        out[who] = Client()
        out[who].force_login(user)
    out["admin"] = Client()
    out["admin"].force_login(admin)
    for who, user, prefix in (("expert", expert, "re000000"), ("company", staff, "rc000000")):
        raw = f"cs_{prefix}_render-cpu-{who}-0123456789abcdef"
        ApiToken.objects.get_or_create(
            prefix=prefix, defaults={"user": user, "name": "bench", "token_hash": hash_token(raw)}
        )
        out[f"{who}-token"] = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return out


def explain(by_role: dict, wanted: set | None) -> None:
    """Every SELECT of each page on a cold cache (what a miss runs), under EXPLAIN ANALYZE."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name, path, who in PAGES:
        if wanted and name not in wanted:
            continue
        cache.clear()  # sessions are in the database here (no REDIS_URL): only the fragments go
        with CaptureQueriesContext(connection) as ctx:
            by_role[who].get(path)
        print(f"##### {name}: {len(ctx.captured_queries)} queries (cold tables)")
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
            print(f"--- {sql[:160]}")
            print("\n".join("    " + line for line in plan))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="cyberspotter_perf")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--pages", default="", help="comma-separated page names (default all)")
    parser.add_argument("--profile", default="", help="a page name: print its cProfile top")
    parser.add_argument(
        "--cold", action="store_true", help="clear the cache before each request (every miss)"
    )
    parser.add_argument("--redis", default="", help="a Redis URL for the cache")
    parser.add_argument("--sql", action="store_true", help="print each page's SQL statements")
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) each page's SQL, cold"
    )
    parser.add_argument("--code-dir", default="", help="another checkout's code to time")
    args = parser.parse_args()
    setup(args)
    from django.core.cache import cache
    from django.db import connection

    by_role = clients()
    wanted = set(args.pages.split(",")) if args.pages else None
    if args.profile:
        wanted = {args.profile}
    if args.explain:
        explain(by_role, wanted)
        return
    rows = []
    for name, path, who in PAGES:
        if wanted and name not in wanted:
            continue
        client = by_role[who]
        for _ in range(3):
            assert client.get(path).status_code == 200, (name, path)
        queries = []

        def capture(run, sql, *rest, queries=queries):
            queries.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(capture):
            client.get(path)
        if args.sql:
            print(f"##### {name}: {len(queries)} queries")
            for sql in queries:
                print("  ", sql[:300])
        if args.profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _ in range(args.reps):
                client.get(path)
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(60)
            stats.sort_stats("tottime").print_stats(40)
            return
        cpu, wall = [], []
        for _ in range(args.reps):
            if args.cold:
                cache.clear()  # the fragments (and Redis sessions, if --redis: then log in again)
            w0, c0 = time.perf_counter(), time.process_time()
            response = client.get(path)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
            assert response.status_code == 200
        rows.append((name, statistics.median(cpu), statistics.median(wall), len(queries)))
    print(f"{'page':12} {'CPU ms':>8} {'wall ms':>8} {'queries':>7}")
    for name, cpu_ms, wall_ms, queries in rows:
        print(f"{name:12} {cpu_ms:8.2f} {wall_ms:8.2f} {queries:7d}")


if __name__ == "__main__":
    main()
