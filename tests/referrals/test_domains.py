"""The admins' platform-domain tool: validation, preview, apply (forwards through reports)."""

import pytest

from referrals import services
from reports.models import Channel, Delivery, PlatformDomain, ReportStatus
from spotter.errors import InvalidInput
from spotter.models import AuditEvent
from tests import factories

from .helpers import non_member_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def collector_site():
    return factories.make_company(slug="huaxia", name="Huaxia Collection", domains=())


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("https://cang.com/x", "without http://"),
        ("www.cang.com", "not a subdomain"),
        ("co.uk", "public website"),
        ("not a domain", "spaces"),
        ("example-shop.com", "already belongs to ShopCo"),
    ],
)
def test_domain_is_validated(company, raw, message):
    with pytest.raises(InvalidInput) as error:
        services.check_platform_domain(raw)
    assert error.value.field == "domain"
    assert message in " ".join(error.value.messages)


def test_domain_is_normalised():
    assert services.check_platform_domain("  Cang.COM. ") == "cang.com"


def test_preview_lists_the_waiting_reports_on_that_exact_domain(collector_site, volunteer):
    waiting = non_member_report(volunteer=volunteer, domain="cang.com")
    non_member_report(volunteer=volunteer, domain="other-cang.com")
    factories.make_report(volunteer=volunteer, url="https://www.cang.com/item/unreviewed")
    preview = services.preview_platform_domain(company=collector_site, domain="cang.com")
    assert [r.reference for r in preview.reports] == [waiting.reference]
    assert not PlatformDomain.objects.filter(domain="cang.com").exists()  # nothing changed


def test_apply_adds_the_domain_and_forwards_through_the_normal_service(
    collector_site, volunteer, admin_user
):
    waiting = non_member_report(volunteer=volunteer, domain="cang.com")
    link, forwarded = services.add_platform_domain(
        company=collector_site, domain="cang.com", actor=admin_user
    )
    assert link.company == collector_site
    waiting.refresh_from_db()
    assert waiting.company == collector_site
    assert waiting.status == ReportStatus.FORWARDED
    assert [r.reference for r in forwarded] == [waiting.reference]
    assert Delivery.objects.filter(report=waiting, channel=Channel.PORTAL).exists()
    assert AuditEvent.objects.filter(action="report.forwarded", object_id=str(waiting.pk)).exists()
    event = AuditEvent.objects.get(action="platform_domain.added")
    assert event.data == {"domain": "cang.com", "forwarded": [waiting.reference]}
    # Applying again is refused: the domain is taken now.
    with pytest.raises(InvalidInput):
        services.add_platform_domain(company=collector_site, domain="cang.com", actor=admin_user)


def test_domain_pages_preview_then_apply(client_for, admin_user, collector_site, volunteer):
    waiting = non_member_report(volunteer=volunteer, domain="cang.com")
    client = client_for(admin_user)
    page = client.post("/referrals/domains/", {"company": collector_site.pk, "domain": "cang.com"})
    assert page.status_code == 200
    assert waiting.reference in page.content.decode()
    assert not PlatformDomain.objects.filter(domain="cang.com").exists()
    response = client.post(
        "/referrals/domains/apply/", {"company": collector_site.pk, "domain": "cang.com"}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == ReportStatus.FORWARDED
    refused = client.post(
        "/referrals/domains/", {"company": collector_site.pk, "domain": "cang.com"}
    )
    assert "already belongs to Huaxia Collection" in refused.content.decode()


def test_only_admins_may_use_the_tool(client_for, expert, collector_site):
    client = client_for(expert)
    assert client.get("/referrals/domains/").status_code == 403
    response = client.post(
        "/referrals/domains/apply/", {"company": collector_site.pk, "domain": "cang.com"}
    )
    assert response.status_code == 403
    assert not PlatformDomain.objects.filter(domain="cang.com").exists()
