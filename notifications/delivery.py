"""Emails: one per notification on the "email" channel, one daily digest for the "digest" one.

Written in the recipient's language (``spotter.languages.user_language``). A volunteer's email
about their report keeps the report email of ``reports`` (verdict, the expert's words, the
outcome and a link).
"""

from __future__ import annotations

import logging
from itertools import groupby

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from reports.tasks import notify_volunteer
from spotter.languages import user_language
from spotter.siteurl import absolute_url

from .models import Kind, Notification
from .text import describe

log = logging.getLogger(__name__)

# Kinds whose email is the report email of ``reports`` (templates/reports/email/).
REPORT_EMAILS = {
    Kind.REPORT_CONFIRMED: "decided",
    Kind.REPORT_REJECTED: "decided",
    Kind.REPORT_NEEDS_INFO: "needs_info",
    Kind.REPORT_OUTCOME: "outcome",
}


@shared_task(name="notifications.tasks.send_notification_email", ignore_result=True)
def send_notification_email(notification_id: int) -> None:
    notification = (
        Notification.objects.select_related("user", "report").filter(pk=notification_id).first()
    )
    if notification is None or not notification.user.is_active:
        return
    if notification.kind in REPORT_EMAILS and notification.report_id:
        notify_volunteer(notification.report_id, REPORT_EMAILS[notification.kind])
        return
    user = notification.user
    with translation.override(user_language(user)):
        message = describe(notification)
        context = {"message": message, "url": absolute_url(message.url), "user": user}
        subject = render_to_string("notifications/email/subject.txt", context).strip()
        body = render_to_string("notifications/email/notification.txt", context)
    if not send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True):
        log.warning("Could not email notification %s", notification_id)


def send_digests(now=None) -> int:
    """One email per person with everything waiting for their daily digest; returns emails sent."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(in_digest=True, digested_at__isnull=True, user__is_active=True)
        .select_related("user", "report")
        .order_by("user_id", "created_at")
    )
    sent = 0
    for _user_id, rows in groupby(pending, key=lambda n: n.user_id):
        rows = list(rows)
        user = rows[0].user
        with translation.override(user_language(user)):
            items = [(describe(n), absolute_url(describe(n).url)) for n in rows]
            context = {"items": items, "user": user, "list_url": absolute_url("/notifications/")}
            subject = render_to_string("notifications/email/digest_subject.txt", context).strip()
            body = render_to_string("notifications/email/digest.txt", context)
        with transaction.atomic():
            marked = Notification.objects.filter(
                pk__in=[n.pk for n in rows], digested_at__isnull=True
            ).update(digested_at=now)
        if marked and user.email:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)
            sent += 1
    return sent
