"""Issue 13, volunteers: the "needs your input" badge and filter, the resubmit page showing what
is attached, the draft autosave hooks, onboarding for uncertified volunteers (no "Flag a
listing" link that would bounce them) and the bookmarklet kept off phones."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from reports import services
from spotter.models import Role
from tests import factories
from tests.reports.test_query_counts import count_queries
from tests.training.conftest import build_module, correct_answers
from training import services as training_services

pytestmark = pytest.mark.django_db

QUESTION = "Which country is the seller shipping from?"


def ask(report, expert, message=QUESTION):
    services.claim_report(report=report, expert=expert)
    return services.request_info(report=report, expert=expert, message=message)


# --- 1. "Needs your input": header badge, filter, the question in the row -----------------


def test_header_badge_counts_reports_awaiting_the_volunteer(client_for, volunteer, expert):
    factories.make_report(volunteer)  # still in the queue: not counted
    ask(factories.make_report(volunteer), expert)
    ask(factories.make_report(volunteer), expert)
    ask(factories.make_report(factories.make_user(Role.VOLUNTEER)), expert)  # someone else's
    page = client_for(volunteer).get(reverse("quality:accuracy")).content.decode()
    assert 'data-testid="needs-input-badge"' in page
    assert 'data-testid="needs-input-badge">2</span>' in page
    assert ": 2 need your input" in page  # what a screen reader hears after "My reports"


def test_no_badge_when_nothing_awaits(client_for, volunteer):
    factories.make_report(volunteer)
    page = client_for(volunteer).get(reverse("reports:mine")).content.decode()
    assert "needs-input-badge" not in page and "needs-input-filter" not in page


def test_filter_lists_only_reports_awaiting_an_answer_with_the_question(
    client_for, volunteer, expert
):
    waiting = ask(factories.make_report(volunteer, listing_title="Scales asked"), expert)
    factories.make_report(volunteer, listing_title="Scales in queue")
    client = client_for(volunteer)

    everything = client.get(reverse("reports:mine")).content.decode()
    assert "Scales in queue" in everything and "Scales asked" in everything
    assert 'href="?needs=1"' in everything and "Needs your input (1)" in everything
    assert QUESTION in everything  # the question shows in the row, even unfiltered

    only = client.get(reverse("reports:mine") + "?needs=1").content.decode()
    assert "Scales asked" in only and "Scales in queue" not in only
    assert 'data-testid="info-request"' in only and QUESTION in only
    assert reverse("reports:resubmit", args=[waiting.reference]) in only


def test_filter_with_nothing_waiting_says_so(client_for, volunteer):
    factories.make_report(volunteer)
    page = client_for(volunteer).get(reverse("reports:mine") + "?needs=1").content.decode()
    assert "No report is waiting for your answer." in page


def test_filtered_list_query_count_is_constant(client_for, volunteer, expert):
    client = client_for(volunteer)
    ask(factories.make_report(volunteer), expert)
    url = reverse("reports:mine") + "?needs=1"
    small = count_queries(client, url)
    for _ in range(6):
        ask(factories.make_report(volunteer), expert)
    assert count_queries(client, url) == small


# --- 2. The resubmit page: what is attached and what was asked, before the fields ----------


def test_resubmit_shows_existing_evidence_and_question_before_fields(client_for, volunteer, expert):
    report = ask(factories.make_report(volunteer), expert)
    evidence = report.evidence.get()
    page = client_for(volunteer).get(reverse("reports:resubmit", args=[report.reference]))
    html = page.content.decode()
    thumb = reverse("reports:evidence", args=[report.reference, evidence.pk])
    assert f'<img src="{thumb}"' in html
    assert html.index(QUESTION) < html.index('name="listing_url"')
    assert html.index(thumb) < html.index('name="listing_url"')
    # The thumbnail goes through the permission-checked evidence view: the owner sees it.
    assert client_for(volunteer).get(thumb).status_code == 200


# --- 3. Draft autosave: the hooks draft.js needs ------------------------------------------


def test_submit_form_carries_a_per_user_draft_key_and_the_script(client_for, volunteer):
    html = client_for(volunteer).get(reverse("reports:submit")).content.decode()
    assert f'data-draft-key="cyber-spotter:report-draft:{volunteer.pk}"' in html
    assert "js/draft.js" in html
    assert "data-draft-notice hidden" in html and "data-draft-bound" not in html
    script = Path(settings.BASE_DIR, "static", "js", "draft.js").read_text()
    assert "localStorage" in script and "data-draft-bound" in script


def test_a_refused_submit_marks_the_form_bound_so_the_draft_is_kept(client_for, volunteer):
    html = client_for(volunteer).post(reverse("reports:submit"), {"listing_title": "x"})
    assert "data-draft-bound" in html.content.decode()


# --- 4. Onboarding: one rule (reports.gates) decides every "Flag a listing" link ----------


@pytest.fixture
def newcomer(db):
    return factories.make_user(Role.VOLUNTEER, certified=False)


def test_uncertified_volunteer_sees_training_path_and_no_flag_links(client_for, newcomer):
    client = client_for(newcomer)
    landing = client.get(reverse("home"), follow=True)
    html = landing.content.decode()
    assert landing.redirect_chain[-1][0] == reverse("reports:mine")
    assert reverse("reports:submit") not in html  # nav, page head, empty state, bookmarklet
    assert "Start with the core module" in html
    assert "Finish training to flag listings" in html
    assert reverse("training:start") in html
    assert 'data-testid="bookmarklet"' not in html
    # Other pages' headers say the same.
    other = client.get(reverse("training:home")).content.decode()
    assert reverse("reports:submit") not in other and "Finish training to flag listings" in other


def test_certified_volunteer_keeps_the_flag_links(client_for, volunteer):
    html = client_for(volunteer).get(reverse("reports:mine")).content.decode()
    assert f'href="{reverse("reports:submit")}"' in html
    assert "Finish training to flag listings" not in html
    assert "Start with the core module" not in html
    assert "Flag your first listing" in html  # the empty state
    assert 'data-testid="bookmarklet"' in html


def test_start_goes_to_the_core_module(client_for, newcomer):
    client = client_for(newcomer)
    assert client.get(reverse("training:start"))["Location"] == reverse("training:home")
    build_module("elephants", order=1)
    build_module("core", is_core=True, order=5)
    assert client.get(reverse("training:start"))["Location"] == reverse(
        "training:module", args=["core"]
    )


def pass_quiz(user, module):
    attempt = training_services.start_attempt(user=user, module=module)
    answers = correct_answers(attempt)
    return training_services.submit_attempt(attempt=attempt, user=user, answers=answers).attempt


def test_passing_certification_leads_to_the_first_listing(client_for, newcomer, settings):
    settings.QUIZ_PASS_PERCENT = 80
    core = build_module("core", is_core=True)
    elephants = build_module("elephants", order=10)
    client = client_for(newcomer)
    first = pass_quiz(newcomer, core)  # core alone does not certify
    html = client.get(reverse("training:result", args=[first.pk])).content.decode()
    assert "Flag your first listing" not in html
    second = pass_quiz(newcomer, elephants)
    html = client.get(reverse("training:result", args=[second.pk])).content.decode()
    assert "Flag your first listing" in html and reverse("reports:submit") in html


def test_other_roles_get_no_volunteer_links(client_for, expert):
    html = client_for(expert).get(reverse("training:home")).content.decode()
    assert "Finish training to flag listings" not in html and "needs-input-badge" not in html


# --- 5. The bookmarklet part of the card is desktop-only ----------------------------------


def test_bookmarklet_is_wrapped_for_the_phone_media_query(client_for, volunteer):
    html = client_for(volunteer).get(reverse("reports:mine")).content.decode()
    assert 'class="desktop-only" data-testid="bookmarklet-card"' in html
    css = Path(settings.BASE_DIR, "static", "css", "app.css").read_text()
    assert "@media (max-width: 760px) { .bookmarklet .desktop-only { display: none; } }" in css
