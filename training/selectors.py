"""Read-side questions about training: is this volunteer allowed to flag? how far are they?

Every function here runs a fixed number of queries, whatever the number of attempts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from reports import fragments
from spotter.models import Role, User

from .models import Certificate, LessonView, Module, Question, QuizAttempt

# A certificate this close to expiry shows the refresher prompt and can be renewed early.
REFRESHER_DAYS = 30


# A filter maps a user to the ids of the reports whose practice questions they may not see (a
# lazy subquery), or None. The quality app registers its blind-review rule (quality.blind) in
# QualityConfig.ready(): training sits below quality and may not import it.
QuestionVisibilityFilter = Callable[[User], list[int] | QuerySet | None]
question_visibility_filters: list[QuestionVisibilityFilter] = []


def register_question_visibility_filter(hidden_report_ids: QuestionVisibilityFilter) -> None:
    if hidden_report_ids not in question_visibility_filters:
        question_visibility_filters.append(hidden_report_ids)


def visible_questions(user: User, qs: QuerySet[Question] | None = None) -> QuerySet[Question]:
    """Questions ``user`` may be shown (quiz draws, the admin): not those made from a report
    whose first decision they may still have to check blind, since the answer and explanation
    give that decision away."""
    qs = qs if qs is not None else Question.objects.all()
    for hidden_report_ids in question_visibility_filters:
        hidden = hidden_report_ids(user)
        if hidden is not None:
            qs = qs.exclude(source_report__in=hidden)
    return qs


def first_core_module() -> Module | None:
    """The core module a newcomer starts with (the first published one)."""
    return Module.objects.filter(is_published=True, is_core=True).order_by("order", "title").first()


def active_certificate(user: User, at: datetime | None = None) -> Certificate | None:
    if not user.is_authenticated:
        return None
    return Certificate.objects.valid(at).filter(user=user).order_by("-expires_at").first()


def latest_certificate(user: User) -> Certificate | None:
    """The most recent certificate, valid or not (to say when it expired)."""
    if not user.is_authenticated:
        return None
    return Certificate.objects.filter(user=user).order_by("-expires_at").first()


def expires_soon(user: User) -> Certificate | None:
    """The valid certificate if it expires within REFRESHER_DAYS (time for the refresher)."""
    certificate = active_certificate(user)
    if certificate and certificate.expires_at <= timezone.now() + timedelta(days=REFRESHER_DAYS):
        return certificate
    return None


# How long "certified until" may be served from the cache at most (changes that do not save a
# certificate, such as a bulk UPDATE, show after this).
CERTIFIED_UNTIL_SECONDS = 300


def on_certificate_saved(sender, *, instance, **kwargs) -> None:
    """Cache invalidation only (connected in TrainingConfig.ready)."""
    fragments.bump_now_and_on_commit([f"certificate:{instance.user_id}"])


def certification_problem(user: User) -> str | None:
    """Why ``user`` may not submit reports now, or None if they may.

    Only volunteers need a certificate; other roles are refused (or not) by reports.services.
    Asked on every volunteer page (the header's "Flag a listing"), so "certified until" is kept
    in the cache under the ``certificate:<id>`` version, which every save or deletion of one of
    the user's certificates moves (issue, renewal, revocation, an edit in /admin:
    ``on_certificate_saved``); past that moment the certificate is read again."""
    if not user.is_authenticated or user.role != Role.VOLUNTEER:
        return None
    key = f"training:certified-until:{user.pk}:{fragments.versions(f'certificate:{user.pk}')}"
    until = cache.get(key)
    if until is not None and timezone.now() < until:
        return None
    active = active_certificate(user)
    if active is not None:
        cache.set(key, active.expires_at, timeout=CERTIFIED_UNTIL_SECONDS)
        return None
    latest = latest_certificate(user)
    if latest is None:
        return _(
            "Complete your training to become a certified spotter before flagging listings: "
            "pass the core module and one species module."
        )
    if latest.revoked:
        return _(
            "Your spotter certificate was withdrawn. Contact the programme team before "
            "flagging listings again."
        )
    return _(
        "Your certificate expired on %(date)s: take the refresher quiz of the core module and "
        "one species module to renew it before flagging listings."
    ) % {"date": formats.date_format(latest.expires_at, "DATE_FORMAT")}


@dataclass
class ModuleProgress:
    module: Module
    lessons_total: int = 0
    lessons_read: int = 0
    attempts: int = 0
    best_score: int | None = None
    last_passed_at: datetime | None = None
    pass_is_current: bool = False  # passed within the certificate validity window

    @property
    def lessons_percent(self) -> int:
        return (self.lessons_read * 100 // self.lessons_total) if self.lessons_total else 0

    @property
    def passed(self) -> bool:
        return self.last_passed_at is not None


def learner_progress(user: User) -> list[ModuleProgress]:
    """One row per published module, for one learner: 3 queries."""
    modules = list(
        Module.objects.filter(is_published=True)
        .select_related("species_group")
        .annotate(lesson_count=Count("lessons"))
        .order_by("order", "title")  # Meta.ordering is not applied to GROUP BY queries
    )
    read = dict(
        LessonView.objects.filter(user=user)
        .values_list("lesson__module_id")
        .annotate(n=Count("id"))
        .values_list("lesson__module_id", "n")
    )
    results = {
        row["module_id"]: row
        for row in QuizAttempt.objects.filter(user=user, submitted_at__isnull=False)
        .values("module_id")
        .annotate(
            attempts=Count("id"),
            best=Max("score_percent"),
            last_pass=Max("submitted_at", filter=Q(passed=True)),
        )
    }
    window_start = timezone.now() - timedelta(days=settings.CERTIFICATE_VALID_DAYS)
    rows = []
    for module in modules:
        result = results.get(module.pk, {})
        last_pass = result.get("last_pass")
        rows.append(
            ModuleProgress(
                module=module,
                lessons_total=module.lesson_count,
                lessons_read=read.get(module.pk, 0),
                attempts=result.get("attempts", 0),
                best_score=result.get("best"),
                last_passed_at=last_pass,
                pass_is_current=last_pass is not None and last_pass > window_start,
            )
        )
    return rows


@dataclass
class CertificationStatus:
    certificate: Certificate | None
    expiring: bool
    core_done: bool
    species_done: bool
    problem: str | None


def certification_status(user: User, progress: list[ModuleProgress]) -> CertificationStatus:
    certificate = active_certificate(user)
    expiring = certificate is not None and certificate.expires_at <= timezone.now() + timedelta(
        days=REFRESHER_DAYS
    )
    return CertificationStatus(
        certificate=certificate,
        expiring=expiring,
        core_done=any(p.pass_is_current for p in progress if p.module.is_core),
        species_done=any(p.pass_is_current for p in progress if not p.module.is_core),
        problem=None if certificate else certification_problem(user),
    )


def recent_attempts(user: User, limit: int = 15):
    return (
        QuizAttempt.objects.filter(user=user, submitted_at__isnull=False)
        .select_related("module")
        .order_by("-submitted_at")[:limit]
    )


def _breakdown(field: str, label_field: str | None = None) -> list[dict]:
    """People who took a quiz / passed one, grouped by one user field (one query)."""
    label_field = label_field or field
    return list(
        User.objects.filter(quiz_attempts__submitted_at__isnull=False)
        .values(label_field)
        .annotate(
            learners=Count("id", distinct=True),
            trained=Count("id", distinct=True, filter=Q(quiz_attempts__passed=True)),
        )
        .order_by("-trained", label_field)
    )


def training_stats() -> dict:
    """Admin figures: how many people were trained, by role, company and country."""
    role_labels = dict(Role.choices)
    by_role = _breakdown("role")
    for row in by_role:
        row["label"] = role_labels.get(row["role"], row["role"])
    totals = User.objects.filter(quiz_attempts__submitted_at__isnull=False).aggregate(
        learners=Count("id", distinct=True),
        trained=Count("id", distinct=True, filter=Q(quiz_attempts__passed=True)),
    )
    by_company = [row for row in _breakdown("company__name") if row["company__name"]]
    by_module = list(
        Module.objects.annotate(
            learners=Count(
                "attempts__user", distinct=True, filter=Q(attempts__submitted_at__isnull=False)
            ),
            trained=Count("attempts__user", distinct=True, filter=Q(attempts__passed=True)),
        )
        .values("title", "learners", "trained")
        .order_by("order")
    )
    return {
        "totals": totals,
        "certified_now": Certificate.objects.valid().values("user").distinct().count(),
        "by_role": by_role,
        "by_company": by_company,
        "by_country": _breakdown("country"),
        "by_module": by_module,
    }
