"""The one permission layer: who may see and do what.

Every view, API endpoint, download and admin page asks these functions, so a rule changes in one
place. ``visible_reports`` scopes querysets; ``access_report`` fetches one report or raises 404
(never 403, so outsiders cannot probe which references exist).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from reports.models import FORWARDED_STATUSES, Report, ReportStatus

from .models import Role, User


def visible_reports(user: User, qs: QuerySet[Report] | None = None) -> QuerySet[Report]:
    qs = qs if qs is not None else Report.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_programme_admin:
        return qs
    if user.role == Role.VOLUNTEER:
        return qs.filter(volunteer=user)
    if user.role == Role.EXPERT:
        # Experts see the queue and what they decided, never their own submissions.
        return qs.exclude(volunteer=user).exclude(status=ReportStatus.WITHDRAWN)
    if user.role == Role.COMPANY_STAFF and user.company_id:
        return qs.filter(company_id=user.company_id, status__in=FORWARDED_STATUSES)
    return qs.none()


def access_report(user: User, reference: str, qs: QuerySet[Report] | None = None) -> Report:
    report = visible_reports(user, qs).filter(reference=reference).first()
    if report is None:
        raise Http404("No such report.")
    return report


def can_see_volunteer_identity(user: User, report: Report) -> bool:
    """Only the volunteer and admins. Experts see a pseudonym; companies see nothing."""
    return user.is_programme_admin or report.volunteer_id == user.pk


def can_see_original_evidence(user: User) -> bool:
    return user.is_authenticated and user.is_programme_admin


def is_role(user: User, *roles: str) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.role in roles or (Role.ADMIN in roles and user.is_superuser))
    )


def expert_queue_filter() -> Q:
    return Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW])
