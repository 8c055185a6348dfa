"""The short email telling a tipster what became of their tip, in the language they used.

Sent by a Celery task queued after the triage commits (spotter.oncommit). The task claims the
tip with a conditional UPDATE first (``outcome_emailed_at`` still empty), so a retried or
duplicated message never sends twice; the email says the outcome only (converted or not, and
the dismissal reason), never the report's reference, reporter or what the platform did.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Tip

log = logging.getLogger(__name__)


def claim_outcome_email(tip_id: int) -> bool:
    """True exactly once per tip: the caller may send its outcome email."""
    return bool(
        Tip.objects.filter(pk=tip_id, outcome_emailed_at__isnull=True)
        .exclude(tipster_email="")
        .exclude(status="new")
        .update(outcome_emailed_at=timezone.now())
    )


@shared_task(name="tips.tasks.send_tip_outcome", ignore_result=True)
def send_tip_outcome(tip_id: int) -> None:
    if not claim_outcome_email(tip_id):
        return
    tip = Tip.objects.get(pk=tip_id)
    language = tip.language if tip.language in dict(settings.LANGUAGES) else "en"
    with translation.override(language):
        context = {"tip": tip}
        subject = render_to_string("tips/email/outcome_subject.txt", context).strip()
        body = render_to_string("tips/email/outcome.txt", context)
    if not send_mail(
        subject, body, settings.DEFAULT_FROM_EMAIL, [tip.tipster_email], fail_silently=True
    ):
        log.warning("Could not email the outcome of tip %s", tip.reference)
