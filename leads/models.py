"""Lead spotters' records: pre-screens of newer volunteers' reports, and questions on reports.

A pre-screen is advice to the expert, never a decision: nothing here changes a report's status.
Its ``outcome`` (agreed / disagreed with the expert's first decision) is written once, by the
bookkeeping receiver in ``leads.receivers``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PreScreenVerdict(models.TextChoices):
    LOOKS_GOOD = "looks_good", _("Looks good")
    NEEDS_EVIDENCE = "needs_evidence", _("Needs more evidence")


class PreScreenOutcome(models.TextChoices):
    PENDING = "", _("Waiting for the expert")
    AGREED = "agreed", _("The expert agreed")
    DISAGREED = "disagreed", _("The expert decided otherwise")


class PreScreen(models.Model):
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="prescreens"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prescreens"
    )
    verdict = models.CharField(_("pre-screen"), max_length=20, choices=PreScreenVerdict.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set once, when an expert first decides the report (leads.receivers).
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=PreScreenOutcome.choices, blank=True, default=""
    )
    expert_action = models.CharField(max_length=40, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pre-screen")
        verbose_name_plural = _("pre-screens")
        constraints = [
            models.UniqueConstraint(fields=["report", "lead"], name="one_prescreen_per_lead")
        ]
        indexes = [models.Index(fields=["lead", "outcome"])]

    def __str__(self) -> str:
        return f"{self.report_id} by {self.lead_id}: {self.verdict}"


class Question(models.Model):
    """A volunteer's question about their own report; leads of their round and experts answer."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="lead_questions"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("question"))
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"Q{self.pk} on {self.report_id}"


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("answer"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"A{self.pk} to Q{self.question_id}"
