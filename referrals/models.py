"""Referral partners, the referrals of confirmed reports to them, and their outbox rows.

A partner (an NGO, a national wildlife authority, a police unit) covers a set of countries (or
the whole world) and is reached over one or more channels. ``routing.py`` decides which
partners a confirmed report goes to; ``services.py`` writes the ``Referral`` and one
``ReferralDelivery`` per channel in one transaction, and the same outbox primitives as the
member companies' notices (reports.forwarding.outbox) deliver them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from reports.models import OutboxEntry, Report


class PartnerKind(models.TextChoices):
    NGO = "ngo", _("NGO")
    AUTHORITY = "authority", _("National wildlife authority")
    POLICE = "police", _("Police unit")


class ReferralChannel(models.TextChoices):
    EMAIL = "email", _("Email notice")
    PACKAGE = "package", _("Evidence package by email link")
    WEBHOOK = "webhook", _("Signed webhook")


class ReferralOutcome(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACTED = "acted", _("Acted on")
    DECLINED = "declined", _("Declined")
    NO_RESPONSE = "no_response", _("No response")


class ReferralPartner(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=PartnerKind.choices)
    worldwide = models.BooleanField(
        _("worldwide"),
        default=False,
        help_text=_("Receives confirmed reports on non-member platforms from any country."),
    )
    jurisdictions = CountryField(_("jurisdictions"), multiple=True, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    send_email_notice = models.BooleanField(_("email notice"), default=True)
    send_package_link = models.BooleanField(_("evidence package by email link"), default=False)
    webhook_url = models.URLField(_("webhook URL"), blank=True, max_length=500)
    webhook_secret = models.CharField(max_length=100, blank=True, editable=False)
    webhook_enabled = models.BooleanField(_("webhook enabled"), default=False)
    notice_language = models.CharField(
        _("notice language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("referral partner")
        verbose_name_plural = _("referral partners")

    def __str__(self) -> str:
        return self.name

    @property
    def jurisdiction_codes(self) -> set[str]:
        return {country.code for country in self.jurisdictions}


class Referral(models.Model):
    """One confirmed report referred to one partner, with the outcome the partner reports."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(ReferralPartner, on_delete=models.PROTECT, related_name="referrals")
    # Why: "non_member" (no member company can take it down) or "jurisdiction".
    reason = models.CharField(max_length=20)
    country = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=ReferralOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("note"), max_length=5000, blank=True)
    outcome_on = models.DateField(_("date"), null=True, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    # None: recorded by the partner through the signed link in its notice.
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["report", "partner"], name="one_referral_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.report.reference} → {self.partner}"


class ReferralDelivery(OutboxEntry):
    """Outbox row: one referral over one channel (same key, lease and backoff rules as a
    member company's Delivery)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=ReferralChannel.choices)
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("referral delivery")
        verbose_name_plural = _("referral deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "channel"], name="one_referral_delivery_per_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.referral} ({self.channel})"


class RoutingState(models.Model):
    """The last routing decision of a confirmed report: how many partners it went to. Reports
    with ``routes == 0`` and no member company are "waiting with no route" (a partial index
    keeps that list and its count small)."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, primary_key=True, related_name="routing"
    )
    country = models.CharField(max_length=2, blank=True)
    country_source = models.CharField(max_length=10, blank=True)  # "location", "cctld", ""
    routes = models.PositiveIntegerField(default=0)
    member = models.BooleanField(default=False)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["checked_at"],
                condition=models.Q(routes=0, member=False),
                name="routing_unrouted_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.routes}"
