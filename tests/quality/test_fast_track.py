"""Fast-track: low-risk reports from trusted volunteers, confirmed from a batch view through the
ordinary confirm service. Appendix I and live animals never appear and cannot be confirmed,
whatever is posted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quality.models import SamplingDecision, VolunteerTally
from quality.selectors import fast_track_reports, wilson_lower_bound_at_least
from quality.services import confirm_fast_tracked
from reports.models import Report, ReportStatus, Species, SpeciesGroup, Verdict
from spotter.models import AuditEvent, Role
from spotter.stats import wilson_interval
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("quality:fast_track")


def _species(name: str, appendix: str) -> Species:
    group, _ = SpeciesGroup.objects.get_or_create(slug="birds", defaults={"name": "Birds"})
    return Species.objects.create(
        scientific_name=name, common_name_en=name, group=group, cites_appendix=appendix
    )


@pytest.fixture
def world(db, company):
    trusted = factories.make_user(Role.VOLUNTEER)
    VolunteerTally.objects.create(volunteer=trusted, dimension="all", confirmed=100, rejected=1)
    lead = factories.make_user(Role.VOLUNTEER, is_lead_spotter=True)
    unknown = factories.make_user(Role.VOLUNTEER)
    parrot = _species("Psittacus erithacus", "II")
    macaw = _species("Ara ararauna", "III")
    pangolin = factories.get_species()  # Appendix I
    feathers = factories.get_product_type("feathers")
    live = factories.get_product_type("live-animal")

    def report(volunteer, species, product_type):
        return factories.make_report(volunteer, species=species, product_type=product_type)

    return {
        "ok": report(trusted, parrot, feathers),
        "lead_ok": report(lead, macaw, feathers),
        "appendix_one": report(trusted, pangolin, feathers),
        "live": report(lead, parrot, live),
        "untrusted": report(unknown, parrot, feathers),
    }


def _status(report) -> str:
    return Report.objects.get(pk=report.pk).status


def test_only_low_risk_reports_of_trusted_volunteers_are_listed(world, client_for, expert):
    listed = set(fast_track_reports(expert).values_list("reference", flat=True))
    assert listed == {world["ok"].reference, world["lead_ok"].reference}
    html = client_for(expert).get(URL).content.decode()
    for name in ("ok", "lead_ok"):
        assert world[name].reference in html
    for name in ("appendix_one", "live", "untrusted"):
        assert world[name].reference not in html


def test_row_confirm_goes_through_the_confirm_service(world, client_for, expert):
    response = client_for(expert).post(URL, {"reference": world["ok"].reference})
    assert response.status_code == 302
    report = Report.objects.get(pk=world["ok"].pk)
    assert report.verdict == Verdict.CONFIRMED and report.decided_by == expert
    assert report.status == ReportStatus.FORWARDED  # forwarded to the member platform
    assert report.deliveries.exists()
    assert _status(world["lead_ok"]) == ReportStatus.SUBMITTED  # only the row asked for
    batch = AuditEvent.objects.get(action="fast_track.batch_confirmed")
    assert batch.actor == expert and batch.data["confirmed"] == [report.reference]


def test_confirm_selected_refuses_appendix_one_and_live_even_if_posted(world, client_for, expert):
    posted = [world[name].reference for name in ("ok", "lead_ok", "appendix_one", "live")]
    response = client_for(expert).post(URL, {"selected": posted}, follow=True)
    assert _status(world["ok"]) == ReportStatus.FORWARDED
    assert _status(world["lead_ok"]) == ReportStatus.FORWARDED
    for name in ("appendix_one", "live"):
        report = Report.objects.get(pk=world[name].pk)
        assert report.status == ReportStatus.SUBMITTED and report.claimed_by_id is None
        assert report.reference in response.content.decode()  # named in the refusal


def test_service_path_uses_the_same_guard(world, expert):
    result = confirm_fast_tracked(
        expert=expert,
        references=[world["appendix_one"].reference, world["live"].reference, "CS-NOSUCH"],
    )
    assert result.confirmed == [] and len(result.refused) == 3
    assert _status(world["appendix_one"]) == ReportStatus.SUBMITTED
    assert _status(world["live"]) == ReportStatus.SUBMITTED


def test_a_report_that_stops_being_low_risk_is_refused(world, expert):
    Report.objects.filter(pk=world["ok"].pk).update(species=factories.get_species())
    result = confirm_fast_tracked(expert=expert, references=[world["ok"].reference])
    assert result.confirmed == [] and _status(world["ok"]) == ReportStatus.SUBMITTED


def test_admins_see_the_list_but_only_experts_confirm(world, client_for, admin_user):
    client = client_for(admin_user)
    page = client.get(URL)
    assert page.status_code == 200 and world["ok"].reference in page.content.decode()
    assert 'name="reference"' not in page.content.decode()
    client.post(URL, {"reference": world["ok"].reference})
    assert _status(world["ok"]) == ReportStatus.SUBMITTED


def test_volunteers_and_company_staff_are_refused(world, client_for, staff):
    for user in (world["ok"].volunteer, staff):
        assert client_for(user).get(URL).status_code == 403
        client_for(user).post(URL, {"reference": world["ok"].reference})
    assert _status(world["ok"]) == ReportStatus.SUBMITTED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose at least one report to confirm."),
        ({"selected": ["../etc"]}, "That is not a report reference."),
        ({"reference": "x" * 30}, "That is not a report reference."),
        ({"selected": [f"CS-{i}" for i in range(101)]}, "Confirm at most 100 reports at once."),
    ],
)
def test_bad_input_is_a_form_error(world, client_for, expert, data, message):
    response = client_for(expert).post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _status(world["ok"]) == ReportStatus.SUBMITTED


def test_the_sql_wilson_rule_matches_the_wilson_interval(db):
    volunteers = []
    for confirmed, rejected in [(30, 0), (29, 1), (50, 2), (40, 4), (100, 5), (200, 12), (5, 0)]:
        user = factories.make_user(Role.VOLUNTEER)
        VolunteerTally.objects.create(
            volunteer=user, dimension="all", confirmed=confirmed, rejected=rejected
        )
        volunteers.append((user.pk, confirmed, rejected))
    for threshold in (0.8, 0.85, 0.9, 0.95):
        chosen = set(
            wilson_lower_bound_at_least(threshold, 30).values_list("volunteer_id", flat=True)
        )
        expected = {
            pk
            for pk, c, r in volunteers
            if c + r >= 30 and wilson_interval(c, c + r)[0] >= threshold
        }
        assert chosen == expected, threshold


def test_list_query_count_does_not_grow(world, client_for, expert, django_assert_max_num_queries):
    client = client_for(expert)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    trusted = world["ok"].volunteer
    parrot = world["ok"].species
    for _i in range(8):
        factories.make_report(
            factories.make_user(Role.VOLUNTEER, is_lead_spotter=True),
            species=parrot,
            product_type=factories.get_product_type("feathers"),
        )
        factories.make_report(
            trusted, species=parrot, product_type=factories.get_product_type("feathers")
        )
    with django_assert_max_num_queries(len(small)):
        page = client.get(URL)
    assert page.content.decode().count("data-reference=") == 18


def test_fast_tracked_decisions_are_sampled_like_any_other(world, expert, settings):
    settings.SECOND_REVIEW_SHARE = 0.10
    confirm_fast_tracked(expert=expert, references=[world["ok"].reference])
    row = SamplingDecision.objects.get(report=world["ok"])
    assert row.cites_appendix == "II" and not row.live and row.expert_id == expert.pk
    assert row.p >= 0.05  # the floor: fast-tracked decisions stay measured
    assert row.sampled == (row.draw < row.p)
