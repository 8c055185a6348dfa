"""Stored XSS: script payloads typed into every text field by every role are rendered escaped on
every page (and email, and package) that shows them. Text is also cleaned and length-limited."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from reports.models import Report, ReportStatus
from reports.notices import notice_context
from tests import factories

from .conftest import listing_form, upload

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SVG = "<svg/onload=alert(1)>"
RAW = [SCRIPT.encode(), b"<img src=x onerror", b"<svg/onload", b"javascript:alert"]


def payload(field: str) -> str:
    return f"{field} {SCRIPT} {IMG} {SVG}"


def _assert_escaped(body: bytes, where: str, must_show: bool = True) -> None:
    for raw in RAW:
        assert raw not in body, f"{where}: raw {raw!r} in the page"
    if must_show:
        assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in body, f"{where}: payload not shown"


@pytest.fixture
def hostile_report(client_for, volunteer, expert, staff, company, admin_user):
    """A report whose every free-text field, from every role, carries script payloads."""
    volunteer.display_name = payload("name")[:80]
    volunteer.save()
    text_fields = ("listing_title", "listing_text", "seller_handle", "listing_location", "notes")
    data = listing_form(
        url=f'https://www.example-shop.com/item?q="><svg/onload=alert(1)>&x={SCRIPT}',
        **{name: payload(name) for name in text_fields},
        species="",
        species_other=payload("species_other"),
    )
    data["screenshots"] = [upload("shot.png", factories.png_bytes())]
    volunteer_client = client_for(volunteer)
    response = volunteer_client.post(reverse("reports:submit"), data)
    assert response.status_code == 302, response.context["form"].errors
    report = Report.objects.get()

    expert_client = client_for(expert)
    expert_client.post(reverse("reports:claim", args=[report.reference]))
    expert_client.post(
        reverse("reports:needs_info", args=[report.reference]), {"message": payload("info")}
    )
    data.pop("screenshots")
    volunteer_client.post(reverse("reports:resubmit", args=[report.reference]), data)
    expert_client.post(reverse("reports:claim", args=[report.reference]))
    expert_client.post(
        reverse("reports:confirm", args=[report.reference]),
        {"species": str(factories.get_species().pk), "note": payload("expert_note")},
    )
    client_for(staff).post(
        reverse("reports:outcome", args=[report.reference]),
        {"outcome": "other", "note": payload("outcome_note"), "confirm": "yes"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED, report.status
    assert report.listing_title.startswith("listing_title <script>")
    return report


def test_payloads_are_escaped_everywhere(
    hostile_report, client_for, volunteer, expert, staff, admin_user
):
    ref = hostile_report.reference
    pages = {
        volunteer: [
            reverse("reports:detail", args=[ref]),
            reverse("reports:mine"),
            reverse("quality:accuracy"),
            reverse("profile"),
        ],
        expert: [reverse("reports:review", args=[ref]), reverse("reports:queue")],
        staff: [reverse("reports:company_detail", args=[ref]), reverse("reports:portal")],
        admin_user: [
            reverse("reports:detail", args=[ref]),
            reverse("reports:overview"),
            reverse("admin:reports_report_change", args=[hostile_report.pk]),
            reverse("admin:reports_report_changelist"),
            reverse("admin:spotter_user_change", args=[volunteer.pk]),
            reverse("admin:spotter_auditevent_changelist"),
        ],
    }
    shows_payload = {
        reverse("reports:detail", args=[ref]),
        reverse("reports:review", args=[ref]),
        reverse("reports:company_detail", args=[ref]),
        reverse("admin:reports_report_change", args=[hostile_report.pk]),
    }
    for user, urls in pages.items():
        client = client_for(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user.role, url)
            _assert_escaped(response.content, f"{user.role} {url}", url in shows_payload)


def test_listing_url_is_escaped_in_the_link(hostile_report, client_for, staff):
    body = client_for(staff).get(reverse("reports:company_detail", args=[hostile_report.reference]))
    assert b'href="https://www.example-shop.com/item?q=&quot;&gt;&lt;svg/onload' in body.content


def test_email_notice_and_package_are_escaped(hostile_report, client_for, staff):
    html = render_to_string("reports/notice/notice.html", notice_context(hostile_report))
    _assert_escaped(html.encode(), "notice email HTML")
    response = client_for(staff).get(
        reverse("reports:evidence_package", args=[hostile_report.reference])
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    notice = next(name for name in archive.namelist() if name.endswith("notice.html"))
    _assert_escaped(archive.read(notice), "package notice.html")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        " javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/x",
    ],
)
def test_script_urls_refused(client_for, volunteer, company, url):
    data = listing_form(url=url)
    data["screenshots"] = [upload("shot.png", factories.png_bytes())]
    response = client_for(volunteer).post(reverse("reports:submit"), data)
    assert response.status_code == 200
    assert "listing_url" in response.context["form"].errors
    assert not Report.objects.exists()


def test_control_characters_stripped_and_lengths_limited(client_for, volunteer, company):
    nul = listing_form(listing_title="Ivory\x00 bangle")
    nul["screenshots"] = [upload("shot.png", factories.png_bytes())]
    response = client_for(volunteer).post(reverse("reports:submit"), nul)
    assert "Null characters are not allowed" in response.context["form"].errors["listing_title"][0]

    data = listing_form(
        listing_title="Ivory bangle\x1b[31m \u202egnp.exe\u202c",
        notes="line one\r\nline two\x07",
    )
    data["screenshots"] = [upload("shot.png", factories.png_bytes())]
    assert client_for(volunteer).post(reverse("reports:submit"), data).status_code == 302
    report = Report.objects.get()
    assert report.listing_title == "Ivory bangle[31m gnp.exe"
    assert report.notes == "line one\nline two"

    too_long = listing_form(url="https://www.example-shop.com/item/2", listing_title="x" * 301)
    too_long["screenshots"] = [upload("shot.png", factories.png_bytes())]
    response = client_for(volunteer).post(reverse("reports:submit"), too_long)
    assert "listing_title" in response.context["form"].errors
    for field, limit in (("listing_text", 10000), ("notes", 5000), ("seller_handle", 150)):
        data = listing_form(url="https://www.example-shop.com/item/3", **{field: "y" * (limit + 1)})
        data["screenshots"] = [upload("shot.png", factories.png_bytes())]
        response = client_for(volunteer).post(reverse("reports:submit"), data)
        assert field in response.context["form"].errors, field
    assert Report.objects.count() == 1
