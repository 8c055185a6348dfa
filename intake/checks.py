"""Each row of a batch checked with the report form's and the API's own rules
(reports.validation, reports.urlnorm), plus what only a spreadsheet needs: names of species,
product types and languages as text, numbers and dates as text, duplicates within the file
and against the open reports (reports.listings.same_listing, the submission's rule).

``check_rows`` answers for every row: the cleaned values (JSON: ids for species and product
type, the price as text) or the errors, each ``{"field", "message"}``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports import validation as rules
from reports.models import OPEN_STATUSES, ProductType, Report, Species
from reports.urlnorm import NormalizedURL
from spotter.errors import InvalidInput

from .mapping import header_key

TEXT_FIELDS = (
    "listing_title",
    "seller_handle",
    "listing_location",
    "listing_text",
    "notes",
)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y年%m月%d日")
LOOKUP_CHUNK = 400  # URLs per duplicate query (SQLite's parameter limit)


def _key(text: str) -> str:
    return header_key(text)


@dataclass
class Lookups:
    """Names → ids, loaded once per batch (three queries, whatever the file's size)."""

    species: dict[str, int] = field(default_factory=dict)
    product_types: dict[str, int] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lookups:
        found = cls()
        for sp in Species.objects.only(
            "id", "scientific_name", "common_name_en", "common_name_fr", "common_name_zh"
        ):
            for name in (
                sp.scientific_name,
                sp.common_name_en,
                sp.common_name_fr,
                sp.common_name_zh,
            ):
                if name:
                    found.species.setdefault(_key(name), sp.pk)
        for product in ProductType.objects.all():
            for name in (product.slug, product.name, product.name_fr, product.name_zh):
                if not name:
                    continue
                found.product_types.setdefault(_key(name), product.pk)
                for part in name.split("/"):  # "Ivory / carving": "ivory" and "carving" too
                    if part.strip():
                        found.product_types.setdefault(_key(part), product.pk)
        for code, label in rules.LANGUAGE_CHOICES:
            if not code:
                continue
            found.languages[_key(code)] = code
            for language in ("en", "fr", "zh-hans"):
                with translation.override(language):
                    found.languages.setdefault(_key(str(label)), code)
        found.languages.update({_key("中文"): "zh", _key("汉语"): "zh", _key("français"): "fr"})
        return found


@dataclass
class RowResult:
    number: int
    values: dict = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    normalized: NormalizedURL | None = None

    def error(self, name: str, message: str) -> None:
        self.errors.append({"field": name, "message": str(message)})

    def refuse(self, exc: InvalidInput) -> None:
        for name, messages in exc.errors.items():
            for message in messages:
                self.error(name or "row", message)


def _decimal(text: str) -> Decimal:
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # 12,50 (French)
    cleaned = cleaned.replace(",", "")  # 1,200.00
    return Decimal(cleaned)


def _date(text: str) -> datetime.date:
    text = text.strip()[:10] if "T" in text[:11] else text.strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def check_row(
    number: int, cells: list[str], mapping: dict[str, int], lookups: Lookups
) -> RowResult:
    result = RowResult(number=number)

    def cell(name: str) -> str:
        index = mapping.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    values: dict = {}
    try:
        values["listing_url"], result.normalized = rules.clean_listing_url(cell("listing_url"))
    except InvalidInput as exc:
        result.refuse(exc)
    for name in TEXT_FIELDS:
        text = cell(name)
        if len(text) > rules.MAX_LENGTH[name]:
            result.error(
                name,
                _("At most %(max)d characters (this one has %(n)d).")
                % {"max": rules.MAX_LENGTH[name], "n": len(text)},
            )
        values[name] = text
    species_name = cell("species")
    if species_name:
        species_id = lookups.species.get(_key(species_name))
        if species_id is None:
            result.error(
                "species", _("Unknown species: “%(name)s”.") % {"name": species_name[:100]}
            )
        values["species"] = species_id
    else:
        values["species"] = None
    product_name = cell("product_type")
    if not product_name:
        result.error("product_type", _("This field is required."))
    else:
        product_id = lookups.product_types.get(_key(product_name))
        if product_id is None:
            result.error(
                "product_type",
                _("Unknown product type: “%(name)s”.") % {"name": product_name[:100]},
            )
        values["product_type"] = product_id
    price = cell("price")
    values["price"] = None
    if price:
        try:
            amount = _decimal(price)
            if not amount.is_finite() or amount < rules.PRICE_MIN:
                raise InvalidOperation
            amount = amount.quantize(Decimal(1).scaleb(-rules.PRICE_DECIMAL_PLACES))
            if len(amount.as_tuple().digits) > rules.PRICE_MAX_DIGITS:
                raise InvalidOperation
            values["price"] = amount
        except (InvalidOperation, ValueError):
            result.error("price", _("Enter a number such as 120 or 120.50."))
    currency = rules.clean_currency(cell("currency"))
    if currency and (len(currency) != 3 or not currency.isascii() or not currency.isalpha()):
        result.error("currency", str(rules.CURRENCY_INVALID))
    values["currency"] = currency
    quantity = cell("quantity")
    values["quantity"] = None
    if quantity:
        try:
            count = int(_decimal(quantity))
            if not rules.QUANTITY_MIN <= count <= rules.QUANTITY_MAX:
                raise ValueError
            values["quantity"] = count
        except (InvalidOperation, ValueError):
            result.error(
                "quantity",
                _("Enter a whole number from %(min)d to %(max)d.")
                % {"min": rules.QUANTITY_MIN, "max": rules.QUANTITY_MAX},
            )
    language = cell("listing_language")
    values["listing_language"] = ""
    if language:
        code = lookups.languages.get(_key(language))
        if code is None:
            result.error(
                "listing_language", _("Unknown language: “%(name)s”.") % {"name": language[:50]}
            )
        else:
            values["listing_language"] = code
    observed = cell("observed_on")
    values["observed_on"] = ""
    if observed:
        try:
            day = _date(observed)
            if day > timezone.localdate():
                result.error("observed_on", _("The date is in the future."))
            values["observed_on"] = day.isoformat()
        except ValueError:
            result.error("observed_on", _("Enter a date such as 2026-03-31 or 31/03/2026."))
    values["species_other"] = ""
    # The form's and the API's rules across fields (title required, a species, a currency
    # with a price), and their text cleaning.
    try:
        rules.clean_listing(values)
    except InvalidInput as exc:
        for name, messages in exc.errors.items():
            if name == "species_other":  # the form's "or describe it" has no column here
                if not any(e["field"] == "species" for e in result.errors):
                    result.error("species", _("Give the species (scientific or common name)."))
                continue
            for message in messages:
                result.error(name or "row", message)
    if values["price"] is not None:
        values["price"] = str(values["price"])
    result.values = values
    return result


def listing_of(normalized: NormalizedURL) -> str:
    """What two rows of one listing share (the submission's rule: key, else normalised URL)."""
    return normalized.listing_key or normalized.url


def mark_duplicates(results: list[RowResult]) -> None:
    """Rows of one listing within the file, and rows whose listing has an open report."""
    first_row: dict[str, int] = {}
    for result in results:
        if result.normalized is None:
            continue
        for key in {listing_of(result.normalized), result.normalized.url}:
            if key in first_row:
                result.error(
                    "listing_url",
                    _("The same listing as row %(row)d of this file.") % {"row": first_row[key]},
                )
                break
        else:
            first_row[listing_of(result.normalized)] = result.number
            first_row[result.normalized.url] = result.number
    with_url = [r for r in results if r.normalized is not None]
    for start in range(0, len(with_url), LOOKUP_CHUNK):
        chunk = with_url[start : start + LOOKUP_CHUNK]
        urls = {r.normalized.url for r in chunk}
        keys = {r.normalized.listing_key for r in chunk if r.normalized.listing_key}
        condition = Q(normalized_url__in=urls)
        if keys:
            condition |= Q(listing_key__in=keys)
        open_reports: dict[str, str] = {}
        for url, key, reference in (
            Report.objects.filter(condition, status__in=OPEN_STATUSES)
            .order_by("submitted_at", "pk")
            .values_list("normalized_url", "listing_key", "reference")
        ):
            open_reports.setdefault(url, reference)
            if key:
                open_reports.setdefault(key, reference)
        for result in chunk:
            reference = open_reports.get(result.normalized.url) or (
                open_reports.get(result.normalized.listing_key)
                if result.normalized.listing_key
                else None
            )
            if reference:
                result.error(
                    "listing_url",
                    _("This listing already has an open report (%(reference)s).")
                    % {"reference": reference},
                )


def check_rows(
    numbered_rows: list[tuple[int, list[str]]], mapping: dict[str, int]
) -> list[RowResult]:
    lookups = Lookups.load()
    results = [check_row(number, cells, mapping, lookups) for number, cells in numbered_rows]
    mark_duplicates(results)
    return results
