from django.core.management.base import BaseCommand, CommandError

from spotter.audit import verify_chain
from spotter.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exits non-zero at the first broken link."

    def handle(self, *args, **options):
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"Audit chain broken after {result.checked} good event(s): "
                f"event {result.broken_event_id}: {result.problem}"
            )
        # The newest hash, printed so operators can log it elsewhere (an external anchor).
        head = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {result.checked} event(s); newest hash {head or '-'}."
            )
        )
