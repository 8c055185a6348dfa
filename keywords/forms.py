"""The forms of the library pages; every change still goes through ``keywords.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import ProductType, Report, SpeciesGroup
from spotter.converters import parse_id
from spotter.errors import InvalidInput, SpotterError

from .models import TermKind, TermStatus
from .services import MAX_SELECTION

LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("de", _("German")),
    ("vi", _("Vietnamese")),
    ("th", _("Thai")),
    ("id", _("Indonesian")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("sw", _("Swahili")),
    ("la", _("Latin (scientific name)")),
]


def put_error(form: forms.Form, exc: SpotterError) -> None:
    """A service's refusal on the form: an ``InvalidInput`` on its field, the rest on top."""
    if isinstance(exc, InvalidInput):
        for field, messages in exc.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class TermFieldsForm(forms.Form):
    text = forms.CharField(label=_("Term"), max_length=MAX_SELECTION)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    kind = forms.ChoiceField(label=_("Kind"), choices=TermKind.choices, initial=TermKind.CODE_WORD)
    species_groups = forms.ModelMultipleChoiceField(
        label=_("Species groups"),
        queryset=SpeciesGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    product_type = forms.ModelChoiceField(
        label=_("Product type"), queryset=ProductType.objects.all(), required=False
    )
    source = forms.CharField(
        label=_("Source note"),
        required=False,
        max_length=500,
        help_text=_("Where the term comes from; left empty, the report's reference is noted."),
    )


class ProposeForm(TermFieldsForm):
    """Pre-filled from the report: its language, species group and product type; the text
    comes from the selection in the listing (``?text=``, filled by static/js/keywords.js)."""

    @classmethod
    def initial_for(cls, report: Report, text: str) -> dict:
        codes = {code for code, _label in LANGUAGES}
        return {
            "text": " ".join(text.split())[:MAX_SELECTION],
            "language": report.listing_language if report.listing_language in codes else "en",
            "species_groups": [report.species.group_id] if report.species_id else [],
            "product_type": report.product_type_id,
        }


class EditForm(TermFieldsForm):
    def __init__(self, *args, term=None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = {code for code, _label in LANGUAGES}
        if term is not None and term.language not in codes:
            # Imported terms may carry any language code: keep it choosable.
            self.fields["language"].choices = [*LANGUAGES, (term.language, term.language)]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Keep term number"),
        max_length=20,
        help_text=_("The number of the term to keep (shown on its page as #)."),
    )

    def clean_into(self) -> int:
        value = parse_id(self.cleaned_data["into"].strip().lstrip("#"))
        if value is None:
            raise forms.ValidationError(_("Give the number of a term, such as 42."))
        return value


SORTS = [
    ("text", _("Text")),
    ("newest", _("Newest")),
    ("precision", _("Precision (confirmed share)")),
    ("growth", _("Recent growth")),
]


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("any"))] + TermStatus.choices, required=False
    )
    language = forms.CharField(label=_("Language"), required=False, max_length=10)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("any"))] + TermKind.choices, required=False
    )
    group = forms.SlugField(label=_("Species group"), required=False, max_length=50)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: text, language, kind, species_groups (slugs separated by spaces), "
            "product_type (slug), source, status. UTF-8."
        ),
    )
