"""Duplicates are found on the listing key when a URL has one, else on the normalised URL; the
form and the API store the key at submission, and migration 0008 backfills it."""

import importlib

import pytest
from django.apps import apps

from reports.models import Report, ReportStatus
from spotter.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ebay(db):
    return factories.make_company(slug="ebay", domains=("ebay.com", "ebay.co.uk"), name="eBay")


def test_another_url_shape_of_the_same_listing_is_a_duplicate(volunteer, other_volunteer, ebay):
    first = factories.make_report(volunteer, url="https://www.ebay.com/itm/256123456789")
    second = factories.make_report(
        other_volunteer, url="https://m.ebay.co.uk/itm/Carved-bangle/256123456789?var=2"
    )
    assert first.listing_key == second.listing_key == "ebay:256123456789"
    assert second.status == ReportStatus.DUPLICATE
    assert second.duplicate_of == first


def test_another_listing_on_the_same_platform_is_not(volunteer, other_volunteer, ebay):
    factories.make_report(volunteer, url="https://www.ebay.com/itm/256123456789")
    other = factories.make_report(other_volunteer, url="https://www.ebay.com/itm/256000000001")
    assert other.status == ReportStatus.SUBMITTED


def test_without_a_key_the_normalised_url_decides(volunteer, other_volunteer, company):
    first = factories.make_report(volunteer, url="https://www.example-shop.com/item/77")
    assert first.listing_key == ""
    second = factories.make_report(
        other_volunteer, url="https://WWW.example-shop.com/item/77?utm_source=x"
    )
    assert second.duplicate_of == first


def test_an_unkeyed_older_report_of_the_exact_url_still_counts(volunteer, other_volunteer, ebay):
    """A report saved before its platform had rules has no key: the same URL still matches."""
    first = factories.make_report(volunteer, url="https://www.ebay.com/itm/256123456789")
    Report.objects.filter(pk=first.pk).update(listing_key="")
    second = factories.make_report(other_volunteer, url="https://www.ebay.com/itm/256123456789")
    assert second.duplicate_of == first


def test_the_submit_form_stores_the_key(client_for, ebay, tmp_path):
    volunteer = factories.make_user(Role.VOLUNTEER)
    client = client_for(volunteer)
    species = factories.get_species()
    product_type = factories.get_product_type()
    shot = tmp_path / "shot.png"
    shot.write_bytes(factories.png_bytes())
    with shot.open("rb") as upload:
        response = client.post(
            "/reports/new/",
            {
                "listing_url": "https://www.ebay.co.uk/itm/Bangle/256123456789",
                "listing_title": "Bangle",
                "species": species.pk,
                "product_type": product_type.pk,
                "screenshots": upload,
            },
        )
    assert response.status_code == 302
    assert Report.objects.get().listing_key == "ebay:256123456789"


def test_migration_0008_backfills_existing_reports(volunteer, ebay):
    report = factories.make_report(volunteer, url="https://www.ebay.com/itm/x/256123456789")
    plain = factories.make_report(volunteer, url="https://www.example-shop.com/item/1")
    Report.objects.update(listing_key="")
    migration = importlib.import_module("reports.migrations.0008_listing_key")
    migration.backfill_listing_keys(apps, None)
    report.refresh_from_db()
    plain.refresh_from_db()
    assert report.listing_key == "ebay:256123456789"
    assert plain.listing_key == ""
