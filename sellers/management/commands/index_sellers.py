"""Index every report's seller identifiers and screenshots (reports from before the sellers app,
or after changing the threshold); ``--prune`` drops identifiers no report mentions."""

from django.core.management.base import BaseCommand
from django.db.models import Count

from reports.models import Report

from ...indexing import index_report, link_images
from ...models import ImageHash, SellerIdentifier


class Command(BaseCommand):
    help = "Extract seller identifiers and hash screenshots of every report (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--prune", action="store_true", help="drop unreferenced identifiers")

    def handle(self, *args, prune=False, **options):
        count = 0
        for report_id in Report.objects.order_by("pk").values_list("pk", flat=True).iterator():
            index_report(report_id)
            count += 1
        # Hashes stored at the same moment by two workers may have missed each other: link again.
        for row in ImageHash.objects.order_by("pk").iterator():
            link_images(row)
        if prune:
            SellerIdentifier.objects.annotate(n=Count("report_links")).filter(n=0).delete()
        self.stdout.write(f"{count} reports indexed.")
