"""Every notice to a company is written in the company's notice language (issue 14):
the email notice, the escalation, the daily digest, the webhook's sentences and the evidence
package's notice files. Codes, hashes, URLs and times stay the same in every language.

Subjects are compared with the catalogue's translation of their msgid (so the test holds before
and after the translators fill new msgids); bodies are checked on wording already translated."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from reports import forwarding, services
from reports.forwarding import digest
from reports.forwarding.sla import escalate_overdue
from reports.models import Channel, DeliveryStatus, Report
from reports.notices import notice_language, notice_payload
from tests import factories

from .helpers import confirmed, delivery_of

pytestmark = pytest.mark.django_db

GOOD_FAITH = {
    "en": "We state in good faith",
    "fr": "Nous déclarons de bonne foi",
    "zh-hans": "我们善意声明",
}
# The label, its colon as the language writes it, then the value.
REFERENCE_LABEL = {"en": "Reference: ", "fr": "Référence\u00a0: ", "zh-hans": "编号： "}
TITLE_LABEL = {
    "en": "Listing title: ",
    "fr": "Titre de l'annonce\u00a0: ",
    "zh-hans": "商品信息标题：",
}


def notice_subject(language: str, report: Report) -> str:
    with translation.override(language):
        return gettext("[Cyber Spotter] Notice %(reference)s: %(species)s") % {
            "reference": report.reference,
            "species": report.species_label,
        }


def company_in(language: str, **fields):
    return factories.make_company(
        slug=f"lang-{language}",
        domains=(f"{language}-market.com",),
        notice_language=language,
        **fields,
    )


@pytest.mark.parametrize("language", ["en", "fr", "zh-hans"])
def test_email_notice_in_the_company_language(language, mailoutbox):
    company = company_in(language)
    report = confirmed(f"{language}-market.com")
    assert forwarding.attempt_delivery(delivery_of(report, Channel.EMAIL).pk) == DeliveryStatus.SENT
    [message] = [m for m in mailoutbox if m.to == [company.enforcement_email]]
    html = message.alternatives[0][0]

    report.refresh_from_db()
    assert message.subject == notice_subject(language, report)
    assert REFERENCE_LABEL[language] + report.reference in message.body
    assert GOOD_FAITH[language] in message.body and GOOD_FAITH[language] in html
    with translation.override(language):
        seen = date_format(report.submitted_at, "DATETIME_FORMAT")
    assert f"{seen} UTC" in message.body
    assert f'<html lang="{language}">' in html
    # Machine parts are the same in every language.
    evidence = report.evidence.get()
    for body in (message.body, html):
        assert report.listing_url in body and evidence.original_sha256 in body
        assert "2022/2065" in body  # the DSA reference keeps its number in every language
    if language != "en":
        assert GOOD_FAITH["en"] not in message.body
        assert "Reference:" not in message.body


@pytest.mark.parametrize("language", ["fr", "zh-hans"])
def test_escalation_in_the_company_language(language, mailoutbox):
    company = company_in(language, escalation_email=f"boss@{language}.invalid")
    report = confirmed(f"{language}-market.com")
    report.refresh_from_db()
    assert escalate_overdue(report.forwarded_at + timedelta(hours=company.ack_sla_hours + 1)) == 1
    delivery = delivery_of(report, Channel.ESCALATION)
    assert forwarding.attempt_delivery(delivery.pk) == DeliveryStatus.SENT
    [message] = [m for m in mailoutbox if m.to == [company.escalation_email]]
    with translation.override(language):
        subject = gettext("[Cyber Spotter] Overdue notice %(reference)s") % {
            "reference": report.reference
        }
        forwarded = date_format(report.forwarded_at, "DATETIME_FORMAT")
    assert message.subject == subject
    assert forwarded in message.body
    with translation.override(language):
        label = gettext("Listing")
    colon = {"fr": "\u00a0:", "zh-hans": "："}[language]
    assert f"{label}{colon} {report.listing_url}" in message.body
    assert label != "Listing"


@pytest.mark.parametrize("language", ["fr", "zh-hans"])
def test_daily_digest_in_the_company_language(language, mailoutbox):
    company = company_in(language, daily_digest=True)
    day = datetime(2026, 3, 10, tzinfo=UTC)
    reports = []
    for hour in (1, 9):
        report = confirmed(f"{language}-market.com")
        Report.objects.filter(pk=report.pk).update(forwarded_at=day + timedelta(hours=hour))
        reports.append(report)
    assert digest.run_due_digests(day + timedelta(days=1, hours=3)) == 1
    [message] = [m for m in mailoutbox if m.to == [company.enforcement_email]]
    with translation.override(language):
        subject = ngettext(
            "[Cyber Spotter] Daily digest %(date)s: %(n)d notice",
            "[Cyber Spotter] Daily digest %(date)s: %(n)d notices",
            2,
        ) % {"date": date_format(day.date(), "DATE_FORMAT"), "n": 2}
    assert message.subject == subject
    assert {"fr": "10 mars 2026", "zh-hans": "2026年3月10日"}[language] in message.subject
    assert "2026-03-10" not in message.subject
    assert GOOD_FAITH[language] in message.body
    assert TITLE_LABEL[language] in message.body
    for report in reports:
        assert report.reference in message.body


def test_webhook_sentences_in_the_company_language_and_codes_unchanged():
    company = company_in("fr")
    report = confirmed("fr-market.com")
    payload = notice_payload(report)
    assert payload["language"] == "fr"
    assert payload["good_faith_statement"].startswith(GOOD_FAITH["fr"])
    assert payload["species"]["cites_appendix"] == "I"  # codes stay codes
    assert payload["reference"] == report.reference
    company.notice_language = "en"
    company.save()
    report.refresh_from_db()
    assert notice_payload(report)["good_faith_statement"].startswith(GOOD_FAITH["en"])


def test_evidence_package_notice_in_the_company_language(client_for):
    company = company_in("zh-hans")
    staff = factories.make_user("company_staff", company=company)
    report = confirmed("zh-hans-market.com")
    services.acknowledge_report(report=report, staff=staff)
    response = client_for(staff).get(reverse("reports:evidence_package", args=[report.reference]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}
    notice = files["notice.txt"].decode()
    assert GOOD_FAITH["zh-hans"] in notice and REFERENCE_LABEL["zh-hans"] in notice
    listing = json.loads(files["listing.json"])
    assert listing["url"] == report.listing_url  # data files are not translated


def test_unknown_or_missing_language_falls_back_to_english():
    company = company_in("en")
    company.notice_language = "xx"
    assert notice_language(company) == "en"
    assert notice_language(None) == "en"
