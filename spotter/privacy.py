"""A volunteer's own data: download it, or close the account.

Closing an account *anonymises* it instead of deleting the row: the reports stay (evidence for
cases already forwarded, and the accuracy and impact figures must not change), shown as
"former volunteer". Everything that identifies the person goes: email, display name, languages,
password, email addresses, two-factor devices and sessions. The audit log never held an email
(see spotter.audit), so it needs no rewriting — it could not be rewritten anyway.

Spotter handles only the account itself (its own models, allauth's email addresses and
two-factor devices, sessions). Every other app registers a ``PersonalData`` in its
AppConfig.ready() (pretix's "data shredders"): the sections it adds to the export, the audit
events about its objects, and what it erases when the account closes. Rows of a registered
app's models that point at the user are exported under "other_records" without further code,
so a model added later is part of the export as soon as its app is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.utils import timezone

from .audit import record_event
from .errors import NotAllowed
from .models import AuditEvent, Role, User

FORMER_VOLUNTEER = "former volunteer"

# Never exported, whatever model they sit in: credentials and their hashes.
_SECRET_FIELD_WORDS = ("password", "secret", "hash", "token", "key")


@dataclass(frozen=True)
class PersonalData:
    """What one app holds about a person, and how to export and erase it."""

    app_label: str
    # Top-level sections of the export (e.g. {"reports": [...]}), JSON-ready.
    sections: Callable[[User], dict[str, Any]] | None = None
    # Audit events about the user's objects in this app (e.g. their reports), beyond the events
    # they caused and those about their account, which spotter always includes.
    audit_events: Callable[[User], models.Q] | None = None
    # Models of the app already exported in ``sections`` (lower-case model names); the app's
    # other models pointing at the user are listed under "other_records".
    exported_in_sections: tuple[str, ...] = ()
    # Run inside the anonymising transaction: drop what must not outlive the account.
    erase: Callable[[User], None] | None = None


personal_data_registry: dict[str, PersonalData] = {}


def register_personal_data(entry: PersonalData) -> None:
    personal_data_registry[entry.app_label] = entry


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
    """Rows of the registered apps' models that point at the user (training progress, tokens'
    names…), except those exported in a section of their own."""
    records: dict[str, list[dict]] = {}
    for entry in personal_data_registry.values():
        for model in apps.get_app_config(entry.app_label).get_models():
            if model._meta.model_name in entry.exported_in_sections:
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, models.ForeignKey) and field.related_model is User:
                    rows = [
                        _row(obj) for obj in model._default_manager.filter(**{field.name: user})
                    ]
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
    about_user = models.Q(actor=user) | models.Q(object_type="user", object_id=str(user.pk))
    sections: dict[str, Any] = {}
    for entry in personal_data_registry.values():
        if entry.sections is not None:
            sections.update(entry.sections(user))
        if entry.audit_events is not None:
            about_user |= entry.audit_events(user)
    events = AuditEvent.objects.filter(about_user).select_related("actor").order_by("id")
    return {
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
                Authenticator.objects.filter(user=user).values_list("type", flat=True)
            ),
        },
        **sections,
        "audit_events": [_event(event, user) for event in events],
        "other_records": _related_records(user),
    }


def record_export(*, user: User) -> None:
    record_event(actor=user, action="privacy.data_exported", target=user)


def close_account(*, user: User, actor: User | None = None) -> User:
    """Anonymise a volunteer's account; their reports stay, shown as "former volunteer"."""
    if user.role != Role.VOLUNTEER:
        raise NotAllowed(
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
        Authenticator.objects.filter(user=user).delete()
        _end_sessions(user)
        for entry in personal_data_registry.values():
            if entry.erase is not None:
                entry.erase(user)
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
