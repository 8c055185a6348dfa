"""Independent takedown checks: the scheduled re-checks of a listing, and what they found.

``ListingCheck`` is one scheduled check of one report's listing (24 h, 72 h and 7 days after the
company's outcome, or after forwarding while no outcome is recorded); it is filled in when the
check runs. ``TakedownFlag`` is something an expert or admin should look at: an *outcome
discrepancy* (the company said the listing is gone, it was still live at 72 h or later) or a
*relisting* (a listing found removed is live again, or a new report of the same listing came in
after it was removed). Flags link reports; they never change a report's state
(docs/verification.md, "Independent takedown checks").
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models import MemberCompany, Report

# Hours after the outcome (or forwarding) at which the listing is checked.
STAGES = (24, 72, 168)
# A live listing at this stage or later, after the company said it was removed, is a discrepancy.
DISCREPANCY_FROM_HOURS = 72


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("Scheduled")
    LIVE = "live", _("Still online")
    REMOVED = "removed", _("Removed")
    UNKNOWN = "unknown", _("Could not tell")


class ListingCheck(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="listing_checks")
    stage_hours = models.PositiveSmallIntegerField(_("hours after"))
    due_at = models.DateTimeField(_("due"))
    # A worker holds the check until then (the fetch runs outside any transaction).
    claimed_until = models.DateTimeField(null=True, blank=True)
    deferrals = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    url = models.CharField(_("URL checked"), max_length=2000, blank=True)
    final_url = models.CharField(_("final URL"), max_length=2000, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    content_sha256 = models.CharField(_("content SHA-256"), max_length=64, blank=True)
    snapshot = models.TextField(_("text snapshot"), max_length=600, blank=True)
    rule = models.CharField(_("rule that matched"), max_length=120, blank=True)

    class Meta:
        ordering = ["report", "stage_hours"]
        verbose_name = _("listing check")
        constraints = [
            models.UniqueConstraint(fields=["report", "stage_hours"], name="recheck_stage_once")
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(status="pending"),
                name="recheck_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} +{self.stage_hours}h: {self.status}"


class FlagKind(models.TextChoices):
    DISCREPANCY = "discrepancy", _("Outcome discrepancy")
    RELISTED = "relisted", _("Relisted")


class TakedownFlag(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=FlagKind.choices)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="takedown_flags")
    # The platform the report was forwarded to when the flag was raised (counted per company).
    company = models.ForeignKey(
        MemberCompany, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    listing_check = models.ForeignKey(
        ListingCheck, null=True, blank=True, on_delete=models.SET_NULL, related_name="flags"
    )
    # Relisted: the earlier report of the same listing (the one that was removed).
    related_report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What makes the flag unique, so a repeated check or event never raises it twice.
    dedupe_key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("takedown flag")
        indexes = [models.Index(fields=["kind", "company", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.report_id}"
