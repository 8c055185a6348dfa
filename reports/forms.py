from __future__ import annotations

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from spotter.errors import InvalidInput, SpotterError
from spotter.text import clean_text

from . import staging
from . import validation as rules
from .catalogue import species_sort_key
from .evidence import process_uploads
from .models import CannedReply, CannedReplyKind, Outcome, ProductType, RejectionReason, Species
from .validation import LANGUAGE_CHOICES, LISTING_FIELDS, ListingDetails


def add_errors(form: forms.Form, exc: SpotterError) -> None:
    """Put a domain refusal on the form: each problem on the field it names, the rest above
    the form."""
    errors = exc.errors if isinstance(exc, InvalidInput) else {exc.field: exc.messages}
    for name, messages in errors.items():
        form.add_error(name if name in form.fields else None, messages)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScreenshotsField(forms.FileField):
    widget = MultipleImageInput(attrs={"accept": "image/png,image/jpeg,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(ScreenshotsField, self).clean(item, initial) for item in files]


def species_choices():
    """The catalogue as grouped options in the active language: groups in their order,
    species by the common name the reader sees (then the scientific name)."""
    choices = []
    current_group = None
    group_name = ""
    group_items: list[tuple[str, str]] = []
    # Species a catalogue version removed (kept for their reports) are not offered any more.
    catalogue = sorted(
        Species.objects.filter(retired_at__isnull=True).select_related("group"),
        key=species_sort_key,
    )
    for species in catalogue:
        if species.group_id != current_group:
            if group_items:
                choices.append((group_name, group_items))
            current_group = species.group_id
            group_name = str(species.group)
            group_items = []
        group_items.append(
            (str(species.pk), f"{species.common_name()} — {species.scientific_name}")
        )
    if group_items:
        choices.append((group_name, group_items))
    return choices


class ListingForm(forms.Form):
    """The listing details shared by submit and resubmit (needs-info) forms; the limits and
    the rules are reports.validation's, the same as the API's."""

    listing_url = forms.CharField(
        label=_("Listing URL"),
        max_length=rules.MAX_LENGTH["listing_url"],
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
    )
    listing_title = forms.CharField(
        label=_("Listing title"), max_length=rules.MAX_LENGTH["listing_title"]
    )
    species = forms.TypedChoiceField(
        label=_("Species"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Choose from the catalogue, or leave empty and describe it below."),
    )
    species_other = forms.CharField(
        label=_("Unknown / other species"),
        max_length=rules.MAX_LENGTH["species_other"],
        required=False,
        help_text=_("If the species is not in the catalogue or you are unsure, describe it."),
    )
    product_type = forms.ModelChoiceField(
        label=_("Product type"),
        queryset=ProductType.objects.all(),
        empty_label=_("— choose a product type —"),
    )
    listing_text = forms.CharField(
        label=_("Listing text (pasted)"),
        max_length=rules.MAX_LENGTH["listing_text"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    listing_language = forms.ChoiceField(
        label=_("Listing language"), choices=LANGUAGE_CHOICES, required=False
    )
    price = forms.DecimalField(
        label=_("Price"),
        required=False,
        min_value=rules.PRICE_MIN,
        max_digits=rules.PRICE_MAX_DIGITS,
        decimal_places=rules.PRICE_DECIMAL_PLACES,
    )
    currency = forms.RegexField(
        label=_("Currency"),
        regex=rules.CURRENCY_REGEX,
        required=False,
        max_length=rules.MAX_LENGTH["currency"],
        error_messages={"invalid": rules.CURRENCY_INVALID},
    )
    seller_handle = forms.CharField(
        label=_("Seller handle"), max_length=rules.MAX_LENGTH["seller_handle"], required=False
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        required=False,
        min_value=rules.QUANTITY_MIN,
        max_value=rules.QUANTITY_MAX,
    )
    listing_location = forms.CharField(
        label=_("Location shown"), max_length=rules.MAX_LENGTH["listing_location"], required=False
    )
    notes = forms.CharField(
        label=_("Notes for the expert"),
        max_length=rules.MAX_LENGTH["notes"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["species"].choices = [("", _("— choose a species —"))] + species_choices()

    def clean_listing_url(self):
        try:
            value, self.normalized_url = rules.clean_listing_url(self.cleaned_data["listing_url"])
        except InvalidInput as exc:
            raise forms.ValidationError(exc.messages) from exc
        return value

    def clean_currency(self):
        return rules.clean_currency(self.cleaned_data.get("currency"))

    def clean(self):
        data = super().clean()
        species_id = data.get("species")
        data["species_obj"] = None
        if species_id:
            data["species_obj"] = Species.objects.filter(pk=species_id).first()
            if data["species_obj"] is None:
                self.add_error("species", _("Choose a species from the catalogue."))
        try:
            rules.clean_listing(data)
        except InvalidInput as exc:
            add_errors(self, exc)
        return data

    def listing_details(self) -> ListingDetails:
        data = {**self.cleaned_data, "species": self.cleaned_data["species_obj"]}
        return ListingDetails(
            listing_url=data["listing_url"],
            **{name: data[name] for name in LISTING_FIELDS if name in data},
        )


class ScreenshotsMixin(forms.Form):
    screenshots = ScreenshotsField(
        label=_("Screenshots"),
        required=False,
        # Empty files reach process_image, whose error names the file.
        allow_empty_file=True,
        help_text=_("1 to 5 JPEG, PNG or WebP images of the listing, showing its URL and date."),
    )
    min_screenshots = 1

    def existing_screenshots(self) -> int:
        return 0

    def clean_screenshots(self):
        files = self.cleaned_data.get("screenshots") or []
        try:
            processed = process_uploads(
                files, existing=self.existing_screenshots(), minimum=self.min_screenshots
            )
        except InvalidInput as exc:
            raise forms.ValidationError(exc.messages) from exc
        self.processed_images = [image for image, _name in processed]
        self.image_names = [name for _image, name in processed]
        return files


class SubmitReportForm(ScreenshotsMixin, ListingForm):
    field_order = ["listing_url", "listing_title", "species", "species_other", "product_type"]

    def __init__(self, *args, staged=(), **kwargs):
        # Screenshots kept from a failed submit (reports.staging): they count towards 1–5.
        self.staged = list(staged)
        super().__init__(*args, **kwargs)
        self.listing_check_attrs()

    def existing_screenshots(self) -> int:
        return len(self.staged)

    def listing_check_attrs(self) -> None:
        """While the URL is typed, ask whether the listing is already reported (htmx, debounced;
        the answer goes under the field, reports/listing_check.html)."""
        self.checks_listing = True
        self.fields["listing_url"].widget.attrs.update(
            {
                "hx-get": reverse("reports:listing_check"),
                "hx-trigger": "load, input changed delay:400ms, change",
                "hx-target": "#listing-check",
                "hx-sync": "this:replace",
                "aria-describedby": "listing-check",
            }
        )

    def staged_items(self):
        return [(row, staging.token(row)) for row in self.staged]


class ResubmitReportForm(ScreenshotsMixin, ListingForm):
    min_screenshots = 0

    def __init__(self, *args, report, **kwargs):
        self.report = report
        super().__init__(*args, **kwargs)
        self.fields["listing_url"].disabled = True

    def existing_screenshots(self) -> int:
        return self.report.evidence.count()


class ConfirmForm(forms.Form):
    species = forms.TypedChoiceField(
        label=_("Species (correct it if needed)"), coerce=int, empty_value=None, required=False
    )
    product_type = forms.ModelChoiceField(
        label=_("Product type (correct it if needed)"),
        queryset=ProductType.objects.all(),
        required=False,
        empty_label=_("— keep the reported product type —"),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["species"].choices = [
            ("", _("— keep the reported species —"))
        ] + species_choices()

    def clean(self):
        data = super().clean()
        data["note"] = clean_text(data.get("note"))
        data["species_obj"] = None
        if data.get("species"):
            data["species_obj"] = Species.objects.filter(pk=data["species"]).first()
        return data


# Irreversible decisions start with nothing chosen: the person must pick one on purpose.
CHOOSE = ("", _("Choose…"))


class CannedReplySelect(forms.Select):
    """Each option carries its reply's text (static/js/review.js puts it in the form's text
    box); the select names the text box it fills."""

    def __init__(self, *args, texts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.texts = texts or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        text = self.texts.get(str(value))
        if text:
            option["attrs"]["data-text"] = text
        return option


class CannedReplyMixin(forms.Form):
    """A select of the active canned replies of ``canned_kind`` in the expert's language.
    With JavaScript, choosing one fills the text box; without it, a chosen reply is used when
    the text box is left empty (``canned_text``)."""

    canned_kind = ""
    text_field = ""

    canned = forms.TypedChoiceField(
        label=_("Canned reply"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Fills the text below; you can still edit it."),
    )

    def __init__(self, *args, language=None, **kwargs):
        super().__init__(*args, **kwargs)
        replies = list(
            CannedReply.objects.filter(
                kind=self.canned_kind, language=language or get_language(), is_active=True
            ).only("pk", "title", "text")
        )
        self.replies = {reply.pk: reply for reply in replies}
        field = self.fields["canned"]
        if replies:
            field.widget = CannedReplySelect(
                texts={str(r.pk): r.text for r in replies},
                attrs={"data-canned-target": self.text_field},
            )
        else:
            field.widget = forms.HiddenInput()
        # After the widget: setting the choices hands them to it.
        field.choices = [("", _("— none —"))] + [(r.pk, r.title) for r in replies]

    def canned_text(self) -> str:
        reply = self.replies.get(self.cleaned_data.get("canned"))
        return reply.text if reply else ""

    def clean_canned(self):
        value = self.cleaned_data.get("canned")
        if value is not None and value not in self.replies:
            raise forms.ValidationError(_("Choose one of the listed replies."))
        return value


class RejectForm(CannedReplyMixin):
    canned_kind = CannedReplyKind.REJECTION
    text_field = "note"

    reason = forms.ChoiceField(label=_("Reason"), choices=[CHOOSE, *RejectionReason.choices])
    note = forms.CharField(
        label=_("Explanation for the volunteer"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["reason", "canned", "note"]

    def clean(self):
        data = super().clean()
        data["note"] = clean_text(data.get("note")) or (
            self.canned_text() if "canned" in data else ""
        )
        return data


class NeedsInfoForm(CannedReplyMixin):
    canned_kind = CannedReplyKind.NEEDS_INFO
    text_field = "message"

    message = forms.CharField(
        label=_("What is needed?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["canned", "message"]

    def clean(self):
        data = super().clean()
        data["message"] = clean_text(data.get("message")) or (
            self.canned_text() if "canned" in data else ""
        )
        if not data["message"] and "message" not in self.errors:
            self.add_error("message", _("Say what information is needed."))
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[CHOOSE, *Outcome.choices])
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        data["note"] = clean_text(data.get("note"))
        if data.get("outcome") == Outcome.OTHER and not data["note"]:
            self.add_error("note", _("Describe the outcome."))
        return data


class MergeForm(forms.Form):
    """The other report of the same listing, by its reference (reports.services.merge)."""

    other = forms.RegexField(
        label=_("Reference of the other report"),
        regex=r"^[A-Za-z0-9-]{1,20}$",
        max_length=20,
        error_messages={"invalid": _("Enter a report reference such as CS-0A1B2C3D4E.")},
        widget=forms.TextInput(attrs={"placeholder": "CS-", "autocomplete": "off"}),
    )

    def clean_other(self):
        return self.cleaned_data["other"].strip().upper()


class CompanySettingsForm(forms.Form):
    notice_language = forms.ChoiceField(
        label=_("Notice language"),
        choices=settings.LANGUAGES,
        help_text=_(
            "Notices, escalations, daily digests and evidence packages we send your company are "
            "written in this language."
        ),
    )
