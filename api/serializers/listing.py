"""Input of a report (create, and edit while more information is needed).

The limits and rules are reports.validation's, the same as the submit form's: URL
normalisation, text cleaning, species-or-description, price needs a currency, and the evidence
processing; every refusal names its field."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from reports import validation as rules
from reports.evidence import process_uploads
from reports.models import ProductType, Report, Species
from reports.validation import LANGUAGE_CHOICES, LISTING_FIELDS, ListingDetails
from spotter.errors import InvalidInput

from ..exceptions import validation_error
from .fields import SafePrimaryKeyRelatedField, SafeSlugRelatedField


class ScreenshotsField(serializers.ListField):
    child = serializers.FileField(allow_empty_file=True, use_url=False)


class ListingInputSerializer(serializers.Serializer):
    listing_url = serializers.CharField(
        max_length=rules.MAX_LENGTH["listing_url"],
        help_text="The listing's http(s) address; it is normalised and routed by its domain.",
    )
    listing_title = serializers.CharField(max_length=rules.MAX_LENGTH["listing_title"])
    species = SafePrimaryKeyRelatedField(
        queryset=Species.objects.all(),
        allow_null=True,
        required=False,
        help_text="Species id from /api/v1/species/; or leave empty and fill species_other.",
    )
    species_other = serializers.CharField(
        max_length=rules.MAX_LENGTH["species_other"], required=False, allow_blank=True, default=""
    )
    product_type = SafeSlugRelatedField(
        slug_field="slug", queryset=ProductType.objects.all(), help_text="Product type slug."
    )
    listing_text = serializers.CharField(
        max_length=rules.MAX_LENGTH["listing_text"], required=False, allow_blank=True, default=""
    )
    listing_language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES, required=False, allow_blank=True, default=""
    )
    price = serializers.DecimalField(
        max_digits=rules.PRICE_MAX_DIGITS,
        decimal_places=rules.PRICE_DECIMAL_PLACES,
        min_value=rules.PRICE_MIN,
        required=False,
        allow_null=True,
        default=None,
    )
    currency = serializers.RegexField(
        rules.CURRENCY_REGEX,
        max_length=rules.MAX_LENGTH["currency"],
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid": rules.CURRENCY_INVALID},
    )
    seller_handle = serializers.CharField(
        max_length=rules.MAX_LENGTH["seller_handle"], required=False, allow_blank=True, default=""
    )
    quantity = serializers.IntegerField(
        min_value=rules.QUANTITY_MIN,
        max_value=rules.QUANTITY_MAX,
        required=False,
        allow_null=True,
        default=None,
    )
    listing_location = serializers.CharField(
        max_length=rules.MAX_LENGTH["listing_location"],
        required=False,
        allow_blank=True,
        default="",
    )
    notes = serializers.CharField(
        max_length=rules.MAX_LENGTH["notes"], required=False, allow_blank=True, default=""
    )
    screenshots = ScreenshotsField(
        help_text="1 to 5 JPEG, PNG or WebP screenshots of the listing (repeat the field).",
    )

    min_screenshots = 1

    def existing_screenshots(self) -> int:
        return 0

    def validate_listing_url(self, value: str) -> str:
        try:
            value, _normalized = rules.clean_listing_url(value)
        except InvalidInput as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return value

    def validate_currency(self, value: str) -> str:
        return rules.clean_currency(value)

    def validate_screenshots(self, files):
        try:
            return process_uploads(
                files, existing=self.existing_screenshots(), minimum=self.min_screenshots
            )
        except InvalidInput as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def current(self) -> dict | None:
        """The listing's values before this request (an edit starts from the report's)."""
        return None

    def validate(self, attrs):
        try:
            return rules.clean_listing(attrs, current=self.current())
        except InvalidInput as exc:
            raise validation_error(exc) from exc

    def listing_details(self, report: Report | None = None) -> ListingDetails:
        values = {**(self.current() or {}), **self.validated_data}
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

    def current(self) -> dict | None:
        report = self.context["report"]
        return {name: getattr(report, name) for name in LISTING_FIELDS}
