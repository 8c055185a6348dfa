import pytest

from rounds import permissions, services
from rounds.models import Enrolment, ParticipantStatus, Round
from spotter.models import Role
from tests import factories
from training.content import load_training_content
from training.demo import demo_loaded

from .conftest import make_round

pytestmark = pytest.mark.django_db


def test_demo_loaded_adds_a_running_round_with_the_demo_volunteer_in_a_team(reference_data):
    factories.make_user(Role.ADMIN, email="admin@example.org")
    volunteer = factories.make_user(Role.VOLUNTEER, email="volunteer@example.org")
    load_training_content()  # the leads app's demo (same signal) certifies a lead spotter
    demo_loaded.send(sender=None, accounts=[])
    demo_loaded.send(sender=None, accounts=[])  # safe to run again
    round = Round.objects.get()
    assert round.is_running()
    assert set(round.translations) == {"fr", "zh-hans"}
    assert all(round.translations[lang]["briefing"] for lang in ("fr", "zh-hans"))
    assert round.teams.count() == 2
    participant = round.participants.get(volunteer=volunteer)
    assert participant.volunteer == volunteer and participant.status == ParticipantStatus.ACTIVE
    assert participant.team.name == "Team Pangolin"
    assert [g.slug for g in round.focus_species_groups.all()] == ["pangolins"]


def test_who_may_see_and_join(db, volunteer, other_volunteer, expert, staff):
    admin = factories.make_user(Role.ADMIN)
    open_round = make_round(admin, title="Open")
    invited = make_round(admin, title="Invited", enrolment=Enrolment.INVITED)
    services.invite(actor=admin, round=invited, emails=[volunteer.email])
    assert permissions.can_view_round(volunteer, open_round)
    assert permissions.can_view_round(volunteer, invited)
    assert not permissions.can_view_round(other_volunteer, invited)
    for outsider in (expert, staff):
        assert not permissions.can_view_round(outsider, open_round)
        assert not permissions.can_list_rounds(outsider)
        assert permissions.join_problem(outsider, open_round, None)
    assert permissions.can_view_round(admin, invited) and permissions.can_manage_rounds(admin)
    assert not permissions.can_manage_rounds(volunteer)
    # The report: admins and those who took part (also after leaving).
    assert not permissions.can_view_report(other_volunteer, open_round)
    services.join(volunteer=other_volunteer, round=open_round)
    services.leave(volunteer=other_volunteer, round=open_round)
    assert permissions.can_view_report(other_volunteer, open_round)
    assert not permissions.can_view_report(volunteer, invited)  # invited, never joined
    assert permissions.can_view_report(admin, invited)


def test_export_and_account_closure(volunteer, other_volunteer):
    from spotter.privacy import close_account, export_user_data

    admin = factories.make_user(Role.ADMIN)
    running = make_round(admin, title="Running")
    invited = make_round(admin, title="Invited", enrolment=Enrolment.INVITED)
    services.join(volunteer=volunteer, round=running)
    services.invite(actor=admin, round=invited, emails=[volunteer.email])
    data = export_user_data(volunteer)
    assert {p["round"] for p in data["round_participations"]} == {"Running", "Invited"}
    close_account(user=volunteer)
    participation = running.participants.get()
    assert participation.status == ParticipantStatus.LEFT and participation.left_at
    assert not invited.participants.exists()
