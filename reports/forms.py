from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from spotter.text import clean_text

from .evidence import ScreenshotsError, process_uploads
from .models import Outcome, ProductType, RejectionReason, Species
from .services import ListingDetails
from .urlnorm import MAX_URL_LENGTH, ListingURLError, normalize_listing_url

LANGUAGE_CHOICES = [
    ("", _("Not sure")),
    ("en", _("English")),
    ("zh", _("Chinese")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("de", _("German")),
    ("ja", _("Japanese")),
    ("vi", _("Vietnamese")),
    ("th", _("Thai")),
    ("id", _("Indonesian")),
    ("sw", _("Swahili")),
    ("other", _("Other")),
]


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScreenshotsField(forms.FileField):
    widget = MultipleImageInput(attrs={"accept": "image/png,image/jpeg,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(ScreenshotsField, self).clean(item, initial) for item in files]


def species_choices():
    choices = []
    current_group = None
    group_name = ""
    group_items: list[tuple[str, str]] = []
    for species in Species.objects.select_related("group").order_by(
        "group__order", "common_name_en"
    ):
        if species.group_id != current_group:
            if group_items:
                choices.append((group_name, group_items))
            current_group = species.group_id
            group_name = str(species.group)
            group_items = []
        group_items.append(
            (str(species.pk), f"{species.common_name_en} — {species.scientific_name}")
        )
    if group_items:
        choices.append((group_name, group_items))
    return choices


class ListingForm(forms.Form):
    """The listing details shared by submit and resubmit (needs-info) forms."""

    listing_url = forms.CharField(
        label=_("Listing URL"),
        max_length=MAX_URL_LENGTH,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
    )
    listing_title = forms.CharField(label=_("Listing title"), max_length=300)
    species = forms.TypedChoiceField(
        label=_("Species"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Choose from the catalogue, or leave empty and describe it below."),
    )
    species_other = forms.CharField(
        label=_("Unknown / other species"),
        max_length=200,
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
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    listing_language = forms.ChoiceField(
        label=_("Listing language"), choices=LANGUAGE_CHOICES, required=False
    )
    price = forms.DecimalField(
        label=_("Price"), required=False, min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    currency = forms.RegexField(
        label=_("Currency"),
        regex=r"^[A-Za-z]{3}$",
        required=False,
        max_length=3,
        error_messages={"invalid": _("Use a three-letter currency code such as USD, CNY or EUR.")},
    )
    seller_handle = forms.CharField(label=_("Seller handle"), max_length=150, required=False)
    quantity = forms.IntegerField(
        label=_("Quantity"), required=False, min_value=1, max_value=1_000_000
    )
    listing_location = forms.CharField(label=_("Location shown"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes for the expert"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    single_line_fields = ("listing_title", "species_other", "seller_handle", "listing_location")
    multi_line_fields = ("listing_text", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["species"].choices = [("", _("— choose a species —"))] + species_choices()

    def clean_listing_url(self):
        value = self.cleaned_data["listing_url"].strip()
        try:
            self.normalized_url = normalize_listing_url(value)
        except ListingURLError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").upper()

    def clean(self):
        data = super().clean()
        for name in self.single_line_fields:
            if name in data:
                data[name] = clean_text(data[name], multiline=False)
        for name in self.multi_line_fields:
            if name in data:
                data[name] = clean_text(data[name])
        if "listing_title" in data and not data["listing_title"]:
            self.add_error("listing_title", _("This field is required."))
        species_id = data.get("species")
        data["species_obj"] = None
        if species_id:
            data["species_obj"] = Species.objects.filter(pk=species_id).first()
            if data["species_obj"] is None:
                self.add_error("species", _("Choose a species from the catalogue."))
        elif not data.get("species_other"):
            self.add_error(
                "species_other",
                _("Choose a species, or describe it here if it is unknown or not listed."),
            )
        if data.get("price") is not None and not data.get("currency"):
            self.add_error("currency", _("Give the currency of the price."))
        return data

    def listing_details(self) -> ListingDetails:
        data = self.cleaned_data
        return ListingDetails(
            listing_url=data["listing_url"],
            listing_title=data["listing_title"],
            product_type=data["product_type"],
            species=data["species_obj"],
            species_other=data.get("species_other", ""),
            listing_text=data.get("listing_text", ""),
            listing_language=data.get("listing_language", ""),
            price=data.get("price"),
            currency=data.get("currency", ""),
            seller_handle=data.get("seller_handle", ""),
            quantity=data.get("quantity"),
            listing_location=data.get("listing_location", ""),
            notes=data.get("notes", ""),
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
        except ScreenshotsError as exc:
            raise forms.ValidationError(exc.messages) from exc
        self.processed_images = [image for image, _name in processed]
        self.image_names = [name for _image, name in processed]
        return files


class SubmitReportForm(ScreenshotsMixin, ListingForm):
    field_order = ["listing_url", "listing_title", "species", "species_other", "product_type"]


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


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    note = forms.CharField(
        label=_("Explanation for the volunteer"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_note(self):
        return clean_text(self.cleaned_data.get("note"))


class NeedsInfoForm(forms.Form):
    message = forms.CharField(
        label=_("What is needed?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_message(self):
        value = clean_text(self.cleaned_data.get("message"))
        if not value:
            raise forms.ValidationError(_("Say what information is needed."))
        return value


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        data["note"] = clean_text(data.get("note"))
        if data.get("outcome") == Outcome.OTHER and not data["note"]:
            self.add_error("note", _("Describe the outcome."))
        return data
