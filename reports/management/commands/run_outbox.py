import time

from django.core.management.base import BaseCommand

from reports import forwarding
from reports.sla import escalate_overdue


class Command(BaseCommand):
    help = (
        "Drain due deliveries in this process. With --loop, keep doing so every few seconds: "
        "this is the embedded default's stand-in for a Celery worker + beat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, loop=False, interval=5.0, **options):
        last_sla_check = 0.0
        while True:
            sent = forwarding.drain_due()
            if sent:
                self.stdout.write(f"outbox: {sent} attempt(s) made")
            if time.monotonic() - last_sla_check > 600:
                escalate_overdue()
                last_sla_check = time.monotonic()
            if not loop:
                return
            time.sleep(interval)
