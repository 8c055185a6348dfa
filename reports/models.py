"""Reference data (companies, species, product types) and reports with their evidence."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The reference catalogue with its names in each interface language: reports/catalogue.py.
from .catalogue import (  # noqa: F401 (re-exported: every importer uses reports.models)
    CITES_PLAIN_WORDS,
    CitesAppendix,
    ProductType,
    Species,
    SpeciesGroup,
)


class MemberCompany(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    local_name = models.CharField(_("local name"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    enforcement_email = models.EmailField(_("enforcement contact email"), blank=True)
    escalation_email = models.EmailField(
        _("escalation contact email"),
        blank=True,
        help_text=_("Second contact for overdue reports."),
    )
    is_active = models.BooleanField(_("active member"), default=True)
    notify_by_email = models.BooleanField(_("email notice per report"), default=True)
    daily_digest = models.BooleanField(
        _("daily digest instead of one email per report"), default=False
    )
    webhook_url = models.URLField(_("webhook URL"), blank=True, max_length=500)
    webhook_secret = models.CharField(max_length=100, blank=True, editable=False)
    webhook_enabled = models.BooleanField(_("webhook enabled"), default=False)
    ack_sla_hours = models.PositiveIntegerField(
        _("hours to acknowledge"), default=settings.SLA_ACK_HOURS_DEFAULT
    )
    act_sla_hours = models.PositiveIntegerField(
        _("hours to act"), default=settings.SLA_ACT_HOURS_DEFAULT
    )
    notice_language = models.CharField(
        _("notice language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_(
            "Notices, escalations, digests and evidence packages to this company are written "
            "in this language."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("member company")
        verbose_name_plural = _("member companies")

    def __str__(self) -> str:
        return self.name


class PlatformDomain(models.Model):
    company = models.ForeignKey(MemberCompany, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(
        _("registrable domain"), max_length=253, unique=True, help_text=_("e.g. ebay.co.uk")
    )

    class Meta:
        ordering = ["domain"]
        verbose_name = _("platform domain")

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().rstrip(".")
        super().save(*args, **kwargs)


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    NEEDS_INFO = "needs_info", _("Needs more information")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    FORWARDED = "forwarded", _("Forwarded to company")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by company")
    CLOSED = "closed", _("Closed")
    DUPLICATE = "duplicate", _("Duplicate")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A report in one of these states still "holds" its URL: a new report of the same URL is a
# duplicate of it. Rejected, closed, withdrawn and duplicate reports let the URL be reported again.
OPEN_STATUSES = (
    ReportStatus.SUBMITTED,
    ReportStatus.IN_REVIEW,
    ReportStatus.NEEDS_INFO,
    ReportStatus.CONFIRMED,
    ReportStatus.FORWARDED,
    ReportStatus.ACKNOWLEDGED,
)
FORWARDED_STATUSES = (ReportStatus.FORWARDED, ReportStatus.ACKNOWLEDGED, ReportStatus.CLOSED)


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class Outcome(models.TextChoices):
    REMOVED = "removed", _("Listing removed")
    ALREADY_GONE = "already_gone", _("Listing already gone")
    NO_VIOLATION = "no_violation", _("No violation found")
    OTHER = "other", _("Other")


class RejectionReason(models.TextChoices):
    NOT_WILDLIFE = "not_wildlife", _("Not a wildlife product")
    LEGAL_TRADE = "legal_trade", _("Legal trade (e.g. permitted, antique exemption, replica)")
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", _("Insufficient evidence")
    WRONG_SPECIES = "wrong_species", _("Species not protected")
    OTHER = "other", _("Other")


class Report(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )

    # The listing, as the volunteer saw it.
    listing_url = models.URLField(_("listing URL"), max_length=2000)
    normalized_url = models.CharField(max_length=2000, db_index=True, editable=False)
    listing_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    domain = models.CharField(_("platform domain"), max_length=253, db_index=True, editable=False)
    company = models.ForeignKey(
        MemberCompany, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    listing_title = models.CharField(_("listing title"), max_length=300)
    listing_text = models.TextField(_("listing text"), max_length=10000, blank=True)
    listing_language = models.CharField(_("listing language"), max_length=10, blank=True)
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    seller_handle = models.CharField(_("seller handle"), max_length=150, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    listing_location = models.CharField(_("location shown"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)

    species = models.ForeignKey(
        Species, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    species_reported = models.ForeignKey(
        Species,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The species the volunteer chose, kept when an expert corrects it."),
    )
    species_other = models.CharField(_("other / unknown species"), max_length=200, blank=True)
    product_type = models.ForeignKey(ProductType, on_delete=models.PROTECT, related_name="reports")

    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )

    # Review.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, db_index=True)
    verdict = models.CharField(max_length=10, choices=Verdict.choices, blank=True)
    rejection_reason = models.CharField(max_length=30, choices=RejectionReason.choices, blank=True)
    expert_note = models.TextField(_("expert's note"), max_length=5000, blank=True)
    info_request = models.TextField(_("information requested"), max_length=5000, blank=True)

    # Company side.
    forwarded_at = models.DateTimeField(null=True, blank=True, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), max_length=5000, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Service-level deadlines, fixed when the report is forwarded (company targets may change).
    ack_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    act_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The colleague at the company who handles the notice (reports/services/notices.py).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["company", "status", "forwarded_at"]),
            models.Index(fields=["volunteer", "submitted_at"]),
            # Partial indexes (docs/benchmarks.md): queue, company feed, non-members waiting.
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW]),
                name="report_queue_idx",
            ),
            models.Index(
                fields=["company", "-forwarded_at"],
                condition=models.Q(status__in=FORWARDED_STATUSES),
                name="report_company_feed_idx",
            ),
            models.Index(
                fields=["decided_at"],
                condition=models.Q(status=ReportStatus.CONFIRMED, company__isnull=True),
                name="report_non_member_waiting",
            ),
            # The portal's default order, most urgent deadline first (selectors.COMPANY_SORTS
            # "due", the deadline as reports.forwarding.sla.next_deadline_expression computes
            # it): without it every forwarded report of the company is read and sorted.
            models.Index(
                models.F("company"),
                models.Case(
                    models.When(status=ReportStatus.FORWARDED, then=models.F("ack_due_at")),
                    models.When(status=ReportStatus.ACKNOWLEDGED, then=models.F("act_due_at")),
                    default=None,
                    output_field=models.DateTimeField(),
                ).asc(),  # PostgreSQL's ASC is NULLS LAST, as the sort asks (SQLite refuses it)
                models.F("forwarded_at").desc(),
                models.F("id").desc(),
                condition=models.Q(status__in=FORWARDED_STATUSES),
                name="report_company_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(species__isnull=False) | ~models.Q(species_other=""),
                name="report_has_species_or_description",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = "CS-" + uuid.uuid4().hex[:10].upper()
        super().save(*args, **kwargs)

    @property
    def is_member_platform(self) -> bool:
        return self.company_id is not None

    @property
    def species_label(self) -> str:
        if self.species_id:
            return str(self.species)
        return str(_("Unknown / other: %(description)s") % {"description": self.species_other})


def evidence_upload_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.report.reference}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


def original_upload_path(instance: Evidence, filename: str) -> str:
    return f"originals/{instance.report.reference}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class Evidence(models.Model):
    """One screenshot. Viewers get ``image`` (re-encoded, metadata stripped); the uploaded
    bytes are kept in ``original`` for admins, with their SHA-256, until retention purges them."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    image = models.FileField(upload_to=evidence_upload_path, max_length=300)
    original = models.FileField(upload_to=original_upload_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    original_sha256 = models.CharField(max_length=64)
    original_size = models.PositiveIntegerField()
    original_format = models.CharField(max_length=10)
    image_sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    original_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.report.reference} #{self.pk}"


def staged_upload_path(instance: StagedUpload, filename: str) -> str:
    return f"staged/{instance.owner_id}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class StagedUpload(models.Model):
    """A checked screenshot kept for its owner across a failed submit (reports.staging);
    becomes Evidence on the next successful submit, or is purged after a day."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    image = models.FileField(upload_to=staged_upload_path, max_length=300)
    original = models.FileField(upload_to=staged_upload_path, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    original_format = models.CharField(max_length=10)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.original_name


class Channel(models.TextChoices):
    EMAIL = "email", _("Email notice")
    WEBHOOK = "webhook", _("Signed webhook")
    PORTAL = "portal", _("Company portal")
    # Listed in the company's daily digest email (sent by a DigestRun, not attempted alone).
    DIGEST = "digest", _("Daily digest email")
    # The one-time overdue email to the company's second contact.
    ESCALATION = "escalation", _("Overdue escalation email")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    DEAD = "dead", _("Dead (gave up)")
    CANCELLED = "cancelled", _("Cancelled")


class OutboxEntry(models.Model):
    """What every outbox row has: a key reused on every retry, and its retry bookkeeping."""

    idempotency_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Delivery(OutboxEntry):
    """Outbox row: one notice of one report to one company over one channel.

    Created in the same transaction as the confirmation, so a confirmed report can never miss
    its notice; the key is reused on every retry so receivers can de-duplicate."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="deliveries")
    company = models.ForeignKey(MemberCompany, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # When a task for this row was last put on the broker; the sweep re-queues a due row only
    # if that was long enough ago for the message to have been lost (Redis restart, dead worker).
    queued_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        "DigestRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
        help_text=_("The daily digest that carries this notice (digest channel only)."),
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "company", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            # A company's wake-up claims its due rows of one channel, longest-due first
            # (forwarding/delivery.py: drain_company); only pending rows are ever claimed.
            models.Index(
                fields=["company", "channel", "next_attempt_at"],
                condition=models.Q(status="pending"),
                name="delivery_company_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report.reference} → {self.company} ({self.channel})"


class DigestRun(OutboxEntry):
    """One daily digest email to one company: unique per (company, date), so it goes out once
    however often the digest task runs. Its key is the email's Message-ID."""

    company = models.ForeignKey(MemberCompany, on_delete=models.PROTECT, related_name="digests")
    date = models.DateField(_("day covered"))

    class Meta:
        ordering = ["-date", "company"]
        verbose_name = _("daily digest")
        constraints = [
            models.UniqueConstraint(fields=["company", "date"], name="one_digest_per_company_day")
        ]

    def __str__(self) -> str:
        return f"{self.company} digest {self.date}"


# Beside these: what experts keep to work faster (saved queue filters, canned replies), notice
# threads, and the operations models (alerts to the admins, worker heartbeats).
from .cites_models import CatalogueVersion, CitesListing  # noqa: E402, F401
from .expert_models import CannedReply, CannedReplyKind, SavedFilter  # noqa: E402, F401
from .notice_models import NoticeMessage  # noqa: E402, F401
from .ops_models import AlertKind, Heartbeat, OpsAlert  # noqa: E402, F401
