"""Issue 13, experts: canned replies, the resubmission diff, the listing's history and the
zoomable screenshots on the review page (HTTP)."""

from dataclasses import replace

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from reports import events, services
from reports.evidence import process_image
from reports.models import CannedReply, Report, ReportStatus
from spotter.audit import record_event
from spotter.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def replies(db):
    return {
        "reject_en": CannedReply.objects.create(
            kind="rejection", language="en", title="Replica", text="Looks like resin."
        ),
        "reject_fr": CannedReply.objects.create(
            kind="rejection", language="fr", title="Réplique", text="Semble être de la résine."
        ),
        "info_en": CannedReply.objects.create(
            kind="needs_info", language="en", title="Close-up", text="Add a close-up, please."
        ),
        "retired": CannedReply.objects.create(
            kind="needs_info", language="en", title="Old one", text="x", is_active=False
        ),
    }


@pytest.fixture
def claimed(volunteer, expert, company):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    return report


def review_page(client, report, language="en"):
    client.cookies["django_language"] = language
    return client.get(reverse("reports:review", args=[report.reference])).content.decode()


def test_canned_replies_in_the_experts_language(client_for, expert, claimed, replies):
    client = client_for(expert)
    page = review_page(client, claimed)
    assert 'data-text="Looks like resin."' in page and ">Replica</option>" in page
    assert 'data-text="Add a close-up, please."' in page
    assert "Réplique" not in page and "Old one" not in page
    assert 'data-canned-target="note"' in page and 'data-canned-target="message"' in page
    page_fr = review_page(client, claimed, "fr")
    assert "Réplique" in page_fr and ">Replica</option>" not in page_fr


def test_chosen_canned_reply_is_used_without_javascript(client_for, expert, claimed, replies):
    response = client_for(expert).post(
        reverse("reports:needs_info", args=[claimed.reference]),
        {"canned": str(replies["info_en"].pk), "message": ""},
    )
    assert response.status_code == 302
    claimed.refresh_from_db()
    assert claimed.status == ReportStatus.NEEDS_INFO
    assert claimed.info_request == "Add a close-up, please."


def test_typed_text_wins_over_the_canned_reply(client_for, expert, claimed, replies):
    client_for(expert).post(
        reverse("reports:reject", args=[claimed.reference]),
        {
            "reason": "legal_trade",
            "canned": str(replies["reject_en"].pk),
            "note": "Edited: resin.",
            "confirm": "yes",
        },
    )
    claimed.refresh_from_db()
    assert claimed.status == ReportStatus.REJECTED and claimed.expert_note == "Edited: resin."


@pytest.mark.parametrize("which", ["retired", "reject_fr", "bogus"])
def test_unlisted_canned_reply_is_a_form_error(client_for, expert, claimed, replies, which):
    value = "abc" if which == "bogus" else str(replies[which].pk)
    response = client_for(expert).post(
        reverse("reports:needs_info", args=[claimed.reference]), {"canned": value, "message": ""}
    )
    assert response.status_code == 302
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "Choose one of the listed replies." in said or "valid choice" in said
    claimed.refresh_from_db()
    assert claimed.status == ReportStatus.IN_REVIEW


def test_admin_manages_canned_replies(client_for, admin_user, replies):
    client = client_for(admin_user)
    assert client.get(reverse("admin:reports_cannedreply_changelist")).status_code == 200
    response = client.post(
        reverse("admin:reports_cannedreply_add"),
        {
            "kind": "rejection",
            "language": "zh-hans",
            "title": "仿制品",
            "text": "看起来是树脂。",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert CannedReply.objects.filter(language="zh-hans", title="仿制品").exists()


def test_demo_seeds_canned_replies_in_every_language(db):
    from reports.demo import create_demo_canned_replies

    create_demo_canned_replies()
    create_demo_canned_replies()  # safe to repeat
    languages = set(CannedReply.objects.values_list("language", flat=True))
    assert languages == {"en", "fr", "zh-hans"}
    assert 4 <= CannedReply.objects.count() <= 8
    kinds = set(CannedReply.objects.values_list("kind", flat=True))
    assert kinds == {"rejection", "needs_info"}


def _resubmitted(volunteer, expert, company, **changes):
    report = factories.make_report(volunteer, listing_text="Genuine scales, bulk discount")
    services.claim_report(report=report, expert=expert)
    services.request_info(report=report, expert=expert, message="Which species exactly?")
    details = replace(
        factories.details(report.listing_url, listing_text="Genuine scales, bulk discount"),
        **changes,
    )
    return services.resubmit_report(
        report=report,
        volunteer=volunteer,
        details=details,
        images=[process_image(factories.png_bytes(60, 40), "new.png")],
        image_names=["new.png"],
    )


def test_resubmission_keeps_before_and_after(volunteer, expert, company):
    report = _resubmitted(
        volunteer,
        expert,
        company,
        listing_title="Scales of Manis",
        product_type=factories.get_product_type("carvings"),
    )
    event = AuditEvent.objects.get(action="report.resubmitted", object_id=str(report.pk))
    assert set(event.data["changed"]) == {"listing_title", "product_type"}
    assert event.data["before"] == {
        "listing_title": "Pangolin scales 500 g",
        "product_type": "scales",
    }
    assert event.data["after"] == {"listing_title": "Scales of Manis", "product_type": "carvings"}
    assert event.data["screenshots_added"] == 1
    assert event.data["screenshot_ids"] == [report.evidence.order_by("-pk").first().pk]


def test_review_page_shows_what_changed_escaped(client_for, volunteer, expert, company):
    report = _resubmitted(
        volunteer,
        expert,
        company,
        listing_title="Scales <b>bold</b>",
        listing_text="Genuine pangolin scales, bulk <script>alert(1)</script> discount",
    )
    page = review_page(client_for(expert), report)
    assert "Changed since your request for information" in page
    assert "Which species exactly?" in page
    assert "<del>Pangolin scales 500 g</del> → <ins>Scales &lt;b&gt;bold&lt;/b&gt;</ins>" in page
    # The long text as a word diff: only the new words are marked.
    assert "<ins> pangolin</ins>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "1 screenshot added" in page
    new_id = report.evidence.order_by("-pk").first().pk
    assert f'/reports/{report.reference}/evidence/{new_id}/" data-zoom' in page
    # Once decided, the diff is no longer shown.
    services.claim_report(report=report, expert=expert)
    services.reject_report(report=report, expert=expert, reason="not_wildlife")
    assert "Changed since your request" not in review_page(client_for(expert), report)


def test_old_resubmission_events_show_field_names_only(client_for, volunteer, expert, company):
    report = _resubmitted(volunteer, expert, company, listing_title="New title")
    # An event written before values were kept (the audit log is append-only: a newer one).
    with transaction.atomic():
        record_event(
            actor=volunteer,
            action=events.RESUBMITTED,
            target=report,
            data={"changed": ["listing_title"]},
        )
    page = review_page(client_for(expert), report)
    assert "changed (earlier value not recorded)" in page


def test_history_of_the_same_listing(client_for, volunteer, other_volunteer, expert, company):
    url = "https://www.example-shop.com/item/4242"
    first = factories.make_report(volunteer, url=url)
    services.claim_report(report=first, expert=expert)
    services.reject_report(report=first, expert=expert, reason="insufficient_evidence")
    withdrawn = factories.make_report(other_volunteer, url=url + "?utm_source=x")
    services.withdraw_report(report=withdrawn, volunteer=other_volunteer)
    current = factories.make_report(volunteer, url=url + "#photos")
    unrelated = factories.make_report(volunteer, url="https://www.example-shop.com/item/1")
    page = review_page(client_for(expert), current)
    assert "History of this listing" in page
    assert first.reference in page and "Rejected" in page
    assert withdrawn.reference not in page  # experts never see withdrawn reports
    assert unrelated.reference not in page


def test_evidence_thumbnails_open_in_zoom_dialog(client_for, expert, claimed):
    page = review_page(client_for(expert), claimed)
    assert 'id="evidence-zoom"' in page and "data-zoom" in page
    assert "js/review.js" in page and "js/shortcuts.js" in page
    assert 'id="shortcut-help"' in page


def test_no_language_leaks_between_tests():
    assert translation.get_language() in ("en", "en-us", None)
    assert Report.objects.count() == 0
