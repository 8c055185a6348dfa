"""The one validation path of a listing, for the submit/resubmit forms and the API alike.

The fields of a listing, their limits and the rules across fields live here once. The form
(reports.forms.ListingForm) and the serializer (api.serializers.listing) declare their fields
from these limits, check types with their own framework, then call ``clean_listing_url`` and
``clean_listing``. Those raise ``spotter.errors.InvalidInput`` naming the field: the form turns
it into form errors on that field, the API into a 400 naming it. Screenshots are checked by
``reports.evidence.process_uploads`` (count, sizes, content), which both doors call too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from spotter.errors import InvalidInput
from spotter.text import clean_text

from .models import ProductType, Species
from .urlnorm import MAX_URL_LENGTH, NormalizedURL, normalize_listing_url

# What the volunteer may give or change about a listing besides its URL (the URL identifies the
# listing and never changes once reported). Models, forms, serializer and services use this.
LISTING_FIELDS = (
    "listing_title",
    "product_type",
    "species",
    "species_other",
    "listing_text",
    "listing_language",
    "price",
    "currency",
    "seller_handle",
    "quantity",
    "listing_location",
    "notes",
)
SINGLE_LINE_FIELDS = ("listing_title", "species_other", "seller_handle", "listing_location")
MULTI_LINE_FIELDS = ("listing_text", "notes")
MAX_LENGTH = {
    "listing_url": MAX_URL_LENGTH,
    "listing_title": 300,
    "species_other": 200,
    "listing_text": 10000,
    "currency": 3,
    "seller_handle": 150,
    "listing_location": 200,
    "notes": 5000,
}
PRICE_MAX_DIGITS = 14
PRICE_DECIMAL_PLACES = 2
PRICE_MIN = Decimal("0")
QUANTITY_MIN = 1
QUANTITY_MAX = 1_000_000
CURRENCY_REGEX = r"^[A-Za-z]{3}$"
CURRENCY_INVALID = gettext_lazy("Use a three-letter currency code such as USD, CNY or EUR.")

LANGUAGE_CHOICES = [
    ("", gettext_lazy("Not sure")),
    ("en", gettext_lazy("English")),
    ("zh", gettext_lazy("Chinese")),
    ("fr", gettext_lazy("French")),
    ("es", gettext_lazy("Spanish")),
    ("pt", gettext_lazy("Portuguese")),
    ("de", gettext_lazy("German")),
    ("ja", gettext_lazy("Japanese")),
    ("vi", gettext_lazy("Vietnamese")),
    ("th", gettext_lazy("Thai")),
    ("id", gettext_lazy("Indonesian")),
    ("sw", gettext_lazy("Swahili")),
    ("other", gettext_lazy("Other")),
]


@dataclass
class ListingDetails:
    """What a volunteer tells us about a listing (already validated by ``clean_listing``)."""

    listing_url: str
    listing_title: str
    product_type: ProductType
    species: Species | None = None
    species_other: str = ""
    listing_text: str = ""
    listing_language: str = ""
    price: Decimal | None = None
    currency: str = ""
    seller_handle: str = ""
    quantity: int | None = None
    listing_location: str = ""
    notes: str = ""


def clean_listing_url(value: str) -> tuple[str, NormalizedURL]:
    """The URL as given (trimmed) and its normalised form; ``InvalidInput`` on
    ``listing_url`` says what is wrong with it."""
    value = (value or "").strip()
    return value, normalize_listing_url(value)


def clean_currency(value: str | None) -> str:
    return (value or "").upper()


def clean_listing(data: dict, *, current: dict | None = None) -> dict:
    """Clean the text fields present in ``data`` (in place) and check the rules across fields
    on the values the listing will have: ``current`` (an edit starts from the report's values)
    updated with ``data``. Only the truth of ``species`` matters here (an id or an object).

    Every problem is reported at once, each on its field, as one ``InvalidInput``."""
    for name in SINGLE_LINE_FIELDS:
        if name in data:
            data[name] = clean_text(data[name], multiline=False)
    for name in MULTI_LINE_FIELDS:
        if name in data:
            data[name] = clean_text(data[name])
    values = {**(current or {}), **{k: v for k, v in data.items() if k in LISTING_FIELDS}}
    problems = []
    if "listing_title" in data and not data["listing_title"]:
        problems.append(InvalidInput(_("This field is required."), field="listing_title"))
    if not values.get("species") and not values.get("species_other"):
        problems.append(
            InvalidInput(
                _("Choose a species, or describe it here if it is unknown or not listed."),
                field="species_other",
            )
        )
    if values.get("price") is not None and not values.get("currency"):
        problems.append(InvalidInput(_("Give the currency of the price."), field="currency"))
    if problems:
        raise InvalidInput.combine(problems)
    return data
