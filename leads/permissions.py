"""Who may do what in the leads app: one selector per rule, used by templates, views, services,
the API and the panels other apps show.

A lead spotter is a volunteer (role VOLUNTEER, ``is_lead_spotter``, a valid certificate). For the
reports of the volunteers in their scope (``leads.scope``) they see what a pre-screen needs and no
more: the listing (URL, title, text, price, seller handle, location, species and product type),
the volunteer's notes and the re-encoded screenshots; the reporter only by pseudonym. Never the
volunteer's name or email, the expert's notes, who claimed it, the timeline or anything the
company wrote. The report visibility registry (``reports.permissions.report_visibility_filters``:
e.g. blind second reviews) is applied to leads as to everyone else.

Experts and admins see every pre-screen of a report they may see; the volunteer sees only a hint
("a lead suggests adding more evidence", no name, no note); company staff see nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from reports.models import Report, ReportStatus
from reports.permissions import report_visibility_filters, visible_reports
from spotter.models import Role, User
from spotter.permissions import is_role
from training.selectors import active_certificate

from . import scope
from .models import PreScreen, PreScreenVerdict, Question

# Reports still waiting for an expert: the only ones a lead pre-screens.
WAITING = (ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW)
# A volunteer may not ask about these any more.
CLOSED_FOR_QUESTIONS = (ReportStatus.WITHDRAWN, ReportStatus.DUPLICATE)


def is_lead(user: User) -> bool:
    """THE lead-spotter rule: an active, certified volunteer marked lead spotter. Also the
    keyword fast-lane rule (registered with keywords in LeadsConfig.ready())."""
    return (
        is_role(user, Role.VOLUNTEER)
        and user.is_lead_spotter
        and active_certificate(user) is not None
    )


def _registry_visible(user: User, qs: QuerySet[Report]) -> QuerySet[Report]:
    """Apply the registered visibility filters (blind review…) that ``visible_reports`` applies."""
    for hidden_report_ids in report_visibility_filters:
        hidden = hidden_report_ids(user)
        if hidden is not None:
            qs = qs.exclude(Q(pk__in=hidden) | Q(duplicate_of__in=hidden))
    return qs


def prescreen_candidates(lead: User) -> QuerySet[Report]:
    """Reports ``lead`` may pre-screen: waiting for an expert, not a duplicate, flagged by a
    volunteer in the lead's pre-screen scope, not hidden by the visibility registry."""
    if not is_lead(lead):
        return Report.objects.none()
    return _candidates(lead)


def _candidates(lead: User) -> QuerySet[Report]:
    # The lead check is the caller's (one certificate query per page, not one per selector).
    qs = Report.objects.filter(
        status__in=WAITING,
        duplicate_of__isnull=True,
        volunteer__in=scope.prescreen_scope(lead).values("pk"),
    ).exclude(volunteer=lead)
    return _registry_visible(lead, qs)


def prescreen_queue(lead: User, *, checked: bool = False) -> QuerySet[Report]:
    """The lead's queue: candidates not yet pre-screened by this lead, oldest first.
    ``checked``: the caller already asked ``is_lead`` (the queue page's decorator)."""
    return (
        (_candidates(lead) if checked else prescreen_candidates(lead))
        .exclude(pk__in=PreScreen.objects.filter(lead=lead).values("report_id"))
        .order_by("submitted_at", "id")
    )


def can_prescreen(lead: User, report: Report) -> bool:
    return prescreen_candidates(lead).filter(pk=report.pk).exists()


def lead_readable_reports(lead: User) -> QuerySet[Report]:
    """What a lead may open: pre-screen candidates, and round mates' reports with a question."""
    if not is_lead(lead):
        return Report.objects.none()
    return _readable(lead)


def _readable(lead: User) -> QuerySet[Report]:
    asked = Question.objects.values("report_id")
    qs = Report.objects.filter(
        Q(pk__in=_candidates(lead).values("pk"))
        | Q(
            pk__in=asked,
            volunteer__in=scope.round_mates(lead),
        )
    ).exclude(Q(volunteer=lead) | Q(status=ReportStatus.WITHDRAWN))
    return _registry_visible(lead, qs)


def access_lead_report(lead: User, reference: str) -> Report:
    report = (
        lead_readable_reports(lead)
        .select_related("volunteer", "species__group", "species_reported", "product_type")
        .filter(reference=reference)
        .first()
    )
    if report is None:
        raise Http404("No such report.")
    return report


def reporter_label(report: Report) -> str:
    """How the reporter is named on lead pages: their pseudonym only."""
    return report.volunteer.pseudonym or "—"


# --- questions -------------------------------------------------------------------------------


def can_ask(user: User, report: Report) -> bool:
    """The volunteer who flagged the report asks about it (while it is not withdrawn)."""
    return (
        is_role(user, Role.VOLUNTEER)
        and report.volunteer_id == user.pk
        and report.status not in CLOSED_FOR_QUESTIONS
    )


def _expert_sees(user: User, report: Report) -> bool:
    return is_role(user, Role.EXPERT) and visible_reports(user).filter(pk=report.pk).exists()


def _lead_of(user: User, report: Report) -> bool:
    return (
        report.volunteer_id != user.pk
        and is_lead(user)
        and scope.is_round_mate(user, report.volunteer_id)
        and _registry_visible(user, Report.objects.filter(pk=report.pk)).exists()
    )


def can_answer(user: User, report: Report) -> bool:
    """Lead spotters of the asker's running round, and experts who may see the report."""
    if report.volunteer_id == user.pk or report.status == ReportStatus.WITHDRAWN:
        return False
    return _expert_sees(user, report) or _lead_of(user, report)


def can_read_questions(user: User, report: Report) -> bool:
    """The asker, admins, and whoever may answer."""
    if not user.is_authenticated or not user.is_active:
        return False
    if report.volunteer_id == user.pk or user.is_programme_admin:
        return True
    return can_answer(user, report)


def access_question_report(user: User, reference: str) -> Report:
    report = Report.objects.select_related("volunteer").filter(reference=reference).first()
    if report is None or not can_read_questions(user, report):
        raise Http404("No such report.")
    return report


def open_questions_for(lead: User, *, checked: bool = False) -> QuerySet[Question]:
    """Unanswered questions of the lead's round mates (the lead's inbox), oldest first."""
    if not checked and not is_lead(lead):
        return Question.objects.none()
    return (
        Question.objects.filter(
            answered_at__isnull=True,
            report__in=_readable(lead).values("pk"),
        )
        .select_related("report")
        .order_by("created_at", "id")
    )


# --- pre-screens: who sees them -------------------------------------------------------------


def can_see_prescreens(user: User, report: Report) -> bool:
    """Every pre-screen of a report: experts who may see it, and admins. Never company staff."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_programme_admin:
        return True
    return _expert_sees(user, report)


def owner_sees_evidence_hint(user: User, report: Report) -> bool:
    """The volunteer is told "a lead suggests adding more evidence" (no name, no note) while their
    report waits and a lead said so."""
    return (
        report.volunteer_id == user.pk
        and report.status in WAITING
        and PreScreen.objects.filter(
            report=report, verdict=PreScreenVerdict.NEEDS_EVIDENCE
        ).exists()
    )


def can_see_lead_table(user: User) -> bool:
    return is_role(user, Role.ADMIN)
