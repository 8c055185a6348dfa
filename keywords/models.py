"""The keyword library: terms, the numbered releases of the member feed, and matches per report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models import ProductType, Report, SpeciesGroup


class TermKind(models.TextChoices):
    CODE_WORD = "code_word", _("code word")
    ALTERNATIVE_NAME = "alternative_name", _("alternative name")
    PRODUCT_TERM = "product_term", _("product term")
    HASHTAG = "hashtag", _("hashtag")
    EMOJI_SEQUENCE = "emoji_sequence", _("emoji sequence")
    MISSPELLING = "misspelling", _("misspelling")
    TRANSLITERATION = "transliteration", _("transliteration")


class TermStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    RETIRED = "retired", _("retired")


class Term(models.Model):
    text = models.CharField(_("text"), max_length=200)
    # keywords.normalize.normalize(text): what the matcher and the uniqueness rule use.
    normalized = models.CharField(_("normalised text"), max_length=200, db_index=True)
    language = models.CharField(_("language"), max_length=10)
    kind = models.CharField(_("kind"), max_length=20, choices=TermKind.choices)
    species_groups = models.ManyToManyField(
        SpeciesGroup, blank=True, related_name="terms", verbose_name=_("species groups")
    )
    product_type = models.ForeignKey(
        ProductType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="terms",
        verbose_name=_("product type"),
    )
    source = models.TextField(_("source note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TermStatus.choices, default=TermStatus.PROPOSED
    )
    generated = models.BooleanField(
        _("generated from the species catalogue"), default=False, editable=False
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    # The report whose listing the proposal was selected from (kept if the report goes away).
    from_report = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_terms",
        verbose_name=_("proposed from report"),
        editable=False,
    )
    # Proposed by a fast-lane proposer (a lead spotter, keywords.permissions): curated first.
    fast_lane = models.BooleanField(_("fast lane"), default=False, editable=False)
    # A duplicate merged into another term: retired, its matches moved to ``merged_into``.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_terms",
        verbose_name=_("merged into"),
        editable=False,
    )

    class Meta:
        ordering = ["normalized", "language"]
        verbose_name = _("term")
        constraints = [
            models.UniqueConstraint(
                fields=["normalized", "language"], name="keywords_term_unique_normalized"
            )
        ]

    def __str__(self) -> str:
        return f"{self.text} ({self.language})"


class LibraryRelease(models.Model):
    """A numbered, dated release of the approved library: the member feed's version."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("library release")

    def __str__(self) -> str:
        return f"#{self.number} ({self.created_at:%Y-%m-%d})"


class MatchField(models.TextChoices):
    TITLE = "title", _("listing title")
    TEXT = "text", _("listing text")


class ReportMatch(models.Model):
    """An approved term found in a report's listing; start/end index the normalised field."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="keyword_matches")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="matches")
    field = models.CharField(max_length=5, choices=MatchField.choices)
    matched_text = models.CharField(max_length=200)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["field", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "term", "field"], name="keywords_match_unique_per_field"
            )
        ]

    def __str__(self) -> str:
        return f"{self.matched_text} ({self.field})"
