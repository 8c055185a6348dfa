"""Every change to a round is one function here: lock → check → save(update_fields) → audit →
``round_changed`` → side effects after commit (notifications send their emails on commit).

Views, the admin and the tasks call these; nothing else writes rounds, teams or participants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from notifications.models import Kind
from notifications.services import notify
from reports.models import MemberCompany, SpeciesGroup
from spotter.audit import record_event
from spotter.errors import InvalidInput, InvalidState, NotAllowed
from spotter.models import Role, User

from . import permissions, signals
from .models import Enrolment, Participant, ParticipantStatus, Round, Team

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
OTHER_LANGUAGES = ("fr", "zh-hans")  # the round's texts beside English (``translations``)


@dataclass
class RoundData:
    """What an admin sets on a round (the form and any future API build one of these)."""

    title: str
    starts_on: date
    ends_on: date
    briefing: str = ""
    enrolment: str = Enrolment.OPEN
    weekly_target_listings: int = 10
    weekly_target_hours: int = 3
    species_groups: list[SpeciesGroup] = field(default_factory=list)
    companies: list[MemberCompany] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    # {"fr": {"title": …, "briefing": …}, "zh-hans": {…}}
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


def check_round_data(data: RoundData) -> RoundData:
    """The one validation of a round's settings (form and API); returns it normalised."""
    problems: list[InvalidInput] = []
    data.title = (data.title or "").strip()
    if not data.title:
        problems.append(InvalidInput(_("Give the round a title."), field="title"))
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        problems.append(InvalidInput(_("The last day is before the first day."), field="ends_on"))
    if data.enrolment not in Enrolment.values:
        problems.append(InvalidInput(_("Choose how volunteers enrol."), field="enrolment"))
    if not data.weekly_target_listings or data.weekly_target_listings < 1:
        problems.append(
            InvalidInput(_("The weekly target must be at least 1."), field="weekly_target_listings")
        )
    if data.weekly_target_hours is None or not 0 <= data.weekly_target_hours <= 80:
        problems.append(
            InvalidInput(_("Hours per week: from 0 to 80."), field="weekly_target_hours")
        )
    data.languages = sorted({code.strip().lower() for code in data.languages if code.strip()})
    if any(not LANGUAGE_CODE.match(code) for code in data.languages):
        problems.append(
            InvalidInput(_("Use language codes such as en, zh, fr, vi."), field="languages")
        )
    data.countries = sorted({code.strip().upper() for code in data.countries if code.strip()})
    if any(not COUNTRY_CODE.match(code) for code in data.countries):
        problems.append(
            InvalidInput(_("Use two-letter country codes such as SG, CN, US."), field="countries")
        )
    cleaned: dict[str, dict[str, str]] = {}
    for language, texts in (data.translations or {}).items():
        if language not in OTHER_LANGUAGES:
            continue
        kept = {k: v.strip() for k, v in texts.items() if k in Round.TRANSLATED and v.strip()}
        if kept:
            cleaned[language] = kept
    data.translations = cleaned
    if problems:
        raise InvalidInput.combine(problems)
    return data


def _require_admin(actor: User) -> None:
    if not permissions.can_manage_rounds(actor):
        raise NotAllowed(_("Only coalition admins manage rounds."))


def _announce(round: Round, action: str, actor, participant=None, data=None, target=None) -> None:
    """Audit, then the one signal (inside the transaction)."""
    record_event(actor=actor, action=action, target=target or round, data=data or {})
    signals.round_changed.send(
        sender=Round,
        round=round,
        action=action,
        actor=actor,
        participant=participant,
        data=data or {},
    )


def _unique_slug(title: str, starts_on: date) -> str:
    base = (slugify(title)[:40] or "round") + f"-{starts_on:%Y-%m}"
    slug, n = base, 2
    while Round.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


ROUND_FIELDS = [
    "title",
    "briefing",
    "starts_on",
    "ends_on",
    "enrolment",
    "weekly_target_listings",
    "weekly_target_hours",
    "focus_languages",
    "focus_countries",
    "translations",
]


def _apply(round: Round, data: RoundData) -> None:
    round.title = data.title
    round.briefing = data.briefing.strip()
    round.starts_on = data.starts_on
    round.ends_on = data.ends_on
    round.enrolment = data.enrolment
    round.weekly_target_listings = data.weekly_target_listings
    round.weekly_target_hours = data.weekly_target_hours
    round.focus_languages = data.languages
    round.focus_countries = data.countries
    round.translations = data.translations


@transaction.atomic
def create_round(*, actor: User, data: RoundData) -> Round:
    _require_admin(actor)
    data = check_round_data(data)
    round = Round(slug=_unique_slug(data.title, data.starts_on), created_by=actor)
    _apply(round, data)
    try:
        with transaction.atomic():
            round.save()
    except IntegrityError:  # two admins, same title and month, at the same instant
        raise InvalidState(_("A round with this title was just created; try again.")) from None
    round.focus_species_groups.set(data.species_groups)
    round.focus_companies.set(data.companies)
    _announce(round, signals.CREATED, actor, data={"title": round.title})
    return round


@transaction.atomic
def update_round(*, actor: User, round: Round, data: RoundData) -> Round:
    _require_admin(actor)
    data = check_round_data(data)
    round = Round.objects.select_for_update().get(pk=round.pk)
    before = {name: getattr(round, name) for name in ROUND_FIELDS}
    _apply(round, data)
    changed = [name for name in ROUND_FIELDS if getattr(round, name) != before[name]]
    if changed:
        round.save(update_fields=changed)
    round.focus_species_groups.set(data.species_groups)
    round.focus_companies.set(data.companies)
    _announce(round, signals.UPDATED, actor, data={"changed": changed})
    return round


@dataclass
class InviteResult:
    invited: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # no volunteer account with this email


def parse_emails(text: str) -> list[str]:
    """Emails separated by commas, spaces or lines; refuses a malformed one naming it."""
    emails = [e.strip().lower() for e in re.split(r"[\s,;]+", text or "") if e.strip()]
    bad = [e for e in emails if not EMAIL.match(e)]
    if bad:
        raise InvalidInput(
            _("Not an email address: %(emails)s") % {"emails": ", ".join(bad[:5])},
            field="emails",
        )
    if not emails:
        raise InvalidInput(_("Enter at least one email address."), field="emails")
    if len(emails) > 200:
        raise InvalidInput(_("At most 200 addresses at a time."), field="emails")
    return list(dict.fromkeys(emails))


@transaction.atomic
def invite(*, actor: User, round: Round, emails: list[str]) -> InviteResult:
    """Invite volunteers by email: each existing volunteer account gets an invitation (in-app
    and email, as they chose). Unknown addresses are only reported back: no account is made."""
    _require_admin(actor)
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.ends_on < timezone.localdate():
        raise InvalidState(_("This round is over."))
    result = InviteResult()
    emails = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    volunteers = {
        u.email: u
        for u in User.objects.filter(email__in=emails, role=Role.VOLUNTEER, is_active=True)
    }
    existing = {
        p.volunteer_id: p
        for p in Participant.objects.select_for_update().filter(
            round=round, volunteer__in=volunteers.values()
        )
    }
    now = timezone.now()
    for email in emails:
        volunteer = volunteers.get(email)
        if volunteer is None:
            result.unknown.append(email)
            continue
        if volunteer.pk in existing:
            result.already.append(email)
            continue
        participant = Participant.objects.create(
            round=round, volunteer=volunteer, status=ParticipantStatus.INVITED, invited_at=now
        )
        result.invited.append(email)
        notify(
            user=volunteer,
            kind=Kind.ROUND_INVITED,
            data={"round": round.slug, "title": round.title},
            dedupe_key=f"round-{round.pk}",
        )
        _announce(
            round,
            signals.INVITED,
            actor,
            participant=participant,
            data={"volunteer": volunteer.pk},
            target=participant,
        )
    return result


@transaction.atomic
def join(*, volunteer: User, round: Round) -> Participant:
    """Join an open round, or accept an invitation (also: come back after leaving)."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    participant = (
        Participant.objects.select_for_update().filter(round=round, volunteer=volunteer).first()
    )
    problem = permissions.join_problem(volunteer, round, participant)
    if problem:
        raise InvalidState(problem)
    now = timezone.now()
    if participant is None:
        participant = Participant.objects.create(
            round=round, volunteer=volunteer, status=ParticipantStatus.ACTIVE, joined_at=now
        )
        from_state = ""
    else:
        from_state = participant.status
        participant.status = ParticipantStatus.ACTIVE
        participant.joined_at = participant.joined_at or now
        participant.left_at = None
        participant.save(update_fields=["status", "joined_at", "left_at"])
    _announce(
        round,
        signals.JOINED,
        volunteer,
        participant=participant,
        data={"from": from_state},
        target=participant,
    )
    return participant


@transaction.atomic
def leave(*, volunteer: User, round: Round) -> Participant:
    participant = (
        Participant.objects.select_for_update().filter(round=round, volunteer=volunteer).first()
    )
    if not permissions.can_leave(volunteer, participant):
        raise InvalidState(_("You are not taking part in this round."))
    participant.status = ParticipantStatus.LEFT
    participant.left_at = timezone.now()
    participant.save(update_fields=["status", "left_at"])
    _announce(round, signals.LEFT, volunteer, participant=participant, target=participant)
    return participant


@transaction.atomic
def create_team(*, actor: User, round: Round, name: str) -> Team:
    _require_admin(actor)
    round = Round.objects.select_for_update().get(pk=round.pk)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the team a name."), field="name")
    if len(name) > 80:
        raise InvalidInput(_("At most 80 characters."), field="name")
    if Team.objects.filter(round=round, name__iexact=name).exists():
        raise InvalidInput(_("This round already has a team of that name."), field="name")
    team = Team.objects.create(round=round, name=name)
    _announce(round, signals.TEAM_CREATED, actor, data={"team": team.pk, "name": name})
    return team


@transaction.atomic
def assign_team(*, actor: User, participant: Participant, team: Team | None) -> Participant:
    """Put a participant in a team of the same round (None: no team)."""
    _require_admin(actor)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if team is not None and team.round_id != participant.round_id:
        raise InvalidInput(_("This team belongs to another round."), field="team")
    if participant.status == ParticipantStatus.INVITED:
        raise InvalidState(_("Only volunteers who joined can be put in a team."))
    previous = participant.team_id
    if previous == (team.pk if team else None):
        return participant
    participant.team = team
    participant.save(update_fields=["team"])
    _announce(
        participant.round,
        signals.TEAM_ASSIGNED,
        actor,
        participant=participant,
        data={"team": team.pk if team else None, "previous": previous},
        target=participant,
    )
    return participant


@transaction.atomic
def remind_participant(*, participant: Participant, week: int, flagged: int, target: int) -> bool:
    """Tell a participant they are behind this week: at most once per round week
    (``reminded_week``), as they chose to be told (in-app, email, digest or not at all)."""
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("round", "volunteer")
        .get(pk=participant.pk)
    )
    if participant.status != ParticipantStatus.ACTIVE or participant.reminded_week == week:
        return False
    participant.reminded_week = week
    participant.save(update_fields=["reminded_week"])
    round = participant.round
    notify(
        user=participant.volunteer,
        kind=Kind.ROUND_BEHIND,
        data={
            "round": round.slug,
            "title": round.title,
            "week": week,
            "flagged": flagged,
            "target": target,
        },
        dedupe_key=f"round-{round.pk}-week-{week}",
    )
    _announce(
        round,
        signals.REMINDED,
        None,
        participant=participant,
        data={"week": week, "flagged": flagged, "target": target},
        target=participant,
    )
    return True
