"""The CITES listing history of each species and the catalogue versions that brought it.

CITES changes its appendices at each Conference of the Parties (CoP); amendments usually enter
into force 90 days after the meeting (CoP17: 2 January 2017, CoP18: 26 November 2019, CoP19:
23 February 2023). A species' history is a list of ``CitesListing`` rows, each saying "from
this date, this appendix"; the row in force on a date is the latest one starting on or before
it (reports/cites.py, ``appendix_on``). A row without a start date is the earliest listing
this catalogue knows, whose start date it does not record. ``Species.cites_appendix`` stays the
current appendix (many pages, filters and sorts read it); only the services of
reports/cites.py and reports/catalogue_import.py write it, from this history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import CitesAppendix, Species, _in_language


class CatalogueVersion(models.Model):
    """One applied catalogue version (the shipped reference data, or an admin's import)."""

    class Source(models.TextChoices):
        REFERENCE = "reference", _("shipped reference data")
        IMPORT = "import", _("admin import")

    label = models.CharField(_("version"), max_length=80, unique=True)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.IMPORT)
    as_of = models.DateField(_("catalogue date"), null=True, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = _("catalogue version")

    def __str__(self) -> str:
        return self.label


class CitesListing(models.Model):
    species = models.ForeignKey(Species, on_delete=models.CASCADE, related_name="cites_listings")
    appendix = models.CharField(_("CITES appendix"), max_length=3, choices=CitesAppendix.choices)
    # None: in force since before anything this catalogue records (start date unknown).
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    cop = models.CharField(_("Conference of the Parties"), max_length=40, blank=True)
    cop_number = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(_("annotation or source"), blank=True)
    note_fr = models.TextField(blank=True)
    note_zh = models.TextField(blank=True)
    version = models.ForeignKey(
        CatalogueVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["species", models.F("effective_from").asc(nulls_first=True), "id"]
        verbose_name = _("CITES listing")
        constraints = [
            models.UniqueConstraint(
                fields=["species", "effective_from"], name="cites_listing_one_per_date"
            ),
            models.UniqueConstraint(
                fields=["species"],
                condition=models.Q(effective_from__isnull=True),
                name="cites_listing_one_undated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.species_id}: {self.appendix} from {self.effective_from or '?'}"

    def localized_note(self, language: str | None = None) -> str:
        return _in_language(self.note, {"fr": self.note_fr, "zh": self.note_zh}, language)
