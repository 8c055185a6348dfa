"""Recompute every dashboard counter from the reports (safe to run at any time)."""

import time

from django.core.management.base import BaseCommand

from quality.rollups import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the dashboard and accuracy counters (quality app) from the reports table. "
        "Run it once after installing the quality app on existing data, or to repair counters."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=20_000)

    def handle(self, *args, chunk_size: int, **options):
        started = time.monotonic()
        result = rebuild(chunk_size=chunk_size)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt counters of {result.reports} reports: {result.period_rows} period rows, "
                f"{result.volunteer_rows} volunteer rows in {time.monotonic() - started:.1f} s."
            )
        )
