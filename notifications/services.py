"""Telling people things: one function creates a notification, honouring the person's choice.

``notify`` is called by receivers of other apps' events and by the reminder jobs; it never
changes the thing it tells about. An email (or a place in tomorrow's digest) follows the
commit of the transaction that caused it.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotter.audit import record_event
from spotter.errors import InvalidInput
from spotter.models import User

from .delivery import send_notification_email
from .models import KINDS_BY_ROLE, Channel, Kind, Notification, Preference


def kinds_for(user: User) -> dict[str, str]:
    """The kinds this user can receive, with their default channel."""
    return KINDS_BY_ROLE.get(user.role, {})


def channel_for(user: User, kind: str) -> str:
    defaults = kinds_for(user)
    if kind not in defaults:
        return Channel.OFF
    chosen = (
        Preference.objects.filter(user=user, kind=kind).values_list("channel", flat=True).first()
    )
    return chosen or defaults[kind]


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user: User) -> int:
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, 300)
    return count


def _forget_count(user_id: int) -> None:
    # Now, and again after commit: a read between the two cannot keep a stale count.
    cache.delete(unread_cache_key(user_id))
    transaction.on_commit(lambda: cache.delete(unread_cache_key(user_id)))


def notify(
    *, user: User, kind: str, report=None, data: dict | None = None, dedupe_key: str = ""
) -> Notification | None:
    """Tell ``user`` about ``kind`` if they want to hear it; ``dedupe_key`` makes it once only."""
    if user is None or not user.is_active:
        return None
    channel = channel_for(user, kind)
    if channel == Channel.OFF:
        return None
    notification = Notification(
        user=user,
        kind=kind,
        report=report,
        data=data or {},
        dedupe_key=dedupe_key,
        in_digest=channel == Channel.DIGEST,
    )
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        return None  # already told (same dedupe key)
    _forget_count(user.pk)
    if channel == Channel.EMAIL and user.email:
        notification_id = notification.pk
        transaction.on_commit(lambda: send_notification_email.delay(notification_id))
    return notification


def mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read: the given ones, or all when ``None``."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    with transaction.atomic():
        count = rows.update(read_at=timezone.now())
        _forget_count(user.pk)
    return count


@transaction.atomic
def set_preferences(*, user: User, choices: dict[str, str]) -> None:
    allowed = kinds_for(user)
    for kind, channel in choices.items():
        if kind not in allowed:
            raise InvalidInput(_("This notification is not available to you."), field=kind)
        if channel not in Channel.values:
            raise InvalidInput(_("Choose how to be told."), field=kind)
    before = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    changed = {k: v for k, v in choices.items() if before.get(k, allowed[k]) != v}
    for kind, channel in changed.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})
    if changed:
        record_event(
            actor=user, action="notifications.preferences_changed", target=user, data=changed
        )


__all__ = ["Kind", "channel_for", "kinds_for", "mark_read", "notify", "set_preferences"]
