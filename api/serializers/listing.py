"""Input of a report (create, and edit while more information is needed).

The rules are the submit form's (reports.forms.ListingForm): the same URL normalisation, text
cleaning, species-or-description rule, currency rule and evidence processing, with errors
naming the field."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from rest_framework import serializers

from reports.evidence import ScreenshotsError, process_uploads
from reports.forms import LANGUAGE_CHOICES
from reports.models import ProductType, Report, Species
from reports.services import LISTING_FIELDS, ListingDetails
from reports.urlnorm import MAX_URL_LENGTH, ListingURLError, normalize_listing_url
from spotter.text import clean_text

from .fields import SafePrimaryKeyRelatedField, SafeSlugRelatedField

SINGLE_LINE = ("listing_title", "species_other", "seller_handle", "listing_location")
MULTI_LINE = ("listing_text", "notes")


class ScreenshotsField(serializers.ListField):
    child = serializers.FileField(allow_empty_file=True, use_url=False)


class ListingInputSerializer(serializers.Serializer):
    listing_url = serializers.CharField(
        max_length=MAX_URL_LENGTH,
        help_text="The listing's http(s) address; it is normalised and routed by its domain.",
    )
    listing_title = serializers.CharField(max_length=300)
    species = SafePrimaryKeyRelatedField(
        queryset=Species.objects.all(),
        allow_null=True,
        required=False,
        help_text="Species id from /api/v1/species/; or leave empty and fill species_other.",
    )
    species_other = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    product_type = SafeSlugRelatedField(
        slug_field="slug", queryset=ProductType.objects.all(), help_text="Product type slug."
    )
    listing_text = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, default=""
    )
    listing_language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES, required=False, allow_blank=True, default=""
    )
    price = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        default=None,
    )
    currency = serializers.RegexField(
        r"^[A-Za-z]{3}$",
        max_length=3,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid": _("Use a three-letter currency code such as USD, CNY or EUR.")},
    )
    seller_handle = serializers.CharField(
        max_length=150, required=False, allow_blank=True, default=""
    )
    quantity = serializers.IntegerField(
        min_value=1, max_value=1_000_000, required=False, allow_null=True, default=None
    )
    listing_location = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    screenshots = ScreenshotsField(
        help_text="1 to 5 JPEG, PNG or WebP screenshots of the listing (repeat the field).",
    )

    min_screenshots = 1

    def existing_screenshots(self) -> int:
        return 0

    def validate_listing_url(self, value: str) -> str:
        value = value.strip()
        try:
            normalize_listing_url(value)
        except ListingURLError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return value

    def validate_currency(self, value: str) -> str:
        return (value or "").upper()

    def validate_screenshots(self, files):
        try:
            return process_uploads(
                files, existing=self.existing_screenshots(), minimum=self.min_screenshots
            )
        except ScreenshotsError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def merged(self, attrs: dict) -> dict:
        """The values the report will have (edits start from the report's current values)."""
        return attrs

    def validate(self, attrs):
        for name in SINGLE_LINE:
            if name in attrs:
                attrs[name] = clean_text(attrs[name], multiline=False)
        for name in MULTI_LINE:
            if name in attrs:
                attrs[name] = clean_text(attrs[name])
        if "listing_title" in attrs and not attrs["listing_title"]:
            raise serializers.ValidationError({"listing_title": _("This field is required.")})
        values = self.merged(attrs)
        errors = {}
        if not values.get("species") and not values.get("species_other"):
            errors["species_other"] = _(
                "Choose a species, or describe it here if it is unknown or not listed."
            )
        if values.get("price") is not None and not values.get("currency"):
            errors["currency"] = _("Give the currency of the price.")
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def listing_details(self, report: Report | None = None) -> ListingDetails:
        values = self.merged(dict(self.validated_data))
        url = report.listing_url if report is not None else values["listing_url"]
        return ListingDetails(
            listing_url=url, **{name: values.get(name) for name in LISTING_FIELDS}
        )

    def images(self) -> tuple[list, list[str]]:
        pairs = self.validated_data.get("screenshots") or []
        return [image for image, _name in pairs], [name for _image, name in pairs]


class ReportCreateSerializer(ListingInputSerializer):
    """A new report: the listing fields plus `screenshots` (repeat the field)."""


class ReportEditSerializer(ListingInputSerializer):
    """Answer a needs-info request: change any listing field (not the URL), add screenshots."""

    listing_url = None  # the URL identifies the listing and cannot change
    screenshots = ScreenshotsField(
        required=False,
        help_text="Screenshots to add (the report holds at most 5).",
    )
    min_screenshots = 0

    def existing_screenshots(self) -> int:
        return self.context["report"].evidence.count()

    def validate(self, attrs):
        if "listing_url" in self.initial_data:
            raise serializers.ValidationError(
                {"listing_url": _("The listing URL cannot be changed; withdraw and report again.")}
            )
        return super().validate(attrs)

    def merged(self, attrs: dict) -> dict:
        report = self.context["report"]
        current = {name: getattr(report, name) for name in LISTING_FIELDS}
        current.update({k: v for k, v in attrs.items() if k in LISTING_FIELDS})
        return current
