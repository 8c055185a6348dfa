"""Who may see which reports, evidence and packages: the report half of the permission layer.

Every view, API endpoint, download and admin page asks these functions, so a rule changes in one
place. ``visible_reports`` scopes querysets; ``access_*`` fetch one object or raise 404 (never
403, so outsiders cannot probe which references or evidence ids exist). The generic primitives
(``is_role``, the role decorators) live in ``spotter.permissions``.

Identity rules (tested in tests/security/): the volunteer's email and display name are shown only
to the volunteer and to programme admins; experts see the random pseudonym (blind review);
company staff see neither, anywhere (pages, notices, packages, timelines).

Apps above reports hide more through ``report_visibility_filters``: the quality app registers
its blind-review rule there (quality.blind), so while a second review is open the experts who
may give the second opinion do not see the report at all (nor duplicates linked to it), and no
page, API list, filter, screenshot, timeline or package shows them the first decision.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext as _

from spotter.models import Role, User

from .models import FORWARDED_STATUSES, Evidence, Report, ReportStatus

# A filter maps a user to the ids of the reports to hide from them (a lazy subquery of report
# ids), or None when it hides nothing from this user. Reports linked to a hidden one as
# duplicates are hidden too. Higher apps register filters in their AppConfig.ready(), since
# reports may not import them.
# A filter returns the ids of the reports to hide from ``user`` (a list or a values() queryset),
# or None when it hides nothing from them.
ReportVisibilityFilter = Callable[[User], list[int] | QuerySet | None]
report_visibility_filters: list[ReportVisibilityFilter] = []


def register_report_visibility_filter(hidden_report_ids: ReportVisibilityFilter) -> None:
    if hidden_report_ids not in report_visibility_filters:
        report_visibility_filters.append(hidden_report_ids)


def _scoped_by_role(user: User, qs: QuerySet[Report]) -> QuerySet[Report]:
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


def visible_reports(user: User, qs: QuerySet[Report] | None = None) -> QuerySet[Report]:
    qs = _scoped_by_role(user, qs if qs is not None else Report.objects.all())
    for hidden_report_ids in report_visibility_filters:
        hidden = hidden_report_ids(user)
        if hidden is None:
            continue
        if isinstance(hidden, QuerySet):
            # NOT EXISTS, correlated on the report (and on the report it duplicates), rather
            # than NOT IN: PostgreSQL can plan it as an anti-join that probes the hidden rows'
            # index for each report a page reads, instead of hashing every hidden row first
            # (the queue's page fetch: 27.9 ms at 1M reports with 18,000 pending second
            # reviews; docs/benchmarks.md). A NULL duplicate_of matches nothing: kept.
            (field,) = hidden.query.values_select
            qs = qs.filter(
                ~Exists(hidden.filter(**{field: OuterRef("pk")})),
                ~Exists(hidden.filter(**{field: OuterRef("duplicate_of_id")})),
            )
        else:
            ids = _one_parameter(hidden, qs.db)
            qs = qs.exclude(Q(pk__in=ids) | Q(duplicate_of__in=ids))
    return qs


def _one_parameter(ids: list[int] | QuerySet, alias: str) -> RawSQL | list[int] | QuerySet:
    """On PostgreSQL a list of ids goes as one array parameter, not one placeholder per id: the
    SQL text (which the driver parses on every query) grew with the number of hidden reports,
    about 20 ms per query at 100,000 reports (docs/benchmarks.md, "Read pages")."""
    if isinstance(ids, QuerySet) or connections[alias].vendor != "postgresql":
        return ids
    # As array text ('{1,2,3}'): psycopg's list adapter inspects every element, which cost
    # ~10 ms per query for ~1,800 ids.
    array = "{" + ",".join(map(str, map(int, ids))) + "}"
    return RawSQL("SELECT unnest(%s::bigint[])", [array])


def access_report(user: User, reference: str, qs: QuerySet[Report] | None = None) -> Report:
    report = visible_reports(user, qs).filter(reference=reference).first()
    if report is None:
        raise Http404("No such report.")
    return report


def access_evidence(user: User, reference: str, evidence_id: int) -> Evidence:
    """One screenshot of a report the user may see (the re-encoded copy), or 404."""
    report = access_report(user, reference)
    evidence = Evidence.objects.filter(pk=evidence_id, report=report).first()
    if evidence is None:
        raise Http404("No such evidence.")
    evidence.report = report
    return evidence


def access_original_evidence(user: User, reference: str, evidence_id: int) -> Evidence:
    """The uploaded bytes are for programme admins only; everyone else gets 404."""
    if not can_see_original_evidence(user):
        raise Http404("No such evidence.")
    return access_evidence(user, reference, evidence_id)


def can_see_volunteer_identity(user: User, report: Report) -> bool:
    """Only the volunteer and admins. Experts see a pseudonym; companies see nothing."""
    return user.is_programme_admin or report.volunteer_id == user.pk


def can_see_pseudonym(user: User, report: Report) -> bool:
    return can_see_volunteer_identity(user, report) or user.role == Role.EXPERT


def can_see_original_evidence(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_programme_admin


def can_download_package(user: User, report: Report) -> bool:
    """Admins, and the staff of the company a report was forwarded to."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_programme_admin:
        return True
    return (
        user.role == Role.COMPANY_STAFF
        and user.company_id is not None
        and user.company_id == report.company_id
        and report.status in FORWARDED_STATUSES
    )


def can_manage_company_settings(user: User, company_id: int | None) -> bool:
    """A company's own staff, and admins, choose how the company is written to."""
    if not user.is_authenticated or not user.is_active or company_id is None:
        return False
    if user.is_programme_admin:
        return True
    return user.role == Role.COMPANY_STAFF and user.company_id == company_id


def is_company_staff_of(user: User, report: Report) -> bool:
    """Enforcement staff of the company ``report`` was forwarded to (after forwarding)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.COMPANY_STAFF
        and user.company_id is not None
        and user.company_id == report.company_id
        and report.status in FORWARDED_STATUSES
    )


def can_post_on_notice(user: User, report: Report) -> bool:
    """The notice's thread: the company's staff, and the programme (experts, admins) once the
    report was forwarded; never the volunteer who flagged it, whatever their role."""
    if not user.is_authenticated or not user.is_active or report.volunteer_id == user.pk:
        return False
    if report.status not in FORWARDED_STATUSES or report.company_id is None:
        return False
    return user.is_programme_admin or user.role == Role.EXPERT or is_company_staff_of(user, report)


def access_package_report(user: User, reference: str) -> Report:
    report = access_report(user, reference)
    if not can_download_package(user, report):
        raise Http404("No such report.")
    return report


def actor_label_for(viewer: User, report: Report | None, actor: User | None) -> str:
    """How an audit event's actor is named to ``viewer``: a role, never another person's name,
    except to admins and to the volunteer (who sees themself)."""
    if actor is None:
        return _("system")
    if report is not None and actor.pk == report.volunteer_id:
        if can_see_volunteer_identity(viewer, report):
            return actor.public_name
        if viewer.is_authenticated and viewer.role == Role.EXPERT and actor.pseudonym:
            return actor.pseudonym
        return _("volunteer")
    if viewer.is_authenticated and viewer.is_programme_admin:
        return actor.email
    labels = {
        Role.COMPANY_STAFF: _("company staff"),
        Role.EXPERT: _("expert"),
        Role.VOLUNTEER: _("volunteer"),
    }
    return str(labels.get(actor.role, _("admin")))


def expert_queue_filter() -> Q:
    return Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW])


def can_import_catalogue(user: User) -> bool:
    """Who may import a new version of the species catalogue: programme admins only."""
    return bool(user.is_authenticated and user.is_active and user.is_programme_admin)
