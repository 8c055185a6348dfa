"""A blind second review is blind everywhere (quality.blind, spotter.permissions).

While a case is open, an expert who may give the second opinion finds the listing on the case
page and nowhere else: no report page, review page, screenshot or package URL, API list (with
or without filters), API detail, review queue, CSV, timeline, practice question or admin page
shows them the first verdict, the first expert's note, who decided, the corrected species or the
volunteer. Once the second opinion is recorded, normal visibility returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.tokens import create_token
from quality.blind import has_open_blind_review
from quality.models import SecondReview, SecondReviewStatus
from reports.models import Report, ReportStatus
from spotter.models import Role, User
from tests import factories
from training import services as training_services
from training.models import Choice, Module, Question, QuizAttempt

from .conftest import decide, elephant

pytestmark = pytest.mark.django_db

FIRST_NOTE = "Bone grain visible under the lamp"
REJECT_NOTE = "Obvious resin, see the seam"
CONTROL_NOTE = "Clear scales on the control listing"
LISTING_URL = "https://www.example-shop.com/item/carved-ivory-bangle"


@dataclass
class World:
    volunteer: User
    first: User  # made the first decisions
    reviewer: User  # may give the blind second opinions
    confirmed: Report  # confirmed (species corrected) and forwarded; case open
    rejected: Report  # rejected; case open
    duplicate: Report  # a later report of the confirmed listing, linked to it
    control: Report  # decided without a second review: visible as usual
    confirmed_case: SecondReview
    rejected_case: SecondReview
    practice: Question  # made by the first expert from the rejected report

    @property
    def hidden(self) -> list[Report]:
        return [self.confirmed, self.rejected, self.duplicate]


@pytest.fixture
def world(settings, company) -> World:
    volunteer = factories.make_user(Role.VOLUNTEER, email="vera.volunteer@example.org")
    first = factories.make_user(
        Role.EXPERT, email="fiona.first@example.org", display_name="Fiona Firstdecider"
    )
    reviewer = factories.make_user(Role.EXPERT, email="rex.reviewer@example.org")
    control_expert = factories.make_user(Role.EXPERT)

    settings.SECOND_REVIEW_SHARE = 0.0
    control = decide(factories.make_report(), control_expert, note=CONTROL_NOTE)

    settings.SECOND_REVIEW_SHARE = 1.0
    confirmed = decide(
        factories.make_report(volunteer, url=LISTING_URL, notes="seen at a market"),
        first,
        species=elephant(),
        note=FIRST_NOTE,
    )
    rejected = decide(
        factories.make_report(volunteer, listing_title="Resin tortoiseshell comb"),
        first,
        "rejected",
        reason="legal_trade",
        note=REJECT_NOTE,
    )
    duplicate = factories.make_report(url=LISTING_URL)
    confirmed.refresh_from_db()
    assert confirmed.status == ReportStatus.FORWARDED and duplicate.duplicate_of == confirmed

    core = Module.objects.create(slug="core-blind", title="Core", is_core=True, order=1)
    for n in range(2):
        question = Question.objects.create(module=core, prompt=f"Plain question {n}?")
        for c in range(2):
            Choice.objects.create(question=question, text=f"c{c}", is_correct=c == 0, order=c)
    practice = training_services.create_practice_question(report=rejected, expert=first)

    return World(
        volunteer=volunteer,
        first=first,
        reviewer=reviewer,
        confirmed=confirmed,
        rejected=rejected,
        duplicate=duplicate,
        control=control,
        confirmed_case=SecondReview.objects.get(report=confirmed),
        rejected_case=SecondReview.objects.get(report=rejected),
        practice=practice,
    )


def traces(world: World) -> list[str]:
    """What gives the first decisions (or who made them, or who reported) away."""
    return [
        *(report.reference for report in world.hidden),
        FIRST_NOTE,
        REJECT_NOTE,
        world.first.email,
        world.first.display_name,
        world.volunteer.email,
        world.volunteer.pseudonym,
        "Loxodonta africana",  # the species as the first expert corrected it
        "African elephant",
        "Legal trade",  # the rejection reason
        "Experts rejected this real report",  # the practice question's explanation
    ]


# Status and verdict words, for pages on which no other decided report appears.
STATUS_WORDS = ["Forwarded to company", "Confirmed", "Rejected", "Duplicate", "has been decided"]


def assert_blind(body: str | bytes, world: World, *, status_words: bool = True) -> None:
    text = body.decode() if isinstance(body, bytes) else body
    for secret in traces(world) + (STATUS_WORDS if status_words else []):
        assert secret not in text, secret


def api_for(user: User) -> APIClient:
    client = APIClient()
    _token, raw = create_token(user=user, name="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def api_references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["reference"] for item in response.json()["results"]]


def test_the_rule_covers_every_expert_who_may_take_the_case(world, admin_user, staff):
    third = factories.make_user(Role.EXPERT)
    for report in (world.confirmed, world.rejected):
        assert has_open_blind_review(world.reviewer, report)
        assert has_open_blind_review(third, report)
        # The first expert, the volunteer, admins and companies are never asked to review it.
        for user in (world.first, world.volunteer, admin_user, staff):
            assert not has_open_blind_review(user, report)
    assert not has_open_blind_review(world.reviewer, world.control)
    # They keep their usual view of the report.
    assert (
        api_for(world.first)
        .get(f"/api/v1/reports/{world.confirmed.reference}/")
        .json()["expert_note"]
        == FIRST_NOTE
    )
    assert world.rejected.reference in api_references(
        api_for(world.volunteer).get("/api/v1/reports/")
    )
    assert world.confirmed.reference in api_references(api_for(admin_user).get("/api/v1/reports/"))
    assert world.confirmed.reference in api_references(
        api_for(staff).get("/api/v1/company/reports/")
    )


def test_the_case_page_has_what_the_reviewer_needs_and_no_more(world, client_for):
    client = client_for(world.reviewer)
    queue = client.get(reverse("quality:second_reviews"))
    assert queue.status_code == 200
    html = queue.content.decode()
    assert world.confirmed_case.case_label in html and world.rejected_case.case_label in html
    assert_blind(html, world)

    page = client.get(reverse("quality:case", args=[world.confirmed_case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    # The listing (its address included), the volunteer's species and notes, the screenshots.
    for needed in (LISTING_URL, world.confirmed.listing_title, "seen at a market", "Manis"):
        assert needed in html, needed
    evidence = world.confirmed.evidence.get()
    image_url = reverse("quality:case_evidence", args=[world.confirmed_case.pk, evidence.pk])
    assert image_url in html
    assert client.get(image_url).status_code == 200
    assert_blind(html, world)


def test_no_page_shows_the_report_to_the_reviewer(world, client_for):
    client = client_for(world.reviewer)
    queue = client.get(reverse("reports:queue"))
    assert queue.status_code == 200
    assert_blind(queue.content, world)
    for report in world.hidden:
        ref = report.reference
        evidence = report.evidence.first()
        for url in (
            reverse("reports:review", args=[ref]),
            reverse("reports:evidence", args=[ref, evidence.pk]),
            reverse("reports:evidence_package", args=[ref]),
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert_blind(response.content, world)
        detail = client.get(reverse("reports:detail", args=[ref]), follow=True)
        assert detail.status_code == 404
        assert_blind(detail.content, world)
        # Acting on it (claiming, making a practice question) finds nothing either.
        for url in (
            reverse("reports:claim", args=[ref]),
            reverse("training:practice_question", args=[ref]),
        ):
            assert client.post(url).status_code == 404, url
    # The control report, decided without a second review, opens as usual, timeline included.
    control = client.get(reverse("reports:review", args=[world.control.reference]))
    assert control.status_code == 200
    assert "An expert confirmed the report." in control.content.decode()


FILTERS = [
    {},
    {"status": "confirmed"},
    {"status": "forwarded"},
    {"status": "rejected"},
    {"status": "duplicate"},
    {"verdict": "confirmed"},
    {"verdict": "rejected"},
    {"platform": "shopco"},
    {"group": "elephants"},
    {"group": "pangolins"},
    {"product_type": "scales"},
    {"ordering": "-updated_at"},
]


def test_the_api_does_not_find_the_report_with_any_filter(world):
    client = api_for(world.reviewer)
    hidden = {report.reference for report in world.hidden}
    for params in FILTERS:
        response = client.get("/api/v1/reports/", params)
        references = api_references(response)
        # Only the control report may come back, whatever the filter.
        assert set(references) <= {world.control.reference}, params
        assert_blind(response.content, world, status_words=False)
    assert api_references(client.get("/api/v1/reports/")) == [world.control.reference]
    assert api_references(client.get("/api/v1/reports/", {"status": "forwarded"})) == [
        world.control.reference
    ]
    species = api_references(client.get("/api/v1/reports/", {"species": elephant().pk}))
    assert not hidden & set(species)

    for report in world.hidden:
        ref = report.reference
        evidence = report.evidence.first()
        for url in (
            f"/api/v1/reports/{ref}/",
            f"/api/v1/reports/{ref}/evidence/{evidence.pk}/",
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert_blind(response.content, world)
        claim = client.post(f"/api/v1/reports/{ref}/claim/")
        assert claim.status_code == 404
    queue = client.get("/api/v1/review/queue/")
    assert api_references(queue) == []


def test_csv_downloads_show_nothing(world, client_for):
    client = client_for(world.reviewer)
    for url in (
        reverse("quality:chart_csv", args=["agreement"]),
        reverse("quality:chart_csv", args=["regions"]),
        reverse("quality:volunteers") + "?format=csv",
        reverse("quality:transparency") + "?format=csv",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert_blind(response.content, world)


def test_practice_questions_from_the_case_are_kept_from_the_reviewer(world, client_for):
    client = client_for(world.reviewer)
    quiz = client.get(reverse("training:quiz", args=["core-blind"]))
    assert quiz.status_code == 200
    attempt = QuizAttempt.objects.get(user=world.reviewer)
    assert attempt.question_count == 2 and world.practice.pk not in attempt.question_ids
    assert world.rejected.listing_title not in quiz.content.decode()

    changelist = client.get("/admin/training/question/")
    assert changelist.status_code == 200
    change_url = f"/admin/training/question/{world.practice.pk}/change/"
    assert change_url not in changelist.content.decode()
    assert client.get(change_url).status_code == 302  # "does not exist" → admin index
    module_page = client.get(f"/admin/training/module/{world.practice.module_id}/change/")
    assert module_page.status_code == 200
    assert change_url not in module_page.content.decode()
    for response in (changelist, module_page):
        assert_blind(response.content, world, status_words=False)
    # The first expert, who made it, still finds it.
    assert change_url in client_for(world.first).get("/admin/training/question/").content.decode()


def test_normal_visibility_returns_once_the_second_opinion_is_recorded(world, client_for):
    client = client_for(world.reviewer)
    done = client.post(
        reverse("quality:case", args=[world.confirmed_case.pk]),
        {"verdict": "confirmed", "note": "Agree: ivory"},
    )
    assert done.status_code == 302
    world.confirmed_case.refresh_from_db()
    assert world.confirmed_case.status == SecondReviewStatus.AGREED
    assert not has_open_blind_review(world.reviewer, world.confirmed)

    ref = world.confirmed.reference
    page = client.get(reverse("reports:review", args=[ref]))
    assert page.status_code == 200
    html = page.content.decode()
    assert FIRST_NOTE in html and "An expert confirmed the report." in html  # the timeline is back
    assert world.volunteer.pseudonym in html and "Forwarded to company" in html
    api = api_for(world.reviewer)
    detail = api.get(f"/api/v1/reports/{ref}/").json()
    assert detail["expert_note"] == FIRST_NOTE and detail["species"]["id"] == elephant().pk
    assert ref in api_references(api.get("/api/v1/reports/", {"status": "forwarded"}))
    assert world.duplicate.reference in api_references(
        api.get("/api/v1/reports/", {"status": "duplicate"})
    )

    # The other case is still open: still hidden, on pages and in the API.
    assert has_open_blind_review(world.reviewer, world.rejected)
    ref = world.rejected.reference
    assert client.get(reverse("reports:review", args=[ref])).status_code == 404
    assert api.get(f"/api/v1/reports/{ref}/").status_code == 404
    assert ref not in api_references(api.get("/api/v1/reports/", {"status": "rejected"}))
    change_url = f"/admin/training/question/{world.practice.pk}/change/"
    assert change_url not in client.get("/admin/training/question/").content.decode()

    # A disagreement goes to a senior expert; the second reviewer has given their opinion, so
    # the first decision is no longer hidden from them.
    client.post(
        reverse("quality:case", args=[world.rejected_case.pk]),
        {"verdict": "confirmed", "note": "Looks like real shell"},
    )
    world.rejected_case.refresh_from_db()
    assert world.rejected_case.status == SecondReviewStatus.ESCALATED
    assert REJECT_NOTE in client.get(reverse("reports:review", args=[ref])).content.decode()
    assert ref in api_references(api.get("/api/v1/reports/", {"status": "rejected"}))
    assert change_url in client.get("/admin/training/question/").content.decode()
