"""Training pages over HTTP: the submission gate, permissions, lessons, progress, stats."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from spotter.models import Role
from training import services
from training.models import Certificate, Lesson, LessonView

from .conftest import correct_answers, make_user

pytestmark = pytest.mark.django_db


# --- The gate on submission ------------------------------------------------------------------


def test_uncertified_volunteer_is_sent_to_training_with_a_message(login, learner, core):
    client = login(learner)
    response = client.get(reverse("reports:submit"))
    assert response.status_code == 302 and response["Location"] == reverse("training:home")
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Complete your training to become a certified spotter" in text
    assert "data-certification-problem" in text


def test_certified_volunteer_gets_the_submit_form(login, certified_volunteer):
    response = login(certified_volunteer).get(reverse("reports:submit"))
    assert response.status_code == 200
    assert 'name="listing_url"' in response.content.decode()


def test_expired_volunteer_is_refused_with_the_expiry_date(login, certified_volunteer):
    Certificate.objects.filter(user=certified_volunteer).update(
        expires_at=timezone.now() - timedelta(days=2)
    )
    response = login(certified_volunteer).get(reverse("reports:submit"))
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("expired on" in m for m in messages)


def test_passing_both_quizzes_over_http_opens_the_submit_form(login, learner, core, elephants):
    client = login(learner)
    for module in (core, elephants):
        client.get(reverse("training:quiz", args=[module.slug]))
        attempt = learner.quiz_attempts.get(module=module)
        answers = {f"q{q}": c for q, c in correct_answers(attempt).items()}
        response = client.post(
            reverse("training:quiz", args=[module.slug]), {"attempt": attempt.pk, **answers}
        )
        assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("certified spotter" in m for m in messages)
    assert client.get(reverse("reports:submit")).status_code == 200


# --- Permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("training:home"),
        reverse("training:progress"),
        reverse("training:stats"),
        reverse("training:module", args=["core"]),
        reverse("training:lesson", args=["core", 1]),
        reverse("training:quiz", args=["core"]),
        reverse("training:result", args=[1]),
    ],
)
def test_anonymous_users_are_sent_to_login(client, core, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_practice_endpoint_needs_login(client, decided_report):
    report = decided_report()
    response = client.post(reverse("training:practice_question", args=[report.reference]))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.EXPERT])
def test_only_admins_see_the_stats(login, role):
    assert login(make_user(role)).get(reverse("training:stats")).status_code == 403


def test_admin_sees_people_trained_by_role_company_and_country(
    login, programme_admin, core, learner, trainer_expert
):
    from reports.models import MemberCompany

    company = MemberCompany.objects.create(slug="shopco", name="ShopCo")
    staff = make_user(Role.COMPANY_STAFF, company=company, country="CN")
    for user in (learner, trainer_expert, staff):
        attempt = services.start_attempt(user=user, module=core)
        services.submit_attempt(attempt=attempt, user=user, answers=correct_answers(attempt))
    failed = make_user(country="FR")
    attempt = services.start_attempt(user=failed, module=core)
    services.submit_attempt(attempt=attempt, user=failed, answers={})

    response = login(programme_admin).get(reverse("training:stats"))
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats["totals"] == {"learners": 4, "trained": 3}
    by_role = {row["role"]: (row["trained"], row["learners"]) for row in stats["by_role"]}
    assert by_role == {"volunteer": (1, 2), "expert": (1, 1), "company_staff": (1, 1)}
    assert [(r["company__name"], r["trained"]) for r in stats["by_company"]] == [("ShopCo", 1)]
    by_country = {row["country"]: row["trained"] for row in stats["by_country"]}
    assert by_country == {"US": 2, "CN": 1, "FR": 0}
    assert "ShopCo" in response.content.decode()


def test_unpublished_module_is_hidden(login, learner, core):
    core.is_published = False
    core.save()
    client = login(learner)
    assert client.get(reverse("training:module", args=["core"])).status_code == 404
    assert client.get(reverse("training:quiz", args=["core"])).status_code == 404
    assert "Module core" not in client.get(reverse("training:home")).content.decode()


# --- Pages ---------------------------------------------------------------------------------


def test_lesson_markdown_is_rendered_and_sanitised(login, learner, core):
    lesson = Lesson.objects.get(module=core, order=1)
    lesson.body_markdown = (
        "### Heading\n\nSome **bold** text.\n\n<script>alert(1)</script>\n\n"
        '<img src=x onerror="alert(2)">\n\n[link](javascript:alert(3))'
    )
    lesson.visual_clues = ["Cross-hatched lines"]
    lesson.search_terms = ["white gold", "象牙"]
    lesson.law = "CITES Appendix I."
    lesson.save()
    response = login(learner).get(reverse("training:lesson", args=["core", 1]))
    html = response.content.decode()
    assert "<h3>Heading</h3>" in html and "<strong>bold</strong>" in html
    assert "alert(1)" not in html and "onerror" not in html and "javascript:" not in html
    for text in ("Cross-hatched lines", "象牙", "CITES Appendix I."):
        assert text in html
    assert LessonView.objects.filter(user=learner, lesson=lesson).count() == 1


def test_training_pages_have_no_inline_scripts_or_styles(login, learner, core):
    client = login(learner)
    urls = [
        reverse("training:home"),
        reverse("training:progress"),
        reverse("training:module", args=["core"]),
        reverse("training:lesson", args=["core", 1]),
        reverse("training:quiz", args=["core"]),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert " style=" not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_home_lists_modules_with_status(login, learner, core, elephants):
    from .conftest import build_module

    build_module("aardvarks", questions=1, order=50)
    attempt = services.start_attempt(user=learner, module=core)
    services.submit_attempt(attempt=attempt, user=learner, answers=correct_answers(attempt))
    html = login(learner).get(reverse("training:home")).content.decode()
    positions = [html.index(f'data-module="{slug}"') for slug in ("core", "elephants", "aardvarks")]
    assert positions == sorted(positions)  # by the module's order, core first
    assert "Best quiz score: 100%" in html
    assert "Pass at least one species module" in html


def test_home_shows_refresher_prompt_when_expiring(login, certified_volunteer):
    Certificate.objects.filter(user=certified_volunteer).update(
        expires_at=timezone.now() + timedelta(days=10)
    )
    html = login(certified_volunteer).get(reverse("training:home")).content.decode()
    assert "data-refresher" in html and "Certified spotter" in html


def test_home_for_company_staff_says_certificates_are_for_volunteers(login, core):
    from reports.models import MemberCompany

    staff = make_user(Role.COMPANY_STAFF, company=MemberCompany.objects.create(slug="s", name="S"))
    html = login(staff).get(reverse("training:home")).content.decode()
    assert "Spotter certificates are for volunteers" in html


def test_progress_page_shows_modules_scores_and_certificate(login, learner, core, elephants):
    for module in (core, elephants):
        attempt = services.start_attempt(user=learner, module=module)
        services.submit_attempt(attempt=attempt, user=learner, answers=correct_answers(attempt))
    login(learner).get(reverse("training:lesson", args=["core", 1]))
    response = login(learner).get(reverse("training:progress"))
    html = response.content.decode()
    core_row = next(r for r in response.context["progress"] if r.module == core)
    assert (core_row.lessons_read, core_row.lessons_total, core_row.best_score) == (1, 3, 100)
    assert "Certified spotter" in html and "Valid until" in html


def test_expert_can_edit_training_content_in_admin(login, trainer_expert, core):
    client = login(trainer_expert)
    assert trainer_expert.groups.filter(name="Experts (training editors)").exists()
    assert client.get(reverse("admin:training_module_change", args=[core.pk])).status_code == 200
    question = core.questions.first()
    assert (
        client.get(reverse("admin:training_question_change", args=[question.pk])).status_code == 200
    )
    # Records are not theirs to edit.
    assert client.get(reverse("admin:training_certificate_changelist")).status_code == 403


def test_role_change_keeps_the_editor_group_in_step(trainer_expert):
    from spotter.services import change_role

    change_role(user=trainer_expert, role=Role.VOLUNTEER)
    assert not trainer_expert.groups.filter(name="Experts (training editors)").exists()
    change_role(user=trainer_expert, role=Role.EXPERT)
    assert trainer_expert.groups.filter(name="Experts (training editors)").exists()
