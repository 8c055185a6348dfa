"""Dashboard and accuracy-page cost at 10k and 1M reports, in one run.

    .venv/bin/python bench/dashboard_bench.py                 # 10k and 1M (~10 minutes)
    .venv/bin/python bench/dashboard_bench.py --sizes 10000,100000 --reps 20

Seeds one SQLite file per size (/tmp/bench-<size>.sqlite3, recreated) with bulk inserts
straight into the tables (no services: far too slow for a million), runs ``rebuild_rollups``
on each, then times the pages through Django's test Client in interleaved rounds over both
databases (median of many requests after a warm-up). Both sizes cover the same two years, so
the larger one is denser, not longer. Not part of the test suite. Results are printed and
saved under bench/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(db_paths: list[Path]) -> None:
    for db_path in db_paths:  # the bench's own files, recreated on every run
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{db_paths[0]}",
        SECRET_KEY="bench-only-secret-key-not-used-anywhere-else-0123456789",
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="testserver",
        MFA_REQUIRED_ROLES="",
        DB_CONN_MAX_AGE="0",
        DJANGO_SETTINGS_MODULE="spotter.settings",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.conf import settings

    # No collectstatic for a benchmark: plain static storage, a fast hasher, a local cache.
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


COUNTRIES = ["US", "GB", "CN", "FR", "DE", "KE", "VN", "BR", "IN", "ZA", "AU", "CA", "TZ", "MX"]
LANGUAGES = ["en", "en", "en", "zh", "zh", "fr", "es", "vi", ""]
DAYS = 730


class Seeder:
    def __init__(self, seed: int = 2026):
        from django.db import connection

        from reports.models import MemberCompany, ProductType, Species

        self.random = random.Random(seed)
        self.connection = connection
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.species = list(Species.objects.values_list("pk", flat=True))
        self.products = list(ProductType.objects.values_list("pk", flat=True))
        companies = list(
            MemberCompany.objects.prefetch_related("domains").filter(domains__isnull=False)
        )
        self.companies = [(c.pk, c.domains.all()[0].domain) for c in companies]
        self.company_weights = [1 / (i + 1) for i in range(len(self.companies))]
        self.count = 0

    def users(self, volunteers: int, experts: int):
        from spotter.models import Role, User

        rows = [
            User(
                email=f"v{i}@bench.invalid",
                role=Role.VOLUNTEER,
                country=self.random.choices(COUNTRIES, [1 / (j + 1) for j in range(14)])[0],
                pseudonym=f"S-B{i:06d}",
                password="!",
            )
            for i in range(volunteers)
        ]
        rows += [
            User(email=f"e{i}@bench.invalid", role=Role.EXPERT, password="!")
            for i in range(experts)
        ]
        User.objects.bulk_create(rows, batch_size=1000)
        self.volunteers = list(
            User.objects.filter(role=Role.VOLUNTEER).order_by("pk").values_list("pk", flat=True)
        )
        self.experts = list(User.objects.filter(role=Role.EXPERT).values_list("pk", flat=True))
        # A few prolific volunteers, a long tail of occasional ones.
        self.volunteer_weights = [1 / (i + 1) ** 0.6 for i in range(len(self.volunteers))]
        admin = User.objects.create_user("admin@bench.invalid", role=Role.ADMIN)
        return admin

    def _dt(self, value):
        return None if value is None else self.connection.ops.adapt_datetimefield_value(value)

    def report_rows(self, n: int, columns: list[str], defaults: dict):
        r = self.random
        rows, reviews = [], []
        for _ in range(n):
            self.count += 1
            i = self.count
            submitted = self.now - timedelta(seconds=r.uniform(0, DAYS * 86400))
            age_days = (self.now - submitted).days
            member = r.random() < 0.85
            company, domain = (
                r.choices(self.companies, self.company_weights)[0]
                if member
                else (None, "nonmember.example.net")
            )
            species = r.choice(self.species)
            row = dict(defaults)
            row.update(
                reference=f"B-{i:010d}",
                volunteer_id=r.choices(self.volunteers, self.volunteer_weights)[0],
                listing_url=f"https://{domain}/item/{i}",
                normalized_url=f"https://{domain}/item/{i}",
                domain=domain,
                company_id=company,
                listing_title="Bench listing",
                listing_language=r.choice(LANGUAGES),
                species_id=species,
                species_reported_id=species,
                product_type_id=r.choice(self.products),
                submitted_at=submitted,
                updated_at=submitted,
            )
            roll = r.random()
            if roll < 0.03:
                row["status"] = "duplicate"
            elif roll < 0.05:
                row["status"] = "withdrawn"
            elif age_days < 10 and r.random() < 0.5:
                row["status"] = r.choice(["submitted", "in_review", "needs_info"])
            else:
                decided = submitted + timedelta(hours=r.expovariate(1 / 30))
                expert = r.choice(self.experts)
                row.update(decided_at=decided, decided_by_id=expert)
                if r.random() < 0.2:
                    row.update(status="rejected", verdict="rejected", rejection_reason="other")
                else:
                    row.update(verdict="confirmed", status="confirmed")
                    if member:
                        row.update(
                            status="forwarded",
                            forwarded_at=decided,
                            ack_due_at=decided + timedelta(hours=24),
                            act_due_at=decided + timedelta(hours=72),
                        )
                        outcome_at = decided + timedelta(hours=r.lognormvariate(3.3, 1.0))
                        # Platforms act on almost every notice; 1% never answer.
                        if outcome_at < self.now and r.random() < 0.99:
                            outcome = r.choices(
                                ["removed", "already_gone", "no_violation", "other"],
                                [75, 10, 10, 5],
                            )[0]
                            row.update(
                                status="closed",
                                outcome=outcome,
                                outcome_at=outcome_at,
                                acknowledged_at=outcome_at,
                                closed_at=outcome_at,
                            )
                if r.random() < 0.10:
                    reviews.append((i, row["verdict"], expert, decided))
            rows.append(
                tuple(self._dt(row[c]) if isinstance(row[c], datetime) else row[c] for c in columns)
            )
        return rows, reviews

    def reports(self, n: int, batch: int = 20_000) -> None:
        from django.db import transaction

        from quality.models import SecondReview
        from reports.models import Report

        fields = [f for f in Report._meta.concrete_fields if not f.primary_key]
        columns = [f.attname for f in fields]
        defaults = {f.attname: f.get_db_prep_save(f.get_default(), self.connection) for f in fields}
        quote = self.connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(Report._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        done = 0
        with self.connection.cursor() as cursor:
            # Bulk load: the report table's secondary indexes are dropped while rows go in
            # and built again afterwards (much faster than updating them row by row).
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [Report._meta.db_table],
            )
            indexes = cursor.fetchall()
            for name, _sql in indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
        while done < n:
            size = min(batch, n - done)
            rows, reviews = self.report_rows(size, columns, defaults)
            with transaction.atomic(), self.connection.cursor() as cursor:
                cursor.executemany(sql, rows)
                if reviews:
                    ids = dict(
                        Report.objects.filter(
                            reference__in=[f"B-{i:010d}" for i, *_ in reviews]
                        ).values_list("reference", "pk")
                    )
                    SecondReview.objects.bulk_create(
                        [
                            SecondReview(
                                report_id=ids[f"B-{i:010d}"],
                                first_verdict=verdict,
                                first_expert_id=expert,
                                created_at=decided,
                                **self._second_opinion(verdict, expert, decided),
                            )
                            for i, verdict, expert, decided in reviews
                        ]
                    )
            done += size
            print(f"  seeded {self.count:>9,} reports", end="\r", flush=True)
        with self.connection.cursor() as cursor:
            for _name, create in indexes:
                cursor.execute(create)
        print()

    def _second_opinion(self, verdict: str, first: int, decided: datetime) -> dict:
        r = self.random
        if r.random() < 0.2:
            return {}
        second = r.choice([e for e in self.experts[:5] if e != first])
        agrees = r.random() < 0.9
        other = "rejected" if verdict == "confirmed" else "confirmed"
        return {
            "status": "agreed" if agrees else "escalated",
            "second_expert_id": second,
            "second_verdict": verdict if agrees else other,
            "decided_at": decided + timedelta(hours=5),
            "escalated_to_senior": not agrees,
        }


def use_database(path: Path) -> None:
    from django.db import connections

    connections["default"].close()
    connections["default"].settings_dict["NAME"] = str(path)


def prepare(path: Path, size: int, volunteers: int) -> dict:
    """Create, seed and roll up one database; returns who to sign in as and the timings."""
    from django.core.management import call_command
    from django.db import connection

    from quality.models import VolunteerTally
    from quality.rollups import rebuild
    from reports.reference import load_reference_data

    use_database(path)
    call_command("migrate", verbosity=0)
    load_reference_data()
    seeder = Seeder()
    admin = seeder.users(volunteers, experts=20)
    t0 = time.perf_counter()
    seeder.reports(size)
    seed_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    outcome = rebuild()
    rebuild_s = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{size:,} reports: seeded in {seed_s:.1f} s, rebuild_rollups in {rebuild_s:.1f} s "
        f"({outcome.period_rows:,} period rows, {outcome.volunteer_rows:,} volunteer rows)"
    )
    # The volunteer in the middle of the activity ranking, and the busiest one.
    tallies = list(
        VolunteerTally.objects.filter(dimension="all").order_by("-submitted", "volunteer_id")
    )
    return {
        "reports": size,
        "seed_s": round(seed_s, 1),
        "rebuild_s": round(rebuild_s, 1),
        "period_rows": outcome.period_rows,
        "admin": admin.pk,
        "typical": tallies[len(tallies) // 2].volunteer_id,
        "typical_volunteer_reports": tallies[len(tallies) // 2].submitted,
        "busiest": tallies[0].volunteer_id,
        "busiest_volunteer_reports": tallies[0].submitted,
    }


PAGES = {
    "dashboard": ("admin", "/dashboard/"),
    "dashboard?region=US": ("admin", "/dashboard/?region=US"),
    "dashboard?region=US&group=pangolins": ("admin", "/dashboard/?region=US&group=pangolins"),
    "my accuracy (typical volunteer)": ("typical", "/reports/accuracy/"),
    "my accuracy (busiest volunteer)": ("busiest", "/reports/accuracy/"),
}


def count_queries(client, url: str) -> int:
    from django.db import connection

    queries = []
    with connection.execute_wrapper(lambda run, sql, *a: queries.append(sql) or run(sql, *a)):
        assert client.get(url).status_code == 200, url
    return len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="/tmp/bench", help="path prefix of the database files")
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--reps", type=int, default=40, help="timed requests per page and size")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--volunteers", type=int, default=400)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    paths = [Path(f"{args.db}-{size}.sqlite3") for size in sizes]

    configure(paths)
    from django.db.backends.signals import connection_created
    from django.test import Client

    from spotter.models import User

    def tune(sender, connection, **kwargs):
        # A 512 MB page cache and no fsync: the bench databases are disposable.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -524288")
            cursor.execute("PRAGMA synchronous = OFF")

    connection_created.connect(tune)
    results = [
        prepare(path, size, args.volunteers) for path, size in zip(paths, sizes, strict=True)
    ]

    clients = []
    for path, result in zip(paths, results, strict=True):
        use_database(path)
        signed_in = {}
        for role in ("admin", "typical", "busiest"):
            signed_in[role] = Client()
            signed_in[role].force_login(User.objects.get(pk=result[role]))
        clients.append(signed_in)
        result["queries"] = {
            name: count_queries(signed_in[who], url) for name, (who, url) in PAGES.items()
        }

    # Interleaved rounds (small, large, large, small, …) so that whatever else the machine
    # is doing affects both sizes alike. CPU time of this process (Django + SQLite run
    # in-process) is the main figure; wall time is reported beside it.
    wall = {(i, name): [] for i in range(len(sizes)) for name in PAGES}
    cpu = {(i, name): [] for i in range(len(sizes)) for name in PAGES}
    per_round = max(1, args.reps // args.rounds)
    for round_ in range(args.rounds):
        order = range(len(sizes)) if round_ % 2 == 0 else reversed(range(len(sizes)))
        for i in order:
            use_database(paths[i])
            for name, (who, url) in PAGES.items():
                client = clients[i][who]
                for _ in range(2):  # warm-up after switching databases
                    client.get(url)
                for _ in range(per_round):
                    w0, c0 = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    cpu[(i, name)].append((time.process_time() - c0) * 1000)
                    wall[(i, name)].append((time.perf_counter() - w0) * 1000)
                    assert response.status_code == 200
        print(f"  timing round {round_ + 1}/{args.rounds} done", flush=True)

    for i, result in enumerate(results):
        result["pages"] = {
            name: {
                "cpu_median_ms": round(statistics.median(cpu[(i, name)]), 2),
                "wall_median_ms": round(statistics.median(wall[(i, name)]), 2),
                "wall_p90_ms": round(
                    sorted(wall[(i, name)])[int(len(wall[(i, name)]) * 0.9) - 1], 2
                ),
                "queries": result["queries"][name],
            }
            for name in PAGES
        }

    header = " | ".join(f"{r['reports']:,} reports" for r in results)
    print(f"\n| page | {header} | ratio (CPU) | ratio (wall) |")
    print("|---|" + "---|" * (len(results) + 2))
    for name in PAGES:
        cells = [
            "{cpu_median_ms:.1f} ms CPU, {wall_median_ms:.1f} ms wall, {queries} queries".format(
                **r["pages"][name]
            )
            for r in results
        ]
        first, last = results[0]["pages"][name], results[-1]["pages"][name]
        ratio_cpu = last["cpu_median_ms"] / first["cpu_median_ms"]
        ratio_wall = last["wall_median_ms"] / first["wall_median_ms"]
        print(f"| {name} | " + " | ".join(cells) + f" | {ratio_cpu:.2f}× | {ratio_wall:.2f}× |")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"dashboard-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps({"args": vars(args), "results": results}, indent=2, default=str))
    print(f"\nsaved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
