"""Bulk intake: 10,000 rows from upload to reports on the embedded default (SQLite, Celery
tasks run in-process), in one run.

    .venv/bin/python bench/intake_bench.py                # 10,000 rows, ~1 minute
    .venv/bin/python bench/intake_bench.py --rows 2000

1. A fresh SQLite file (/tmp/bench-intake.sqlite3), migrated, with the reference data (34
   member companies, 131 species, the starter keyword library) and ``--existing`` open
   reports, so the duplicate check has something to find.
2. A CSV of ``--rows`` listings (deterministic, seed 7): eBay/Etsy/Taobao/other URLs, species
   by scientific, English, French or Chinese name, product types in the three languages,
   prices, sellers, listing text carrying code words; 1% of rows are bad (URL, species,
   in-file duplicate) so the preview has errors to list.
3. Times ``create_batch`` (parse + check every row + store the batch) and ``start_import``
   (the import job, run in-process after commit, with every ``report_changed`` receiver:
   audit, keyword matches, seller indexing, risk score, counters backlog, relisting check).
   Then checks that every valid row became exactly one report with its audit event.

Wall-clock and CPU seconds are printed; results are saved under bench/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_PATH = Path("/tmp/bench-intake.sqlite3")


def configure() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(DB_PATH) + suffix).unlink(missing_ok=True)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{DB_PATH}",
        SECRET_KEY="bench-only-secret-key-not-used-anywhere-else-0123456789",
        DEBUG="false",
        ALLOWED_HOSTS="testserver",
        MFA_REQUIRED_ROLES="",
        DJANGO_SETTINGS_MODULE="spotter.settings",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


HOSTS = (
    ("https://www.ebay.com/itm/{n}", 100_000_000_000),
    ("https://www.etsy.com/listing/{n}/carved-piece", 1_000_000_000),
    ("https://item.taobao.com/item.htm?id={n}", 600_000_000_000),
    ("https://www.leboncoin.fr/ad/collection/{n}", 2_000_000_000),
    ("https://curio-market-{m}.example.com/item/{n}", 0),
)
TITLES = (
    "Pangolin scales 500g, genuine",
    "Carved bangle, white gold, old stock",
    "Tortoiseshell comb antique",
    "Tiger claw pendant",
    "穿山甲片 正品 批发",
    "象牙手镯 老料",
    "Écailles de pangolin, prix de gros",
    "Baby macaque for sale, friendly",
)
PRODUCTS = ("scales", "Ivory / carving", "Carapace / écaille de tortue", "骨 / 牙 / 爪",
            "live animal", "鳞片", "Horn", "other")  # fmt: skip


def make_csv(rows: int, rng: random.Random, species_names: list[str]) -> bytes:
    lines = ["url,title,species,product type,price,currency,seller,location,notes,observed"]
    for i in range(rows):
        template, base = HOSTS[i % len(HOSTS)]
        url = template.format(n=base + i * 7 + 3, m=i % 50)
        species = rng.choice(species_names)
        if i % 100 == 17:
            url = "not a url"
        elif i % 100 == 53:
            species = "Dragon"
        elif i % 100 == 71 and i > 100:
            url = HOSTS[(i - 5) % len(HOSTS)][0].format(
                n=HOSTS[(i - 5) % len(HOSTS)][1] + (i - 5) * 7 + 3, m=(i - 5) % 50
            )
        price = f"{rng.randint(5, 5000)}.{rng.randint(0, 99):02d}"
        lines.append(
            ",".join(
                [
                    url,
                    f'"{rng.choice(TITLES)}"',
                    f'"{species}"',
                    f'"{rng.choice(PRODUCTS)}"',
                    price,
                    rng.choice(("USD", "EUR", "CNY")),
                    f"seller_{rng.randint(1, 800)}",
                    rng.choice(("Lagos", "Paris", "广州", "")),
                    "",
                    f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--existing", type=int, default=200)
    args = parser.parse_args()
    configure()
    from django.core.management import call_command

    from intake import services
    from intake.models import BatchStatus
    from reports.models import Report, Species
    from reports.reference import load_reference_data
    from spotter.models import AuditEvent, Role
    from tests import factories

    call_command("migrate", verbosity=0)
    load_reference_data()
    rng = random.Random(7)
    names = []
    for sp in Species.objects.all():
        names += [sp.scientific_name, sp.common_name_en, sp.common_name_fr, sp.common_name_zh]
    names = [n for n in names if n]
    for i in range(args.existing):
        # Row 50·j is an eBay listing (every fifth row is) already reported: a duplicate.
        factories.make_report(url=f"https://www.ebay.com/itm/{100_000_000_000 + i * 350 + 3}")
    expert = factories.make_user(Role.EXPERT)
    data = make_csv(args.rows, rng, names)

    wall, cpu = time.perf_counter(), time.process_time()
    batch = services.create_batch(uploader=expert, file_name="bench.csv", data=data)
    check_wall, check_cpu = time.perf_counter() - wall, time.process_time() - cpu
    reports_before = Report.objects.count()

    wall, cpu = time.perf_counter(), time.process_time()
    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    services.start_import(batch=batch, actor=expert)  # the job runs in-process on commit
    if os.environ.get("PROFILE"):
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    import_wall, import_cpu = time.perf_counter() - wall, time.process_time() - cpu

    batch.refresh_from_db()
    created = Report.objects.count() - reports_before
    events = AuditEvent.objects.filter(
        action="report.submitted", data__source="intake", data__batch=batch.pk
    ).count()
    assert batch.status == BatchStatus.DONE, batch.last_error
    assert created == batch.imported_rows == events, (created, batch.imported_rows, events)
    result = {
        "rows": batch.total_rows,
        "valid": batch.valid_rows,
        "errors": batch.error_rows,
        "imported": batch.imported_rows,
        "skipped": batch.skipped_rows,
        "check_wall_s": round(check_wall, 1),
        "check_cpu_s": round(check_cpu, 1),
        "import_wall_s": round(import_wall, 1),
        "import_cpu_s": round(import_cpu, 1),
        "reports_per_s": round(batch.imported_rows / import_wall),
        "load_avg": os.getloadavg()[0],
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "intake_bench.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
