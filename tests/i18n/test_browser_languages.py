"""The whole programme in Simplified Chinese and French, in headless Chromium.

A Chinese volunteer picks 中文 in the footer (remembered on the profile), learns and passes
the core and the pangolin quizzes in Chinese, and flags a listing; a French expert confirms it;
French company staff record the outcome. Every page along the way must speak the person's
language: its ``<html lang>``, the translated training content and the interface strings.
"""

import pytest
from django.utils import translation

from reports.models import Report, ReportStatus
from reports.reference import load_reference_data
from spotter.models import Role, User
from tests import factories
from tests.browser import login, logout
from training.content import load_training_content
from training.models import Choice, Lesson, Module
from training.selectors import certification_problem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def html_lang(page) -> str:
    return page.get_attribute("html", "lang")


def pass_quiz(page, base, slug):
    page.goto(f"{base}/training/{slug}/quiz/")
    correct = set(Choice.objects.filter(is_correct=True).values_list("pk", flat=True))
    for radio in page.query_selector_all("input[type=radio]"):
        if int(radio.get_attribute("value")) in correct:
            radio.check()
    page.click("form.quiz button[type=submit], main form button[type=submit]")
    page.wait_for_load_state()


def gettext_in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def test_chinese_volunteer_french_expert_and_company(live_server, page, tmp_path):
    base = live_server.url
    load_reference_data()
    load_training_content()
    company = factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    species = factories.get_species()
    product = factories.get_product_type("scales")
    volunteer = factories.make_user(Role.VOLUNTEER, email="li@example.org", certified=False)
    factories.make_user(Role.EXPERT, email="expert@example.org", language="fr")
    factories.make_user(
        Role.COMPANY_STAFF, company=company, email="staff@example.org", language="fr"
    )
    core = Module.objects.get(slug="core")
    lesson = Lesson.objects.get(module=core, order=1)

    # 1. The volunteer chooses 中文 in the footer; the choice is kept on the profile.
    login(page, base, volunteer.email)
    with page.expect_navigation():
        page.select_option("#lang", "zh-hans")  # app.js submits the form on change
    assert html_lang(page) == "zh-hans"
    volunteer.refresh_from_db()
    assert volunteer.language == "zh-hans"

    # 2. Training in Chinese: module, lesson and quiz text come from the Chinese files.
    page.goto(f"{base}/training/")
    assert core.tr("title", "zh-hans") in page.inner_text("main")
    page.goto(f"{base}/training/core/lessons/1/")
    assert lesson.tr("title", "zh-hans") in page.inner_text("h1")
    assert page.query_selector(".fallback-notice") is None
    pass_quiz(page, base, "core")
    pass_quiz(page, base, "pangolins")
    assert certification_problem(User.objects.get(pk=volunteer.pk)) is None

    # 3. A new session still speaks Chinese (the profile wins over the browser).
    logout(page)
    login(page, base, volunteer.email)
    assert html_lang(page) == "zh-hans"
    shot = tmp_path / "listing.png"
    shot.write_bytes(factories.png_bytes(320, 200))
    page.goto(f"{base}/reports/new/")
    assert gettext_in("zh-hans", "Flag a listing") in page.inner_text("main")
    page.fill("#id_listing_url", "https://www.example-shop.com/item/777")
    page.fill("#id_listing_title", "穿山甲片 500克 批发")
    page.select_option("#id_species", str(species.pk))
    page.select_option("#id_product_type", str(product.pk))
    page.fill("#id_listing_text", "正品甲片，保密发货。")
    page.set_input_files("#id_screenshots", str(shot))
    page.click("form.report-form button[type=submit]")
    page.wait_for_load_state()
    report = Report.objects.get()
    assert html_lang(page) == "zh-hans"
    logout(page)

    # 4. The French expert confirms it.
    login(page, base, "expert@example.org")
    assert html_lang(page) == "fr"
    page.goto(f"{base}/review/{report.reference}/")
    page.click("form[action$='/claim/'] button[type=submit]")
    page.wait_for_load_state()
    assert gettext_in("fr", "Confirm and forward") in page.inner_text("main")
    page.click(f"button:has-text('{gettext_in('fr', 'Confirm and forward')}')")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED
    logout(page)

    # 5. French company staff read the notice and record the removal.
    login(page, base, "staff@example.org")
    assert html_lang(page) == "fr"
    page.goto(f"{base}/company/reports/{report.reference}/")
    assert "li@example.org" not in page.content()
    page.select_option("#id_outcome", "removed")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"button:has-text('{gettext_in('fr', 'Record outcome')}')")
    page.wait_for_load_state()
    assert gettext_in(
        "fr", "Outcome recorded. Thank you for acting on this notice."
    ) in page.inner_text("body")
    report.refresh_from_db()
    assert report.outcome == "removed"
