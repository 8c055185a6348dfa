import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from api.tokens import create_token
from tests import factories


@pytest.fixture
def api_for(db):
    """api_for(user) -> an APIClient sending that user's personal token (None: anonymous)."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            _token, raw = create_token(user=user, name="tests")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return make


@pytest.fixture
def species(db):
    return factories.get_species()


@pytest.fixture
def product_type(db):
    return factories.get_product_type("scales")


def screenshot(name="shot.png", data=None):
    return SimpleUploadedFile(name, data or factories.png_bytes(), content_type="image/png")


def report_form(species=None, url="https://www.example-shop.com/item/77", shots=1, **extra):
    data = {
        "listing_url": url,
        "listing_title": "Carved bangle, white gold",
        "product_type": "scales",
        "listing_text": "real, not resin",
        "price": "450",
        "currency": "usd",
        "seller_handle": "gx_antiques",
        "quantity": "1",
        "screenshots": [screenshot(f"shot{i}.png") for i in range(shots)],
    }
    if species is not None:
        data["species"] = str(species.pk)
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def fields(response) -> dict:
    """{field: [codes]} of an error response, checking the shape on the way."""
    body = response.json()
    assert set(body) == {"errors"}, body
    out: dict = {}
    for error in body["errors"]:
        assert set(error) == {"field", "code", "message"}, error
        assert error["message"]
        out.setdefault(error["field"], []).append(error["code"])
    return out
