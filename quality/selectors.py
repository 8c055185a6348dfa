"""Reads for volunteers' accuracy, calibration, lead-spotter offers and second-review queues.

A volunteer's pages read only their own counter rows (bounded by days/weeks/months and by the
number of species groups, platforms and languages), never their reports. Every read of the
counters first syncs pending changes (``rollups.read_fresh``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Power
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.catalogue import CitesAppendix
from reports.models import Report, ReportStatus
from reports.permissions import visible_reports
from spotter.models import Role, User
from training.models import AttemptAnswer

from . import rollups
from .blind import open_blind_reviews
from .facts import month_start, week_start
from .models import SecondReview, SecondReviewStatus, VolunteerPeriod, VolunteerTally
from .sampling import config as sampling_config
from .stats import Z95, AccuracyEstimate, interval_text, pct, wilson_interval


@dataclass
class VolunteerData:
    """A volunteer's counter rows: all-time tallies and recent days / weeks / months."""

    today: date
    tallies: list[dict]
    periods: list[dict]

    def tally(self, dimension: str = "all", value: str = "") -> dict:
        for row in self.tallies:
            if row["dimension"] == dimension and row["value"] == value:
                return row
        return {"submitted": 0, "confirmed": 0, "rejected": 0, "forwarded": 0, "removed": 0}


WEEKS_SHOWN = 26
MONTHS_SHOWN = 24


def load_volunteer_data(volunteer: User, today: date | None = None) -> VolunteerData:
    rollups.read_fresh()
    today = today or timezone.now().date()
    this_week, this_month = week_start(today), month_start(today)
    first_month = this_month
    for _i in range(MONTHS_SHOWN - 1):
        first_month = month_start(first_month - timedelta(days=1))
    tallies = list(
        VolunteerTally.objects.filter(volunteer=volunteer).values(
            "dimension", "value", "submitted", "confirmed", "rejected", "forwarded", "removed"
        )
    )
    periods = list(
        VolunteerPeriod.objects.filter(volunteer=volunteer)
        .filter(
            Q(kind="d", start__gt=today - timedelta(days=90))
            | Q(kind="w", start__gte=this_week - timedelta(weeks=WEEKS_SHOWN - 1))
            | Q(kind="m", start__gte=first_month)
        )
        .values("kind", "start", "submitted", "confirmed", "rejected")
    )
    return VolunteerData(today=today, tallies=tallies, periods=periods)


def accuracy_from(row: dict) -> AccuracyEstimate:
    return AccuracyEstimate(row["confirmed"], row["rejected"])


def volunteer_accuracy(volunteer: User) -> AccuracyEstimate:
    """All-time field accuracy: one indexed row, whatever the number of reports."""
    rollups.read_fresh()
    row = (
        VolunteerTally.objects.filter(volunteer=volunteer, dimension="all", value="")
        .values("confirmed", "rejected")
        .first()
    )
    return accuracy_from(row) if row else AccuracyEstimate(0, 0)


def rolling_accuracy(data: VolunteerData, days: int = 90) -> AccuracyEstimate:
    since = data.today - timedelta(days=days)
    rows = [p for p in data.periods if p["kind"] == "d" and p["start"] > since]
    return AccuracyEstimate(sum(r["confirmed"] for r in rows), sum(r["rejected"] for r in rows))


@dataclass
class TrendPoint:
    start: date
    submitted: int
    accuracy: AccuracyEstimate


def trend(data: VolunteerData, kind: str) -> list[TrendPoint]:
    """A point per week ("w") or month ("m"), oldest first, including empty periods."""
    rows = {p["start"]: p for p in data.periods if p["kind"] == kind}
    starts: list[date] = []
    if kind == "w":
        first = week_start(data.today)
        starts = [first - timedelta(weeks=i) for i in range(WEEKS_SHOWN)]
    else:
        current = month_start(data.today)
        for _i in range(MONTHS_SHOWN):
            starts.append(current)
            current = month_start(current - timedelta(days=1))
    points = []
    for start in reversed(starts):
        row = rows.get(start, {"submitted": 0, "confirmed": 0, "rejected": 0})
        points.append(TrendPoint(start, row["submitted"], accuracy_from(row)))
    while points and points[0].submitted == 0 and points[0].accuracy.decided == 0:
        points.pop(0)  # start the chart at the volunteer's first report
    return points


def breakdown(data: VolunteerData, dimension: str) -> list[tuple[str, AccuracyEstimate]]:
    rows = [r for r in data.tallies if r["dimension"] == dimension]
    rows.sort(key=lambda r: -(r["confirmed"] + r["rejected"]))
    return [(r["value"], accuracy_from(r)) for r in rows if r["confirmed"] + r["rejected"]]


@dataclass(frozen=True)
class Score:
    correct: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    @property
    def percent(self) -> str:
        return pct(self.rate)

    @property
    def ci_text(self) -> str:
        interval = wilson_interval(self.correct, self.answered)
        return interval_text(*interval) if interval else ""


def calibration_q(prefix: str = "") -> Q:
    """Answers to practice questions made from real decided reports (training app)."""
    return Q(**{f"{prefix}attempt__submitted_at__isnull": False}) & Q(
        **{f"{prefix}question__source_report__isnull": False}
    )


def calibration(volunteer: User) -> Score:
    """The volunteer's score on practice cases built from real decided reports.

    Kept apart from field accuracy: practice answers are not field reports. Cases built from
    the volunteer's own reports are left out (they already know the verdict)."""
    counts = (
        AttemptAnswer.objects.filter(calibration_q(), attempt__user=volunteer)
        .exclude(question__source_report__volunteer=volunteer)
        .aggregate(answered=Count("id"), correct=Count("id", filter=Q(is_correct=True)))
    )
    return Score(counts["correct"], counts["answered"])


def calibration_by_user(user_ids: list[int]) -> dict[int, Score]:
    rows = (
        AttemptAnswer.objects.filter(calibration_q(), attempt__user_id__in=user_ids)
        .exclude(question__source_report__volunteer_id=F("attempt__user_id"))
        .values("attempt__user_id")
        .annotate(answered=Count("id"), correct=Count("id", filter=Q(is_correct=True)))
    )
    return {r["attempt__user_id"]: Score(r["correct"], r["answered"]) for r in rows}


@dataclass
class LeadSpotterOffer:
    eligible: bool
    reason: str
    accuracy: AccuracyEstimate
    checkpoints: list[tuple[date, AccuracyEstimate]] = field(default_factory=list)


def lead_spotter_offer(volunteer: User, data: VolunteerData | None = None) -> LeadSpotterOffer:
    """Offered when the Wilson lower bound has stayed at or above LEAD_SPOTTER_MIN_LOWER_BOUND,
    with at least LEAD_SPOTTER_MIN_DECIDED decided reports, at each of the last
    LEAD_SPOTTER_STABLE_WEEKS weekly checkpoints (counting reports submitted up to the end of
    that week, with the verdicts they have now)."""
    data = data or load_volunteer_data(volunteer)
    threshold = float(settings.LEAD_SPOTTER_MIN_LOWER_BOUND)
    minimum = int(settings.LEAD_SPOTTER_MIN_DECIDED)
    weeks = max(1, int(settings.LEAD_SPOTTER_STABLE_WEEKS))
    total = accuracy_from(data.tally())
    weekly = {p["start"]: p for p in data.periods if p["kind"] == "w"}
    checkpoints = []
    cumulative = total
    this_week = week_start(data.today)
    for i in range(weeks):
        start = this_week - timedelta(weeks=i)
        checkpoints.append((start + timedelta(days=6), cumulative))
        row = weekly.get(start)
        if row:
            cumulative = AccuracyEstimate(
                cumulative.confirmed - row["confirmed"], cumulative.rejected - row["rejected"]
            )
    checkpoints.reverse()
    ok = all(a.decided >= minimum and (a.low or 0) >= threshold for _d, a in checkpoints)
    if ok:
        reason = ""
    elif total.decided < minimum:
        reason = _("Lead spotters need at least %(n)d decided reports.") % {"n": minimum}
    else:
        reason = _(
            "Lead spotters keep the lower end of their 95%% accuracy interval at or above "
            "%(t)s for %(w)d weeks in a row."
        ) % {"t": pct(threshold), "w": weeks}
    return LeadSpotterOffer(ok, reason, total, checkpoints)


def second_review_queue(expert: User) -> QuerySet[SecondReview]:
    """Cases waiting for a second opinion that this expert may give (oldest first)."""
    return (
        open_blind_reviews(expert)
        .select_related("report__species_reported__group", "report__product_type")
        .order_by("created_at", "id")
    )


def senior_queue(senior: User) -> QuerySet[SecondReview]:
    return (
        SecondReview.objects.filter(status=SecondReviewStatus.ESCALATED)
        .exclude(first_expert=senior)
        .exclude(second_expert=senior)
        .exclude(report__volunteer=senior)
        .select_related("report__species_reported__group", "report__product_type")
        .order_by("decided_at", "id")
    )


def volunteer_table(country: str = "", *, using: str = "default") -> QuerySet[VolunteerTally]:
    """Every volunteer's all-time counts, most decided reports first (admins). ``using``: the
    CSV export reads on the replica when there is one (spotter.dbrouter.replica)."""
    rollups.read_fresh()
    qs = (
        VolunteerTally.objects.using(using)
        .filter(dimension="all", value="")
        .annotate(decided=F("confirmed") + F("rejected"))
        .select_related("volunteer")
        .order_by("-decided", "volunteer_id")
    )
    if country:
        qs = qs.filter(volunteer__country=country)
    return qs


# --- Fast-track -----------------------------------------------------------------------------
# Low risk: CITES Appendix II or III, and not a live animal. Appendix I, live animals and
# reports without a species are never fast-tracked.
FAST_TRACK_APPENDICES = (CitesAppendix.II, CitesAppendix.III)


def wilson_lower_bound_at_least(threshold: float, minimum: int) -> QuerySet[VolunteerTally]:
    """All-time tallies whose accuracy's 95% Wilson lower bound is ≥ ``threshold`` over at least
    ``minimum`` decided reports, in SQL without a square root.

    The Wilson interval is the set of π with (p̂ − π)² ≤ z² π(1 − π) / n, so its lower end is
    ≥ t exactly when p̂ ≥ t and (p̂ − t)² ≥ z² t(1 − t) / n, i.e. with c confirmed of n:
    c ≥ t·n and (c − t·n)² ≥ z²·t(1 − t)·n."""
    t = float(threshold)
    decided = F("confirmed") + F("rejected")
    return (
        VolunteerTally.objects.filter(dimension="all", value="")
        .annotate(
            ft_n=decided,
            ft_gap=F("confirmed") - t * decided,
        )
        .annotate(ft_gap2=Power(F("ft_gap"), 2))
        .filter(ft_n__gte=max(1, int(minimum)), ft_gap__gte=0)
        .filter(ft_gap2__gte=Z95 * Z95 * t * (1 - t) * F("ft_n"))
    )


def fast_track_reports(user: User) -> QuerySet[Report]:
    """Reports an expert may confirm from the fast-track batch view: THE one rule, used by the
    page's list and by the batch service (which re-checks each row under its lock).

    Waiting in the queue (submitted, not a duplicate), visible to ``user`` (so never their own
    nor a blind case), low risk (Appendix II/III species, not a live animal), and flagged by a
    lead spotter or by a volunteer whose Wilson lower bound clears the fast-track threshold."""
    if user.role != Role.EXPERT and not user.is_programme_admin:
        return Report.objects.none()
    conf = sampling_config()
    trusted = wilson_lower_bound_at_least(
        conf.fast_track_min_lower_bound, conf.fast_track_min_decided
    ).values("volunteer_id")
    return (
        visible_reports(user)
        .filter(status=ReportStatus.SUBMITTED, duplicate_of__isnull=True)
        .filter(species__cites_appendix__in=FAST_TRACK_APPENDICES)
        .exclude(product_type__slug__in=conf.live_product_types)
        .filter(Q(volunteer__is_lead_spotter=True) | Q(volunteer_id__in=trusted))
    )
