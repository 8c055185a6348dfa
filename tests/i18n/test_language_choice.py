"""The interface language: chosen once, remembered on the profile, used for pages and emails."""

import pytest
from django.core import mail
from django.utils import translation

from spotter.languages import user_language
from spotter.models import Role, User
from spotter.services import send_invitation
from tests import factories

pytestmark = pytest.mark.django_db


def test_switcher_remembers_the_choice_on_the_profile(client):
    user = factories.make_user(Role.VOLUNTEER)
    client.force_login(user)
    response = client.post("/language/", {"language": "fr", "next": "/profile/"})
    assert response.status_code == 302 and response["Location"] == "/profile/"
    user.refresh_from_db()
    assert user.language == "fr"
    # A browser asking for Chinese still gets French: the profile wins.
    client.cookies.clear()
    client.force_login(user)
    page = client.get("/profile/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert '<html lang="fr">' in page.content.decode()


def test_switcher_for_visitors_only_sets_the_cookie(client):
    response = client.post("/language/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "zh-hans"


def test_unknown_language_changes_nothing(client):
    user = factories.make_user(Role.VOLUNTEER)
    client.force_login(user)
    client.post("/language/", {"language": "xx", "next": "/profile/"})
    user.refresh_from_db()
    assert user.language == ""


def test_profile_form_offers_lists_and_saves_codes(client):
    user = factories.make_user(Role.VOLUNTEER, country="")
    client.force_login(user)
    page = client.get("/profile/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<option value="CN">Chine</option>' in page
    assert '<option value="de">Allemand</option>' in page
    response = client.post(
        "/profile/",
        {"display_name": "Li", "country": "CN", "languages": ["zh", "en"], "language": "zh-hans"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.country, user.languages, user.language) == ("CN", "zh,en", "zh-hans")


@pytest.mark.parametrize(
    "field, value",
    [("country", "XX"), ("country", "usa"), ("languages", ["klingon"]), ("language", "de")],
)
def test_profile_form_refuses_values_not_on_the_lists(client, field, value):
    user = factories.make_user(Role.VOLUNTEER)
    client.force_login(user)
    data = {"display_name": "Li", "country": "US", "languages": ["en"], "language": ""}
    data[field] = value
    response = client.post("/profile/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_sign_up_takes_country_and_languages_from_lists(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    page = client.get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<option value="FR">法国</option>' in page
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a-long-enough-password-2026",
            "password2": "a-long-enough-password-2026",
            "display_name": "Nouveau",
            "country": "FR",
            "languages": ["fr", "en"],
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new@example.org")
    assert (user.role, user.country, user.languages, user.language) == (
        Role.VOLUNTEER,
        "FR",
        "fr,en",
        "fr",
    )


def test_user_language_rule():
    assert user_language(User(language="zh-hans", languages="fr")) == "zh-hans"
    assert user_language(User(languages="sw, fr")) == "fr"
    assert user_language(User(languages="zh")) == "zh-hans"
    assert user_language(User()) == "en"
    assert user_language(None) == "en"


def test_invitation_is_written_in_the_invitees_language():
    user = factories.make_user(Role.EXPERT, language="zh-hans")
    mail.outbox.clear()
    send_invitation(user=user)
    with translation.override("zh-hans"):
        expected = translation.gettext("You are invited to Cyber Spotter")
    assert expected != "You are invited to Cyber Spotter"
    assert mail.outbox[-1].subject == expected
