"""Which volunteers a lead spotter works with: THE scope rule, one selector.

- ``round_mates(lead)``: volunteers taking part (status ACTIVE) in a round running today
  (``starts_on <= today <= ends_on``) in which the lead is also taking part — never the lead.
  Leads answer the questions of their round mates.
- ``prescreen_scope(lead)``: the round mates who are "newer" volunteers: fewer than
  ``LEAD_NEWER_MAX_DECIDED`` decided reports (confirmed or rejected), or a first spotter
  certificate issued less than ``LEAD_NEWER_CERTIFIED_DAYS`` days ago. Their reports may be
  pre-screened by the lead.

Decided reports are counted from ``Report.verdict`` (always current) rather than quality's
rollups (refreshed in the background): the scope is a handful of people, so the subquery is small.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from reports.models import Report, Verdict
from rounds.models import Participant, ParticipantStatus, Round
from spotter.models import Role, User
from training.models import Certificate

from . import conf


def running_rounds_of(lead: User, today: date | None = None) -> QuerySet[Round]:
    today = today or timezone.localdate()
    return Round.objects.filter(
        starts_on__lte=today,
        ends_on__gte=today,
        participants__volunteer=lead,
        participants__status=ParticipantStatus.ACTIVE,
    )


def round_mates(lead: User, today: date | None = None) -> QuerySet:
    """Ids (a ``values("volunteer_id")`` subquery) of the lead's active round mates."""
    if not lead.is_authenticated:
        return Participant.objects.none().values("volunteer_id")
    return (
        Participant.objects.filter(
            round__in=running_rounds_of(lead, today).values("pk"),
            status=ParticipantStatus.ACTIVE,
        )
        .exclude(volunteer=lead)
        .values("volunteer_id")
    )


def with_newness(users: QuerySet[User]) -> QuerySet[User]:
    """``users`` annotated with ``decided_reports`` and ``first_certified_at``."""
    decided = (
        Report.objects.filter(volunteer=OuterRef("pk"), verdict__in=Verdict.values)
        .order_by()
        .values("volunteer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    first_certificate = (
        Certificate.objects.filter(user=OuterRef("pk")).order_by("issued_at").values("issued_at")
    )
    return users.annotate(
        decided_reports=Coalesce(Subquery(decided, output_field=IntegerField()), Value(0)),
        first_certified_at=Subquery(first_certificate[:1]),
    )


def newer_q(now=None) -> Q:
    """On a queryset from :func:`with_newness`: the "newer volunteer" condition."""
    since = (now or timezone.now()) - timedelta(days=int(conf.LEAD_NEWER_CERTIFIED_DAYS))
    return Q(decided_reports__lt=int(conf.LEAD_NEWER_MAX_DECIDED)) | Q(
        first_certified_at__gte=since
    )


def prescreen_scope(lead: User, today: date | None = None) -> QuerySet[User]:
    """The volunteers whose reports ``lead`` may pre-screen (see the module docstring)."""
    mates = User.objects.filter(pk__in=round_mates(lead, today), is_active=True)
    return with_newness(mates).filter(newer_q())


def is_round_mate(lead: User, volunteer_id: int, today: date | None = None) -> bool:
    return round_mates(lead, today).filter(volunteer_id=volunteer_id).exists()


def is_in_prescreen_scope(lead: User, volunteer_id: int, today: date | None = None) -> bool:
    return prescreen_scope(lead, today).filter(pk=volunteer_id).exists()


def leads_of(volunteer_id: int, today: date | None = None) -> QuerySet[User]:
    """Lead spotters taking part in a running round with ``volunteer_id`` (to tell them of a
    question): the inverse of :func:`round_mates`."""
    today = today or timezone.localdate()
    rounds = Round.objects.filter(
        starts_on__lte=today,
        ends_on__gte=today,
        participants__volunteer_id=volunteer_id,
        participants__status=ParticipantStatus.ACTIVE,
    ).values("pk")
    lead_ids = Participant.objects.filter(round__in=rounds, status=ParticipantStatus.ACTIVE).values(
        "volunteer_id"
    )
    certified = Certificate.objects.valid().filter(user=OuterRef("pk"))
    return (
        User.objects.filter(
            Exists(certified),
            pk__in=lead_ids,
            is_lead_spotter=True,
            is_active=True,
            role=Role.VOLUNTEER,
        )
        .exclude(pk=volunteer_id)
        .order_by("pk")
    )
