"""The upload form of a new catalogue version (reports/views/catalogue.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .catalogue_import import MAX_LABEL


class CatalogueImportForm(forms.Form):
    label = forms.CharField(
        label=_("Catalogue version"),
        max_length=MAX_LABEL,
        help_text=_("A name for this version, e.g. “CoP20 (2025)”. Each version is applied once."),
    )
    file = forms.FileField(
        label=_("Catalogue file (JSON or CSV)"),
        help_text=_(
            "The whole catalogue as this version states it, UTF-8, in the format of the export "
            "below (one row or entry per species; the columns are listed in docs/cites.md)."
        ),
    )
