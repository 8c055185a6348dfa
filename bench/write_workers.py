"""The parts of bench/write_bench.py that run in their own processes: seeding and the
single-request profile (with the checkout under test on sys.path and Django set up), and the
load-generator clients (standard library only, so the clients stay light).

    python bench/write_workers.py _seed|_load|_profile ...   (started by write_bench.py only)
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import http.client
import io
import json
import os
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

# --- Seeding (runs in a subprocess with the checkout under test on sys.path) -----------------


def png_bytes() -> bytes:
    """A small screenshot-like PNG (400 x 300, some text-like structure)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 300), "white")
    draw = ImageDraw.Draw(image)
    for y in range(10, 290, 14):
        draw.rectangle([10, y, 10 + (y * 37) % 380, y + 8], fill=(y % 200, 80, 120))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def seed(args) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from api.models import ApiToken
    from api.tokens import hash_token
    from bench.dashboard_bench import Seeder
    from reports.models import Evidence, MemberCompany, ProductType, Report
    from spotter.models import Role, User
    from training.models import Certificate

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    print(f"  migrated and loaded reference data in {time.perf_counter() - t0:.1f} s", flush=True)

    seeder = Seeder()
    seeder.users(volunteers=400, experts=args.clients)
    t0 = time.perf_counter()
    copy_reports(seeder, args.reports)
    print(f"  seeded {args.reports:,} reports in {time.perf_counter() - t0:.1f} s", flush=True)

    now = datetime.now(UTC)
    volunteers = seeder.volunteers[: args.clients]
    experts = seeder.experts[: args.clients]
    # Certified (a valid certificate is what lets a volunteer submit).
    Certificate.objects.bulk_create(
        Certificate(user_id=pk, issued_at=now, expires_at=now + timedelta(days=365))
        for pk in seeder.volunteers
    )
    staff = [
        User(
            email=f"c{company.pk}@bench.invalid",
            role=Role.COMPANY_STAFF,
            company=company,
            password="!",
        )
        for company in MemberCompany.objects.all()
    ]
    User.objects.bulk_create(staff)

    # API tokens written directly (api.tokens.create_token would also audit each one).
    tokens = {"volunteers": [], "experts": []}
    for k, (kind, pks) in enumerate((("volunteers", volunteers), ("experts", experts))):
        for i, pk in enumerate(pks):
            prefix = f"{'ab'[k]}{i:07x}"
            raw = f"cs_{prefix}_bench-token-{kind}-{i:04d}-0123456789abcdef"
            ApiToken.objects.create(
                user_id=pk, name="bench", prefix=prefix, token_hash=hash_token(raw)
            )
            tokens[kind].append(raw)

    # The pool the experts claim and confirm: submitted reports on member platforms, each with
    # one screenshot on disk, like a report submitted through the form.
    png = png_bytes()
    ebay = MemberCompany.objects.get(domains__domain="ebay.com")
    species = seeder.species[0]
    product = ProductType.objects.order_by("pk").first()
    pool_refs = [f"CS-P{i:09d}" for i in range(args.pool)]
    with transaction.atomic():
        Report.objects.bulk_create(
            [
                Report(
                    reference=ref,
                    volunteer_id=volunteers[i % len(volunteers)],
                    listing_url=f"https://www.ebay.com/itm/pool-{i}",
                    normalized_url=f"https://www.ebay.com/itm/pool-{i}",
                    domain="ebay.com",
                    company=ebay,
                    listing_title="Bench pool listing",
                    species_id=species,
                    species_reported_id=species,
                    product_type=product,
                )
                for i, ref in enumerate(pool_refs)
            ],
            batch_size=2000,
        )
        path = Path(settings.MEDIA_ROOT) / "evidence" / "bench" / "pool.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        digest = hashlib.sha256(png).hexdigest()
        ids = Report.objects.filter(reference__in=pool_refs).values_list("pk", flat=True)
        Evidence.objects.bulk_create(
            [
                Evidence(
                    report_id=pk,
                    image="evidence/bench/pool.png",
                    original_name="pool.png",
                    original_sha256=digest,
                    original_size=len(png),
                    original_format="PNG",
                    image_sha256=digest,
                    width=400,
                    height=300,
                )
                for pk in ids
            ],
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_insert (id bigserial PRIMARY KEY, payload text)")
    t0 = time.perf_counter()
    call_command("rebuild_rollups", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  rebuild_rollups + ANALYZE in {time.perf_counter() - t0:.1f} s", flush=True)
    Path(args.seed_out).write_text(
        json.dumps(
            {
                **tokens,
                "pool": pool_refs,
                "species": species,
                "product_type": product.slug,
                "reports": Report.objects.count(),
            }
        )
    )


def copy_reports(seeder, n: int, batch: int = 20_000) -> None:
    """dashboard_bench.Seeder's rows, loaded with COPY (PostgreSQL) instead of executemany."""
    from django.db import connection, transaction

    from quality.models import SecondReview
    from reports.models import Report

    fields = [f for f in Report._meta.concrete_fields if not f.primary_key]
    columns = [f.attname for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    for f in fields:  # JSON defaults go in as text
        if f.get_internal_type() == "JSONField":
            defaults[f.attname] = json.dumps(defaults[f.attname])
    quote = connection.ops.quote_name
    copy_sql = (
        f"COPY {quote(Report._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        "FROM STDIN"
    )
    done = 0
    while done < n:
        size = min(batch, n - done)
        rows, reviews = seeder.report_rows(size, columns, defaults)
        with transaction.atomic():
            connection.ensure_connection()
            with connection.connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            if reviews:
                ids = dict(
                    Report.objects.filter(
                        reference__in=[f"B-{i:010d}" for i, *_ in reviews]
                    ).values_list("reference", "pk")
                )
                SecondReview.objects.bulk_create(
                    SecondReview(
                        report_id=ids[f"B-{i:010d}"],
                        first_verdict=verdict,
                        first_expert_id=expert,
                        created_at=decided,
                        **seeder._second_opinion(verdict, expert, decided),
                    )
                    for i, verdict, expert, decided in reviews
                )
        done += size


# --- Load generation (runs in separate processes) --------------------------------------------


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "----bench" + os.urandom(8).hex()
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def request(port: int, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def load(args) -> None:
    """One load process: ``--threads`` clients until the deadline; JSON results on stdout."""
    seed_data = json.loads(Path(args.seed_out).read_text())
    png = png_bytes()
    deadline = time.monotonic() + args.duration
    results = collections.defaultdict(list)  # kind -> [(latency_ms, status)]
    lock = threading.Lock()
    ops = collections.Counter()
    errors = []

    def record(kind, t0, status, body, ok_status):
        latency = (time.perf_counter() - t0) * 1000
        with lock:
            results[kind].append((latency, status))
            if status != ok_status and len(errors) < 5:
                errors.append(f"{kind} {status}: {body[:300]!r}")
        return status == ok_status

    def client(index: int) -> None:
        n = 0
        if args.phase in ("trivial", "insert"):
            method, path = (
                ("GET", "/bench/trivial/")
                if args.phase == "trivial"
                else (
                    "POST",
                    "/bench/insert/",
                )
            )
            while time.monotonic() < deadline:
                t0 = time.perf_counter()
                status, body = request(args.port, method, path)
                record(args.phase, t0, status, body, 200)
                n += 1
        elif args.phase == "submit":
            auth = {"Authorization": f"Bearer {seed_data['volunteers'][index]}"}
            while time.monotonic() < deadline:
                fields = {
                    # Unique per run, process, client and request: never a duplicate.
                    "listing_url": f"https://www.ebay.com/itm/{args.run_id}-{index}-{n}",
                    "listing_title": "Pangolin scales 500 g (bench)",
                    "species": seed_data["species"],
                    "product_type": seed_data["product_type"],
                    "listing_text": "Genuine scales, discreet shipping",
                }
                body, content_type = multipart(fields, {"screenshots": ("shot.png", png)})
                t0 = time.perf_counter()
                status, answer = request(
                    args.port,
                    "POST",
                    "/api/v1/reports/",
                    body,
                    {**auth, "Content-Type": content_type},
                )
                record("submit", t0, status, answer, 201)
                n += 1
        else:  # review: claim then confirm, each client on its own slice of the pool
            auth = {"Authorization": f"Bearer {seed_data['experts'][index]}"}
            pool = json.loads(Path(args.pool_file).read_text())
            refs = pool[index :: args.clients]
            for ref in refs:
                if time.monotonic() >= deadline:
                    break
                t0 = time.perf_counter()
                claim = f"/api/v1/reports/{ref}/claim/"
                status, answer = request(args.port, "POST", claim, b"", auth)
                if not record("claim", t0, status, answer, 200):
                    continue
                t0 = time.perf_counter()
                status, answer = request(
                    args.port,
                    "POST",
                    f"/api/v1/reports/{ref}/confirm/",
                    b'{"note": "bench"}',
                    {**auth, "Content-Type": "application/json"},
                )
                if record("confirm", t0, status, answer, 200):
                    with lock:
                        ops["confirmed"] += 1
            else:
                with lock:
                    ops["pool_exhausted"] += 1

    first = args.proc_index * args.threads
    threads = [threading.Thread(target=client, args=(first + i,)) for i in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    json.dump({"results": results, "ops": ops, "errors": errors}, sys.stdout)


# --- Profile of single requests (in-process, cProfile; runs in a subprocess) ------------------

# (label, file suffix, function): cumulative time of these, as a share of the request.
PROFILE_PARTS = [
    ("image processing (Pillow)", "reports/evidence.py", "process_uploads"),
    ("file storage", "django/core/files/storage/filesystem.py", "_save"),
    ("SQL (psycopg execute, incl. server time)", "psycopg/cursor.py", "execute"),
    ("Redis (cache, limits, Celery enqueue)", "redis/client.py", "execute_command"),
    ("password hashing", "django/contrib/auth/hashers.py", "check_password"),
    ("audit record_event", "spotter/audit.py", "record_event"),
    ("rollup counters (synchronous)", "rollups.py", "on_submitted"),
    ("rollup counters (synchronous)", "rollups.py", "on_decided"),
    ("forwarding (outbox rows)", ".py", "forward_report"),
]


def profile(args) -> None:
    import cProfile
    import pstats

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    seed_data = json.loads(Path(args.seed_out).read_text())
    png = png_bytes()
    client = Client(HTTP_HOST="127.0.0.1")
    volunteer = {"HTTP_AUTHORIZATION": f"Bearer {seed_data['volunteers'][0]}"}
    expert = {"HTTP_AUTHORIZATION": f"Bearer {seed_data['experts'][0]}"}
    # The end of the still-waiting pool, which the load phases did not reach.
    refs = iter(reversed(json.loads(Path(args.pool_file).read_text())))
    counter = iter(range(10**9))

    def submit():
        data = {
            "listing_url": f"https://www.ebay.com/itm/profile-{args.run_id}-{next(counter)}",
            "listing_title": "Pangolin scales 500 g (bench)",
            "species": seed_data["species"],
            "product_type": seed_data["product_type"],
            "screenshots": io.BytesIO(png),
        }
        data["screenshots"].name = "shot.png"
        response = client.post("/api/v1/reports/", data, **volunteer)
        assert response.status_code == 201, response.content[:300]

    def review():
        ref = next(refs)
        response = client.post(f"/api/v1/reports/{ref}/claim/", **expert)
        assert response.status_code == 200, response.content[:300]
        response = client.post(
            f"/api/v1/reports/{ref}/confirm/",
            {"note": "bench"},
            content_type="application/json",
            **expert,
        )
        assert response.status_code == 200, response.content[:300]

    out = {}
    for name, action in (("submit", submit), ("review (claim + confirm)", review)):
        for _ in range(3):
            action()  # warm-up
        n = args.reports
        sql = collections.defaultdict(list)  # statement -> [ms]

        def timed(execute, statement, params, many, context, sql=sql):
            t = time.perf_counter()
            try:
                return execute(statement, params, many, context)
            finally:
                sql[statement].append((time.perf_counter() - t) * 1000)

        t0 = time.perf_counter()
        with connection.execute_wrapper(timed):
            for _ in range(n):
                action()
        plain_ms = (time.perf_counter() - t0) * 1000 / n
        # The statements that cost the most per request (time summed over the requests).
        slowest = sorted(sql.items(), key=lambda item: -sum(item[1]))[:4]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(n):
            action()
        profiler.disable()
        stats = pstats.Stats(profiler).stats
        total = sum(tt for (_cc, _nc, tt, _ct, _callers) in stats.values())
        parts = collections.Counter()
        for (filename, _line, function), (_cc, _nc, _tt, cumtime, _callers) in stats.items():
            for label, suffix, function_name in PROFILE_PARTS:
                if filename.endswith(suffix) and function == function_name:
                    parts[label] += cumtime
        out[name] = {
            "ms_per_request_unprofiled": round(plain_ms, 1),
            "shares": {label: round(t / total, 3) for label, t in parts.most_common()},
            "sql_statements_per_request": round(sum(len(v) for v in sql.values()) / n, 1),
            "slowest_sql": [
                {"ms_per_request": round(sum(times) / n, 1), "sql": statement[:160]}
                for statement, times in slowest
            ],
        }
    json.dump(out, sys.stdout)


def internal_main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command")
    parser.add_argument("--reports", type=int)
    parser.add_argument("--pool", type=int)
    parser.add_argument("--clients", type=int)
    parser.add_argument("--seed-out")
    parser.add_argument("--phase")
    parser.add_argument("--port", type=int)
    parser.add_argument("--duration", type=float)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--proc-index", type=int)
    parser.add_argument("--run-id")
    parser.add_argument("--pool-file")
    args = parser.parse_args()
    if args.command == "_seed":
        seed(args)
    elif args.command == "_profile":
        profile(args)
    else:
        load(args)


if __name__ == "__main__":
    internal_main()
