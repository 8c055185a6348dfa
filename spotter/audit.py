"""The audit log: append fast, seal in order.

Writers only INSERT an ``AuditEvent`` (``record_event``): no lock, no shared row, so no write in
the system waits for another to commit. A sequencer (``seal_pending``: a Celery beat task every
few seconds, the embedded outbox loop, and on demand before verification or an admin's evidence
package) takes the events not yet sealed, in id order, and appends one ``AuditSeal`` each in a
single short transaction: a sequence number, the previous seal's hash and

    hash = HMAC-SHA256(audit key, seq | prev_hash | canonical event payload)

This is the design of Certificate Transparency logs and Trillian: entries are queued freely and
a single sequencer assigns order and hashes in batches. Editing, removing or re-ordering a sealed
event breaks its seal or the next link (``verify_chain`` names the first broken one). Because the
hash is keyed, a hash shown to anybody reveals nothing about the event's actor or IP address:
only a holder of the key (the server, an admin running ``verify_audit_chain``, an auditor given
``AUDIT_CHAIN_KEY``) can recompute it. Events newer than the last sealing pass are the unsealed
window; ``verify_chain`` reports its size and age.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from .models import AuditChainHead, AuditEvent, AuditSeal, User

# Set by spotter.middleware.RequireMFAMiddleware (from REMOTE_ADDR) for the duration of a request.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)

GENESIS_HASH = "0" * 64
# An event is expected to be committed within this long after it was recorded; the sequencer's
# floor (below which everything is known to be sealed) never passes younger events.
SEAL_GRACE = timedelta(minutes=10)


def _actor_label(actor: User | None) -> str:
    """Role and id, never the email: the log is append-only, so it must not hold personal data
    that a deleted account would have to take back. Admins see the person through ``actor``."""
    if actor is None or not actor.pk:
        return "system"
    return f"{actor.role}#{actor.pk}"


def _event(
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
    if target is not None:
        object_type = object_type or target._meta.model_name
        object_id = object_id or target.pk
    return AuditEvent(
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
    )


def record_event(**fields) -> AuditEvent:
    """Append one event (keyword arguments: actor, action, target or object_type/object_id,
    from_state, to_state, reason, data). Call inside the transaction that made the change: the
    event commits (or rolls back) with it. Takes no lock; ``seal_pending`` chains it later."""
    event = _event(**fields)
    event.save()
    return event


def record_events(entries: list[dict]) -> list[AuditEvent]:
    """Append several events in one INSERT (each entry holds :func:`record_event`'s keyword
    arguments), e.g. a batch of deliveries marked sent together."""
    return AuditEvent.objects.append_many([_event(**entry) for entry in entries])


# --- the keyed chain ---------------------------------------------------------------------------


def audit_key() -> bytes:
    """``AUDIT_CHAIN_KEY`` when set (give it to an external auditor), else derived from
    ``SECRET_KEY`` — set it explicitly before rotating ``SECRET_KEY``."""
    configured = getattr(settings, "AUDIT_CHAIN_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(
        settings.SECRET_KEY.encode(), b"cyber-spotter audit chain v1", hashlib.sha256
    ).digest()


def seal_hash(*, seq: int, prev_hash: str, event: AuditEvent, key: bytes | None = None) -> str:
    message = json.dumps(
        {"seq": seq, "prev_hash": prev_hash, "event": event.canonical_payload()},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    ).encode()
    return hmac.new(key or audit_key(), message, hashlib.sha256).hexdigest()


def _head_for_update() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def seal_pending(*, batch_size: int = 5000, from_start: bool = False) -> int:
    """Seal every committed, unsealed event in id order; returns how many were sealed.

    Each batch is one short transaction holding only the chain head row: writers never wait
    for it. ``from_start`` also looks below the floor (verification does, to find stragglers
    whose transaction outlived ``SEAL_GRACE``)."""
    key = audit_key()
    sealed = 0
    while True:
        with transaction.atomic():
            head = _head_for_update()
            floor = 0 if from_start else head.sealed_floor_id
            pending = list(
                AuditEvent.objects.filter(id__gt=floor, seal__isnull=True).order_by("id")[
                    :batch_size
                ]
            )
            now = timezone.now()
            seals = []
            previous, seq = head.last_hash, head.count
            for event in pending:
                seq += 1
                digest = seal_hash(seq=seq, prev_hash=previous, event=event, key=key)
                seals.append(
                    AuditSeal(seq=seq, event=event, prev_hash=previous, hash=digest, sealed_at=now)
                )
                previous = digest
            AuditSeal.objects.bulk_create(seals)
            AuditChainHead.objects.filter(pk=head.pk).update(
                last_hash=previous,
                count=seq,
                sealed_floor_id=_next_floor(head.sealed_floor_id, now),
            )
        sealed += len(pending)
        if len(pending) < batch_size:
            return sealed


def _next_floor(floor: int, now) -> int:
    """The highest id below which every event is sealed and old enough that no transaction
    still holding a lower id can be expected to commit. Index range scans from the old floor."""
    candidate = AuditEvent.objects.filter(id__gt=floor, created_at__lt=now - SEAL_GRACE).aggregate(
        top=Max("id")
    )["top"]
    if candidate is None:
        return floor
    unsealed = AuditEvent.objects.filter(
        id__gt=floor, id__lte=candidate, seal__isnull=True
    ).aggregate(low=Min("id"))["low"]
    return max(floor, candidate if unsealed is None else unsealed - 1)


# --- verification ------------------------------------------------------------------------------


@dataclass
class ChainCheck:
    ok: bool
    checked: int
    broken_event_id: int | None = None
    problem: str = ""
    unsealed: int = 0
    oldest_unsealed_at: Any = None
    last_hash: str = GENESIS_HASH


def verify_chain(
    *, batch_size: int = 2000, seal_first: bool = True, key: bytes | None = None
) -> ChainCheck:
    """Walk the chain in sequence order and recompute every keyed hash.

    Seals pending events first (unless told not to), then reports the events still unsealed
    (transactions not yet committed, or a sequencer that is not running)."""
    if seal_first:
        seal_pending(from_start=True)
    key = key or audit_key()
    previous, checked, expected_seq = GENESIS_HASH, 0, 1
    seals = AuditSeal.objects.select_related("event").order_by("seq")
    for seal in seals.iterator(chunk_size=batch_size):
        if seal.seq != expected_seq:
            return ChainCheck(False, checked, seal.event_id, "an event before this one was removed")
        if seal.prev_hash != previous:
            return ChainCheck(
                False, checked, seal.event_id, "prev_hash does not match previous event"
            )
        if seal_hash(seq=seal.seq, prev_hash=previous, event=seal.event, key=key) != seal.hash:
            return ChainCheck(False, checked, seal.event_id, "content does not match its hash")
        previous = seal.hash
        checked += 1
        expected_seq += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != previous or head.count != checked):
        return ChainCheck(False, checked, None, "the newest event(s) were removed")
    window = AuditEvent.objects.filter(seal__isnull=True).aggregate(
        oldest=Min("created_at"), low=Min("id")
    )
    unsealed = AuditEvent.objects.filter(seal__isnull=True).count() if window["low"] else 0
    return ChainCheck(
        True,
        checked,
        unsealed=unsealed,
        oldest_unsealed_at=window["oldest"],
        last_hash=previous,
    )


@dataclass
class WindowCheck:
    """The seals of a few events (a page of the audit search): a cheap check, not the chain's."""

    events: int
    sealed: int
    mismatched: list[int]  # ids of events whose content no longer matches their seal

    @property
    def all_sealed(self) -> bool:
        return self.sealed == self.events

    @property
    def ok(self) -> bool:
        return not self.mismatched


def check_window(events: list[AuditEvent], *, key: bytes | None = None) -> WindowCheck:
    """Recompute the keyed hash of each event of ``events`` that is sealed (one query for their
    seals, whatever their number). It proves each event is unchanged since it was sealed; that
    none was removed between them is what ``verify_chain`` (manage.py verify_audit_chain) walks
    the whole chain for."""
    if not events:
        return WindowCheck(0, 0, [])
    key = key or audit_key()
    by_id = {event.pk: event for event in events}
    seals = AuditSeal.objects.filter(event_id__in=list(by_id)).only(
        "seq", "prev_hash", "hash", "event_id"
    )
    mismatched, sealed = [], 0
    for seal in seals:
        sealed += 1
        event = by_id[seal.event_id]
        if seal_hash(seq=seal.seq, prev_hash=seal.prev_hash, event=event, key=key) != seal.hash:
            mismatched.append(event.pk)
    return WindowCheck(len(events), sealed, sorted(mismatched))


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
