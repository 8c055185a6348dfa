"""A volunteer's own data: download it, or close the account.

Closing an account *anonymises* it instead of deleting the row: the reports stay (evidence for
cases already forwarded, and the accuracy and impact figures must not change), shown as
"former volunteer". Everything that identifies the person goes: email, display name, languages,
password, email addresses, two-factor devices and sessions. The audit log never held an email
(see spotter.audit), so it needs no rewriting — it could not be rewritten anyway.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

from .audit import record_event
from .models import AuditEvent, Role, User

FORMER_VOLUNTEER = "former volunteer"
# Sent inside the anonymising transaction; apps holding per-user secrets (API tokens…) drop them.
account_anonymised = Signal()  # kwargs: user

# Never exported, whatever model they sit in: credentials and their hashes.
_SECRET_FIELD_WORDS = ("password", "secret", "hash", "token", "key")
# Exported explicitly below, or not personal data of this user.
_SKIP_MODELS = {
    ("spotter", "user"),
    ("spotter", "auditevent"),
    ("reports", "report"),
    ("account", "emailaddress"),
    ("mfa", "authenticator"),
    ("admin", "logentry"),
}


class AccountClosureError(Exception):
    """The account cannot be closed this way; the message says why."""


def anonymised_email(user: User) -> str:
    return f"deleted-{user.pk}@invalid"


def is_anonymised(user: User) -> bool:
    return user.email == anonymised_email(user)


def _plain(value: Any) -> Any:
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _row(obj: models.Model) -> dict[str, Any]:
    row = {}
    for field in obj._meta.concrete_fields:
        if any(word in field.name.lower() for word in _SECRET_FIELD_WORDS):
            continue
        row[field.attname] = _plain(getattr(obj, field.attname))
    return row


def _related_records(user: User) -> dict[str, list[dict]]:
    """Rows of every other model that points at the user (training progress, tokens' names…),
    so data added by apps built later is part of the export without touching this module."""
    records: dict[str, list[dict]] = {}
    for model in apps.get_models():
        label = (model._meta.app_label, model._meta.model_name)
        if label in _SKIP_MODELS:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is User:
                rows = [_row(obj) for obj in model._default_manager.filter(**{field.name: user})]
                if rows:
                    records.setdefault(model._meta.label, []).extend(rows)
    return records


def _event(event: AuditEvent, user: User) -> dict[str, Any]:
    if event.actor_id == user.pk:
        actor = "you"
    elif event.actor is None:
        actor = "system"
    else:
        actor = event.actor.role  # other people appear by role only
    return {
        "at": event.created_at.isoformat(),
        "action": event.action,
        "object": f"{event.object_type}:{event.object_id}",
        "from_state": event.from_state,
        "to_state": event.to_state,
        "reason": event.reason,
        "actor": actor,
        "ip_address": event.ip_address if event.actor_id == user.pk else None,
    }


def export_user_data(user: User) -> dict[str, Any]:
    """Everything the programme holds about ``user``, as JSON-ready data (GDPR Art. 15/20)."""
    reports = list(
        user.reports.select_related("species", "product_type", "company")
        .prefetch_related("evidence")
        .order_by("submitted_at")
    )
    report_ids = [str(report.pk) for report in reports]
    events = (
        AuditEvent.objects.filter(
            models.Q(actor=user)
            | models.Q(object_type="user", object_id=str(user.pk))
            | models.Q(object_type="report", object_id__in=report_ids)
        )
        .select_related("actor")
        .order_by("id")
    )
    data = {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "country": user.country,
            "languages": user.languages,
            "pseudonym": user.pseudonym,
            "is_lead_spotter": user.is_lead_spotter,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user)
            ],
            "two_factor_methods": sorted(
                apps.get_model("mfa", "Authenticator")
                .objects.filter(user=user)
                .values_list("type", flat=True)
            ),
        },
        "reports": [_report(report) for report in reports],
        "audit_events": [_event(event, user) for event in events],
        "other_records": _related_records(user),
    }
    return data


def _report(report) -> dict[str, Any]:
    return {
        "reference": report.reference,
        "status": report.status,
        "verdict": report.verdict,
        "rejection_reason": report.rejection_reason,
        "expert_note": report.expert_note,
        "outcome": report.outcome,
        "listing_url": report.listing_url,
        "listing_title": report.listing_title,
        "listing_text": report.listing_text,
        "listing_language": report.listing_language,
        "species": report.species.scientific_name if report.species else None,
        "species_other": report.species_other,
        "product_type": report.product_type.slug,
        "platform": report.company.name if report.company else report.domain,
        "price": str(report.price) if report.price is not None else None,
        "currency": report.currency,
        "seller_handle": report.seller_handle,
        "quantity": report.quantity,
        "listing_location": report.listing_location,
        "notes": report.notes,
        "submitted_at": report.submitted_at.isoformat(),
        "decided_at": report.decided_at.isoformat() if report.decided_at else None,
        "evidence": [
            {
                "original_name": item.original_name,
                "original_sha256": item.original_sha256,
                "image_sha256": item.image_sha256,
                "uploaded_at": item.uploaded_at.isoformat(),
            }
            for item in report.evidence.all()
        ],
    }


def record_export(*, user: User) -> None:
    record_event(actor=user, action="privacy.data_exported", target=user)


def close_account(*, user: User, actor: User | None = None) -> User:
    """Anonymise a volunteer's account; their reports stay, shown as "former volunteer"."""
    if user.role != Role.VOLUNTEER:
        raise AccountClosureError(
            "Only volunteer accounts are closed this way; ask an admin to close staff accounts."
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if is_anonymised(user):
            return user  # closing twice is harmless
        user.email = anonymised_email(user)
        user.display_name = FORMER_VOLUNTEER
        user.languages = ""
        user.is_active = False
        user.is_lead_spotter = False
        user.set_unusable_password()
        # Country and pseudonym stay: regional accuracy figures and blind second reviews refer
        # to them, and neither identifies the person once the email is gone.
        user.save()
        EmailAddress.objects.filter(user=user).delete()
        apps.get_model("mfa", "Authenticator").objects.filter(user=user).delete()
        _end_sessions(user)
        account_anonymised.send(sender=User, user=user)
        record_event(
            actor=actor if actor is not None and actor.pk != user.pk else user,
            action="privacy.account_closed",
            target=user,
            from_state="active",
            to_state="anonymised",
        )
    return user


def _end_sessions(user: User) -> None:
    """Sign the account out everywhere (sessions are not indexed by user, so scan them)."""
    from django.contrib.sessions.models import Session

    now = timezone.now()
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    # Through the session engine, not the table: with cached_db sessions (Redis) a deleted row
    # would still be served from the cache.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in doomed:
        store(session_key).delete()
