"""Seller identifiers found in reports, and perceptual hashes of their screenshots.

``SellerIdentifier`` is one normalised identifier (``sellers.extract``), unique per
(kind, value, scope): ``scope`` is "" for global kinds (phone, email, WeChat, LINE, Telegram)
and names the platform for handles (``company:<id>`` or ``domain:<registrable domain>``), so
``bob`` on eBay and ``bob`` on Etsy are two identifiers. ``ReportIdentifier`` links a report to
it, once. ``ImageHash`` is the 64-bit pHash of one screenshot, with its four 16-bit bands
indexed for the near-duplicate lookup; ``ImageMatch`` is a pair of screenshots of different
reports within ``sellers.imagehashing.MAX_DISTANCE`` (docs/sellers.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models import Evidence, MemberCompany, Report

from . import extract


class IdentifierKind(models.TextChoices):
    HANDLE = extract.HANDLE, _("platform handle")
    PHONE = extract.PHONE, _("phone / WhatsApp number")
    EMAIL = extract.EMAIL, _("email address")
    WECHAT = extract.WECHAT, _("WeChat ID")
    LINE = extract.LINE, _("LINE ID")
    TELEGRAM = extract.TELEGRAM, _("Telegram username")


class SellerIdentifier(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=IdentifierKind.choices)
    value = models.CharField(_("value"), max_length=255)
    scope = models.CharField(max_length=270, blank=True, default="")
    # For handles: the platform they belong to (a member company, else the domain).
    company = models.ForeignKey(
        MemberCompany, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    domain = models.CharField(_("platform domain"), max_length=253, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("seller identifier")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value", "scope"], name="sellers_identifier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    @property
    def platform_label(self) -> str:
        if self.company_id:
            return self.company.name
        return self.domain


class ReportIdentifier(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="seller_identifiers")
    identifier = models.ForeignKey(
        SellerIdentifier, on_delete=models.CASCADE, related_name="report_links"
    )
    # Where it was found: "handle", "title" or "text".
    source = models.CharField(max_length=6)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "identifier"], name="sellers_report_identifier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.identifier_id}"


class ImageHash(models.Model):
    """The pHash of one screenshot as a signed 64-bit integer (``imagehashing.to_signed``)."""

    evidence = models.OneToOneField(
        Evidence, on_delete=models.CASCADE, related_name="perceptual_hash"
    )
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    value = models.BigIntegerField()
    band0 = models.PositiveIntegerField(db_index=True)
    band1 = models.PositiveIntegerField(db_index=True)
    band2 = models.PositiveIntegerField(db_index=True)
    band3 = models.PositiveIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image hash")

    def __str__(self) -> str:
        return f"{self.evidence_id}: {self.value & 0xFFFFFFFFFFFFFFFF:016x}"


class ImageMatch(models.Model):
    """Two near-identical screenshots of different reports (``first_id < second_id``)."""

    first = models.ForeignKey(ImageHash, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(ImageHash, on_delete=models.CASCADE, related_name="+")
    first_report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    second_report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    distance = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("image match")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="sellers_image_match_unique")
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.distance})"
