"""Read pages under load: every list page, dashboard and API list against the trivial view.

    .venv/bin/python bench/pages_bench.py                       # 10k and 100k reports
    .venv/bin/python bench/pages_bench.py --sizes 10000,100000,1000000
    .venv/bin/python bench/pages_bench.py --reuse-db --duration 5 --rounds 1   # quick re-run

One command, per size: (1) seeds ``cs_bench_pages_<n>`` with bench/write_workers.py's seeding
(dashboard_bench's Seeder, COPY; kept and reused with --reuse-db, then only migrated);
(2) logs in one user per role in-process (a session through Django's test client, so the
session store is the server's Redis; an API token for the company user) and captures each
page's SQL with CaptureQueriesContext, running ``EXPLAIN (ANALYZE, BUFFERS)`` for every statement;
(3) starts gunicorn (4 sync workers, bench/settings.py, production settings otherwise) and, for
each page, alternates a trivial phase and a page phase in the same round (32 clients over two
load processes); (4) reads the CPU time of the gunicorn workers and PostgreSQL backends per
request (the machine is shared: CPU per request moves far less than throughput) and the peak
RSS of the workers. Writes bench/results/pages-<label>-<time>.json plus one EXPLAIN text file
per size, and prints the table (ratio to the adjacent trivial phase, p50, CPU per request, and
the growth of CPU per request between sizes). Reuses write_bench.py's server environment,
process-CPU reading and write_workers.py's seeding and HTTP client. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.write_bench import (  # noqa: E402
    backend_pids,
    cpu_delta,
    cpu_seconds,
    free_port,
    load_env,
    peak_rss_mb,
    server_env,
    wait_ready,
)
from bench.write_workers import request  # noqa: E402

WORKERS = ROOT / "bench" / "write_workers.py"
RESULTS = ROOT / "bench" / "results"
# (name, path, who): the UI's page size is the view's default (30 rows; API 25).
PAGES = [
    ("queue", "/review/", "expert"),
    ("portal", "/company/reports/", "company"),
    ("mine", "/reports/mine/", "volunteer"),
    ("api-expert", "/api/v1/reports/", "expert-token"),
    ("api-company", "/api/v1/company/reports/", "company-token"),
    ("dashboard", "/dashboard/", "admin"),
    ("overview", "/overview/", "admin"),
]


# The partial indexes of reports/migrations/0005 and the pages whose page fetch they serve: the
# fetch is EXPLAINed with the index and without it (dropped inside a rolled-back transaction).
INDEXES = [
    ("report_queue_idx", "queue"),
    ("report_company_due_idx", "portal"),  # reports/migrations/0014: the default "due" order
    ("report_company_feed_idx", "api-company"),
]


# --- In-process part (Django set up against the bench database) ------------------------------


def bench_users():
    """(expert, volunteer, staff, admin) the read benchmarks drive (this one and render_cpu.py):
    the first expert, the volunteer with the median number of reports, the biggest member
    company's staff, a bench admin."""
    from reports.models import MemberCompany, Report
    from spotter.models import Role, User

    expert = User.objects.filter(role=Role.EXPERT).order_by("pk").first()
    volunteers = sorted(
        User.objects.filter(role=Role.VOLUNTEER, reports__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    volunteer = User.objects.get(pk=volunteers[len(volunteers) // 2])
    counts = {
        c.pk: Report.objects.filter(company=c).count()
        for c in MemberCompany.objects.filter(staff__role=Role.COMPANY_STAFF).distinct()
    }
    company = MemberCompany.objects.get(pk=max(counts, key=counts.get))
    staff = User.objects.filter(role=Role.COMPANY_STAFF, company=company).first()
    admin, _ = User.objects.get_or_create(
        email="admin@bench.invalid", defaults={"role": Role.ADMIN, "password": "!"}
    )
    return expert, volunteer, staff, admin


def prepare(out: Path) -> None:
    """Log in one user per role, capture each page's SQL and EXPLAIN it; JSON to ``out``."""
    import django

    django.setup()
    from django.db import connection, transaction

    try:
        from reports import fragments
    except ImportError:  # code from before the cached tables (--code-dir)
        pass
    else:
        # Capture what a cache miss runs (reports/fragments.py): every request renders its tables.
        fragments.PAGE_FRAGMENT_SECONDS = 0
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from api.models import ApiToken
    from api.tokens import hash_token
    from reports.models import Report

    expert, volunteer, staff, admin = bench_users()
    tokens = {}
    for who, user, prefix in (("expert", expert, "pe000000"), ("company", staff, "pc000000")):
        raw = f"cs_{prefix}_bench-pages-{who}-0123456789abcdef"
        ApiToken.objects.get_or_create(
            prefix=prefix, defaults={"user": user, "name": "bench", "token_hash": hash_token(raw)}
        )
        tokens[who] = raw
    users = {"expert": expert, "company": staff, "volunteer": volunteer, "admin": admin}
    headers, clients = {}, {}
    for who, user in users.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        clients[who] = client
        headers[who] = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    for who in ("expert", "company"):
        headers[f"{who}-token"] = {"Authorization": f"Bearer {tokens[who]}"}
        clients[f"{who}-token"] = Client(
            HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {tokens[who]}"
        )
    explained = {}
    for name, path, who in PAGES:
        clients[who].get(path)  # warm caches, like the server after its first requests
        with CaptureQueriesContext(connection) as ctx:
            status = clients[who].get(path).status_code
        plans = []
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            ms = float(plan.rsplit("Execution Time:", 1)[1].split()[0])
            plans.append({"sql": sql, "execution_ms": ms, "plan": plan})
        plans.sort(key=lambda p: -p["execution_ms"])
        explained[name] = {"status": status, "queries": len(ctx.captured_queries), "plans": plans}
    indexes = []
    for index, name in INDEXES:
        fetches = [p for p in explained[name]["plans"] if " LIMIT " in p["sql"]]
        if not fetches:
            continue
        sql = max(fetches, key=lambda p: p["execution_ms"])["sql"]
        plans = {}
        for label, drop in (("with", False), ("without", True)):
            with transaction.atomic(), connection.cursor() as cursor:
                if drop:
                    cursor.execute(f'DROP INDEX "{index}"')
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plans[label] = "\n".join(row[0] for row in cursor.fetchall())
                transaction.set_rollback(True)
        indexes.append({"index": index, "page": name, "sql": sql, **plans})
    out.write_text(
        json.dumps(
            {
                "indexes": indexes,
                "headers": headers,
                "reports": Report.objects.count(),
                "company_reports": Report.objects.filter(company_id=staff.company_id).count(),
                "volunteer_reports": volunteer.reports.count(),
                "explained": explained,
            }
        )
    )


# --- Load generation (separate processes, standard library only) ----------------------------


def load(port: int, path: str, headers: dict, threads: int, duration: float) -> None:
    deadline = time.monotonic() + duration
    rows, lock = [], threading.Lock()

    def client():
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                status, _ = request(port, "GET", path, headers=headers)
            except OSError:
                status = 0
            with lock:
                rows.append(((time.perf_counter() - t0) * 1000, status))

    pool = [threading.Thread(target=client) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    print(json.dumps(rows))


def run_phase(args, path: str, headers: dict, port: int, server_pid: int) -> dict:
    per_proc = args.clients // 2
    command = [sys.executable, __file__, "_load", str(port), path, json.dumps(headers)]
    command += [str(per_proc), str(args.duration)]
    workers = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    backends = backend_pids(args)
    before = cpu_seconds(workers), cpu_seconds(backends)
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, env=load_env()) for _ in (0, 1)]
    rows = []
    for proc in procs:
        rows.extend(json.loads(proc.communicate(timeout=args.duration + 180)[0]))
    backends |= backend_pids(args)
    n = max(len(rows), 1)
    latencies = sorted(ms for ms, _ in rows)
    return {
        "requests": len(rows),
        "errors": sum(1 for _, status in rows if status != 200),
        "req_per_s": round(len(rows) / args.duration, 1),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1) if latencies else None,
        "cpu_ms_app": round(cpu_delta(before[0], workers) * 1000 / n, 2),
        "cpu_ms_db": round(cpu_delta(before[1], backends) * 1000 / n, 2),
        "loadavg": round(os.getloadavg()[0], 2),
    }


# --- Orchestration -----------------------------------------------------------------------------


def seed(args, size: int, env: dict) -> None:
    import psycopg

    dbname = args.db_url.rsplit("/", 1)[1]
    admin_url = args.db_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if exists and args.reuse_db:
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
            )
        else:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{dbname}"')
            t0 = time.perf_counter()
            seed_cmd = [sys.executable, str(WORKERS), "_seed", "--reports", str(size)]
            seed_cmd += ["--pool", "0", "--clients", str(args.clients)]
            seed_cmd += ["--seed-out", f"/tmp/{dbname}-seed.json"]
            subprocess.run(seed_cmd, cwd=ROOT, env=env, check=True)
            print(f"  seeded {size:,} reports in {time.perf_counter() - t0:.0f} s", flush=True)
    # What autovacuum does to a live database: statistics and the visibility map (which lets
    # counts over an index skip the table).
    with psycopg.connect(args.db_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def bench_size(args, size: int) -> dict:
    import redis

    args.db_url = f"{args.db_base}/{args.db_prefix}_{size}"
    args.media = Path(f"/tmp/{args.db_prefix}_{size}-media")
    env = server_env(args)
    if args.no_fragment_cache:
        env["PAGE_FRAGMENT_SECONDS"] = "0"  # every request renders its tables (the miss path)
    seed(args, size, env)
    redis.Redis.from_url(args.redis_url).flushdb()
    prep = Path(f"/tmp/{args.db_prefix}_{size}-prep.json")
    subprocess.run([sys.executable, __file__, "_prepare", str(prep)], cwd=ROOT, env=env, check=True)
    prepared = json.loads(prep.read_text())
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "spotter.wsgi:application", "--workers", "4"]
        + ["--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
        cwd=args.code_dir,
        env=env,
        start_new_session=True,
    )
    phases = []
    try:
        wait_ready(port, server)
        for _ in range(12):  # every worker warm on every page
            for _name, path, who in PAGES:
                request(port, "GET", path, headers=prepared["headers"][who])
        for round_ in range(args.rounds):
            for name, path, who in PAGES:
                for phase, p, h in (("trivial", "/bench/trivial/", {}), (name, path, who)):
                    headers = prepared["headers"][h] if h else {}
                    result = run_phase(args, p, headers, port, server.pid)
                    result.update(size=size, round=round_ + 1, phase=phase, page=name)
                    phases.append(result)
                print(
                    f"  {size:>9,} r{round_ + 1} {name:12s} {phases[-1]['req_per_s']:7.1f} req/s "
                    f"({phases[-1]['req_per_s'] / max(phases[-2]['req_per_s'], 0.1):6.1%} of "
                    f"trivial {phases[-2]['req_per_s']:.0f}) p50 {phases[-1]['p50_ms']} ms, "
                    f"CPU {phases[-1]['cpu_ms_app']} + {phases[-1]['cpu_ms_db']} ms/req, "
                    f"errors {phases[-1]['errors']}",
                    flush=True,
                )
        rss = peak_rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    redis.Redis.from_url(args.redis_url).flushdb()
    return {"size": size, "phases": phases, "rss": rss, **prepared}


def summarise(runs: list[dict]) -> list[dict]:
    rows = []
    for run in runs:
        for name, _path, _who in PAGES:
            mine = [p for p in run["phases"] if p["page"] == name]
            page = [p for p in mine if p["phase"] == name]
            trivial = [p for p in mine if p["phase"] == "trivial"]
            pairs = zip(page, trivial, strict=True)
            ratios = [p["req_per_s"] / max(t["req_per_s"], 0.1) for p, t in pairs]
            plans = run["explained"][name]["plans"]
            rows.append(
                {
                    "size": run["size"],
                    "page": name,
                    "ratio": round(statistics.mean(ratios), 4),
                    "req_per_s": round(statistics.mean(p["req_per_s"] for p in page), 1),
                    "trivial_req_per_s": round(statistics.mean(t["req_per_s"] for t in trivial), 1),
                    "p50_ms": statistics.median(p["p50_ms"] for p in page),
                    "cpu_ms_app": round(statistics.mean(p["cpu_ms_app"] for p in page), 2),
                    "cpu_ms_db": round(statistics.mean(p["cpu_ms_db"] for p in page), 2),
                    "errors": sum(p["errors"] for p in page),
                    "queries": run["explained"][name]["queries"],
                    "slowest_sql_ms": plans[0]["execution_ms"] if plans else 0.0,
                }
            )
    first = {r["page"]: r for r in rows if r["size"] == runs[0]["size"]}
    for r in rows:
        base = first[r["page"]]["cpu_ms_app"] + first[r["page"]]["cpu_ms_db"]
        r["cpu_growth"] = round((r["cpu_ms_app"] + r["cpu_ms_db"]) / max(base, 0.01), 2)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated report counts")
    parser.add_argument("--db-base", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db-prefix", default="cs_bench_pages", help="database <prefix>_<size>")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14", help="flushed")
    parser.add_argument(
        "--no-fragment-cache",
        action="store_true",
        help="PAGE_FRAGMENT_SECONDS=0 for the server: every request renders its tables",
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10, help="seconds per phase")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reuse-db", action="store_true", help="keep databases that exist")
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--seed-only",
        action="store_true",
        help="seed (or migrate, with --reuse-db) the databases of --sizes and stop",
    )
    parser.add_argument(
        "--code-dir",
        type=Path,
        default=ROOT,
        help="checkout whose code gunicorn serves (seeding and migrations: this one)",
    )
    args = parser.parse_args()
    args.code_dir = args.code_dir.resolve()
    commit = subprocess.run(
        ["git", "-C", str(args.code_dir), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    label = args.label or commit
    if args.seed_only:
        for size in args.sizes.split(","):
            args.db_url = f"{args.db_base}/{args.db_prefix}_{size}"
            args.media = Path(f"/tmp/{args.db_prefix}_{size}-media")
            seed(args, int(size), server_env(args))
        return
    runs = [bench_size(args, int(size)) for size in args.sizes.split(",")]
    rows = summarise(runs)
    print(
        f"\n{'reports':>9} {'page':12} {'ratio':>7} {'req/s':>7} {'p50 ms':>7} "
        f"{'app+db CPU ms/req':>18} {'growth':>6} {'queries':>7} {'slowest SQL ms':>14}"
    )
    for r in rows:
        print(
            f"{r['size']:>9,} {r['page']:12} {r['ratio']:7.1%} {r['req_per_s']:7.1f} "
            f"{r['p50_ms']:7.0f} {r['cpu_ms_app']:8.1f} + {r['cpu_ms_db']:7.1f} "
            f"{r['cpu_growth']:6.2f} {r['queries']:7d} {r['slowest_sql_ms']:14.2f}"
        )
    for run in runs:
        print(f"peak RSS {run['size']:,}: {run['rss']}")
        for item in run["indexes"]:
            plans = (item["with"], item["without"])
            ms = [p.rsplit("Execution Time:", 1)[1].split()[0] for p in plans]
            print(f"  {item['index']} ({item['page']}): {ms[0]} ms with, {ms[1]} ms without")
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"pages-{label}-{stamp}.json").write_text(
        json.dumps({"commit": commit, "summary": rows, "runs": runs}, indent=1)
    )
    for run in runs:
        with open(RESULTS / f"pages-{label}-{stamp}-explain-{run['size']}.txt", "w") as out:
            for name, data in run["explained"].items():
                out.write(f"##### {name}: {data['queries']} queries, status {data['status']}\n")
                for plan in data["plans"]:
                    out.write(f"--- {plan['execution_ms']} ms\n{plan['sql']}\n{plan['plan']}\n\n")
            for item in run["indexes"]:
                out.write(f"##### index {item['index']} on the {item['page']} page fetch\n")
                out.write(f"{item['sql']}\n--- with the index\n{item['with']}\n")
                out.write(f"--- without it\n{item['without']}\n\n")
    print(f"results in {RESULTS}/pages-{label}-{stamp}*")


if __name__ == "__main__":
    if sys.argv[1:2] == ["_prepare"]:
        sys.path.insert(0, os.getcwd())  # the checkout under test (--code-dir) before this one
        prepare(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["_load"]:
        port, path, headers, threads, duration = sys.argv[2:7]
        load(int(port), path, json.loads(headers), int(threads), float(duration))
    else:
        main()
