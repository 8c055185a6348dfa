"""Who sees which links: experts and admins across platforms, company staff within their own
company only (and never the reporter), volunteers nothing. Plus indexing on submission and
resubmission, handle scoping, query-count guards and the privacy registration."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from reports import services as report_services
from sellers.models import ReportIdentifier, SellerIdentifier
from spotter.privacy import close_account, export_user_data, personal_data_registry

pytestmark = pytest.mark.django_db

PHONE = "+8613800138000"


def _confirm(report, expert):
    report_services.claim_report(report=report, expert=expert)
    return report_services.confirm_report(report=report, expert=expert)


@pytest.fixture
def cluster(company, other_company, volunteer, other_volunteer, expert, submit):
    """Three reports with one phone: two on ShopCo, one on OtherMarket; all forwarded. Plus an
    unrelated ShopCo report."""
    shop_a = submit(
        volunteer,
        "https://www.example-shop.com/item/a",
        seller_handle="Bob",
        listing_text="call 13800138000",
    )
    shop_b = submit(
        other_volunteer,
        "https://www.example-shop.com/item/b",
        seller_handle="@bob",
        listing_text="微信 wx: ivory_king88 电话 +86 138 0013 8000",
    )
    other = submit(
        volunteer,
        "https://www.other-market.com/item/c",
        seller_handle="bob",
        listing_title="Ivory WhatsApp wa.me/8613800138000",
    )
    unrelated = submit(
        other_volunteer, "https://www.example-shop.com/item/d", seller_handle="alice"
    )
    for report in (shop_a, shop_b, other, unrelated):
        _confirm(report, expert)
    return {"shop_a": shop_a, "shop_b": shop_b, "other": other, "unrelated": unrelated}


def _phone():
    return SellerIdentifier.objects.get(kind="phone", value=PHONE)


def test_submission_stores_normalised_identifiers(cluster, company, other_company):
    phone = _phone()
    assert phone.scope == ""
    assert set(phone.report_links.values_list("report__reference", flat=True)) == {
        cluster["shop_a"].reference,
        cluster["shop_b"].reference,
        cluster["other"].reference,
    }
    # Handles are per platform: "Bob" and "@bob" on ShopCo are one seller, "bob" on
    # OtherMarket another.
    handles = SellerIdentifier.objects.filter(kind="handle", value="bob")
    assert {(h.company_id, h.report_links.count()) for h in handles} == {
        (company.pk, 2),
        (other_company.pk, 1),
    }
    assert SellerIdentifier.objects.filter(kind="wechat", value="ivory_king88").exists()


def test_resubmission_reextracts_and_drops_orphans(
    volunteer, expert, submit, company, django_capture_on_commit_callbacks
):
    report = submit(volunteer, "https://www.example-shop.com/item/x", listing_text="t.me/oldhandle")
    assert SellerIdentifier.objects.filter(kind="telegram", value="oldhandle").exists()
    report_services.claim_report(report=report, expert=expert)
    report_services.request_info(report=report, expert=expert, message="Which seller?")
    from tests import factories

    with django_capture_on_commit_callbacks(execute=True):
        report_services.resubmit_report(
            report=report,
            volunteer=volunteer,
            details=factories.details(report.listing_url, listing_text="Telegram @newhandle"),
        )
    values = set(
        ReportIdentifier.objects.filter(report=report).values_list("identifier__value", flat=True)
    )
    assert "newhandle" in values and "oldhandle" not in values
    assert not SellerIdentifier.objects.filter(value="oldhandle").exists()


def test_expert_sees_links_across_platforms(cluster, expert, client_for):
    client = client_for(expert)
    page = client.get(reverse("sellers:report_links", args=[cluster["shop_a"].reference]))
    assert page.status_code == 200
    body = page.content.decode()
    assert cluster["shop_b"].reference in body and cluster["other"].reference in body
    assert cluster["unrelated"].reference not in body
    assert "ShopCo: 2" in body and "OtherMarket: 1" in body  # counts per platform
    assert PHONE in body
    review = client.get(reverse("reports:review", args=[cluster["shop_a"].reference]))
    assert "Also seen" in review.content.decode()
    assert reverse("sellers:report_links", args=[cluster["shop_a"].reference]) in (
        review.content.decode()
    )


def test_identifier_page_lists_every_platform_with_first_and_last_seen(
    cluster, admin_user, client_for
):
    page = client_for(admin_user).get(reverse("sellers:identifier", args=[_phone().pk]))
    assert page.status_code == 200
    body = page.content.decode()
    for key in ("shop_a", "shop_b", "other"):
        assert cluster[key].reference in body
    assert "ShopCo: 2" in body and "OtherMarket: 1" in body
    assert cluster["shop_a"].submitted_at.strftime("%Y-%m-%d") in body
    repeat = client_for(admin_user).get(reverse("sellers:repeat"))
    assert PHONE in repeat.content.decode()
    assert "alice" not in repeat.content.decode()  # one report only
    only_wechat = client_for(admin_user).get(reverse("sellers:repeat"), {"kind": "wechat"})
    assert PHONE not in only_wechat.content.decode()


def test_company_staff_see_only_their_own_platform_and_never_the_reporter(
    cluster, staff, other_staff, volunteer, other_volunteer, client_for
):
    client = client_for(staff)
    page = client.get(reverse("sellers:report_links", args=[cluster["shop_a"].reference]))
    assert page.status_code == 200
    body = page.content.decode()
    assert cluster["shop_b"].reference in body
    assert cluster["other"].reference not in body
    assert "OtherMarket" not in body
    for person in (volunteer, other_volunteer):
        for secret in (person.email, person.display_name, person.pseudonym):
            assert secret not in body
    notice = client.get(reverse("reports:company_detail", args=[cluster["shop_a"].reference]))
    notice_body = notice.content.decode()
    assert "Also seen" in notice_body and cluster["shop_b"].reference in notice_body
    assert cluster["other"].reference not in notice_body
    # Not their report: 404; not their pages: 403.
    assert (
        client_for(other_staff)
        .get(reverse("sellers:report_links", args=[cluster["shop_a"].reference]))
        .status_code
        == 404
    )
    assert client.get(reverse("sellers:identifier", args=[_phone().pk])).status_code == 403
    assert client.get(reverse("sellers:repeat")).status_code == 403


def test_other_company_notice_shows_no_panel_when_nothing_links_on_its_platform(
    cluster, other_staff, client_for
):
    page = client_for(other_staff).get(
        reverse("reports:company_detail", args=[cluster["other"].reference])
    )
    assert page.status_code == 200
    assert "Also seen" not in page.content.decode()
    assert cluster["shop_a"].reference not in page.content.decode()


def test_volunteers_see_nothing(cluster, volunteer, client_for):
    client = client_for(volunteer)
    for url in (
        reverse("sellers:repeat"),
        reverse("sellers:identifier", args=[_phone().pk]),
        reverse("sellers:report_links", args=[cluster["shop_a"].reference]),
    ):
        assert client.get(url).status_code == 403
    detail = client.get(reverse("reports:detail", args=[cluster["shop_a"].reference]))
    assert "Also seen" not in detail.content.decode()


def test_expert_does_not_see_own_submission_or_hidden_identifiers(
    company, volunteer, expert, submit, client_for, django_capture_on_commit_callbacks
):
    """An identifier only reports hidden from the viewer mention is a 404, not its value."""
    only = submit(volunteer, "https://www.example-shop.com/item/w", listing_text="t.me/hidden_one")
    report_services.withdraw_report(report=only, volunteer=volunteer)
    hidden = SellerIdentifier.objects.get(kind="telegram", value="hidden_one")
    assert (
        client_for(expert).get(reverse("sellers:identifier", args=[hidden.pk])).status_code == 404
    )


def _many(volunteer, expert, submit, count):
    for n in range(count):
        report = submit(
            volunteer,
            f"https://www.example-shop.com/many/{n}",
            seller_handle="repeat",
            listing_text="call 13800138000",
        )
        _confirm(report, expert)


@pytest.mark.parametrize("count", [3, 12])
def test_query_counts_do_not_grow_with_links(
    company,
    volunteer,
    expert,
    admin_user,
    submit,
    client_for,
    count,
    django_assert_max_num_queries,
):
    _many(volunteer, expert, submit, count)
    client = client_for(admin_user)
    first = SellerIdentifier.objects.get(kind="phone").report_links.first().report
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sellers:identifier", args=[_phone().pk])).status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(reverse("sellers:report_links", args=[first.reference]))
        assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sellers:repeat")).status_code == 200
    expert_client = client_for(expert)
    with django_assert_max_num_queries(40):
        assert (
            expert_client.get(reverse("reports:review", args=[first.reference])).status_code == 200
        )


def test_privacy_registration_and_account_closure(cluster, volunteer):
    assert "sellers" in personal_data_registry
    exported = export_user_data(volunteer)
    assert "sellers.SellerIdentifier" not in exported.get("other_records", {})
    close_account(user=volunteer)
    # The reports stay, and with them the sellers' identifiers they mention.
    assert _phone().report_links.count() == 3


def test_broker_down_does_not_fail_the_submission_and_the_command_catches_up(
    company, volunteer, submit, monkeypatch
):
    from django.core.management import call_command

    from sellers import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.index_report, "delay", down)
    report = submit(volunteer, "https://www.example-shop.com/item/z", listing_text="t.me/latecomer")
    assert not ReportIdentifier.objects.filter(report=report).exists()
    call_command("index_sellers", "--prune", stdout=io.StringIO())
    assert ReportIdentifier.objects.filter(
        report=report, identifier__kind="telegram", identifier__value="latecomer"
    ).exists()


def test_indexing_a_batch_links_the_same_as_one_report_at_a_time(cluster):
    """A bulk import indexes its reports together (sellers.indexing.index_reports): the links
    must be exactly those the one-report path makes, and re-running it changes nothing."""
    from sellers import indexing

    def links():
        return sorted(
            ReportIdentifier.objects.values_list(
                "report_id", "identifier__kind", "identifier__value", "identifier__scope", "source"
            )
        )

    one_at_a_time = links()
    ids = [report.pk for report in cluster.values()]
    ReportIdentifier.objects.all().delete()
    SellerIdentifier.objects.all().delete()
    indexing.index_reports(ids)
    assert links() == one_at_a_time
    indexing.index_reports(ids)
    assert links() == one_at_a_time
    assert SellerIdentifier.objects.filter(kind="phone", value=PHONE).count() == 1
