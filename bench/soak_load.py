"""The soak test's parts shared by bench/soak.py (full: 200 volunteers, 60 s) and
tests/production/test_soak.py (short, in CI): the actors, the server, the load and the checks.

The load itself (``run_load``) is standard library only; seeding and the checks run with Django
set up in the calling process, against the database the server uses. The server is started
with bench/write_bench.py's settings (``server_env``: production settings, per-user limits out
of the way) and bench/settings.py (the project's URLs plus ``/bench/trivial/``).
"""

from __future__ import annotations

import collections
import http.client
import json
import os
import signal
import subprocess
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from bench.write_bench import ROOT, free_port, server_env, wait_ready
from bench.write_workers import multipart, png_bytes

# --- Actors (Django set up) -------------------------------------------------------------------


@dataclass
class Actors:
    volunteers: list[str]  # API tokens
    experts: list[str]
    staff: list[str]
    domains: list[str]  # one member-company domain per volunteer, round robin
    species: int
    product_type: str


def seed_actors(*, volunteers: int, experts: int, companies, species, product_type) -> Actors:
    """Certified volunteers, experts and one staff account per company, each with its own API
    token (written directly: api.tokens.create_token would audit every one)."""
    from django.utils import timezone

    from api.models import ApiToken
    from api.tokens import hash_token
    from spotter.models import Role, User
    from training.models import Certificate

    def users(role, n, company=None, tag=""):
        made = User.objects.bulk_create(
            User(
                email=f"soak-{role}{tag}-{i}@bench.invalid",
                role=role,
                company=company,
                password="!",
                display_name=f"soak {role} {i}",
                country="US",
            )
            for i in range(n)
        )
        return [user.pk for user in made]

    def tokens(letter, pks):
        raws = [f"cs_{letter}{i:07x}_soak-token-{letter}-{i:05d}-0123456789abcdef" for i in
                range(len(pks))]  # fmt: skip
        ApiToken.objects.bulk_create(
            ApiToken(user_id=pk, name="soak", prefix=raw.split("_")[1], token_hash=hash_token(raw))
            for pk, raw in zip(pks, raws, strict=True)
        )
        return raws

    volunteer_pks = users(Role.VOLUNTEER, volunteers)
    now = timezone.now()
    Certificate.objects.bulk_create(
        Certificate(user_id=pk, issued_at=now, expires_at=now + timedelta(days=365))
        for pk in volunteer_pks
    )
    staff_pks = [users(Role.COMPANY_STAFF, 1, company=c, tag=f"-{c.slug}")[0] for c in companies]
    return Actors(
        volunteers=tokens("a", volunteer_pks),
        experts=tokens("b", users(Role.EXPERT, experts)),
        staff=tokens("c", staff_pks),
        domains=[c.domains.order_by("domain").first().domain for c in companies],
        species=species.pk,
        product_type=product_type.slug,
    )


# --- Server ----------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server of the caller's own on a free port: the Celery messages nobody consumes,
    the cache and the limits go with it, and nothing shared is touched or flushed."""

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


# --- gunicorn -----------------------------------------------------------------------------------


class Server:
    """gunicorn (gthread, keep-alive longer than any run) on a free loopback port."""

    def __init__(self, *, db_url, redis_url, media, secret_key, workers=4, threads=8, extra=None):
        args = SimpleNamespace(db_url=db_url, redis_url=redis_url, media=media, code_dir=ROOT)
        env = server_env(args)
        # The audit chain is keyed from SECRET_KEY: the checks verify it with the caller's.
        env.update(SECRET_KEY=secret_key, EMAIL_BACKEND="django.core.mail.backends.dummy"
                   ".EmailBackend", **(extra or {}))  # fmt: skip
        self.port = free_port()
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "spotter.wsgi:application",
             "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
             "--keep-alive", "300", "--bind", f"127.0.0.1:{self.port}", "--timeout", "120",
             "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )  # fmt: skip
        try:
            wait_ready(self.port, self.proc)
        except BaseException:
            self.stop()
            raise

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)


# --- Load (standard library only) ------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw: requests by kind and status, submissions accepted, failures."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: collections.Counter = field(default_factory=collections.Counter)
    latencies: dict = field(default_factory=lambda: collections.defaultdict(list))
    accepted: int = 0
    failures: list = field(default_factory=list)

    def record(self, kind, status, ok, started, body=b""):
        with self.lock:
            self.statuses[f"{kind} {status}"] += 1
            self.latencies[kind].append((time.perf_counter() - started) * 1000)
            if status != ok and len(self.failures) < 20:
                self.failures.append(f"{kind} {status}: {body[:200]!r}")
        return status == ok

    @property
    def failed(self) -> int:
        ok = {"submit 201", "queue 200", "claim 200", "confirm 200", "feed 200", "ack 200",
              "outcome 200"}  # fmt: skip
        return sum(n for key, n in self.statuses.items() if key not in ok)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def summary(self) -> dict:
        def pct(values, q):
            values = sorted(values)
            return round(values[min(len(values) - 1, int(q * len(values)))], 1) if values else None

        return {
            "requests": self.requests,
            "failed": self.failed,
            "accepted_submissions": self.accepted,
            "by_status": dict(sorted(self.statuses.items())),
            "latency_ms": {
                kind: {"p50": pct(v, 0.5), "p95": pct(v, 0.95), "max": pct(v, 1.0)}
                for kind, v in sorted(self.latencies.items())
            },
            "failures": self.failures,
        }


class Client:
    """One simulated user: one keep-alive connection, its own token."""

    def __init__(self, port: int, token: str, tally: Tally):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.auth = {"Authorization": f"Bearer {token}"}
        self.tally = tally

    def call(self, kind, method, path, ok, body=None, headers=None):
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers={**self.auth, **(headers or {})})
            response = self.conn.getresponse()
            status, answer = response.status, response.read()
        except (OSError, http.client.HTTPException) as exc:
            # A failure, never retried: a retried POST could be a second report.
            self.conn.close()
            self.tally.record(kind, type(exc).__name__, ok, started)
            return None
        return answer if self.tally.record(kind, status, ok, started, answer) else None


def volunteer(client: Client, actors: Actors, index: int, deadline: float, run_id: str):
    png, n = png_bytes(), 0
    while time.monotonic() < deadline:
        domain = actors.domains[(index + n) % len(actors.domains)]
        fields = {
            # Unique per run, volunteer and request: never a duplicate.
            "listing_url": f"https://www.{domain}/item/soak-{run_id}-{index}-{n}",
            "listing_title": "Pangolin scales 500 g (soak)",
            "species": actors.species,
            "product_type": actors.product_type,
            "listing_text": "Genuine scales, discreet shipping",
        }
        body, content_type = multipart(fields, {"screenshots": ("shot.png", png)})
        if client.call("submit", "POST", "/api/v1/reports/", 201, body,
                       {"Content-Type": content_type}) is not None:  # fmt: skip
            with client.tally.lock:
                client.tally.accepted += 1
        n += 1


def expert(client: Client, index: int, experts: int, deadline: float):
    """Claims and confirms the unclaimed reports of its own share (by reference), so two
    experts never race for one report: every answer must be a success."""
    while time.monotonic() < deadline:
        page = client.call("queue", "GET", "/api/v1/review/queue/?claimed=unclaimed&page_size=100",
                           200)  # fmt: skip
        refs = [r["reference"] for r in json.loads(page)["results"]] if page else []
        mine = [ref for ref in refs if zlib.crc32(ref.encode()) % experts == index]
        for ref in mine:
            if time.monotonic() >= deadline:
                return
            if client.call("claim", "POST", f"/api/v1/reports/{ref}/claim/", 200, b"") is None:
                continue
            client.call("confirm", "POST", f"/api/v1/reports/{ref}/confirm/", 200,
                        b'{"note": "soak"}', {"Content-Type": "application/json"})  # fmt: skip
        if not mine:
            time.sleep(0.5)


def company_staff(client: Client, deadline: float):
    """Acknowledges each newly forwarded report, then records its outcome (closes it)."""
    json_type = {"Content-Type": "application/json"}
    while time.monotonic() < deadline:
        page = client.call("feed", "GET", "/api/v1/company/reports/?status=forwarded&page_size=50",
                           200)  # fmt: skip
        refs = [r["reference"] for r in json.loads(page)["results"]] if page else []
        for ref in refs:
            if time.monotonic() >= deadline:
                return
            base = f"/api/v1/company/reports/{ref}"
            if client.call("ack", "POST", f"{base}/acknowledge/", 200, b"") is not None:
                client.call("outcome", "POST", f"{base}/outcome/", 200,
                            b'{"outcome": "removed", "note": "soak"}', json_type)  # fmt: skip
        if not refs:
            time.sleep(0.5)


def run_load(port: int, actors: Actors, duration: float, run_id: str) -> Tally:
    """Every actor in its own thread until the deadline; requests in flight then finish."""
    tally = Tally()
    deadline = time.monotonic() + duration
    threads = [
        threading.Thread(
            target=volunteer, args=(Client(port, t, tally), actors, i, deadline, run_id)
        )  # fmt: skip
        for i, t in enumerate(actors.volunteers)
    ]
    threads += [
        threading.Thread(
            target=expert, args=(Client(port, t, tally), i, len(actors.experts), deadline)
        )
        for i, t in enumerate(actors.experts)
    ]
    threads += [
        threading.Thread(target=company_staff, args=(Client(port, t, tally), deadline))
        for t in actors.staff
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


# --- Checks (Django set up, same database as the server) --------------------------------------


def check(tally: Tally, reports_before: int = 0) -> dict:
    """Load without loss: what was accepted is stored, forwarded reports have their outbox
    rows, the audit chain verifies, the counters equal a rebuild, no request failed."""
    from quality import rollups
    from reports.forwarding.planning import channels_for
    from reports.models import Delivery, Report, ReportStatus
    from spotter import audit
    from tests.quality.conftest import counter_snapshot

    problems = []
    stored = Report.objects.count() - reports_before
    if stored != tally.accepted:
        problems.append(f"{stored} reports stored, {tally.accepted} submissions accepted (201)")
    forwarded = Report.objects.filter(forwarded_at__isnull=False).select_related("company")
    have = collections.defaultdict(set)
    for report_id, channel in Delivery.objects.values_list("report_id", "channel"):
        have[report_id].add(channel)
    missing = [r.reference for r in forwarded if have[r.pk] != set(channels_for(r))]
    if missing:
        problems.append(f"{len(missing)} forwarded reports without their deliveries: {missing[:5]}")
    unforwarded = Report.objects.filter(status=ReportStatus.CONFIRMED).count()
    if unforwarded:
        problems.append(f"{unforwarded} confirmed reports on member platforms not forwarded")
    sealed = audit.seal_pending()
    chain = audit.verify_chain()
    if not chain.ok or chain.unsealed:
        problems.append(f"audit chain: {chain.problem or f'{chain.unsealed} unsealed'}")
    t0 = time.perf_counter()
    drained = rollups.refresh()
    refresh_s = time.perf_counter() - t0
    incremental = counter_snapshot()
    rollups.rebuild()
    rebuilt = counter_snapshot()
    differ = [part for part in incremental if incremental[part] != rebuilt[part]]
    if differ:
        problems.append(f"counters differ from a rebuild: {differ}")
    if tally.failed:
        problems.append(f"{tally.failed} requests failed: {tally.failures[:5]}")
    statuses = collections.Counter(Report.objects.values_list("status", flat=True))
    return {
        "problems": problems,
        "reports_stored": stored,
        "reports_by_status": dict(statuses),
        "deliveries": Delivery.objects.count(),
        "forwarded_reports": len(have),
        "audit_events_sealed_after_run": sealed,
        "audit_chain_checked": chain.checked,
        "rollup_markers_drained": drained,
        "rollup_refresh_s": round(refresh_s, 2),
    }
