"""The thread between a company's enforcement staff and the programme on one notice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NOTICE_MESSAGE_MAX_LENGTH = 2000


class NoticeMessage(models.Model):
    """One post on a forwarded report's thread, by company staff or by an expert/admin. Who
    wrote it is shown through reports.notice_thread (companies never see a person of the
    programme by name, nor anything about the volunteer)."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=NOTICE_MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at"])]
        verbose_name = _("notice message")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.pk}"
