"""A CSV import with errors, in headless Chromium, as an expert of a monitoring team."""

import pytest

from intake.models import BatchStatus, ImportBatch
from reports.models import Report
from spotter.models import Role
from tests import factories
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "url,title,Animal,product type,price,currency,seller\n"
    "https://www.example-shop.com/item/1,Pangolin scales 500 g,Manis pentadactyla,scales,120,USD,"
    "s1\n"
    "ftp://bad.example.com/2,Tiger claw,Manis pentadactyla,scales,,,s2\n"
    "https://www.example-shop.com/item/3,Dragon scales,Dragon,scales,,,s3\n"
    "https://www.example-shop.com/item/4,Scales in bulk,Chinese pangolin,scales,80,EUR,s4\n"
)


def test_expert_imports_a_csv_with_errors(live_server, page, tmp_path):
    base = live_server.url
    factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    factories.get_species()
    factories.get_product_type("scales")
    expert = factories.make_user(Role.EXPERT, email="monitor@example.org")
    upload = tmp_path / "traffic-listings.csv"
    upload.write_text(CSV, encoding="utf-8")

    login(page, base, expert.email)
    page.click("nav >> text=Bulk import")
    page.click("text=Upload a file")
    page.set_input_files("#id_file", str(upload))
    page.click("button:has-text('Upload and check')")

    # The mapping step: "Animal" was not recognised; the expert picks it for the species.
    page.wait_for_selector("h1:has-text('Match the columns')")
    assert page.input_value("#id_species") == ""
    assert page.input_value("#id_listing_url") == "0"
    page.select_option("#id_species", label="3. Animal")
    page.click("button:has-text('Save and check the rows')")

    # The preview lists each bad row with its field and message.
    page.wait_for_selector("h1:has-text('Import preview')")
    assert "4 rows: 2 valid, 2 with errors." in page.inner_text("[data-testid=summary]")
    errors = page.inner_text("[data-testid=row-errors]")
    assert "Listing URL" in errors and "Only http:// and https://" in errors
    assert "Species" in errors and "Unknown species: “Dragon”" in errors

    page.click("[data-testid=import]")
    page.wait_for_selector("[data-testid=status][data-status=done]")
    assert "Done: 2 reports created." in page.inner_text("[data-testid=status]")
    reports = page.inner_text("[data-testid=new-reports]")
    assert "Pangolin scales 500 g" in reports and "Scales in bulk" in reports
    assert "Dragon" not in reports

    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.DONE and batch.imported_rows == 2
    assert set(Report.objects.values_list("listing_title", flat=True)) == {
        "Pangolin scales 500 g",
        "Scales in bulk",
    }
    # The list of my imports shows it.
    page.click("text=Bulk imports")
    assert "traffic-listings.csv" in page.inner_text("[data-testid=batches]")
