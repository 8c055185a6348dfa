"""The import job: reports with the right fields and events, idempotent, resumable."""

from decimal import Decimal

import pytest

from intake import services
from intake.models import BatchStatus, ImportRow, RowStatus
from reports import events
from reports.models import Report, ReportStatus
from spotter.models import AuditEvent

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db

GOOD = (
    "https://www.ebay.com/itm/123456789012,Pangolin scales 500g,Manis pentadactyla,scales,"
    "120,usd,seller_a,first",
    "https://shop.example.com/item/2,Ivory bangle,非洲草原象,ivory carving,80.5,EUR,seller_b,",
)


def make_batch(user, *rows, name="listings.csv", **kwargs):
    return services.create_batch(uploader=user, file_name=name, data=csv_bytes(*rows, **kwargs))


def test_import_creates_reports_with_fields_and_events(expert, catalogue, run_import):
    rows = (GOOD[0], GOOD[1])
    batch = make_batch(expert, *rows)
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (2, 2, 0)
    seen = []
    events.report_changed.connect(
        lambda sender, **kw: seen.append(kw["action"]), weak=False, dispatch_uid="test.intake"
    )
    try:
        run_import(batch, expert)
    finally:
        events.report_changed.disconnect(dispatch_uid="test.intake")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert batch.imported_rows == 2
    assert seen == [events.SUBMITTED, events.SUBMITTED]
    first = Report.objects.get(listing_key="ebay:123456789012")
    assert first.volunteer == expert
    assert first.status == ReportStatus.SUBMITTED
    assert first.listing_title == "Pangolin scales 500g"
    assert first.species.scientific_name == "Manis pentadactyla"
    assert first.species_reported == first.species
    assert first.product_type.slug == "scales"
    assert first.price == Decimal("120.00") and first.currency == "USD"
    assert first.seller_handle == "seller_a" and first.notes == "first"
    assert first.company.slug == "ebay"
    event = AuditEvent.objects.get(action=events.SUBMITTED, object_id=str(first.pk))
    assert event.data["source"] == "intake" and event.data["batch"] == batch.pk
    assert set(ImportRow.objects.filter(batch=batch).values_list("status", flat=True)) == {
        RowStatus.IMPORTED
    }


def test_rerun_never_duplicates_and_resumes(expert, catalogue, run_import):
    batch = make_batch(expert, *GOOD)
    run_import(batch, expert)
    assert Report.objects.count() == 2
    # A second run (a retried task) finds nothing left to do.
    batch.status = BatchStatus.RUNNING
    batch.save(update_fields=["status"])
    services.run_import(batch.pk)
    assert Report.objects.count() == 2


def test_crash_mid_way_resumes_without_duplicates(
    expert, catalogue, settings, monkeypatch, run_import
):
    settings.INTAKE_CHUNK_ROWS = 1
    monkeypatch.setattr("intake.conf.INTAKE_CHUNK_ROWS", 1)
    batch = make_batch(expert, *GOOD)
    real = services.submit_bulk_report
    calls = {"n": 0}

    def crash_on_second(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker died")
        return real(**kwargs)

    monkeypatch.setattr(services, "submit_bulk_report", crash_on_second)
    run_import(batch, expert)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert batch.imported_rows == 1 and Report.objects.count() == 1
    monkeypatch.setattr(services, "submit_bulk_report", real)
    run_import(batch, expert)  # "Resume the import"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert batch.imported_rows == 2 and Report.objects.count() == 2


def test_listing_reported_meanwhile_is_skipped(expert, catalogue, run_import):
    from tests import factories

    batch = make_batch(expert, *GOOD)
    factories.make_report(url="https://www.ebay.co.uk/itm/some-title/123456789012")
    run_import(batch, expert)
    batch.refresh_from_db()
    assert (batch.imported_rows, batch.skipped_rows) == (1, 1)
    row = batch.rows.get(number=2)
    assert row.status == RowStatus.SKIPPED and row.errors[0]["field"] == "listing_url"
    assert Report.objects.count() == 2  # the volunteer's and one import
