"""THE fault-injection test: real PostgreSQL, a private Redis, real Celery workers.

A local receiver fails ~30% of webhook requests with 500 and answers some too late (past the
client timeout); >= 500 reports are confirmed through the services; mid-run the worker is
killed with SIGKILL (a new one is started) and Redis is restarted (losing every queued
message). Afterwards every report must have been received, with exactly one webhook-id per
(report, company): 0 lost, duplicates only as repeats of the same id, 0 dead.

Runs in the production pytest invocation (see Makefile PROD_ENV). Figures: docs/forwarding.md.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import kombu.pools
import pytest
from django.conf import settings as django_settings
from django.db import connection

from reports import forwarding, services
from reports.evidence import process_image
from reports.forwarding.webhooks import new_webhook_secret
from reports.models import Channel, Delivery, DeliveryStatus
from spotter.models import Role
from tests import factories

from .helpers import InvalidSignature, Received, Receiver, Reply, verify_standard_webhook

pytestmark = [pytest.mark.production]

BASE_DIR = Path(django_settings.BASE_DIR)
REPORTS = int(os.environ.get("FAULT_REPORTS", "500"))
FAIL_RATE = 0.30  # answered 500
SLOW_RATE = 0.05  # processed, but answered after the client's timeout
CLIENT_TIMEOUT = 1
DEADLINE_SECONDS = 240
SHORT_OUTBOX = {
    "WEBHOOK_TIMEOUT_SECONDS": str(CLIENT_TIMEOUT),
    "OUTBOX_BASE_DELAY_SECONDS": "1",
    "OUTBOX_MAX_DELAY_SECONDS": "4",
    "OUTBOX_LEASE_SECONDS": "5",
    "OUTBOX_REQUEUE_SECONDS": "5",
    "OUTBOX_MAX_ATTEMPTS": "12",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, so restarting it touches nothing shared."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis(port=self.port, socket_timeout=1)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


class Worker:
    """`celery -A spotter worker` in its own process group (SIGKILL takes its children too)."""

    def __init__(self, name: str, env: dict, log: Path):
        self.log = log.open("ab")
        self.proc = subprocess.Popen(
            [str(BASE_DIR / ".venv/bin/celery"), "-A", "spotter", "worker", "--concurrency", "2",
             "-P", "prefork", "--loglevel", "WARNING", "-n", f"{name}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.log.close()


class FaultyReceiver(Receiver):
    """Fails ~30% with 500, answers ~5% after the client timeout, verifies every signature."""

    def __init__(self, secrets: dict[str, str], seed: int = 20260310):
        self.secrets = secrets
        self.rng = random.Random(seed)
        self.rng_lock = threading.Lock()
        self.bad_signatures = 0
        super().__init__(self.decide)

    def decide(self, item: Received) -> Reply:
        slug = item.path.rsplit("/", 1)[-1]
        try:
            verify_standard_webhook(self.secrets[slug], item.headers, item.body)
        except (InvalidSignature, KeyError):
            self.bad_signatures += 1
            return Reply(400)
        with self.rng_lock:
            roll = self.rng.random()
        if roll < FAIL_RATE:
            return Reply(500)
        if roll < FAIL_RATE + SLOW_RATE:
            return Reply(200, sleep=CLIENT_TIMEOUT + 0.6)
        return Reply(200)


def redirect_celery(broker_url: str) -> str:
    """Point this process's Celery producer (used by on_commit enqueues and the sweep) at the
    private Redis; returns the previous URL."""
    from spotter.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = broker_url
    # Close and forget every kombu pool: kombu keeps one registry of pools per connection URL,
    # so a pool closed here would be handed out again when the URL is switched back.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    return previous


def wait_for(condition, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_no_report_lost_or_duplicated_under_faults(settings, tmp_path):
    assert connection.vendor == "postgresql", "run with DATABASE_URL (see Makefile PROD_ENV)"
    for name, value in SHORT_OUTBOX.items():
        setattr(settings, name, int(value))
    settings.SUBMISSIONS_PER_HOUR = REPORTS  # each of the 5 volunteers submits REPORTS / 5

    slugs = ["fault-a", "fault-b", "fault-c"]
    secrets = {slug: new_webhook_secret() for slug in slugs}
    redis_server = PrivateRedis(tmp_path)
    receiver = FaultyReceiver(secrets)
    db = connection.settings_dict
    env = {
        **os.environ,
        **SHORT_OUTBOX,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": redis_server.url,
        "WEBHOOK_ALLOW_LOOPBACK_HTTP": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "workers.log"
    workers: list[Worker] = []
    previous_broker = None
    started = time.monotonic()
    events: dict[str, object] = {}
    try:
        redis_server.start()
        previous_broker = redirect_celery(redis_server.url)
        receiver.__enter__()
        companies = [
            factories.make_company(
                slug=slug,
                name=slug.title(),
                domains=(f"{slug}.com",),
                notify_by_email=False,
                webhook_url=receiver.url(f"/hook/{slug}"),
                webhook_enabled=True,
                webhook_secret=secrets[slug],
            )
            for slug in slugs
        ]
        volunteers = [factories.make_user(Role.VOLUNTEER) for _ in range(5)]
        expert = factories.make_user(Role.EXPERT)
        image = process_image(factories.png_bytes(), "shot.png")
        workers.append(Worker("first", env, log))

        last_sweep = time.monotonic()
        references = []
        for i in range(REPORTS):
            company = companies[i % len(companies)]
            report = services.submit_report(
                volunteer=volunteers[i % len(volunteers)],
                details=factories.details(f"https://www.{company.slug}.com/item/{i}"),
                images=[image],
                image_names=["shot.png"],
            )
            services.claim_report(report=report, expert=expert)
            services.confirm_report(report=report, expert=expert)  # queues after commit
            references.append(report.reference)
            if i == int(REPORTS * 0.4):
                # Kill the worker, preferably while it is sending, and start another.
                events["kill_mid_send"] = wait_for(lambda: receiver.in_flight_now() > 0, 5)
                events["killed_at_report"] = i
                workers[-1].kill()
                workers.append(Worker("second", env, log))
            if i == int(REPORTS * 0.7):
                events["redis_restarted_at_report"] = i
                events["queued_before_restart"] = redis_llen(redis_server.port)
                redis_server.stop()
                redis_server.start()  # empty: every queued message is gone
            if time.monotonic() - last_sweep > 1:
                forwarding.queue_due()  # the beat's sweep, every second
                last_sweep = time.monotonic()
        created = time.monotonic()

        def all_done() -> bool:
            forwarding.queue_due()
            return not Delivery.objects.filter(
                channel=Channel.WEBHOOK, status=DeliveryStatus.PENDING
            ).exists()

        end = started + DEADLINE_SECONDS
        while time.monotonic() < end and not all_done():
            time.sleep(0.5)
        finished = time.monotonic()
    finally:
        for worker in workers:
            worker.kill()
        if previous_broker is not None:
            redirect_celery(previous_broker)
        redis_server.stop()
        receiver.__exit__()

    requests = receiver.snapshot()
    rows = {
        d.report.reference: d
        for d in Delivery.objects.filter(channel=Channel.WEBHOOK).select_related("report")
    }
    status_counts = Counter(d.status for d in rows.values())
    accepted = [r for r in requests if r.status == 200]
    ids_by_reference: dict[str, set[str]] = defaultdict(set)
    for request in requests:
        ids_by_reference[request.json()["data"]["reference"]].add(request.webhook_id)
    accepted_refs = Counter(r.json()["data"]["reference"] for r in accepted)
    accepted_ids = Counter(r.webhook_id for r in accepted)
    lost = [ref for ref in references if accepted_refs[ref] == 0]
    figures = {
        "reports_confirmed": len(references),
        "webhook_deliveries": len(rows),
        "requests_received": len(requests),
        "accepted_2xx": len(accepted),
        "injected_500": sum(r.status == 500 for r in requests),
        "injected_timeouts": sum(bool(r.slept) for r in requests),
        "bad_signatures": receiver.bad_signatures,
        "distinct_webhook_ids": len({r.webhook_id for r in requests}),
        "duplicates_accepted": sum(n - 1 for n in accepted_ids.values()),
        "lost": len(lost),
        "dead": status_counts[DeliveryStatus.DEAD],
        "pending": status_counts[DeliveryStatus.PENDING],
        "max_attempts_used": max((d.attempts for d in rows.values()), default=0),
        "seconds_creating": round(created - started, 1),
        "seconds_total": round(finished - started, 1),
        **events,
    }
    print("\nFAULT-INJECTION FIGURES " + json.dumps(figures, sort_keys=True))
    if lost or figures["pending"] or figures["dead"]:
        sys.stdout.write(log.read_text()[-5000:])

    assert len(references) >= 500 or "FAULT_REPORTS" in os.environ
    assert set(rows) == set(references)
    assert figures["lost"] == 0, lost[:10]
    assert figures["dead"] == 0 and figures["pending"] == 0
    assert figures["bad_signatures"] == 0
    assert figures["injected_500"] > 0 and figures["injected_timeouts"] > 0
    # Exactly one webhook-id per (report, company): repeats are retries of the same id.
    for reference, ids in ids_by_reference.items():
        assert ids == {rows[reference].idempotency_key}, reference
    assert set(ids_by_reference) == set(references)


def redis_llen(port: int) -> int:
    import redis

    try:
        return redis.Redis(port=port, socket_timeout=1).llen("celery")
    except redis.RedisError:
        return -1
