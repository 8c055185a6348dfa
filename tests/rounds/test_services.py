from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Kind, Notification
from rounds import services, signals
from rounds.models import Enrolment, Participant, ParticipantStatus
from spotter.errors import InvalidInput, InvalidState, NotAllowed
from spotter.models import AuditEvent, Role
from tests import factories

from .conftest import make_round

pytestmark = pytest.mark.django_db


def test_create_round_saves_three_languages_audits_and_signals_once(round_admin):
    sent = []
    signals.round_changed.connect(
        lambda **kw: sent.append(kw["action"]), weak=False, dispatch_uid="t"
    )
    try:
        round = make_round(
            round_admin,
            title="  Ivory online ",
            briefing="Look for ivory.",
            languages=["EN", " zh "],
            countries=["sg", "cn"],
            translations={
                "fr": {"title": "Ivoire en ligne", "briefing": "Cherchez l'ivoire."},
                "zh-hans": {"title": "网上象牙", "briefing": ""},
                "de": {"title": "ignored"},
            },
        )
    finally:
        signals.round_changed.disconnect(dispatch_uid="t")
    assert round.title == "Ivory online"
    assert round.focus_languages == ["en", "zh"] and round.focus_countries == ["CN", "SG"]
    assert round.translations == {
        "fr": {"title": "Ivoire en ligne", "briefing": "Cherchez l'ivoire."},
        "zh-hans": {"title": "网上象牙"},
    }
    assert round.tr("title", "fr") == "Ivoire en ligne"
    assert round.tr("briefing", "zh-hans") == "Look for ivory."  # falls back to English
    assert sent == [signals.CREATED]
    assert AuditEvent.objects.filter(action=signals.CREATED, object_id=str(round.pk)).count() == 1


def test_create_round_refuses_bad_input_naming_each_field(round_admin):
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as exc:
        services.create_round(
            actor=round_admin,
            data=services.RoundData(
                title=" ",
                starts_on=today,
                ends_on=today - timedelta(days=1),
                weekly_target_listings=0,
                languages=["english!"],
                countries=["Singapore"],
            ),
        )
    assert set(exc.value.errors) == {
        "title",
        "ends_on",
        "weekly_target_listings",
        "languages",
        "countries",
    }


def test_only_admins_create_rounds(volunteer, expert):
    for user in (volunteer, expert):
        with pytest.raises(NotAllowed):
            make_round(user)


def test_update_round_saves_only_what_changed(round_admin, running_round):
    data = services.RoundData(
        title="Renamed",
        starts_on=running_round.starts_on,
        ends_on=running_round.ends_on,
        weekly_target_listings=12,
    )
    services.update_round(actor=round_admin, round=running_round, data=data)
    running_round.refresh_from_db()
    assert running_round.title == "Renamed" and running_round.weekly_target_listings == 12
    event = AuditEvent.objects.get(action=signals.UPDATED)
    assert set(event.data["changed"]) == {"title", "weekly_target_listings"}


def test_join_open_round_and_leave_and_come_back(volunteer, running_round):
    participant = services.join(volunteer=volunteer, round=running_round)
    assert participant.status == ParticipantStatus.ACTIVE and participant.joined_at
    with pytest.raises(InvalidState):
        services.join(volunteer=volunteer, round=running_round)
    services.leave(volunteer=volunteer, round=running_round)
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.LEFT and participant.left_at
    with pytest.raises(InvalidState):
        services.leave(volunteer=volunteer, round=running_round)
    services.join(volunteer=volunteer, round=running_round)
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACTIVE and participant.left_at is None


def test_uncertified_volunteers_and_other_roles_cannot_join(running_round, expert):
    newcomer = factories.make_user(Role.VOLUNTEER, certified=False)
    with pytest.raises(InvalidState, match="certified"):
        services.join(volunteer=newcomer, round=running_round)
    with pytest.raises(InvalidState):
        services.join(volunteer=expert, round=running_round)
    assert not Participant.objects.exists()


def test_finished_round_cannot_be_joined(round_admin, volunteer):
    over = make_round(round_admin, days_ago=40)
    with pytest.raises(InvalidState, match="over"):
        services.join(volunteer=volunteer, round=over)


def test_invited_round_needs_an_invitation(round_admin, volunteer, other_volunteer):
    round = make_round(round_admin, enrolment=Enrolment.INVITED)
    with pytest.raises(InvalidState, match="invitation"):
        services.join(volunteer=volunteer, round=round)
    result = services.invite(
        actor=round_admin,
        round=round,
        emails=[volunteer.email, "nobody@example.org", volunteer.email.upper().lower()],
    )
    assert result.invited == [volunteer.email] and result.unknown == ["nobody@example.org"]
    invited = Participant.objects.get(round=round, volunteer=volunteer)
    assert invited.status == ParticipantStatus.INVITED and invited.invited_at
    assert Notification.objects.filter(user=volunteer, kind=Kind.ROUND_INVITED).count() == 1
    again = services.invite(actor=round_admin, round=round, emails=[volunteer.email])
    assert again.already == [volunteer.email]
    assert Notification.objects.filter(user=volunteer, kind=Kind.ROUND_INVITED).count() == 1
    services.join(volunteer=volunteer, round=round)  # accepts
    invited.refresh_from_db()
    assert invited.status == ParticipantStatus.ACTIVE
    with pytest.raises(InvalidState):
        services.join(volunteer=other_volunteer, round=round)


def test_invite_is_for_admins_and_parse_emails_names_the_field(volunteer, running_round):
    with pytest.raises(NotAllowed):
        services.invite(actor=volunteer, round=running_round, emails=[volunteer.email])
    with pytest.raises(InvalidInput) as exc:
        services.parse_emails("good@example.org, not-an-email")
    assert exc.value.field == "emails" and "not-an-email" in exc.value.messages[0]
    assert services.parse_emails("a@x.org\nB@x.org; a@x.org") == ["a@x.org", "b@x.org"]


def test_teams_create_and_assign(round_admin, volunteer, running_round):
    team = services.create_team(actor=round_admin, round=running_round, name="Pangolins")
    with pytest.raises(InvalidInput) as exc:
        services.create_team(actor=round_admin, round=running_round, name="pangolins")
    assert exc.value.field == "name"
    other_round = make_round(round_admin, title="Other")
    foreign = services.create_team(actor=round_admin, round=other_round, name="Turtles")
    participant = services.join(volunteer=volunteer, round=running_round)
    with pytest.raises(InvalidInput):
        services.assign_team(actor=round_admin, participant=participant, team=foreign)
    with pytest.raises(NotAllowed):
        services.assign_team(actor=volunteer, participant=participant, team=team)
    services.assign_team(actor=round_admin, participant=participant, team=team)
    participant.refresh_from_db()
    assert participant.team == team
    assert AuditEvent.objects.filter(action=signals.TEAM_ASSIGNED).count() == 1


def test_invited_people_are_not_put_in_teams(round_admin, volunteer):
    round = make_round(round_admin, enrolment=Enrolment.INVITED)
    team = services.create_team(actor=round_admin, round=round, name="A")
    services.invite(actor=round_admin, round=round, emails=[volunteer.email])
    participant = Participant.objects.get(round=round)
    with pytest.raises(InvalidState):
        services.assign_team(actor=round_admin, participant=participant, team=team)
