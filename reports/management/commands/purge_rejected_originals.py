from django.conf import settings
from django.core.management.base import BaseCommand

from reports.retention import purge_rejected_originals


class Command(BaseCommand):
    help = (
        "Delete the original evidence files of rejected reports decided more than "
        "EVIDENCE_RETENTION_REJECTED_DAYS days ago (re-encoded copies and hashes are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override EVIDENCE_RETENTION_REJECTED_DAYS "
            f"(now {settings.EVIDENCE_RETENTION_REJECTED_DAYS}).",
        )

    def handle(self, *args, days=None, **options):
        count = purge_rejected_originals(days=days)
        self.stdout.write(self.style.SUCCESS(f"Purged {count} original evidence file(s)."))
