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


def test_business_effects_run_for_every_imported_report(expert, catalogue, run_import):
    """The receivers of report.submitted run for imported reports: keyword matches (in the
    transaction), seller identifiers and risk scores (sent once per chunk, spotter.oncommit)."""
    from keywords.loader import load_keywords
    from keywords.models import ReportMatch
    from sellers.models import ReportIdentifier
    from verification.models import ReportRisk

    load_keywords()  # the starter library (manage.py load_reference does it too)
    batch = make_batch(expert, *GOOD)
    run_import(batch, expert)
    reports = list(Report.objects.all())
    assert len(reports) == 2
    assert ReportRisk.objects.filter(report__in=reports).count() == 2
    assert set(ReportIdentifier.objects.values_list("report_id", flat=True)) == {
        r.pk for r in reports
    }
    # "Pangolin" is a starter term (the species' common name): the title matched it.
    assert ReportMatch.objects.filter(report__listing_key="ebay:123456789012").exists()


def test_coalesced_sends_one_batch_per_task(monkeypatch, django_capture_on_commit_callbacks):
    from spotter import oncommit
    from verification import tasks as risk_tasks

    sent = []
    monkeypatch.setattr(
        risk_tasks.refresh_reports_risk, "delay", lambda ids: sent.append(("many", ids))
    )
    monkeypatch.setattr(risk_tasks.refresh_report_risk, "delay", lambda i: sent.append(("one", i)))
    with django_capture_on_commit_callbacks(execute=True), oncommit.coalesced():
        for report_id in (3, 1, 3, 2):
            oncommit.delay_on_commit(risk_tasks.refresh_report_risk, report_id, catch_up="")
    assert sent == [("many", [3, 1, 2])]
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        oncommit.delay_on_commit(risk_tasks.refresh_report_risk, 5, catch_up="")
    assert sent == [("one", 5)]


def test_a_lost_job_can_be_started_again(expert, catalogue, run_import, settings, monkeypatch):
    """A batch left queued (the broker lost the message) is resumable once stale."""
    from datetime import timedelta

    from django.utils import timezone

    from spotter.errors import InvalidState

    batch = make_batch(expert, *GOOD)
    services.start_import(batch=batch, actor=expert)  # the message is never delivered
    batch.refresh_from_db()
    assert batch.status == BatchStatus.QUEUED and not batch.is_stalled
    with pytest.raises(InvalidState):
        services.start_import(batch=batch, actor=expert)
    batch.progressed_at = timezone.now() - timedelta(hours=1)
    batch.save(update_fields=["progressed_at"])
    assert batch.is_stalled
    run_import(batch, expert)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and Report.objects.count() == 2
