"""The admins' referral pages and the overview's "waiting with no route" panel."""

import pytest
from django.core.cache import cache

from referrals import services, unrouted
from referrals.demo import create_demo_partners
from referrals.models import ReferralPartner
from spotter.models import AuditEvent
from training.demo import demo_loaded

from .helpers import make_partner, non_member_report

pytestmark = pytest.mark.django_db


def test_overview_shows_the_unrouted_count_from_the_snapshot(
    client_for, admin_user, volunteer, cn_authority
):
    for location in ("Paris, France", "Lyon, France"):
        report = non_member_report(volunteer=volunteer, location=location, domain="bazar.fr")
        services.route_report(report_id=report.pk)
    routed = non_member_report(volunteer=volunteer, location="Xiamen, China")
    services.route_report(report_id=routed.pk)
    unrouted.refresh_count()
    client = client_for(admin_user)
    page = client.get("/overview/").content.decode()
    assert 'data-testid="unrouted-count">2<' in page
    # The number is the snapshot: a new waiting report shows after the next refresh, not before.
    non_member_report(volunteer=volunteer, location="Nice, France", domain="bazar.fr")
    assert 'data-testid="unrouted-count">2<' in client.get("/overview/").content.decode()
    unrouted.refresh_count()
    assert 'data-testid="unrouted-count">3<' in client.get("/overview/").content.decode()


def test_cold_cache_counts_once_and_capped(volunteer, monkeypatch, django_assert_num_queries):
    report = non_member_report(volunteer=volunteer)
    cache.delete(unrouted.CACHE_KEY)
    # The page's own short list is the exact number: no count query at all.
    with django_assert_num_queries(0):
        assert unrouted.unrouted_count([report], 5) == (1, False)
    cache.delete(unrouted.CACHE_KEY)
    with django_assert_num_queries(1):  # a full list: one capped count, then the snapshot
        assert unrouted.unrouted_count([report], 1) == (1, False)
    with django_assert_num_queries(0):
        assert unrouted.unrouted_count() == (1, False)
    monkeypatch.setattr(unrouted, "COUNT_CAP", 1)
    assert unrouted.refresh_count() == 1
    assert unrouted.unrouted_count() == (1, True)


def test_referral_pages_query_counts_do_not_grow(
    client_for, admin_user, volunteer, django_assert_max_num_queries
):
    client = client_for(admin_user)
    make_partner(name="One", worldwide=True)
    report = non_member_report(volunteer=volunteer)
    services.route_report(report_id=report.pk)
    urls = ["/referrals/", "/referrals/partners/", "/referrals/no-route/", "/overview/"]
    for url in urls:
        client.get(url)  # warm the caches (session, snapshot)
    counts = {}
    # Cached list fragments (reports/fragments.py) are dropped before each measured request, so
    # both rounds measure a full render rather than a hit against a miss.
    for url in urls:
        cache.clear()
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    for n in range(5):
        make_partner(name=f"More {n}", worldwide=True)
        more = non_member_report(volunteer=volunteer, location="Chine")
        services.route_report(report_id=more.pk)
    for url in urls:
        cache.clear()
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_admin_creates_a_partner_with_a_webhook_and_sees_its_secret_once(
    client_for, admin_user, loopback_webhooks
):
    client = client_for(admin_user)
    response = client.post(
        "/referrals/partners/new/",
        {
            "name": "Interpol desk",
            "kind": "police",
            "jurisdictions": ["CN", "VN"],
            "webhook_url": "http://127.0.0.1:9/hook",
            "webhook_enabled": "on",
            "notice_language": "en",
            "is_active": "on",
        },
        follow=True,
    )
    partner = ReferralPartner.objects.get(name="Interpol desk")
    assert partner.jurisdiction_codes == {"CN", "VN"}
    assert partner.webhook_secret.startswith("whsec_")
    assert partner.webhook_secret in response.content.decode()
    assert partner.webhook_secret not in client.get("/referrals/partners/").content.decode()
    assert AuditEvent.objects.filter(action="referral_partner.created").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"worldwide": ""}, "Choose the countries the partner covers, or worldwide."),
        ({"send_email_notice": "on", "email": ""}, "An email channel needs the partner"),
        ({"send_email_notice": ""}, "Choose at least one channel."),
        ({"webhook_url": "http://hooks.example.org/x", "webhook_enabled": "on"}, "https"),
    ],
)
def test_partner_form_refuses_what_cannot_work(client_for, admin_user, data, message):
    values = {
        "name": "Bad",
        "kind": "ngo",
        "worldwide": "on",
        "email": "a@b.invalid",
        "send_email_notice": "on",
        "notice_language": "en",
        "is_active": "on",
    }
    values.update(data)
    values = {k: v for k, v in values.items() if v != ""}
    response = client_for(admin_user).post("/referrals/partners/new/", values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReferralPartner.objects.filter(name="Bad").exists()


def test_review_page_shows_referrals_to_experts(client_for, expert, ngo, volunteer):
    report = non_member_report(volunteer=volunteer, expert=expert)
    services.route_report(report_id=report.pk)
    page = client_for(expert).get(f"/review/{report.reference}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="referrals-panel"' in body
    assert "Wild NGO" in body


def test_demo_partners_are_created_once():
    demo_loaded.send(sender=None, accounts=[])  # what manage.py load_demo sends
    create_demo_partners()
    partners = ReferralPartner.objects.order_by("name")
    assert partners.count() == 2
    assert {p.kind for p in partners} == {"authority", "ngo"}
    assert any(p.jurisdiction_codes == {"CN"} for p in partners)
    assert any(p.worldwide for p in partners)


def test_rotating_a_partner_secret_shows_the_new_one_once(client_for, admin_user, hook_partner):
    old = hook_partner.webhook_secret
    response = client_for(admin_user).post(
        f"/referrals/partners/{hook_partner.pk}/rotate-secret/", follow=True
    )
    hook_partner.refresh_from_db()
    assert hook_partner.webhook_secret != old
    assert hook_partner.webhook_secret in response.content.decode()
    assert AuditEvent.objects.filter(action="referral_partner.secret_rotated").count() == 1
