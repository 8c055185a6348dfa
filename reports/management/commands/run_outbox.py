import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from reports import events, forwarding, headline
from reports.forwarding import alerts
from reports.forwarding.digest import run_due_digests
from reports.forwarding.sla import escalate_overdue
from spotter.audit import seal_pending

log = logging.getLogger(__name__)

SLA_CHECK_SECONDS = 600
DIGEST_CHECK_SECONDS = 300
HEARTBEAT_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Drain due deliveries in this process. With --loop, keep doing so every few seconds: "
        "this is the embedded default's stand-in for a Celery worker + beat (outbox retries, "
        "audit sealing, dashboard counters, SLA escalations, daily digests, heartbeat and "
        "operations alerts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, loop=False, interval=5.0, **options):
        last_sla_check = last_digest_check = last_heartbeat = last_ops_check = float("-inf")
        while True:
            try:
                if time.monotonic() - last_heartbeat > HEARTBEAT_SECONDS:
                    alerts.record_heartbeat(alerts.WORKER)  # this loop is the worker and beat
                    last_heartbeat = time.monotonic()
                seal_pending()  # the audit log's sequencer (beat runs it in production)
                # Jobs of higher apps (e.g. quality's counter refresh) that beat runs in
                # production: they subscribe to this signal, reports does not know them.
                events.worker_tick.send(sender=self.__class__)
                headline.refresh_if_due()  # the overview's figures (beat: refresh_headline_counts)
                sent = forwarding.drain_due()
                if sent:
                    self.stdout.write(f"outbox: {sent} attempt(s) made")
                if time.monotonic() - last_sla_check > SLA_CHECK_SECONDS:
                    escalate_overdue()  # embedded: each escalation's first attempt on commit
                    last_sla_check = time.monotonic()
                if time.monotonic() - last_digest_check > DIGEST_CHECK_SECONDS:
                    run_due_digests()
                    last_digest_check = time.monotonic()
                if time.monotonic() - last_ops_check > settings.OPS_CHECK_SECONDS:
                    alerts.check_operations()
                    last_ops_check = time.monotonic()
            except Exception:  # a locked SQLite file or a template error must not stop the loop
                if not loop:
                    raise
                log.exception("outbox loop: pass failed; trying again in %s s", interval)
            if not loop:
                return
            close_old_connections()
            time.sleep(interval)
