"""Headless Chromium: a new volunteer signs up, is refused, trains, passes and can then flag."""

import os
import re

import pytest
from django.core import mail

from reports.reference import load_reference_data
from training.content import load_training_content
from training.models import Choice

# Playwright's sync API runs an event loop in the test thread; Django must allow DB access.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "new.spotter@example.org"
PASSWORD = "Wild-life-Watch-2026"


def take_quiz(page, base, slug):
    page.goto(f"{base}/training/{slug}/quiz/")
    fieldsets = page.locator("fieldset[data-question-id]")
    assert fieldsets.count() == 10
    for question_id in fieldsets.evaluate_all("els => els.map(e => e.dataset.questionId)"):
        # The test knows the answers from the database; the page itself never says.
        choice_id = Choice.objects.get(question_id=int(question_id), is_correct=True).pk
        page.check(f"input[name=q{question_id}][value='{choice_id}']")
    page.click("form.quiz button[type=submit]")
    page.wait_for_selector("[data-passed]")
    assert page.get_attribute("[data-passed]", "data-passed") == "true"
    assert page.get_attribute("[data-score]", "data-score") == "100"


def test_new_volunteer_trains_and_then_can_flag(live_server, page, settings):
    settings.SITE_URL = live_server.url  # emailed links use the public base URL
    load_reference_data()
    load_training_content()
    page, base = page, live_server.url

    # 1. Sign up; email verification is mandatory.
    page.goto(f"{base}/accounts/signup/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)

    # 2. Verify the address, then sign in as a fresh session would.
    page.goto(link)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url

    # 3. Not certified yet: the submit page sends them to training with a clear message.
    page.goto(f"{base}/reports/new/")
    assert page.url == f"{base}/training/"
    assert page.is_visible("text=Complete your training to become a certified spotter")
    assert page.locator("[data-module]").count() >= 9

    # 4. Read a lesson, then pass the core module and one species module.
    page.click("[data-module=core] h2 a")
    page.click("text=Start reading")
    assert page.locator(".lesson-body h3").count() >= 1
    take_quiz(page, base, "core")
    assert page.is_visible("[data-certification-problem]")  # core alone is not enough
    take_quiz(page, base, "elephants")
    assert page.is_visible("text=you are a certified spotter")

    # 5. Now the submit form opens.
    page.goto(f"{base}/reports/new/")
    assert page.url == f"{base}/reports/new/"
    assert page.is_visible("form.report-form")
    assert page.is_visible("#id_listing_url")
