"""Operations: problems told to the admins once, and when the worker and beat were last seen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    DEAD_LETTER = "dead_letter", _("Dead letter")
    STUCK_DELIVERY = "stuck_delivery", _("Deliveries stuck")
    OVERDUE_NOTICE = "overdue_notice", _("Overdue at a company")
    WORKER_DOWN = "worker_down", _("Worker not running")
    BEAT_DOWN = "beat_down", _("Scheduler not running")


class OpsAlert(models.Model):
    """One operational problem, told to the admins once (reports/forwarding/alerts.py).

    ``key`` names the problem (``dead_letter:delivery:42``) and is unique: however often or
    concurrently the check runs, a problem has one row. ``params`` holds what the title and
    detail are written from (in each reader's language); never the volunteer's identity."""

    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    key = models.CharField(max_length=100, unique=True)
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=300, help_text=_("Where to act (a path on this site)."))
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("operations alert")
        indexes = [
            models.Index(
                fields=["kind", "opened_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="ops_alert_open",
            )
        ]

    def __str__(self) -> str:
        return self.key


class Heartbeat(models.Model):
    """When the Celery worker (or the embedded outbox loop) and beat were last seen alive."""

    name = models.CharField(max_length=20, unique=True)
    first_seen_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.seen_at:%Y-%m-%d %H:%M:%S}"
