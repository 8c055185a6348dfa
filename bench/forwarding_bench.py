"""Forwarding throughput (issue 12): confirmations delivered to a local webhook receiver by two
real Celery workers, against a plain HTTP POST loop to the same receiver in the same run.

    .venv/bin/python bench/forwarding_bench.py                  # 10,000 deliveries (~3-5 min)
    .venv/bin/python bench/forwarding_bench.py --reports 2000

Drops and recreates a PostgreSQL database, migrates, loads the reference data and makes one
member company's channels portal + webhook (to a receiver on 127.0.0.1: the outbox refuses
loopback unless ``WEBHOOK_ALLOW_LOOPBACK_HTTP``, which only this bench and the tests set).
Seeds N forwarded reports (bulk insert, each with one screenshot's evidence row, like a
confirmed report) and their outbox rows through ``forwarding.create_deliveries`` (the planning
function confirm_report calls). Starts a private redis-server, the receiver (its own process:
ThreadingHTTPServer, answers 200 to every POST, counts them) and two workers
(``celery -A spotter worker -c 1`` x 2), waits until both answer a ping, then queues a
wake-up per row (what each confirmation's commit does) and measures deliveries/s until every
webhook row is sent.

Baseline, same run, same receiver: two sender processes POSTing the same body (a real webhook
body with its signed headers) in a plain ``http.client`` loop,
once with a new connection per request and once with one kept-alive connection per sender (the
outbox keeps one per batch); each before and after the workers. Ratio = deliveries/s / POSTs/s,
against each loop. The workers are woken as confirmations wake them in production
(``delivery.wake`` once per confirmation: one waiting wake-up per company and channel).
CPU per delivery / per POST of the workers (and their PostgreSQL backends) and of the senders
is read from /proc (the machine is shared). Then a few attempts are profiled in-process
(cProfile) to say what a delivery attempt costs. JSON to bench/results/forwarding-<time>.json.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import hashlib
import json
import os
import pstats
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.soak_load import PrivateRedis  # noqa: E402
from bench.write_bench import backend_pids, cpu_delta, cpu_seconds, free_port  # noqa: E402
from bench.write_workers import png_bytes  # noqa: E402

SECRET_KEY = "bench-only-secret-key-not-used-anywhere-else-0123456789"
RECEIVER = r"""
import http.server, signal, sys
count = 0
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps connections open, as any production receiver does
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall
    def do_POST(self):
        global count
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        count += 1
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *a): pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H)
def stop(*a):
    print(count, flush=True); sys.exit(0)
signal.signal(signal.SIGTERM, stop)
server.serve_forever()
"""
SENDER = r"""
import http.client, json, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
body, headers = sys.argv[3].encode(), json.loads(sys.argv[4])
keep = sys.argv[5] == "keep"
ok = 0
t0 = time.perf_counter()
conn = None
for _ in range(n):
    if conn is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/hook/bench", body=body, headers=headers)
    response = conn.getresponse(); response.read(65536)
    ok += 200 <= response.status < 300
    if not keep:
        conn.close(); conn = None
cpu = time.process_time()
print(json.dumps({"ok": ok, "seconds": time.perf_counter() - t0, "cpu": cpu}))
"""


def setup_django(args, redis_url: str, media: Path) -> dict:
    env = {
        "DATABASE_URL": args.db_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": SECRET_KEY,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(media),
        "LOG_LEVEL": "WARNING",
        "WEBHOOK_ALLOW_LOOPBACK_HTTP": "true",
        "DB_CONN_MAX_AGE": "3600",
        "DJANGO_SETTINGS_MODULE": "spotter.settings",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)
    import django

    django.setup()
    return {**os.environ, **env}


def seed(args, receiver_port: int, n: int, tag: str = "F") -> list[int]:
    """N forwarded reports of one company with their outbox rows; returns the webhook rows."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from reports import forwarding
    from reports.forwarding.webhooks import new_webhook_secret
    from reports.models import (
        Channel,
        Evidence,
        MemberCompany,
        ProductType,
        Report,
        ReportStatus,
        Species,
    )
    from spotter.models import Role, User

    company = MemberCompany.objects.get(domains__domain="ebay.com")
    MemberCompany.objects.filter(pk=company.pk).update(
        notify_by_email=False,
        daily_digest=False,
        webhook_enabled=True,
        webhook_url=f"http://127.0.0.1:{receiver_port}/hook/{company.slug}",
        webhook_secret=company.webhook_secret or new_webhook_secret(),
    )
    company.refresh_from_db()
    volunteer, _ = User.objects.get_or_create(
        email="fwd-volunteer@bench.invalid", defaults={"role": Role.VOLUNTEER, "password": "!"}
    )
    expert, _ = User.objects.get_or_create(
        email="fwd-expert@bench.invalid", defaults={"role": Role.EXPERT, "password": "!"}
    )
    species = Species.objects.order_by("pk").first()
    product = ProductType.objects.order_by("pk").first()
    png = png_bytes()
    path = Path(settings.MEDIA_ROOT) / "evidence" / "bench" / "fwd.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)
    digest = hashlib.sha256(png).hexdigest()
    now = timezone.now()
    refs = [f"CS-{tag}{i:09d}" for i in range(n)]
    with transaction.atomic():
        Report.objects.bulk_create(
            [
                Report(
                    reference=ref,
                    volunteer=volunteer,
                    listing_url=f"https://www.ebay.com/itm/fwd-{ref}",
                    normalized_url=f"https://www.ebay.com/itm/fwd-{ref}",
                    domain="ebay.com",
                    company=company,
                    listing_title="Pangolin scales 500 g (bench)",
                    species=species,
                    species_reported=species,
                    product_type=product,
                    status=ReportStatus.FORWARDED,
                    decided_by=expert,
                    decided_at=now,
                    forwarded_at=now,
                    ack_due_at=now + timedelta(hours=24),
                    act_due_at=now + timedelta(hours=72),
                )
                for ref in refs
            ],
            batch_size=2000,
        )
        reports = list(Report.objects.filter(reference__in=refs).select_related("company"))
        Evidence.objects.bulk_create(
            [
                Evidence(
                    report=report,
                    image="evidence/bench/fwd.png",
                    original_name="fwd.png",
                    original_sha256=digest,
                    original_size=len(png),
                    original_format="PNG",
                    image_sha256=digest,
                    width=400,
                    height=300,
                )
                for report in reports
            ],
            batch_size=2000,
        )
        hooks = []
        for report in reports:
            for delivery in forwarding.create_deliveries(report):
                if delivery.channel == Channel.WEBHOOK:
                    hooks.append(delivery.pk)
    return hooks


def start_worker(name: str, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "spotter", "worker", "-c", "1", "-P", "prefork",
         "--loglevel", "WARNING", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
         "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def tree(pid: int) -> list[int]:
    """The process and its children (a prefork worker's pool)."""
    kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(int(k) for k in kids)]


def plain_loop(port: int, total: int, senders: int, body: str, headers: dict, keep: bool) -> dict:
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                SENDER,
                str(port),
                str(total // senders),
                body,
                json.dumps(headers),
                "keep" if keep else "new",
            ],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        for _ in range(senders)
    ]
    t0 = time.perf_counter()
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=600)
        results.append(json.loads(out))
    wall = time.perf_counter() - t0
    ok = sum(r["ok"] for r in results)
    cpu_ms = sum(r["cpu"] for r in results) * 1000 / max(ok, 1)
    return {
        "connections": "kept alive" if keep else "new per POST",
        "posts": ok,
        "seconds": round(wall, 2),
        "per_s": round(ok / wall, 1),
        "cpu_ms_per_post_senders": round(cpu_ms, 3),
    }


def run_deliveries(args, hooks: list[int], env: dict, workdir: Path) -> dict:
    from reports.forwarding.delivery import wake
    from reports.models import Channel, Delivery, DeliveryStatus
    from spotter.celery import app

    workers = [start_worker(f"fwd{i}", env, workdir / "workers.log") for i in range(2)]
    try:
        deadline = time.monotonic() + 60
        while len(app.control.ping(timeout=0.5) or []) < 2:
            if time.monotonic() > deadline:
                raise SystemExit(f"workers did not start; see {workdir / 'workers.log'}")
        pids = [p for w in workers for p in tree(w.pid)]
        db = SimpleNamespace(db_url=args.db_url)
        before = cpu_seconds(pids), cpu_seconds(backend_pids(db))
        company_id = Delivery.objects.get(pk=hooks[0]).company_id
        t0 = time.perf_counter()
        # What each confirmation's commit does (delivery.enqueue_after_commit): wake its
        # company's webhook channel; all but the first find a wake-up already waiting.
        for _delivery_id in hooks:
            wake(company_id, Channel.WEBHOOK)
        enqueue_s = time.perf_counter() - t0
        pending = Delivery.objects.filter(pk__in=hooks).exclude(status=DeliveryStatus.SENT)
        while pending.exists():
            if time.perf_counter() - t0 > args.timeout:
                raise SystemExit(f"not all delivered after {args.timeout} s")
            time.sleep(0.2)
        wall = time.perf_counter() - t0
        cpu_workers = cpu_delta(before[0], pids)
        per_worker = [round(cpu_delta(before[0], tree(w.pid)), 2) for w in workers]
        cpu_db = cpu_delta(before[1], backend_pids(db))
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(30)
    statuses = collections.Counter(
        Delivery.objects.filter(pk__in=hooks).values_list("status", flat=True)
    )
    attempts = sum(Delivery.objects.filter(pk__in=hooks).values_list("attempts", flat=True))
    n = len(hooks)
    return {
        "deliveries": n,
        "statuses": dict(statuses),
        "attempts": attempts,
        "enqueue_s": round(enqueue_s, 2),
        "seconds": round(wall, 2),
        "per_s": round(n / wall, 1),
        "cpu_s_per_worker": per_worker,
        "cpu_ms_per_delivery": {
            "workers": round(cpu_workers * 1000 / n, 2),
            "postgres": round(cpu_db * 1000 / n, 2),
        },
    }


PARTS = [
    ("claim a batch (SELECT ... FOR UPDATE SKIP LOCKED + UPDATE)", "forwarding/outbox.py",
     "claim_batch"),
    ("screenshots of the batch (one prefetch query)", "django/db/models/query.py",
     "prefetch_related_objects"),
    ("build the notice (notice_payload, JSON)", "forwarding/webhooks.py", "webhook_body"),
    ("sign (Standard Webhooks HMAC)", "forwarding/webhooks.py", "sign_headers"),
    ("resolve + SSRF checks (once per batch)", "forwarding/webhooks.py", "resolve_webhook_target"),
    ("HTTP POST (send, answer; connect once per batch)", "forwarding/webhooks.py", "post"),
    ("mark the batch sent", "forwarding/outbox.py", "mark_sent_many"),
    ("audit events (one INSERT per batch)", "spotter/audit.py", "record_events"),
    ("SQL (psycopg execute, incl. server time)", "psycopg/cursor.py", "execute"),
]  # fmt: skip


def profile(hooks: list[int]) -> dict:
    """The woken task's path in this process (``drain_company``): half the rows timed with
    their SQL counted, the other half under cProfile."""
    from django.db import connection
    from django.utils import timezone

    from reports.forwarding.delivery import drain_company
    from reports.models import Channel, Delivery

    half = len(hooks) // 2
    company_id = Delivery.objects.get(pk=hooks[0]).company_id
    # Held back while the workers ran (main); now due, one half at a time.
    Delivery.objects.filter(pk__in=hooks[:half]).update(next_attempt_at=timezone.now())
    queries = []
    t0, cpu0 = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(lambda ex, sql, p, many, ctx: queries.append(sql) or
                                    ex(sql, p, many, ctx)):  # fmt: skip
        assert drain_company(company_id, Channel.WEBHOOK) == half
    plain_ms = (time.perf_counter() - t0) * 1000 / half
    cpu_ms = (time.process_time() - cpu0) * 1000 / half
    Delivery.objects.filter(pk__in=hooks[half:]).update(next_attempt_at=timezone.now())
    profiler = cProfile.Profile()
    profiler.enable()
    drain_company(company_id, Channel.WEBHOOK)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in stats.values())
    parts = collections.Counter()
    for (filename, _line, function), (_cc, _nc, _tt, cumtime, _callers) in stats.items():
        for label, suffix, name in PARTS:
            if filename.endswith(suffix) and function == name:
                parts[label] += cumtime
    top = sorted(stats.items(), key=lambda item: -item[1][2])[:10]
    return {
        "ms_per_delivery_unprofiled": round(plain_ms, 2),
        "cpu_ms_per_delivery_unprofiled": round(cpu_ms, 2),
        "sql_statements_per_delivery": round(len(queries) / half, 2),
        "shares": {label: round(t / total, 3) for label, t in parts.most_common()},
        "top_own_time": [
            {"function": f"{Path(f).name}:{line} {fn}", "share": round(s[2] / total, 3)}
            for (f, line, fn), s in top
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 2)[2],
    )
    parser.add_argument("--reports", type=int, default=10_000, help="confirmations to deliver")
    parser.add_argument("--profile", type=int, default=200, help="attempts profiled afterwards")
    parser.add_argument("--timeout", type=float, default=900, help="give up after (s)")
    parser.add_argument(
        "--db-url",
        default="postgres://postgres@127.0.0.1:5432/cs_bench_forward",
        help="database to DROP and recreate",
    )
    args = parser.parse_args()
    import psycopg

    dbname = args.db_url.rsplit("/", 1)[1]
    with psycopg.connect(args.db_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    workdir = Path(tempfile.mkdtemp(prefix="fwd-bench-"))
    redis_server = PrivateRedis(workdir)
    redis_server.start()
    receiver_port = free_port()
    receiver = subprocess.Popen(
        [sys.executable, "-c", RECEIVER, str(receiver_port)], stdout=subprocess.PIPE, text=True
    )
    try:
        env = setup_django(args, redis_server.url, workdir / "media")
        from django.core.management import call_command

        from reports.forwarding.webhooks import signed_headers, webhook_body
        from reports.models import Delivery

        call_command("migrate", verbosity=0)
        call_command("load_reference", verbosity=0)
        t0 = time.perf_counter()
        hooks = seed(args, receiver_port, args.reports)
        extra = seed(args, receiver_port, args.profile, tag="Q")
        # Same company: held back from the workers (they drain every due row of it).
        Delivery.objects.filter(pk__in=extra).update(
            next_attempt_at=datetime.now(UTC) + timedelta(days=1)
        )
        seed_s = time.perf_counter() - t0
        print(f"forwarding bench: seeded {args.reports} + {args.profile} in {seed_s:.1f} s",
              flush=True)  # fmt: skip
        sample = Delivery.objects.select_related("report", "company").get(pk=hooks[0])
        body = webhook_body(sample)
        headers = signed_headers(sample, body, datetime.now(UTC))
        # The baselines: same receiver, same body and headers, 2 senders, before and after; a
        # new connection per POST, and one kept-alive connection per sender (the outbox keeps
        # one per batch).
        posts = []
        for keep in (False, True):
            posts.append(plain_loop(receiver_port, args.reports, 2, body, headers, keep))
            print(f"  plain POST loop ({posts[-1]['connections']}): {posts[-1]['per_s']} POST/s",
                  flush=True)  # fmt: skip
        load_before = os.getloadavg()[0]
        outbox = run_deliveries(args, hooks, env, workdir)
        print(f"  outbox: {outbox['per_s']} deliveries/s", flush=True)
        for keep in (False, True):
            posts.append(plain_loop(receiver_port, args.reports, 2, body, headers, keep))
            print(f"  plain POST loop ({posts[-1]['connections']}): {posts[-1]['per_s']} POST/s",
                  flush=True)  # fmt: skip
        profiled = profile(extra) if args.profile >= 2 else {}
    finally:
        receiver.send_signal(signal.SIGTERM)
        received = receiver.communicate(timeout=10)[0].strip()
        redis_server.stop()
    rates = {
        mode: sum(p["per_s"] for p in posts if p["connections"] == mode) / 2
        for mode in ("new per POST", "kept alive")
    }
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "reports": args.reports,
        "body_bytes": len(body.encode()),
        "loadavg_1min_before": round(load_before, 2),
        "plain_post_loop": posts,
        "outbox": outbox,
        "ratio": {mode: round(outbox["per_s"] / rate, 3) for mode, rate in rates.items()},
        "receiver_requests": int(received or 0),
        "profile": profiled,
    }
    print(json.dumps(result, indent=1))
    out = ROOT / "bench" / "results" / f"forwarding-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    for mode, ratio in result["ratio"].items():
        print(f"ratio to the plain loop, connections {mode}: {ratio:.1%} (target >= 50%)")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
