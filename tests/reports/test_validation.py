"""One validation path: the submit form and the API use reports.validation's fields, limits
and rules, and refuse the same input with the same messages on the same fields."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from api.serializers.listing import ReportCreateSerializer, ReportEditSerializer
from api.tokens import create_token
from reports import validation
from reports.forms import ListingForm, SubmitReportForm
from reports.validation import LISTING_FIELDS, MAX_LENGTH, clean_listing, clean_listing_url
from spotter.errors import InvalidInput
from tests import factories

pytestmark = pytest.mark.django_db


def test_form_and_serializers_derive_from_the_one_field_list():
    form = ListingForm()
    assert set(form.fields) == {"listing_url", *LISTING_FIELDS}
    create = ReportCreateSerializer().fields
    assert set(create) == {"listing_url", *LISTING_FIELDS, "screenshots"}
    edit = ReportEditSerializer(context={"report": None}).fields
    assert set(edit) == {*LISTING_FIELDS, "screenshots"}
    for name, limit in MAX_LENGTH.items():
        assert form.fields[name].max_length == create[name].max_length == limit, name


def test_clean_listing_names_every_problem_on_its_field():
    data = {"listing_title": "\u202e", "species_other": "  ", "price": Decimal("5")}
    with pytest.raises(InvalidInput) as refused:
        clean_listing(data)
    assert set(refused.value.errors) == {"listing_title", "species_other", "currency"}
    assert data["species_other"] == ""  # cleaned in place


def test_an_edit_is_checked_on_the_values_the_listing_will_have():
    current = {"species": None, "species_other": "Some pangolin?", "currency": "USD"}
    clean_listing({"price": Decimal("5")}, current=current)  # currency and species kept
    with pytest.raises(InvalidInput) as refused:
        clean_listing({"species_other": ""}, current=current)
    assert list(refused.value.errors) == ["species_other"]


def test_url_errors_name_the_url_field():
    with pytest.raises(InvalidInput) as refused:
        clean_listing_url("javascript:alert(1)")
    assert refused.value.field == "listing_url"
    assert clean_listing_url("  https://www.example-shop.com/i/1 ")[0] == (
        "https://www.example-shop.com/i/1"
    )


BAD = {
    "listing_url": "https://www.example-shop.com/item/9",
    "listing_title": "\u202e",
    "listing_text": "",
    "price": "5",
    "currency": "",
}


def test_form_and_api_refuse_the_same_input_the_same_way(volunteer):
    product = factories.get_product_type()
    form = SubmitReportForm(
        {**BAD, "product_type": str(product.pk)},
        {"screenshots": [SimpleUploadedFile("s.png", factories.png_bytes())]},
    )
    assert not form.is_valid()
    form_errors = {name: list(messages) for name, messages in form.errors.items()}

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {create_token(user=volunteer, name='t')[1]}")
    response = client.post(
        reverse("api:report-list"),
        {
            **BAD,
            "product_type": product.slug,
            "screenshots": [SimpleUploadedFile("s.png", factories.png_bytes())],
        },
        format="multipart",
    )
    assert response.status_code == 400
    api_errors: dict = {}
    for error in response.json()["errors"]:
        api_errors.setdefault(error["field"], []).append(error["message"])
    assert (
        form_errors
        == api_errors
        == {
            "listing_title": ["This field is required."],
            "species_other": [
                "Choose a species, or describe it here if it is unknown or not listed."
            ],
            "currency": ["Give the currency of the price."],
        }
    )


def test_language_choices_are_shared():
    assert ListingForm.base_fields["listing_language"].choices == validation.LANGUAGE_CHOICES
