"""The risk score of each waiting report and the versions of the listing-text classifier.

Neither ever changes a report: the score orders the expert queue, the model's probability is
one input of the score and a panel on the review page (docs/verification.md).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import Report


class ReportRisk(models.Model):
    """The stored risk of one waiting report (0–100), refreshed off the request path
    (``risk.refresh_reports``): the queue's "risk" order is one ORDER BY on the indexed score."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, primary_key=True, related_name="risk"
    )
    score = models.FloatField()
    # Each input in [0, 1] (None: not known, e.g. the model is off), as used by the formula.
    components = models.JSONField(default=dict)
    model_probability = models.FloatField(null=True, blank=True)
    model_version = models.PositiveIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["-score"], name="verification_risk_score_idx")]
        verbose_name = _("report risk")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.score:.1f}"


class RunStatus(models.TextChoices):
    ACTIVE = "active", _("in use")
    RETIRED = "retired", _("replaced")
    REFUSED = "refused", _("not trained")


class ModelVersion(models.Model):
    """One training run. ``refused`` runs keep why (too few decided reports) and no model;
    at most one row is ``active``: the newest trained one."""

    version = models.PositiveIntegerField(unique=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices)
    reason = models.TextField(blank=True)
    trained_at = models.DateTimeField(default=timezone.now)
    n_decided = models.PositiveIntegerField(default=0)
    n_train = models.PositiveIntegerField(default=0)
    n_test = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    # precision, recall, brier, base_rate, threshold, calibration: [{low, high, n, mean, observed}]
    metrics = models.JSONField(default=dict)
    # joblib dump of the fitted pipeline. Only ever written by ``training.train`` in this process
    # family; nothing a user uploads is stored or unpickled here.
    pipeline = models.BinaryField(null=True, blank=True, editable=False)
    # The same version's fitted numbers in plain form (``portable.dumps``: zlib-compressed JSON),
    # what the web path predicts with, without scikit-learn. Written by ``training.train`` with
    # the pipeline; empty for versions trained before it existed (``model_runtime``).
    portable = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("model version")

    def __str__(self) -> str:
        return f"v{self.version} ({self.status})"
