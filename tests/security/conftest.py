"""Fixtures for the security tests: a report travelling through every role, and form helpers."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import services
from spotter.models import Role
from tests import factories

MFA_ROLES = ["expert", "company_staff", "admin"]


@pytest.fixture
def forwarded(volunteer, expert, company):
    """A report of ``volunteer`` confirmed by ``expert`` and forwarded to ``company``."""
    return factories.make_confirmed_report(volunteer=volunteer, expert=expert)


@pytest.fixture
def needs_info_report(volunteer, expert, company):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    return services.request_info(report=report, expert=expert, message="Add the seller page.")


@pytest.fixture
def mfa_required(settings):
    """Two-factor authentication required as in production (tests/conftest.py turns it off)."""
    settings.MFA_REQUIRED_ROLES = list(MFA_ROLES)
    return settings


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def listing_form(url: str = "https://www.example-shop.com/item/42", **overrides) -> dict:
    """POST data of the submit form (a valid listing; screenshots added by the caller)."""
    data = {
        "listing_url": url,
        "listing_title": "Pangolin scales 500 g",
        "species": str(factories.get_species().pk),
        "species_other": "",
        "product_type": str(factories.get_product_type().pk),
        "listing_text": "Genuine scales, bulk discount",
        "listing_language": "en",
        "price": "120.00",
        "currency": "USD",
        "seller_handle": "seller_x",
        "quantity": "1",
        "listing_location": "Lagos",
        "notes": "Seen twice this week",
    }
    data.update(overrides)
    return data


def make_staff_pair():
    """Two companies with one staff member each (for tests not using the shared fixtures)."""
    one = factories.make_company()
    two = factories.make_company(domains=())
    return (
        factories.make_user(Role.COMPANY_STAFF, company=one),
        factories.make_user(Role.COMPANY_STAFF, company=two),
    )
