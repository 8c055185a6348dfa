"""Blind second reviews, escalation to a senior expert, and the agreement statistics."""

import pytest
from django.urls import reverse

from quality import services as quality_services
from quality.models import SecondReview, SecondReviewStatus
from quality.services import second_review_draw
from reports.models import Report
from spotter.errors import NotAllowed, SpotterError
from spotter.models import AuditEvent, Role
from tests import factories

from .conftest import decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def sampled(settings):
    settings.SECOND_REVIEW_SHARE = 1.0


@pytest.fixture
def senior(db):
    return factories.make_user(Role.EXPERT, is_senior_expert=True)


def test_sampling_share_is_configurable_and_deterministic(settings, volunteer, expert, company):
    settings.SECOND_REVIEW_SHARE = 0.0
    decide(factories.make_report(volunteer), expert)
    assert not SecondReview.objects.exists()
    settings.SECOND_REVIEW_SHARE = 1.0
    confirmed = decide(factories.make_report(volunteer), expert)
    rejected = decide(factories.make_report(volunteer), expert, "rejected")
    assert SecondReview.objects.get(report=confirmed).first_verdict == "confirmed"
    assert SecondReview.objects.get(report=rejected).first_expert == expert
    # The draw depends only on the reference and the secret: replayable, but not guessable.
    draws = [second_review_draw(Report(reference=f"CS-{i:010d}")) for i in range(2000)]
    assert draws == [second_review_draw(Report(reference=f"CS-{i:010d}")) for i in range(2000)]
    assert 0.08 < sum(d < 0.10 for d in draws) / len(draws) < 0.12
    settings.SECRET_KEY = "another-secret-" * 4
    assert draws[:50] != [second_review_draw(Report(reference=f"CS-{i:010d}")) for i in range(50)]


def test_second_reviewer_is_blind(sampled, client_for, volunteer, expert, other_expert, company):
    report = decide(
        factories.make_report(volunteer, notes="seen at a market"),
        expert,
        "rejected",
        note="Obvious resin, see seam",
    )
    review = SecondReview.objects.get(report=report)
    client = client_for(other_expert)
    queue = client.get(reverse("quality:second_reviews")).content.decode()
    assert review.case_label in queue
    page = client.get(reverse("quality:case", args=[review.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert report.listing_title in html and "seen at a market" in html
    for secret in (
        report.reference,
        "Obvious resin",
        "Rejected",
        "Not a wildlife product",
        volunteer.pseudonym,
        volunteer.email,
        expert.email,
    ):
        assert secret not in html, secret
    evidence = report.evidence.get()
    image = client.get(reverse("quality:case_evidence", args=[review.pk, evidence.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    # The view is logged on the case, not on the report's timeline.
    assert AuditEvent.objects.filter(action="second_review.evidence_viewed").count() == 1
    assert not AuditEvent.objects.filter(object_type="report", action="evidence.viewed").exists()


def test_only_another_expert_may_review(sampled, client_for, volunteer, expert, staff, company):
    review = SecondReview.objects.get(report=decide(factories.make_report(volunteer), expert))
    first = client_for(expert)
    assert review.case_label not in first.get(reverse("quality:second_reviews")).content.decode()
    assert first.get(reverse("quality:case", args=[review.pk])).status_code == 404
    evidence = review.report.evidence.get()
    url = reverse("quality:case_evidence", args=[review.pk, evidence.pk])
    assert first.get(url).status_code == 404
    assert client_for(volunteer).get(reverse("quality:case", args=[review.pk])).status_code == 403
    assert client_for(staff).get(reverse("quality:second_reviews")).status_code == 403
    with pytest.raises(NotAllowed):
        quality_services.submit_second_review(review=review, expert=expert, verdict="confirmed")


def test_agreement_closes_the_case(sampled, client_for, volunteer, expert, other_expert, company):
    review = SecondReview.objects.get(report=decide(factories.make_report(volunteer), expert))
    response = client_for(other_expert).post(
        reverse("quality:case", args=[review.pk]), {"verdict": "confirmed", "note": ""}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == SecondReviewStatus.AGREED and review.second_expert == other_expert
    assert not review.escalated_to_senior and review.decided_at is not None
    assert AuditEvent.objects.filter(action="second_review.decided", actor=other_expert).exists()
    with pytest.raises(SpotterError):
        third = factories.make_user(Role.EXPERT)
        quality_services.submit_second_review(review=review, expert=third, verdict="rejected")


def test_disagreement_goes_to_a_senior_expert(
    sampled, client_for, volunteer, expert, other_expert, senior, company
):
    review = SecondReview.objects.get(report=decide(factories.make_report(volunteer), expert))
    response = client_for(other_expert).post(
        reverse("quality:case", args=[review.pk]),
        {"verdict": "rejected", "note": "Looks like resin to me"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == SecondReviewStatus.ESCALATED and review.escalated_to_senior

    assert client_for(other_expert).get(reverse("quality:senior_queue")).status_code == 404
    senior_client = client_for(senior)
    assert review.case_label in senior_client.get(reverse("quality:senior_queue")).content.decode()
    page = senior_client.get(reverse("quality:case", args=[review.pk])).content.decode()
    assert "Looks like resin to me" in page  # the senior sees both opinions
    missing_note = senior_client.post(
        reverse("quality:case", args=[review.pk]), {"verdict": "confirmed", "note": ""}
    )
    assert missing_note.status_code == 400
    assert "This field is required." in missing_note.content.decode()
    done = senior_client.post(
        reverse("quality:case", args=[review.pk]),
        {"verdict": "confirmed", "note": "Bone structure visible."},
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == SecondReviewStatus.RESOLVED
    assert review.senior_verdict == "confirmed" and review.senior_expert == senior
    assert AuditEvent.objects.filter(action="second_review.resolved", actor=senior).exists()
    # The two experts who disagreed cannot make the final call themselves.
    other_escalated = SecondReview.objects.get(
        report=decide(factories.make_report(volunteer), expert)
    )
    quality_services.submit_second_review(review=other_escalated, expert=senior, verdict="rejected")
    with pytest.raises(NotAllowed):
        quality_services.decide_escalation(
            review=other_escalated, senior=senior, verdict="rejected", note="mine"
        )


def test_dashboard_shows_agreement_and_kappa(
    sampled, client_for, admin_user, volunteer, expert, other_expert, company
):
    # first × second: confirmed×confirmed twice, rejected×rejected once, confirmed×rejected once
    # → p_o = 3/4, p_e = (3/4)(2/4) + (1/4)(2/4) = 1/2, kappa = (0.75 − 0.5)/(1 − 0.5) = 0.5.
    pairs = [("confirmed", "confirmed")] * 2 + [("rejected", "rejected"), ("confirmed", "rejected")]
    for first, second in pairs:
        report = decide(factories.make_report(volunteer), expert, first)
        quality_services.submit_second_review(
            review=SecondReview.objects.get(report=report), expert=other_expert, verdict=second
        )
    html = client_for(admin_user).get(reverse("quality:dashboard")).content.decode()
    assert '<strong data-testid="agreement-rate">0.75</strong>' in html
    assert '<strong data-testid="kappa">0.50</strong>' in html
    csv = client_for(admin_user).get(reverse("quality:chart_csv", args=["agreement"]))
    assert "cohens_kappa,0.5000" in csv.content.decode()
