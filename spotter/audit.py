"""Writing and verifying the hash-chained audit log.

Each event stores the hash of the one before it, so editing or deleting any row breaks every
link after it; ``manage.py verify_audit_chain`` finds the first broken link.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent, User

# Set by spotter.middleware.RequireMFAMiddleware (from REMOTE_ADDR) for the duration of a request.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)

GENESIS_HASH = "0" * 64


def _actor_label(actor: User | None) -> str:
    """Role and id, never the email: the log is append-only, so it must not hold personal data
    that a deleted account would have to take back. Admins see the person through ``actor``."""
    if actor is None or not actor.pk:
        return "system"
    return f"{actor.role}#{actor.pk}"


def record_event(
    *,
    actor: User | None,
    action: str,
    target: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain. Call inside the transaction that made the change."""
    if target is not None:
        object_type = object_type or target._meta.model_name
        object_id = object_id or target.pk
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            created_at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_label=_actor_label(actor),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            from_state=from_state or "",
            to_state=to_state or "",
            reason=reason or "",
            data=data or {},
            ip_address=current_ip.get(),
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        AuditChainHead.objects.filter(pk=head.pk).update(last_hash=event.hash, count=head.count + 1)
    return event


@dataclass
class ChainCheck:
    ok: bool
    checked: int
    broken_event_id: int | None = None
    problem: str = ""


def verify_chain(batch_size: int = 2000) -> ChainCheck:
    previous = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != previous:
            return ChainCheck(False, checked, event.id, "prev_hash does not match previous event")
        if event.compute_hash() != event.hash:
            return ChainCheck(False, checked, event.id, "content does not match its hash")
        previous = event.hash
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        return ChainCheck(False, checked, None, "the newest event(s) were removed")
    return ChainCheck(True, checked)


def record_admin_change(sender, instance, created: bool, **kwargs) -> None:
    """post_save receiver for django.contrib.admin's LogEntry (connected in SpotterConfig)."""
    if not created:
        return
    flags = {1: "added", 2: "changed", 3: "deleted"}
    record_event(
        actor=instance.user,
        action=f"admin.{flags.get(instance.action_flag, 'action')}",
        object_type=(instance.content_type.model if instance.content_type_id else "")[:40],
        object_id=str(instance.object_id or "")[:40],
        # Field names only (never object_repr, which may be a person's email).
        data={"change": instance.get_change_message()[:1000]},
    )
