"""The round pages over real HTTP: the admin's form, joining, invitations, teams, the report
(privacy of other participants), the volunteer's home panel and query-count guards."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quality import rollups
from rounds import services
from rounds.models import Participant, ParticipantStatus, Round
from spotter.models import Role
from tests import factories

from .conftest import make_round, report_on

pytestmark = pytest.mark.django_db


def test_admin_creates_a_round_in_three_languages_through_the_form(
    client_for, round_admin, company
):
    pangolins = factories.get_species().group
    client = client_for(round_admin)
    page = client.get(reverse("rounds:create"))
    assert page.status_code == 200 and b'name="briefing_zh"' in page.content
    today = timezone.localdate()
    response = client.post(
        reverse("rounds:create"),
        {
            "title": "Turtle shell in Asia",
            "title_fr": "Écaille de tortue en Asie",
            "title_zh": "亚洲的玳瑁",
            "briefing": "Look for **bekko**.",
            "briefing_fr": "Cherchez le bekko.",
            "briefing_zh": "寻找玳瑁制品。",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=27)).isoformat(),
            "enrolment": "invited",
            "weekly_target_listings": "8",
            "weekly_target_hours": "3",
            "species_groups": [pangolins.pk],
            "companies": [company.pk],
            "languages": "en, ja",
            "countries": "SG, jp",
        },
    )
    round = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rounds/{round.slug}/"
    assert round.translations["zh-hans"] == {"title": "亚洲的玳瑁", "briefing": "寻找玳瑁制品。"}
    assert round.focus_countries == ["JP", "SG"] and list(round.focus_companies.all()) == [company]
    detail = client.get(response["Location"]).content.decode()
    assert "<strong>bekko</strong>" in detail and "Turtle shell in Asia" in detail
    french = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Écaille de tortue en Asie" in french and "Cherchez le bekko." in french


def test_round_form_shows_service_refusals_on_their_fields(client_for, round_admin):
    today = timezone.localdate()
    response = client_for(round_admin).post(
        reverse("rounds:create"),
        {
            "title": "Bad",
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=2)).isoformat(),
            "enrolment": "open",
            "weekly_target_listings": "5",
            "weekly_target_hours": "3",
            "countries": "Singapore",
        },
    )
    assert response.status_code == 200 and not Round.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"ends_on", "countries"}


def test_admin_edits_a_round(client_for, round_admin, running_round):
    url = reverse("rounds:edit", args=[running_round.slug])
    page = client_for(round_admin).get(url)
    assert page.context["form"].initial["title"] == running_round.title
    data = {
        **page.context["form"].initial,
        "title": "Edited",
        "species_groups": [],
        "companies": [],
    }
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    response = client_for(round_admin).post(url, data)
    assert response.status_code == 302
    running_round.refresh_from_db()
    assert running_round.title == "Edited"


def test_volunteer_joins_sees_briefing_and_week_then_leaves(client_for, volunteer, running_round):
    client = client_for(volunteer)
    url = reverse("rounds:detail", args=[running_round.slug])
    assert b"Join the round" in client.get(url).content
    response = client.post(reverse("rounds:join", args=[running_round.slug]))
    assert response.status_code == 302
    assert Participant.objects.get(volunteer=volunteer).status == ParticipantStatus.ACTIVE
    page = client.get(url).content.decode()
    assert 'data-testid="my-week"' in page and "Leave the round" in page
    client.post(reverse("rounds:leave", args=[running_round.slug]))
    assert Participant.objects.get(volunteer=volunteer).status == ParticipantStatus.LEFT


def test_invited_round_is_hidden_from_others_until_invited(
    client_for, round_admin, volunteer, other_volunteer
):
    round = make_round(round_admin, enrolment="invited")
    url = reverse("rounds:detail", args=[round.slug])
    assert client_for(volunteer).get(url).status_code == 404
    assert round.title not in client_for(volunteer).get(reverse("rounds:list")).content.decode()
    response = client_for(round_admin).post(
        reverse("rounds:invite", args=[round.slug]),
        {"emails": f"{volunteer.email}\nstranger@example.org"},
    )
    assert b"stranger@example.org" in response.content
    page = client_for(volunteer).get(url).content.decode()
    assert "Accept the invitation" in page
    client_for(volunteer).post(reverse("rounds:join", args=[round.slug]))
    assert Participant.objects.get(volunteer=volunteer).status == ParticipantStatus.ACTIVE
    assert (
        client_for(other_volunteer).post(reverse("rounds:join", args=[round.slug])).status_code
        == 404
    )


def test_invite_form_names_a_bad_address(client_for, round_admin, running_round):
    response = client_for(round_admin).post(
        reverse("rounds:invite", args=[running_round.slug]), {"emails": "not an email"}
    )
    assert response.status_code == 200 and "emails" in response.context["form"].errors


def test_admin_makes_teams_and_assigns(client_for, round_admin, volunteer, running_round):
    services.join(volunteer=volunteer, round=running_round)
    client = client_for(round_admin)
    client.post(reverse("rounds:teams", args=[running_round.slug]), {"name": "Turtles"})
    team = running_round.teams.get()
    participant = Participant.objects.get(volunteer=volunteer)
    client.post(
        reverse("rounds:assign", args=[running_round.slug]),
        {"participant": participant.pk, "team": team.pk},
    )
    participant.refresh_from_db()
    assert participant.team == team
    page = client.get(reverse("rounds:detail", args=[running_round.slug])).content.decode()
    assert 'data-testid="team-board"' in page and "Turtles" in page


def test_report_shows_others_by_rank_only_to_participants(
    client_for, round_admin, volunteer, other_volunteer, expert, running_round
):
    for person in (volunteer, other_volunteer):
        services.join(volunteer=person, round=running_round)
    factories.make_confirmed_report(volunteer=other_volunteer, expert=expert)
    factories.make_report(volunteer)
    url = reverse("rounds:report", args=[running_round.slug])
    mine = client_for(volunteer).get(url).content.decode()
    assert 'data-testid="my-line"' in mine and "Spotter #1" in mine
    for secret in (other_volunteer.email, str(other_volunteer), other_volunteer.pseudonym):
        assert secret not in mine
    admin_page = client_for(round_admin).get(url).content.decode()
    assert str(other_volunteer) in admin_page and other_volunteer.pseudonym in admin_page
    assert client_for(factories.make_user(Role.VOLUNTEER)).get(url).status_code == 403
    assert 'href="/static/css/rounds.css"' in mine


def test_report_stylesheet_has_print_rules():
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/css/rounds.css").read_text()
    assert "@media print" in css and ".topbar" in css


def test_home_shows_the_current_round_and_my_week(client_for, volunteer, running_round):
    page = client_for(volunteer).get(reverse("reports:mine")).content.decode()
    assert 'data-testid="round-panel"' not in page
    services.join(volunteer=volunteer, round=running_round)
    report_on(volunteer, timezone.localdate())
    page = client_for(volunteer).get(reverse("reports:mine")).content.decode()
    assert 'data-testid="round-panel"' in page and running_round.title in page
    assert "You flagged 1 of 10 listings this week." in page


def _crowd(round, n, expert, admin):
    team = services.create_team(actor=admin, round=round, name=f"Team {n}")
    for _ in range(n):
        person = factories.make_user(Role.VOLUNTEER)
        participant = services.join(volunteer=person, round=round)
        services.assign_team(actor=admin, participant=participant, team=team)
        factories.make_confirmed_report(volunteer=person, expert=expert)
        factories.make_report(person)


@pytest.mark.parametrize("name", ["rounds:report", "rounds:detail"])
def test_round_pages_query_count_does_not_grow(
    name, client_for, round_admin, expert, running_round, django_assert_max_num_queries
):
    client = client_for(round_admin)
    url = reverse(name, args=[running_round.slug])
    _crowd(running_round, 2, expert, round_admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _crowd(running_round, 6, expert, round_admin)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_list_and_home_query_counts_do_not_grow(
    client_for, round_admin, volunteer, expert, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = make_round(round_admin, title="First")
    services.join(volunteer=volunteer, round=first)
    client = client_for(volunteer)
    rollups.refresh()
    counts = {}
    for name in ("rounds:list", "reports:mine"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        counts[name] = len(ctx.captured_queries)
    for n in range(5):
        make_round(round_admin, title=f"More {n}")
    _crowd(first, 4, expert, round_admin)
    rollups.refresh()  # quality's accuracy line folds new reports in on read: not ours to count
    for name, count in counts.items():
        with django_assert_max_num_queries(count):
            assert client.get(reverse(name)).status_code == 200


def test_admin_sees_each_participants_week_and_the_weeks(
    client_for, round_admin, volunteer, other_volunteer
):
    round = make_round(round_admin, days_ago=10, weekly_target_listings=10)  # week 2, day 4
    services.join(volunteer=volunteer, round=round)
    services.join(volunteer=other_volunteer, round=round)
    for _ in range(5):
        report_on(volunteer, timezone.localdate())
    page = client_for(round_admin).get(reverse("rounds:detail", args=[round.slug]))
    people = {p.volunteer: p.this_week for p in page.context["people"]}
    assert (people[volunteer].flagged, people[volunteer].behind) == (5, False)
    assert (people[other_volunteer].flagged, people[other_volunteer].behind) == (0, True)
    html = page.content.decode()
    assert 'data-testid="weeks"' in html and "5/10" in html and "0/10" in html
