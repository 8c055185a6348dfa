"""What experts keep to work faster: their saved queue filters and the programme's canned
replies (managed by admins in the Django admin)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """One expert's named queue filter + sort (reports.services.saved_filters). ``params``
    holds only the queue's own parameters (reports.queue.QUEUE_PARAMS), already checked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(_("name"), max_length=60)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved queue filter")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_filter_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name


class CannedReplyKind(models.TextChoices):
    REJECTION = "rejection", _("Rejection note")
    NEEDS_INFO = "needs_info", _("Needs-info message")


class CannedReply(models.Model):
    """A ready-made text an expert can pick on the review page, in one language."""

    kind = models.CharField(_("kind"), max_length=20, choices=CannedReplyKind.choices)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"), max_length=5000)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "language", "title"]
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "title"], name="canned_reply_title_per_language"
            )
        ]

    def __str__(self) -> str:
        return self.title
