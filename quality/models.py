"""Rollup counters behind the dashboards, per-volunteer counters, and blind second reviews.

The counters are derived data: ``manage.py rebuild_rollups`` recomputes all of them from the
reports, and ``quality.rollups.refresh`` keeps them in step as reports move (see that module).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The order of quality.cube's row keys and of PeriodCount's unique index: equality on grain,
# cell, metric and the dimensions (the breakdown one as an IN list), then a range of days.
PERIOD_KEY = [
    "grain",
    "cell",
    "metric",
    "country",
    "species_group_id",
    "company_id",
    "day",
    "bucket",
    "product_type_id",
    "language",
]


class Grain(models.TextChoices):
    DAY = "d", _("day")
    WEEK = "w", _("week (starting Monday)")
    MONTH = "m", _("month")


class PeriodCount(models.Model):
    """How many reports of one cohort (submission day or month) match one metric in one cell.

    ``cell`` is a bit mask of the dimensions that are meaningful in this row (see
    ``quality.facts.CELL_*``); dimensions outside the mask hold a neutral value. Keeping a row
    per subset of dimensions (a small data cube) lets every filter/breakdown read a few
    hundred rows, however many reports exist. Foreign keys are plain integers on purpose: 0
    means "none" (no species, non-member platform) and the rows never need a join."""

    grain = models.CharField(max_length=1, choices=Grain.choices)
    cell = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=24)
    day = models.DateField()
    bucket = models.SmallIntegerField(default=0)
    country = models.CharField(max_length=2, blank=True)
    species_group_id = models.IntegerField(default=0)
    company_id = models.IntegerField(default=0)
    product_type_id = models.IntegerField(default=0)
    language = models.CharField(max_length=10, blank=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=PERIOD_KEY,  # column order = lookup order
                name="period_count_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grain}{self.cell} {self.day} {self.metric}[{self.bucket}] = {self.n}"


class ReportFacts(models.Model):
    """What the rollups last counted for one report, so a change can be applied as a diff."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    volunteer_id = models.IntegerField()
    day = models.DateField()
    country = models.CharField(max_length=2, blank=True)
    species_group_id = models.IntegerField(default=0)
    company_id = models.IntegerField(default=0)
    product_type_id = models.IntegerField(default=0)
    language = models.CharField(max_length=10, blank=True)
    state = models.CharField(max_length=20)
    decide_bucket = models.SmallIntegerField(default=-1)
    act_bucket = models.SmallIntegerField(default=-1)
    late = models.BooleanField(default=False)
    forwarded_day = models.DateField(null=True)
    second_pair = models.CharField(max_length=2, blank=True)
    senior_result = models.CharField(max_length=10, blank=True)

    def __str__(self) -> str:
        return f"facts of report {self.report_id}: {self.state}"


class RollupBacklog(models.Model):
    """A report whose counters are due a sync: one row appended by every report change.

    Transitions only INSERT here (no unique key, no shared row), so they never wait for each
    other on the counters; ``quality.rollups.refresh`` syncs the reports named here and deletes
    exactly the rows it read. A report may appear several times; syncing is idempotent."""

    report_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"report {self.report_id} due a sync"


class PeriodKind(models.TextChoices):
    DAY = "d", _("day")
    WEEK = "w", _("week")
    MONTH = "m", _("month")


class VolunteerPeriod(models.Model):
    """One volunteer's reports submitted in one day / ISO week / month, by how they ended."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=1, choices=PeriodKind.choices)
    start = models.DateField()
    submitted = models.IntegerField(default=0)
    confirmed = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "kind", "start"], name="one_volunteer_period"
            )
        ]
        indexes = [models.Index(fields=["kind", "start"])]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.kind} {self.start}: {self.confirmed}/{self.rejected}"


class VolunteerTally(models.Model):
    """One volunteer's all-time counts, overall (dimension "all") or per species group,
    platform or listing language."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    dimension = models.CharField(max_length=10)
    value = models.CharField(max_length=20, blank=True)
    submitted = models.IntegerField(default=0)
    confirmed = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    forwarded = models.IntegerField(default=0)
    removed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "dimension", "value"], name="one_volunteer_tally"
            )
        ]
        indexes = [models.Index(fields=["dimension", "confirmed", "rejected"])]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.dimension}={self.value}"


class ReviewVerdict(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirm: prohibited listing")
    REJECTED = "rejected", _("Reject: not prohibited / not enough")


class SecondReviewStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second expert")
    AGREED = "agreed", _("Both experts agreed")
    ESCALATED = "escalated", _("Disagreement: with a senior expert")
    RESOLVED = "resolved", _("Senior expert decided")


class SecondReview(models.Model):
    """A blind second opinion on a sampled decision; disagreements go to a senior expert."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.PROTECT, related_name="second_review"
    )
    status = models.CharField(
        max_length=10,
        choices=SecondReviewStatus.choices,
        default=SecondReviewStatus.PENDING,
        db_index=True,
    )
    first_verdict = models.CharField(max_length=10, choices=ReviewVerdict.choices)
    first_expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    second_expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    second_verdict = models.CharField(max_length=10, choices=ReviewVerdict.choices, blank=True)
    second_note = models.TextField(max_length=5000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    escalated_to_senior = models.BooleanField(default=False)
    senior_expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    senior_verdict = models.CharField(max_length=10, choices=ReviewVerdict.choices, blank=True)
    senior_note = models.TextField(max_length=5000, blank=True)
    senior_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("second review")

    def __str__(self) -> str:
        return f"SR-{self.pk} ({self.get_status_display()})"

    @property
    def case_label(self) -> str:
        # Reviewers see this label, not the report reference, so the case stays blind.
        return f"SR-{self.pk}"


class SamplingDecision(models.Model):
    """Whether one expert decision was sampled for a blind second review, and why.

    One row per decided report (written in the decision's transaction while sampling is on):
    the HMAC draw, the share ``p`` and every factor of quality.sampling's formula, so an audit
    can replay the choice (sampled ⇔ draw < p) and the dashboard can weigh what it found."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, related_name="sampling_decision"
    )
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review = models.OneToOneField(
        SecondReview, null=True, blank=True, on_delete=models.SET_NULL, related_name="sampling"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    draw = models.FloatField()
    p = models.FloatField()
    base = models.FloatField()
    f_expert = models.FloatField()
    f_cites = models.FloatField()
    f_volunteer = models.FloatField()
    sampled = models.BooleanField()
    # The evidence the factors came from.
    expert_reviews = models.IntegerField()
    expert_disagreements = models.IntegerField()
    expert_band = models.CharField(max_length=8)
    cites_appendix = models.CharField(max_length=3, blank=True)
    live = models.BooleanField(default=False)
    volunteer_decided = models.IntegerField()
    volunteer_low = models.FloatField()

    class Meta:
        verbose_name = _("sampling decision")

    def __str__(self) -> str:
        return f"report {self.report_id}: p={self.p:.3f} draw={self.draw:.3f}"
