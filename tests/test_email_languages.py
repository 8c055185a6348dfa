"""Emails to people are in the recipient's language (the profile's interface language, else a
reading language the site speaks), whatever the language of the request that caused them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from reports import tasks
from spotter.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_volunteer_update_email_in_their_profile_language(company, mailoutbox):
    volunteer = factories.make_user(Role.VOLUNTEER, language="zh-hans")
    report = factories.make_confirmed_report(
        volunteer=volunteer, url="https://www.example-shop.com/item/zh-1"
    )
    mailoutbox.clear()
    tasks.notify_volunteer(report.pk, "outcome")
    [message] = mailoutbox
    assert message.to == [volunteer.email]
    assert message.subject == f"[Cyber Spotter] 平台已处理 {report.reference}"


@pytest.mark.parametrize(
    ("language", "words"), [("fr", "mot de passe"), ("zh-hans", "密码"), ("", "Password")]
)
def test_password_reset_email_follows_the_account_language(language, words, mailoutbox):
    user = factories.make_user(Role.VOLUNTEER, email="reader@example.org", language=language)
    # The request itself is in English: the email follows the account, not the page.
    Client(HTTP_ACCEPT_LANGUAGE="en").post(reverse("account_reset_password"), {"email": user.email})
    [message] = mailoutbox
    assert message.to == [user.email]
    assert words.casefold() in (message.subject + message.body).casefold()
    if language:
        assert "Password Reset" not in message.subject


def test_email_to_an_unknown_address_uses_the_page_language(mailoutbox, settings):
    settings.ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
    Client(HTTP_ACCEPT_LANGUAGE="fr").post(
        reverse("account_reset_password"), {"email": "nobody@example.org"}
    )
    [message] = mailoutbox
    assert message.subject == "[Cyber Spotter] Compte inconnu"
