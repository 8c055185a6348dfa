"""The report timeline: plain translated sentences, decided per viewer in reports.timeline."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from reports import events, services
from reports.models import Outcome, RejectionReason
from reports.timeline import RULES, timeline_for
from spotter.audit import record_event
from tests import factories

pytestmark = pytest.mark.django_db

QUESTION = "Please add a photo of the price tag"
RAW = re.compile(r"\b(?:report|evidence|delivery|digest)\.[a-z_]+\b|→|\b(?:in_review|needs_info)\b")


def _timeline_html(response) -> str:
    body = response.content.decode()
    start = body.index('<ol class="timeline">')
    return body[start : body.index("</ol>", start)]


def test_every_action_recorded_on_a_report_has_a_sentence():
    codes = {v for k, v in vars(events).items() if k.isupper() and isinstance(v, str)}
    root = Path(settings.BASE_DIR)
    for path in [*root.glob("reports/**/*.py"), *root.glob("quality/**/*.py")]:
        codes |= set(
            re.findall(r'action="((?:report|evidence|delivery)\.[a-z_]+)"', path.read_text())
        )
    assert codes, "the scan found nothing"
    assert codes <= set(RULES), codes - set(RULES)


def test_volunteer_sees_the_experts_question_in_words(client_for, volunteer, expert):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    services.request_info(report=report, expert=expert, message=QUESTION)
    html = _timeline_html(
        client_for(volunteer).get(reverse("reports:detail", args=[report.reference]))
    )
    assert "An expert asked for more information:" in html
    assert QUESTION in html
    assert "The report was submitted." in html
    assert not RAW.search(html), RAW.search(html)


def test_rejection_note_reaches_the_volunteer(volunteer, expert):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    services.reject_report(
        report=report, expert=expert, reason=RejectionReason.OTHER, note="A plastic replica"
    )
    entries = timeline_for(report, volunteer)
    assert entries[-1].sentence == "An expert rejected the report."
    assert "A plastic replica" in entries[-1].detail


def _forwarded_with_history(volunteer, expert, staff, admin_user):
    report = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    report.refresh_from_db()
    services.acknowledge_report(report=report, staff=staff)
    services.record_outcome(report=report, staff=staff, outcome=Outcome.REMOVED, note="Gone")
    evidence = report.evidence.first()
    for viewer in (volunteer, expert, admin_user):
        record_event(
            actor=viewer, action="evidence.viewed", target=report, data={"evidence": evidence.pk}
        )
    return report


def test_view_events_only_for_admins(client_for, volunteer, expert, staff, admin_user):
    report = _forwarded_with_history(volunteer, expert, staff, admin_user)
    for viewer in (volunteer, expert, staff):
        assert not any("screenshot was viewed" in e.sentence for e in timeline_for(report, viewer))
    admin_entries = timeline_for(report, admin_user)
    assert sum("screenshot was viewed" in e.sentence for e in admin_entries) == 3


def test_no_raw_code_for_any_role(client_for, volunteer, expert, staff, admin_user):
    report = _forwarded_with_history(volunteer, expert, staff, admin_user)
    pages = {
        volunteer: reverse("reports:detail", args=[report.reference]),
        expert: reverse("reports:review", args=[report.reference]),
        admin_user: reverse("reports:detail", args=[report.reference]),
    }
    for user, url in pages.items():
        response = client_for(user).get(url)
        assert response.status_code == 200, user.role
        html = _timeline_html(response)
        assert "The platform&#x27;s team reported the outcome:" in html
        assert not RAW.search(html), (user.role, RAW.search(html))
    for entry in timeline_for(report, staff):
        assert not RAW.search(" ".join([entry.sentence, entry.actor, entry.detail]))


def test_company_sees_company_facing_events_and_roles_only(volunteer, expert, staff, admin_user):
    report = _forwarded_with_history(volunteer, expert, staff, admin_user)
    entries = timeline_for(report, staff)
    sentences = [e.sentence for e in entries]
    assert "The report was submitted." not in sentences
    assert "An expert started reviewing the report." not in sentences
    assert "An expert confirmed the report." in sentences
    assert "The platform's team acknowledged the report." in sentences
    actors = {e.actor for e in entries}
    assert actors <= {"expert", "company staff", "system", "volunteer"}, actors
    assert volunteer.email not in str(entries) and expert.email not in str(entries)


def test_admin_sees_emails_and_every_event(volunteer, expert, staff, admin_user):
    report = _forwarded_with_history(volunteer, expert, staff, admin_user)
    entries = timeline_for(report, admin_user)
    assert expert.email in {e.actor for e in entries}
    assert any(e.sentence == "The report was submitted." for e in entries)


def test_outcome_label_follows_the_viewers_language(client_for, volunteer, staff, company):
    report = factories.make_confirmed_report(volunteer=volunteer)
    services.record_outcome(report=report, staff=staff, outcome=Outcome.REMOVED, note="#4")
    client = client_for(volunteer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = _timeline_html(client.get(reverse("reports:detail", args=[report.reference])))
    assert "Annonce retirée. #4" in html and "Listing removed" not in html
