"""The routing rule (referrals/routing.py) and routing through the confirmation event."""

import pytest

from referrals import routing, services
from referrals.models import Referral, ReferralChannel, RoutingState
from reports.models import ReportStatus
from spotter.models import AuditEvent
from tests import factories

from .helpers import make_partner, non_member_report


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ("Guangzhou, China", "CN"),
        ("Shanghai, Chine", "CN"),
        ("广东省广州市 中国", "CN"),
        ("Lagos, NG", "NG"),
        ("Niamey, Niger", "NE"),
        ("Abuja, Nigeria", "NG"),
        ("Juba, South Sudan", "SS"),
        ("Royaume-Uni", "GB"),
        ("Ho Chi Minh City, Vietnam", "VN"),
        ("in stock", ""),  # "in" is not a country code: only upper-case codes count
        ("Lagos", ""),  # a city alone says nothing
        ("", ""),
    ],
)
def test_country_from_location(location, code):
    assert routing.country_from_location(location) == code


@pytest.mark.parametrize(
    ("domain", "code"),
    [
        ("shop.co.ke", "KE"),
        ("xianyu.cn", "CN"),
        ("ebay.co.uk", "GB"),
        ("bazaar.io", ""),
        ("bazaar.com", ""),
        ("shop.co", ""),
    ],
)
def test_country_from_domain(domain, code):
    assert routing.country_from_domain(domain) == code


def test_location_wins_over_cctld():
    country = routing.listing_country(location="Hanoi, Vietnam", domain="shop.cn")
    assert (country.code, country.source) == ("VN", "location")
    country = routing.listing_country(location="somewhere", domain="shop.cn")
    assert (country.code, country.source) == ("CN", "cctld")


@pytest.mark.django_db
def test_rule_non_member_goes_to_worldwide_and_matching_jurisdiction(ngo, cn_authority):
    kenya = make_partner(name="KWS", jurisdictions=["KE"])
    routes = routing.routes_for(is_member=False, country="CN", partners=[ngo, cn_authority, kenya])
    assert {(r.partner.name, r.reason) for r in routes} == {
        ("Wild NGO", "non_member"),
        ("CN Authority", "jurisdiction"),
    }


@pytest.mark.django_db
def test_rule_member_platform_only_explicit_jurisdiction(ngo, cn_authority):
    assert [
        r.partner.name
        for r in routing.routes_for(is_member=True, country="CN", partners=[ngo, cn_authority])
    ] == ["CN Authority"]
    assert routing.routes_for(is_member=True, country="", partners=[ngo, cn_authority]) == []


@pytest.mark.django_db
def test_rule_skips_inactive_and_unreachable_partners():
    inactive = make_partner(name="Old", worldwide=True, is_active=False)
    mute = make_partner(name="Mute", worldwide=True, email="", send_email_notice=True)
    assert routing.routes_for(is_member=False, country="", partners=[inactive, mute]) == []


@pytest.mark.django_db
def test_confirmation_routes_non_member_report_after_commit(
    ngo, cn_authority, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = non_member_report(location="Kunming, 中国")
    report.refresh_from_db()
    assert report.status == ReportStatus.CONFIRMED  # no status of reports is changed
    referrals = {r.partner.name: r for r in Referral.objects.filter(report=report)}
    assert set(referrals) == {"Wild NGO", "CN Authority"}
    assert referrals["CN Authority"].country == "CN"
    assert [d.channel for d in referrals["Wild NGO"].deliveries.all()] == [ReferralChannel.EMAIL]
    state = RoutingState.objects.get(report=report)
    assert (state.routes, state.country, state.country_source) == (2, "CN", "location")
    assert (
        AuditEvent.objects.filter(action="referral.created", object_id=str(report.pk)).count() == 2
    )


@pytest.mark.django_db
def test_nothing_is_routed_before_commit(ngo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = non_member_report()
    assert not Referral.objects.filter(report=report).exists()
    assert callbacks  # routing waits for the commit


@pytest.mark.django_db
def test_member_platform_in_jurisdiction_is_routed_too(
    company, ngo, cn_authority, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = factories.make_confirmed_report(
            url="https://www.example-shop.com/item/77", listing_location="Beijing, China"
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED  # the member got its notice as before
    assert [r.partner.name for r in report.referrals.all()] == ["CN Authority"]


@pytest.mark.django_db
def test_no_route_is_recorded_and_routing_twice_adds_nothing(
    cn_authority, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = non_member_report(location="Paris, France", domain="bazaar.fr")
    assert not report.referrals.exists()
    assert RoutingState.objects.get(report=report).routes == 0
    # A worldwide partner is added later: "route again" picks the report up, once.
    make_partner(name="Late NGO", worldwide=True)
    assert services.reroute_unrouted() == 1
    assert services.route_report(report_id=report.pk) == []
    assert report.referrals.count() == 1
    assert RoutingState.objects.get(report=report).routes == 1


@pytest.mark.django_db
def test_sweep_routes_what_the_event_missed(ngo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = non_member_report()  # the on-commit task was lost
    assert services.route_recent() == 1
    assert report.referrals.count() == 1
    assert services.route_recent() == 0


@pytest.mark.django_db
def test_unconfirmed_reports_are_never_routed(ngo):
    report = factories.make_report(url="https://www.wild-bazaar.com/item/9")
    assert services.route_report(report_id=report.pk) == []
    assert not RoutingState.objects.filter(report=report).exists()
