"""The blind rule of second reviews, in one place.

While a second review is open (``pending``), every expert who may give it — any expert except
the one who made the first decision and the volunteer who submitted the report — must not see
that first decision anywhere. ``hidden_blind_report_ids`` is registered (QualityConfig.ready)
with ``reports.permissions.visible_reports``, which leaves such reports (and duplicates linked
to them) out for those experts, so every page, API list, detail, filter, screenshot, timeline
and package that goes through it hides them; and with ``training.selectors.visible_questions``,
which leaves out practice questions made from them. The expert judges the case on its own page
(``quality.views.reviews.case``). Once the second opinion is recorded the case is no longer
pending and normal visibility returns.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from reports.models import Report
from spotter.models import Role, User

from .models import SecondReview, SecondReviewStatus


def _may_review_blind(user: User) -> bool:
    # Programme admins see every decision (pages and /admin/), so they cannot review blind.
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.EXPERT
        and not user.is_programme_admin
    )


def reviewer_problem(review: SecondReview, expert: User) -> str | None:
    """Why ``expert`` may not give the blind second opinion on ``review`` (None if they may).

    The object form of ``open_blind_reviews``: keep the two in step."""
    if not _may_review_blind(expert):
        return _("Only experts give second reviews.")
    if review.first_expert_id == expert.pk:
        return _("You made the first decision on this case; another expert must review it.")
    if review.report.volunteer_id == expert.pk:
        return _("You cannot review a report you submitted.")
    return None


def open_blind_reviews(user: User) -> QuerySet[SecondReview]:
    """Pending cases that ``user`` may take, so must see blind (the second-review queue)."""
    if not _may_review_blind(user):
        return SecondReview.objects.none()
    return (
        SecondReview.objects.filter(status=SecondReviewStatus.PENDING)
        .exclude(first_expert=user)
        # The user's own reports as a subquery on the volunteer index, not a join: joined, the
        # reports table was read whole (a sequential scan, 67 ms at 100,000 reports, on every
        # expert page; docs/benchmarks.md, "Read pages").
        .exclude(report__in=Report.objects.filter(volunteer=user).values("pk"))
    )


def blind_report_ids(user: User) -> QuerySet:
    """Ids of the reports whose first decision ``user`` may not see now (a lazy subquery)."""
    return open_blind_reviews(user).values("report_id")


def hidden_blind_report_ids(user: User) -> QuerySet | None:
    """The reports ``user`` must not see now, or None if they review nothing blind (so the
    lower apps' lists of reports and practice questions gain no condition for them).

    Every pending case ``user`` did not decide first, without the "not their own report"
    condition of ``open_blind_reviews``: that condition joins the reports table, and inside
    the visibility filter PostgreSQL then planned every expert's report fetch as a scan of all
    reports (bench/write_bench.py: 100–180 ms per claim + confirm at 100k reports). Experts
    never see their own reports anyway (``reports.permissions``), so nothing more is hidden.
    Without the join the subquery is one index scan on the pending status, hashed once."""
    if not _may_review_blind(user):
        return None
    return (
        SecondReview.objects.filter(status=SecondReviewStatus.PENDING)
        .exclude(first_expert=user)
        .values("report_id")
    )


def has_open_blind_review(user: User, report) -> bool:
    """True while ``report`` has an open blind second review that ``user`` may give."""
    return open_blind_reviews(user).filter(report_id=report.pk).exists()
