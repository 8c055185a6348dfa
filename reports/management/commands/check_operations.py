from django.core.management.base import BaseCommand

from reports.forwarding import alerts


class Command(BaseCommand):
    help = (
        "Open / resolve operations alerts (dead letters, stuck deliveries, overdue notices, "
        "worker and beat heartbeats) and email admins the new ones. Run it from cron: unlike "
        "the beat-scheduled check, it still runs when the Celery worker or beat is down."
    )

    def handle(self, *args, **options):
        result = alerts.check_operations()
        self.stdout.write(
            f"operations: {len(result.opened)} alert(s) opened, {result.resolved} resolved"
        )
        for key in result.opened:
            self.stdout.write(f"  opened {key}")
