"""The reference catalogue: species groups, species (with their CITES listing) and product types.

Every name here exists in the three interface languages (English, French, Simplified
Chinese). One method per model gives "the name in language X" (the active language by
default, English when a translation is missing); ``__str__`` uses it, so forms, pages, notices
and the API follow the language of the request, or of ``translation.override``. The names
come from the shipped reference data (reports/data/, loaded by reports/reference.py).
"""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def language_suffix(language: str | None = None) -> str:
    """``"en"``, ``"fr"`` or ``"zh"``: the column suffix for ``language`` (a language code
    such as ``fr``, ``fr-ca`` or ``zh-hans``; the active language when None)."""
    code = (language or translation.get_language() or "en").lower()
    if code.startswith("zh"):
        return "zh"
    if code.startswith("fr"):
        return "fr"
    return "en"


def _in_language(english: str, translations: dict[str, str], language: str | None) -> str:
    return translations.get(language_suffix(language)) or english


class CitesAppendix(models.TextChoices):
    I = "I", _("Appendix I")  # noqa: E741
    II = "II", _("Appendix II")
    III = "III", _("Appendix III")


CITES_PLAIN_WORDS = {
    "I": _(
        "CITES Appendix I: threatened with extinction. International commercial trade in the "
        "animal or any part or product of it is prohibited."
    ),
    "II": _(
        "CITES Appendix II: trade is allowed only with export permits showing it is legal and "
        "not detrimental to the species' survival; most online sales have no such permit."
    ),
    "III": _(
        "CITES Appendix III: protected in at least one country, which asked for help "
        "controlling trade; exports need permits or certificates of origin."
    ),
}


class NamedInLanguages(models.Model):
    """A catalogue entry with a slug and a name in every shipped language, in order."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_fr = models.CharField(_("name (French)"), max_length=80, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self, language: str | None = None) -> str:
        return _in_language(self.name, {"fr": self.name_fr, "zh": self.name_zh}, language)


class SpeciesGroup(NamedInLanguages):
    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("species group")


class Species(models.Model):
    scientific_name = models.CharField(_("scientific name"), max_length=120, unique=True)
    common_name_en = models.CharField(_("common name (English)"), max_length=120)
    common_name_zh = models.CharField(_("common name (Chinese)"), max_length=120, blank=True)
    common_name_fr = models.CharField(_("common name (French)"), max_length=120, blank=True)
    group = models.ForeignKey(SpeciesGroup, on_delete=models.PROTECT, related_name="species")
    cites_appendix = models.CharField(
        _("CITES appendix"), max_length=3, choices=CitesAppendix.choices
    )
    cites_note = models.TextField(_("CITES note"), blank=True)
    cites_note_fr = models.TextField(_("CITES note (French)"), blank=True)
    cites_note_zh = models.TextField(_("CITES note (Chinese)"), blank=True)
    # A species a catalogue version dropped while reports still point at it is kept, marked
    # here, and no longer offered for new reports (reports/catalogue_import.py).
    retired_at = models.DateTimeField(_("removed from the catalogue"), null=True, blank=True)
    retired_in = models.CharField(_("removed in catalogue version"), max_length=80, blank=True)

    class Meta:
        ordering = ["group__order", "common_name_en"]
        verbose_name = _("species")
        verbose_name_plural = _("species")

    def __str__(self) -> str:
        return f"{self.common_name()} ({self.scientific_name})"

    def common_name(self, language: str | None = None) -> str:
        return _in_language(
            self.common_name_en, {"fr": self.common_name_fr, "zh": self.common_name_zh}, language
        )

    def localized_cites_note(self, language: str | None = None) -> str:
        return _in_language(
            self.cites_note, {"fr": self.cites_note_fr, "zh": self.cites_note_zh}, language
        )

    @property
    def cites_plain_words(self) -> str:
        return str(CITES_PLAIN_WORDS[self.cites_appendix])


def species_sort_key(species: Species, language: str | None = None) -> tuple:
    """Catalogue order in ``language``: by group, then by the common name readers see (Chinese
    names by code point, which for CJK ideographs is radical-then-stroke dictionary order)."""
    return (species.group.order, species.common_name(language).casefold(), species.scientific_name)


class ProductType(NamedInLanguages):
    class Meta:
        ordering = ["order"]
        verbose_name = _("product type")
