"""Tips from the public: a listing URL, an optional note, screenshot and follow-up email.

A tip is not a report: it has no species or product type and no volunteer stands behind it.
A lead spotter or an expert triages it (tips.services): converted into a report they complete,
or dismissed with a reason. The tipster's address is never stored: only keyed hashes of it and
of its network (tips.abuse), for abuse control; the email is erased after the retention period.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TipStatus(models.TextChoices):
    NEW = "new", _("Waiting for triage")
    CONVERTED = "converted", _("Turned into a report")
    DISMISSED = "dismissed", _("Dismissed")


class DismissReason(models.TextChoices):
    SPAM = "spam", _("Spam or abuse")
    NOT_WILDLIFE = "not_wildlife", _("Not a wildlife product")
    DUPLICATE = "duplicate", _("Already reported")
    NOT_ENOUGH_INFORMATION = "not_enough_information", _("Not enough information")


def new_reference() -> str:
    return "TIP-" + uuid.uuid4().hex[:10].upper()


class Tip(models.Model):
    reference = models.CharField(
        _("reference"), max_length=20, unique=True, default=new_reference, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TipStatus.choices, default=TipStatus.NEW
    )
    listing_url = models.CharField(_("listing URL"), max_length=2000)
    normalized_url = models.CharField(max_length=2000, db_index=True, editable=False)
    domain = models.CharField(_("platform domain"), max_length=253, editable=False)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # Personal data: erased by tips.tasks.purge_old_tips after TIPS_RETENTION_DAYS.
    tipster_email = models.EmailField(_("email for follow-up"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    network_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dismiss_reason = models.CharField(
        _("reason"), max_length=30, choices=DismissReason.choices, blank=True
    )
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("tip")
        verbose_name_plural = _("tips")

    def __str__(self) -> str:
        return self.reference


def tip_file_path(instance: TipScreenshot, filename: str) -> str:
    return f"tips/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class TipScreenshot(models.Model):
    """A tip's screenshot, through reports.evidence: ``image`` is the re-encoded PNG (the only
    file ever shown), ``original`` the bytes as uploaded (never served; kept for the report's
    evidence). Without a tip it is staged: kept across a refused submission (tips.staging)."""

    tip = models.OneToOneField(
        Tip, null=True, blank=True, on_delete=models.CASCADE, related_name="screenshot"
    )
    image = models.FileField(upload_to=tip_file_path, max_length=300)
    original = models.FileField(upload_to=tip_file_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    original_format = models.CharField(max_length=10)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.tip_id or 'staged'} #{self.pk}"
