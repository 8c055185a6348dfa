"""Counters kept by the transition services agree exactly with a rebuild from the reports."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from quality import rollups
from quality.facts import CELL_COMPANY, CELL_COUNTRY, CELL_GROUP
from quality.models import PeriodCount, ReportFacts, RollupBacklog, VolunteerTally
from reports import services
from reports.models import Report, ReportStatus
from spotter.errors import SpotterError
from spotter.models import Role
from tests import factories

from .conftest import (
    assert_incremental_matches_rebuild,
    backdate,
    counter_snapshot,
    decide,
    elephant,
)

pytestmark = pytest.mark.django_db


def workload(company, other_company, settings):
    """Every path a report can take, with corrections along the way."""
    settings.SECOND_REVIEW_SHARE = 1.0
    us = factories.make_user(Role.VOLUNTEER, country="US")
    fr = factories.make_user(Role.VOLUNTEER, country="FR")
    expert = factories.make_user(Role.EXPERT)
    second = factories.make_user(Role.EXPERT)
    senior = factories.make_user(Role.EXPERT, is_senior_expert=True)
    staff = factories.make_user(Role.COMPANY_STAFF, company=company)
    ivory = elephant()

    removed = factories.make_report(us, listing_language="en")
    decide(removed, expert)
    services.acknowledge_report(report=removed, staff=staff)
    services.record_outcome(report=removed, staff=staff, outcome="removed")

    corrected = factories.make_report(fr, listing_language="fr")  # pangolin, corrected to ivory
    decide(corrected, expert, species=ivory)
    services.record_outcome(report=corrected, staff=staff, outcome="no_violation")

    rejected = factories.make_report(us)
    decide(rejected, expert, "rejected", note="resin replica")

    factories.make_report(us, url=removed.listing_url)  # duplicate of an open report? closed
    open_one = factories.make_report(fr)
    duplicate = factories.make_report(us, url=open_one.listing_url)
    assert duplicate.status == ReportStatus.DUPLICATE

    needs_info = factories.make_report(us, listing_language="en")
    services.claim_report(report=needs_info, expert=expert)
    services.request_info(report=needs_info, expert=expert, message="Which species?")
    services.resubmit_report(
        report=needs_info,
        volunteer=us,
        details=factories.details(
            needs_info.listing_url,
            species=ivory,
            listing_language="zh",
            product_type=factories.get_product_type("carving"),
        ),
    )
    withdrawn = factories.make_report(fr)
    services.claim_report(report=withdrawn, expert=expert)
    services.request_info(report=withdrawn, expert=expert, message="More screenshots?")
    services.resubmit_report(
        report=withdrawn,
        volunteer=fr,
        details=factories.details(withdrawn.listing_url, listing_language="de"),
    )
    services.withdraw_report(report=withdrawn, volunteer=fr)

    elsewhere = factories.make_report(fr, url="https://other-market.com/i/9")
    decide(elsewhere, expert)
    non_member = factories.make_report(us, url="https://nonmember.example.net/x")
    decide(non_member, expert)
    released = factories.make_report(us)
    services.claim_report(report=released, expert=expert)
    services.release_report(report=released, expert=expert)
    old = backdate(factories.make_report(us), days=200)
    decide(old, expert)

    from quality import services as quality_services
    from quality.models import SecondReview

    agreed = SecondReview.objects.get(report=removed)
    quality_services.submit_second_review(review=agreed, expert=second, verdict="confirmed")
    disputed = SecondReview.objects.get(report=rejected)
    quality_services.submit_second_review(review=disputed, expert=second, verdict="confirmed")
    quality_services.decide_escalation(
        review=disputed, senior=senior, verdict="rejected", note="It is resin."
    )
    return {"us": us, "fr": fr, "expert": expert}


def test_incremental_counters_equal_a_rebuild(company, other_company, settings):
    workload(company, other_company, settings)
    snapshot = assert_incremental_matches_rebuild()
    assert len(snapshot["facts"]) == Report.objects.count()


def test_management_command_rebuilds_from_scratch(company, other_company, settings, capsys):
    workload(company, other_company, settings)
    rollups.refresh()
    expected = counter_snapshot()
    PeriodCount.objects.all().delete()
    VolunteerTally.objects.all().delete()
    ReportFacts.objects.all().delete()
    call_command("rebuild_rollups")
    assert counter_snapshot() == expected
    assert "Rebuilt counters of" in capsys.readouterr().out


def test_sync_is_idempotent(company, volunteer, expert):
    report = factories.make_report(volunteer)
    decide(report, expert)
    rollups.refresh()
    before = counter_snapshot()
    rollups.sync(report)
    rollups.sync(report.pk)
    assert counter_snapshot() == before


def test_species_correction_moves_the_report_to_the_new_group(company, volunteer, expert):
    ivory = elephant()
    elephants = ivory.group
    report = factories.make_report(volunteer)  # pangolin
    pangolins = report.species.group_id

    def by_group():
        rollups.refresh()
        rows = PeriodCount.objects.filter(grain="m", cell=CELL_GROUP, metric__startswith="s:")
        return {r.species_group_id: r.n for r in rows if r.n}

    assert by_group() == {pangolins: 1}
    decide(report, expert, species=ivory)
    assert by_group() == {elephants.pk: 1}


def test_counters_split_by_region_and_platform(company, other_company, make_volunteer, expert):
    us, fr = make_volunteer("US"), make_volunteer("FR")
    decide(factories.make_report(us), expert)
    decide(factories.make_report(us), expert, "rejected")
    decide(factories.make_report(fr, url="https://other-market.com/1"), expert)

    def total(cell, **dims):
        rollups.refresh()
        rows = PeriodCount.objects.filter(grain="m", cell=cell, metric__startswith="s:", **dims)
        return sum(r.n for r in rows)

    assert total(CELL_COUNTRY, country="US") == 2
    assert total(CELL_COUNTRY, country="FR") == 1
    assert total(CELL_COMPANY, company_id=company.pk) == 2
    assert total(CELL_COMPANY | CELL_COUNTRY, company_id=other_company.pk, country="FR") == 1
    assert total(0) == 3


def test_rolled_back_transition_leaves_counters_alone(company, volunteer, expert):
    report = factories.make_report(volunteer)
    rollups.refresh()
    before = counter_snapshot()
    assert before["periods"]
    with pytest.raises(SpotterError):
        services.confirm_report(report=report, expert=expert)  # not claimed
    assert rollups.refresh() == 0  # the rolled-back transition left no marker either
    assert counter_snapshot() == before


def test_transitions_only_append_to_the_backlog(company, volunteer, expert):
    """No transition writes a shared counter row; a refresh applies what they left."""
    report = factories.make_report(volunteer)
    decide(report, expert)
    assert not PeriodCount.objects.exists() and not VolunteerTally.objects.exists()
    assert list(RollupBacklog.objects.values_list("report_id", flat=True)) == [report.pk] * 4
    assert rollups.refresh(limit=3) == 3  # bounded: the oldest markers first
    assert RollupBacklog.objects.count() == 1
    assert rollups.refresh() == 1
    assert not RollupBacklog.objects.exists()
    assert VolunteerTally.objects.get(volunteer=volunteer, dimension="all").confirmed == 1


def test_worker_loop_and_pages_refresh_the_counters(company, volunteer, expert, client_for):
    decide(factories.make_report(volunteer), expert)
    call_command("run_outbox")  # the embedded worker's pass (beat's refresh in production)
    assert not RollupBacklog.objects.exists()
    assert VolunteerTally.objects.get(volunteer=volunteer, dimension="all").confirmed == 1

    decide(factories.make_report(volunteer), expert, "rejected")
    page = client_for(volunteer).get(reverse("quality:accuracy"))  # refreshes before reading
    assert page.status_code == 200
    assert not RollupBacklog.objects.exists()
    assert VolunteerTally.objects.get(volunteer=volunteer, dimension="all").rejected == 1
