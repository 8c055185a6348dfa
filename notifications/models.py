"""What each person is told, and how they want to be told (in-app, email, daily digest, off)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spotter.models import Role


class Kind(models.TextChoices):
    REPORT_CONFIRMED = "report_confirmed", _("Your report was confirmed")
    REPORT_REJECTED = "report_rejected", _("Your report was not confirmed")
    REPORT_NEEDS_INFO = "report_needs_info", _("An expert needs more information")
    REPORT_DUPLICATE = "report_duplicate", _("Your listing was already reported")
    REPORT_OUTCOME = "report_outcome", _("The platform acted on your report")
    CERTIFICATE_EXPIRING = "certificate_expiring", _("Your certificate is about to expire")
    LEAD_SPOTTER = "lead_spotter", _("You are invited to become a lead spotter")
    REPORT_RESUBMITTED = "report_resubmitted", _("A report you asked about was resubmitted")
    QUEUE_WAITING = "queue_waiting", _("Reports have waited long in the queue")
    NEW_NOTICE = "new_notice", _("A new notice for your platform")
    NOTICE_OVERDUE = "notice_overdue", _("A notice is overdue")
    NOTICE_ASSIGNED = "notice_assigned", _("A notice was assigned to you")
    NOTICE_REPLY = "notice_reply", _("A new message on a notice")
    OUTCOME_DISCREPANCY = "outcome_discrepancy", _("A removed listing is still online")
    QUESTION_ASKED = "question_asked", _("A volunteer of your round asked a question")
    QUESTION_ANSWERED = "question_answered", _("Your question was answered")
    ROUND_INVITED = "round_invited", _("You are invited to a spotting round")
    ROUND_BEHIND = "round_behind", _("Your week in a round is behind its target")


class Channel(models.TextChoices):
    EMAIL = "email", _("On the site and by email")
    SITE = "site", _("On the site only")
    DIGEST = "digest", _("On the site and in a daily email")
    OFF = "off", _("Off")


# Who can receive which kind, and how by default (what a new account gets).
KINDS_BY_ROLE: dict[str, dict[str, str]] = {
    Role.VOLUNTEER: {
        Kind.REPORT_CONFIRMED: Channel.EMAIL,
        Kind.REPORT_REJECTED: Channel.EMAIL,
        Kind.REPORT_NEEDS_INFO: Channel.EMAIL,
        Kind.REPORT_DUPLICATE: Channel.SITE,
        Kind.REPORT_OUTCOME: Channel.EMAIL,
        Kind.CERTIFICATE_EXPIRING: Channel.EMAIL,
        Kind.LEAD_SPOTTER: Channel.EMAIL,
        Kind.QUESTION_ANSWERED: Channel.EMAIL,
        Kind.QUESTION_ASKED: Channel.SITE,  # only lead spotters are sent it (leads app)
        Kind.ROUND_INVITED: Channel.EMAIL,
        Kind.ROUND_BEHIND: Channel.EMAIL,
    },
    Role.EXPERT: {
        Kind.REPORT_RESUBMITTED: Channel.SITE,
        Kind.QUEUE_WAITING: Channel.DIGEST,
        Kind.NOTICE_REPLY: Channel.SITE,
    },
    Role.COMPANY_STAFF: {
        Kind.NEW_NOTICE: Channel.SITE,
        Kind.NOTICE_OVERDUE: Channel.EMAIL,
        Kind.NOTICE_ASSIGNED: Channel.EMAIL,
        Kind.NOTICE_REPLY: Channel.EMAIL,
        Kind.OUTCOME_DISCREPANCY: Channel.EMAIL,
    },
    Role.ADMIN: {
        Kind.QUEUE_WAITING: Channel.DIGEST,
        Kind.OUTCOME_DISCREPANCY: Channel.SITE,
    },
}


class Notification(models.Model):
    """One thing one person was told. The text is written when shown (``notifications.text``),
    so it is always in the reader's current language."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    # What makes a reminder unique (e.g. the certificate or the day), so beat jobs that run
    # again never say the same thing twice.
    dedupe_key = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    in_digest = models.BooleanField(default=False)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        indexes = [
            models.Index(
                fields=["user", "-created_at"],
                name="notif_unread_by_user",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["user", "created_at"],
                name="notif_digest_pending",
                condition=models.Q(in_digest=True, digested_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notif_once_per_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"


class Preference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.channel}"
