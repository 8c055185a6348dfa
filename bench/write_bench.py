"""Write path under load: API submission and expert confirmation against the real server.

    .venv/bin/python bench/write_bench.py                        # this checkout (~7 minutes)
    .venv/bin/python bench/write_bench.py --code-dir /work/wt/bench-before --label before
    .venv/bin/python bench/write_bench.py --reuse-db --duration 10 --rounds 1   # quick re-run

One command: (1) drops and recreates a PostgreSQL database, migrates, loads the reference data,
seeds 100,000 reports (COPY, like dashboard_bench.py's bulk load) plus certified volunteers,
experts, company staff, API tokens and a pool of submitted reports with a screenshot for the
experts to confirm, then ``rebuild_rollups`` and ANALYZE; (2) starts gunicorn (4 sync workers,
production settings, bench/settings.py = the project's settings + bench/urls.py, which adds a
trivial view and a bare-insert view); (3) drives 32 concurrent clients from separate processes
over loopback, alternating phases in the same run: trivial view, bare insert, API submission
(POST /api/v1/reports/, multipart with a small PNG, unique listing URLs) and expert review
(claim + confirm through the API); (4) samples pg_stat_activity every 100 ms during each phase
and reports the top wait events, and measures the CPU time the gunicorn workers and the
PostgreSQL backends spend per request (robust to other jobs on the machine); (5) profiles a few
requests of each kind one at a time (cProfile, in-process: image processing, SQL, Redis,
counters...); (6) prints a table (throughput, ratio to the trivial view, p50/p95, errors, CPU
per request, peak worker RSS) and saves JSON under bench/results/ (git-ignored). The parts that
run in their own processes are in bench/write_workers.py, the summary in bench/write_report.py.

``--code-dir`` runs the server and the seeding from another checkout (e.g. a ``git worktree``
of an older commit) with this script and bench/settings.py; its .venv is this one's. Needs the
local PostgreSQL (trust auth) and Redis. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.write_report import PHASES, report, summarise  # noqa: E402
from bench.write_workers import request  # noqa: E402

WORKERS = ROOT / "bench" / "write_workers.py"
# Every per-user limit out of the way: the bench measures the write path, not the limits
# (API_RATE_REPORT_CREATE is the old code's name for the submission limit).
UNLIMITED = "1000000000/hour"
LIMIT_ENV = {
    "SUBMISSIONS_PER_HOUR": "1000000000",
    "API_RATE_USER": UNLIMITED,
    "API_RATE_REVIEW": UNLIMITED,
    "API_RATE_REPORT_CREATE": UNLIMITED,
    "API_RATE_COMPANY": UNLIMITED,
    "API_RATE_ANON": UNLIMITED,
}


def server_env(args) -> dict:
    env = dict(os.environ)
    env.update(LIMIT_ENV)
    env.update(
        DATABASE_URL=args.db_url,
        REDIS_URL=args.redis_url,
        SECRET_KEY="bench-only-secret-key-not-used-anywhere-else-0123456789",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        MFA_REQUIRED_ROLES="",
        MEDIA_ROOT=str(args.media),
        # Persistent connections for the whole run (production default: 60 s), so the CPU of
        # each PostgreSQL backend can be read per phase without backends coming and going.
        DB_CONN_MAX_AGE="3600",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="bench.settings",
        # The checkout under test first; this directory second, for bench.settings and
        # bench.urls (bench/ has no __init__.py, so both bench/ folders form one package).
        PYTHONPATH=os.pathsep.join(dict.fromkeys([str(args.code_dir), str(ROOT)])),
    )
    return env


# --- Orchestration ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ActivitySampler(threading.Thread):
    """pg_stat_activity every 100 ms from its own connection: who waits on what."""

    def __init__(self, db_url: str, dbname: str):
        super().__init__(daemon=True)
        import psycopg

        self.conn = psycopg.connect(db_url, autocommit=True)
        self.dbname = dbname
        self.samples = None
        self.stop = threading.Event()
        self.active = threading.Event()

    def begin(self):
        self.samples = collections.Counter()
        self.queries = collections.defaultdict(collections.Counter)
        self.ticks = 0
        self.active.set()

    def end(self) -> dict:
        self.active.clear()
        time.sleep(0.15)
        total = sum(self.samples.values()) or 1
        top = [
            {
                "wait": event,
                "share": round(count / total, 3),
                "per_sample": round(count / max(self.ticks, 1), 2),
                "query": self.queries[event].most_common(1)[0][0],
            }
            for event, count in self.samples.most_common(6)
        ]
        return {
            "samples": self.ticks,
            "active_backends_mean": round(total / max(self.ticks, 1), 2),
            "top": top,
        }

    def run(self):
        sql = (
            # A backend "idle in transaction" waits on ClientRead: the app is working (Python)
            # while the transaction holds its row locks.
            "SELECT CASE WHEN state = 'idle in transaction' THEN 'app inside transaction' "
            "ELSE coalesce(wait_event_type || ':' || wait_event, 'CPU (no wait)') END, "
            "left(regexp_replace(query, '\\s+', ' ', 'g'), 70) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid() AND state NOT IN ('idle') "
            "AND backend_type = 'client backend'"
        )
        while not self.stop.is_set():
            if self.active.is_set():
                rows = self.conn.execute(sql, [self.dbname]).fetchall()
                self.ticks += 1
                for event, query in rows:
                    self.samples[event] += 1
                    self.queries[event][query] += 1
            time.sleep(0.1)


def peak_rss_mb(master_pid: int) -> dict:
    def hwm(pid):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    workers = [round(hwm(int(pid)), 1) for pid in children]
    return {"workers_peak_mb": workers, "master_peak_mb": round(hwm(master_pid), 1)}


def cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU seconds of each of these processes so far (Linux /proc)."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def cpu_delta(before: dict[int, float], pids) -> float:
    return sum(t - before.get(pid, 0.0) for pid, t in cpu_seconds(pids).items())


def backend_pids(args) -> set[int]:
    import psycopg

    with psycopg.connect(args.db_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
            [args.db_url.rsplit("/", 1)[1]],
        ).fetchall()
    return {pid for (pid,) in rows}


def write_pool(args) -> None:
    """The pool reports still waiting (earlier phases and runs confirmed the others)."""
    import psycopg

    with psycopg.connect(args.db_url) as conn:
        refs = conn.execute(
            "SELECT reference FROM reports_report WHERE reference LIKE 'CS-P%%' "
            "AND status = 'submitted' ORDER BY reference"
        ).fetchall()
    args.pool_file.write_text(json.dumps([ref for (ref,) in refs]))


def run_phase(args, phase: str, port: int, run_id: str, sampler, server_pid: int) -> dict:
    per_proc = args.clients // args.load_procs
    commands = [
        [
            sys.executable,
            str(WORKERS),
            "_load",
            "--phase",
            phase,
            "--port",
            str(port),
            "--duration",
            str(args.duration),
            "--threads",
            str(per_proc),
            "--proc-index",
            str(i),
            "--clients",
            str(args.clients),
            "--seed-out",
            str(args.seed_out),
            "--run-id",
            run_id,
            "--pool-file",
            str(args.pool_file),
        ]
        for i in range(args.load_procs)
    ]
    # CPU time spent by the gunicorn workers and the PostgreSQL backends during the phase, per
    # request: unlike throughput, hardly affected by other jobs sharing the machine.
    workers = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    backends_before = backend_pids(args)
    cpu_before = cpu_seconds(workers), cpu_seconds(backends_before)  # pid -> seconds
    load_before = os.getloadavg()[0]
    sampler.begin()
    t0 = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, env=load_env()) for c in commands]
    outputs = []
    for proc in procs:
        stdout, _ = proc.communicate(timeout=args.duration + 120)
        outputs.append(json.loads(stdout))
    elapsed = time.perf_counter() - t0
    waits = sampler.end()
    backends = backends_before | backend_pids(args)
    cpu_app = cpu_delta(cpu_before[0], workers)
    cpu_db = cpu_delta(cpu_before[1], backends)  # a backend opened during the phase: all of it
    # Throughput over the bounded duration (requests still in flight at the deadline finish
    # after it; they are counted, which the ±1 request per client makes negligible).
    result = summarise(phase, outputs, max(args.duration, 1))
    result["elapsed_s"] = round(elapsed, 1)
    result["waits"] = waits
    result["loadavg_1min_before"] = round(load_before, 2)
    n = max(result["requests"], 1)
    result["cpu_ms_per_request"] = {
        "gunicorn": round(cpu_app * 1000 / n, 2),
        "postgres": round(cpu_db * 1000 / n, 2),
    }
    return result


def load_env() -> dict:
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def wait_ready(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited; see its output above")
        try:
            if request(port, "GET", "/bench/trivial/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /bench/trivial/ in time")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 2)[2],
    )
    parser.add_argument(
        "--code-dir",
        type=Path,
        default=ROOT,
        help="checkout whose code gunicorn and the seeding run (default: this one)",
    )
    parser.add_argument(
        "--label",
        default="",
        help="name of this run in the output (default: the checkout's short commit)",
    )
    parser.add_argument(
        "--db-url",
        default="postgres://postgres@127.0.0.1:5432/cs_bench_write",
        help="database to DROP and recreate",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/13",
        help="Redis db for cache, limits and Celery queue (flushed)",
    )
    parser.add_argument("--reports", type=int, default=100_000, help="reports to seed")
    parser.add_argument(
        "--pool",
        type=int,
        default=16_000,
        help="submitted reports seeded for the experts to claim and confirm",
    )
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument(
        "--load-procs",
        type=int,
        default=2,
        help="load-generator processes the clients are split over",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--duration", type=float, default=20, help="seconds per phase")
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="rounds of (trivial, insert, submit, review), interleaved",
    )
    parser.add_argument(
        "--profile-requests",
        type=int,
        default=20,
        help="requests of each kind profiled one at a time after the load "
        "(cProfile, in-process); 0 to skip",
    )
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="skip dropping and seeding: reuse the previous run's database (same --code-dir)",
    )
    args = parser.parse_args()
    args.code_dir = args.code_dir.resolve()
    if args.clients % args.load_procs:
        parser.error("--clients must be a multiple of --load-procs")
    dbname = args.db_url.rsplit("/", 1)[1]
    args.media = Path(f"/tmp/{dbname}-media")
    args.seed_out = Path(f"/tmp/{dbname}-seed.json")
    args.pool_file = Path(f"/tmp/{dbname}-pool.json")
    commit = subprocess.run(
        ["git", "-C", str(args.code_dir), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    label = args.label or commit
    env = server_env(args)
    import psycopg

    print(
        f"write bench: code {args.code_dir} ({commit}), {args.clients} clients, "
        f"{args.workers} gunicorn workers, {args.duration:.0f} s per phase, {args.rounds} rounds"
    )
    if not args.reuse_db:
        admin_url = args.db_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{dbname}"')
        shutil.rmtree(args.media, ignore_errors=True)
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(WORKERS),
                "_seed",
                "--reports",
                str(args.reports),
                "--pool",
                str(args.pool),
                "--clients",
                str(args.clients),
                "--seed-out",
                str(args.seed_out),
            ],
            cwd=args.code_dir,
            env=env,
            check=True,
        )
        print(f"seeding done in {time.perf_counter() - t0:.1f} s")
    seed_data = json.loads(args.seed_out.read_text())

    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "spotter.wsgi:application",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=args.code_dir,
        env=env,
        start_new_session=True,
    )
    sampler = ActivitySampler(args.db_url, dbname)
    sampler.start()
    phases = []
    try:
        wait_ready(port, server)
        # Warm every worker on every path once (imports, connections) before timing.
        for _ in range(args.workers * 3):
            request(port, "GET", "/bench/trivial/")
            request(port, "POST", "/bench/insert/")
        run_id = datetime.now(UTC).strftime("%H%M%S")
        for round_ in range(args.rounds):
            for phase in PHASES:
                if phase == "review":
                    write_pool(args)
                result = run_phase(args, phase, port, f"{run_id}r{round_}", sampler, server.pid)
                if result["ops"].get("pool_exhausted"):
                    print("  warning: the review pool ran out for some clients; raise --pool")
                result["round"] = round_ + 1
                phases.append(result)
                print(
                    f"  round {round_ + 1} {phase:8s} {result['req_per_s']:8.1f} req/s  "
                    f"errors {result['errors']}",
                    flush=True,
                )
        rss = peak_rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        sampler.stop.set()
    profiled = {}
    if args.profile_requests:
        # Single requests, in-process, with nothing else running: where the time goes.
        write_pool(args)
        done = subprocess.run(
            [
                sys.executable,
                str(WORKERS),
                "_profile",
                "--reports",
                str(args.profile_requests),
                "--seed-out",
                str(args.seed_out),
                "--pool-file",
                str(args.pool_file),
                "--run-id",
                run_id,
            ],
            cwd=args.code_dir,
            env=env,
            check=False,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"profiling failed:\n{done.stderr[-3000:]}")
        profiled = json.loads(done.stdout)
    # The Celery messages queued by the run (no worker consumes them) go with the run.
    redis.Redis.from_url(args.redis_url).flushdb()
    report(args, label, commit, phases, rss, seed_data, profiled)


if __name__ == "__main__":
    main()
