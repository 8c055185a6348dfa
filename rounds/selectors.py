"""Reads about rounds: who is in which round, which reports are a round's, and its figures.

This is the ONE place that says which reports belong to a round (``round_reports``): the round
page, the volunteer's home panel, the reminders and the round report all read it.

A round's reports: reports submitted from the first day 00:00 to the last day 24:00 (the
project's time zone) by a volunteer who took part in the round — an active participant, or one
who left, for what they submitted before leaving — except withdrawn reports. The focus (species
groups, platforms, listing languages, regions) does not exclude a report; ``focus_only=True``
narrows to the reports inside it (figures show both).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from keywords.models import Term
from reports.models import Outcome, Report, ReportStatus, Verdict
from spotter.stats import AccuracyEstimate

from .models import Enrolment, Participant, ParticipantStatus, Round, Team


def active_rounds_for(user, today: date | None = None) -> QuerySet[Round]:
    """The rounds running ``today`` in which ``user`` is an active participant (usually one).

    Public: other apps (leads) scope their work to the volunteers of a user's round with it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Round.objects.none()
    today = today or timezone.localdate()
    return Round.objects.filter(
        starts_on__lte=today,
        ends_on__gte=today,
        participants__volunteer=user,
        participants__status=ParticipantStatus.ACTIVE,
    ).distinct()


def round_participants(round: Round) -> QuerySet[Participant]:
    """The round's active participants (status "taking part"), with volunteer and team."""
    return (
        Participant.objects.filter(round=round, status=ParticipantStatus.ACTIVE)
        .select_related("volunteer", "team")
        .order_by("joined_at", "id")
    )


def participation(round: Round, user) -> Participant | None:
    """``user``'s row in ``round`` (invited, taking part or left), or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(round=round, volunteer=user).select_related("team").first()


def took_part(round: Round, user) -> bool:
    """Active now, or was (left): what a participant's view of the round report needs."""
    return Participant.objects.filter(
        round=round,
        volunteer=user,
        status__in=[ParticipantStatus.ACTIVE, ParticipantStatus.LEFT],
    ).exists()


def visible_rounds(user) -> QuerySet[Round]:
    """Admins: every round. Volunteers: open rounds and the rounds they are in or invited to."""
    rounds = Round.objects.all()
    if getattr(user, "is_programme_admin", False):
        return rounds
    mine = Participant.objects.filter(round=OuterRef("pk"), volunteer=user)
    return rounds.filter(Q(enrolment=Enrolment.OPEN) | Exists(mine))


# --- the round's reports ------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, last + 1 day 00:00) in the project's time zone."""
    return _day_start(first), _day_start(last + timedelta(days=1))


def focus_filter(round: Round) -> Q:
    """Reports inside the round's focus (each empty focus list means "any")."""
    condition = Q()
    group_ids = [g.pk for g in round.focus_species_groups.all()]
    company_ids = [c.pk for c in round.focus_companies.all()]
    if group_ids:
        condition &= Q(species__group_id__in=group_ids)
    if company_ids:
        condition &= Q(company_id__in=company_ids)
    if round.focus_languages:
        condition &= Q(listing_language__in=round.focus_languages)
    if round.focus_countries:
        # A listing's region is its platform's country (the member company's).
        condition &= Q(company__country__in=round.focus_countries)
    return condition


def round_reports(
    round: Round, *, focus_only: bool = False, first: date | None = None, last: date | None = None
) -> QuerySet[Report]:
    """The round's reports (see the module docstring), optionally of the days [first, last]."""
    start, end = period_bounds(
        max(first or round.starts_on, round.starts_on), min(last or round.ends_on, round.ends_on)
    )
    took_part_then = Participant.objects.filter(
        round=round, volunteer=OuterRef("volunteer")
    ).filter(
        Q(status=ParticipantStatus.ACTIVE)
        | Q(status=ParticipantStatus.LEFT, left_at__gt=OuterRef("submitted_at"))
    )
    reports = (
        Report.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .exclude(status=ReportStatus.WITHDRAWN)
        .filter(Exists(took_part_then))
    )
    if focus_only:
        reports = reports.filter(focus_filter(round))
    return reports


CONFIRMED = Q(verdict=Verdict.CONFIRMED)
REJECTED = Q(verdict=Verdict.REJECTED)
REMOVED = Q(outcome=Outcome.REMOVED)
WAITING = Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW, ReportStatus.NEEDS_INFO])


def _figure_aggregates() -> dict:
    return {
        "flagged": Count("pk"),
        "confirmed": Count("pk", filter=CONFIRMED),
        "rejected": Count("pk", filter=REJECTED),
        "removed": Count("pk", filter=REMOVED),
        "waiting": Count("pk", filter=WAITING),
    }


@dataclass(frozen=True)
class Figures:
    flagged: int = 0
    confirmed: int = 0
    rejected: int = 0
    removed: int = 0
    waiting: int = 0

    @property
    def accuracy(self) -> AccuracyEstimate:
        """Confirmed share of the decided reports, with its 95% Wilson interval."""
        return AccuracyEstimate(self.confirmed, self.rejected)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.flagged + other.flagged,
            self.confirmed + other.confirmed,
            self.rejected + other.rejected,
            self.removed + other.removed,
            self.waiting + other.waiting,
        )


def round_figures(round: Round, *, focus_only: bool = False) -> Figures:
    """The round's totals in one aggregate query."""
    row = round_reports(round, focus_only=focus_only).aggregate(**_figure_aggregates())
    return Figures(**{k: v or 0 for k, v in row.items()})


def figures_by_volunteer(
    round: Round, *, first: date | None = None, last: date | None = None
) -> dict[int, Figures]:
    """volunteer id → Figures, in one GROUP BY query (of the days [first, last] if given)."""
    rows = (
        round_reports(round, first=first, last=last)
        .order_by()
        .values("volunteer_id")
        .annotate(**_figure_aggregates())
    )
    return {row.pop("volunteer_id"): Figures(**row) for row in rows}


# --- weeks and targets ---------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    number: int
    first: date
    last: date
    days: int  # days in this week (the last week may be short)
    elapsed: int  # full days of the week already over (0 on its first day)

    def expected(self, target: int) -> float:
        """The target pro-rated to the days already over."""
        return target * self.elapsed / self.days if self.days else 0.0


def current_week(round: Round, today: date | None = None) -> Week | None:
    """The round's week containing ``today``, or None outside the round."""
    today = today or timezone.localdate()
    if not round.is_running(today):
        return None
    number = round.week_of(today)
    first, last = round.week_bounds(number)
    return Week(number, first, last, (last - first).days + 1, (today - first).days)


@dataclass(frozen=True)
class MyWeek:
    week: Week
    flagged: int
    target: int

    @property
    def expected(self) -> float:
        return self.week.expected(self.target)

    @property
    def behind(self) -> bool:
        return self.flagged < self.expected

    @property
    def to_go(self) -> int:
        return max(0, self.target - self.flagged)


def week_counts(round: Round, week: Week) -> dict[int, int]:
    """volunteer id → reports flagged in ``week`` (one query)."""
    rows = (
        round_reports(round, first=week.first, last=week.last)
        .order_by()
        .values("volunteer_id")
        .annotate(flagged=Count("pk"))
    )
    return {row["volunteer_id"]: row["flagged"] for row in rows}


def my_week(round: Round, volunteer, today: date | None = None) -> MyWeek | None:
    week = current_week(round, today)
    if week is None:
        return None
    flagged = (
        round_reports(round, first=week.first, last=week.last).filter(volunteer=volunteer).count()
    )
    return MyWeek(week, flagged, round.weekly_target_listings)


def behind_participants(
    round: Round, today: date | None = None
) -> list[tuple[Participant, MyWeek]]:
    """Active participants whose current week is behind the pro-rated target (two queries)."""
    week = current_week(round, today)
    if week is None:
        return []
    counts = week_counts(round, week)
    behind = []
    for participant in round_participants(round):
        mine = MyWeek(week, counts.get(participant.volunteer_id, 0), round.weekly_target_listings)
        if mine.behind:
            behind.append((participant, mine))
    return behind


@dataclass(frozen=True)
class WeekRow:
    week: Week
    figures: Figures
    target: int  # weekly target × participants who took part


def weekly_progress(round: Round, today: date | None = None) -> list[WeekRow]:
    """The round week by week up to today (one GROUP BY day query, folded into weeks)."""
    today = today or timezone.localdate()
    last_day = min(today, round.ends_on)
    if last_day < round.starts_on:
        return []
    rows = (
        round_reports(round, last=last_day)
        .order_by()
        .annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(**_figure_aggregates())
    )
    by_week: dict[int, Figures] = {}
    for row in rows:
        number = round.week_of(row.pop("day"))
        by_week[number] = by_week.get(number, Figures()) + Figures(**row)
    people = Participant.objects.filter(
        round=round, status__in=[ParticipantStatus.ACTIVE, ParticipantStatus.LEFT]
    ).count()
    weeks = []
    for number in range(1, round.week_of(last_day) + 1):
        first, last = round.week_bounds(number)
        days = (last - first).days + 1
        week = Week(number, first, last, days, min(days, (today - first).days))
        weeks.append(
            WeekRow(week, by_week.get(number, Figures()), round.weekly_target_listings * people)
        )
    return weeks


# --- the report: volunteers, teams, keywords -----------------------------------------------


@dataclass
class Line:
    """One row of a leaderboard (a volunteer or a team)."""

    key: int | None
    label: str
    figures: Figures
    members: int = 1
    is_me: bool = False
    rank: int = 0
    names: list[str] = field(default_factory=list)


def _tie_key(line: Line) -> tuple:
    # Confirmed reports first (not raw counts); ties: the surer share (the Wilson interval's
    # lower bound rewards many confirmed among few rejected), then removals.
    low = line.figures.accuracy.low or 0.0
    return (-line.figures.confirmed, -round_to(low), -line.figures.removed)


def round_to(value: float, digits: int = 6) -> float:
    return round(value, digits)


def rank(lines: list[Line]) -> list[Line]:
    """Order by the tie key, then label; lines equal on the key share a rank (1, 1, 3)."""
    lines.sort(key=lambda line: (_tie_key(line), line.label))
    previous = None
    for position, line in enumerate(lines, start=1):
        key = _tie_key(line)
        line.rank = previous[1] if previous and previous[0] == key else position
        previous = (key, line.rank)
    return lines


def volunteer_lines(round: Round, figures: dict[int, Figures], *, viewer) -> list[Line]:
    """Every participant who took part, ranked. Admins see names; anyone else sees their own
    line named and the others as "Spotter #<rank>" only (docs/rounds.md, privacy)."""
    participants = (
        Participant.objects.filter(
            round=round, status__in=[ParticipantStatus.ACTIVE, ParticipantStatus.LEFT]
        )
        .select_related("volunteer")
        .order_by("id")
    )
    is_admin = getattr(viewer, "is_programme_admin", False)
    lines = []
    for participant in participants:
        volunteer = participant.volunteer
        lines.append(
            Line(
                key=volunteer.pk,
                label=_hidden_sort_label(round, volunteer.pk),
                figures=figures.get(volunteer.pk, Figures()),
                is_me=volunteer.pk == getattr(viewer, "pk", None),
                names=[str(volunteer), volunteer.pseudonym or ""] if is_admin else [],
            )
        )
    return rank(lines)


def _hidden_sort_label(round: Round, volunteer_id: int) -> str:
    # Full ties are ordered by a per-round hash, not by name or join order (no hint of who).
    return hashlib.sha256(f"{round.pk}:{volunteer_id}".encode()).hexdigest()[:12]


def team_lines(round: Round, figures: dict[int, Figures]) -> list[Line]:
    """Each team's summed figures (members who took part), ranked like volunteers."""
    teams = {
        team.pk: Line(key=team.pk, label=team.name, figures=Figures(), members=0)
        for team in Team.objects.filter(round=round)
    }
    if not teams:
        return []
    rows = Participant.objects.filter(
        round=round,
        team_id__in=teams,
        status__in=[ParticipantStatus.ACTIVE, ParticipantStatus.LEFT],
    ).values_list("team_id", "volunteer_id")
    for team_id, volunteer_id in rows:
        line = teams[team_id]
        line.members += 1
        line.figures = line.figures + figures.get(volunteer_id, Figures())
    return rank(list(teams.values()))


def new_terms(round: Round) -> QuerySet[Term]:
    """Keyword-library terms proposed by the round's participants during the round."""
    start, end = period_bounds(round.starts_on, round.ends_on)
    volunteers = Participant.objects.filter(
        round=round, status__in=[ParticipantStatus.ACTIVE, ParticipantStatus.LEFT]
    ).values("volunteer_id")
    return Term.objects.filter(
        proposed_by_id__in=volunteers, created_at__gte=start, created_at__lt=end
    ).order_by("-created_at")


@dataclass
class RoundReport:
    round: Round
    totals: Figures
    in_focus: Figures
    volunteers: list[Line]
    teams: list[Line]
    terms: list[Term]
    term_count: int
    participants: int
    weeks: list[WeekRow]


def round_report(round: Round, *, viewer) -> RoundReport:
    """Everything the round report page shows, in a fixed number of queries."""
    by_volunteer = figures_by_volunteer(round)
    volunteers = volunteer_lines(round, by_volunteer, viewer=viewer)
    totals = sum((line.figures for line in volunteers), Figures())
    terms = new_terms(round)
    return RoundReport(
        round=round,
        totals=totals,
        in_focus=round_figures(round, focus_only=True),
        volunteers=volunteers,
        teams=team_lines(round, by_volunteer),
        terms=list(terms.select_related("proposed_by")[:50]),
        term_count=terms.count(),
        participants=len(volunteers),
        weeks=weekly_progress(round),
    )
