"""Creating, revoking and checking personal API tokens.

A token is ``cs_<prefix>_<secret>``: the prefix (8 hex characters) is public and finds the row,
the secret carries 256 bits of randomness. Only the SHA-256 of the whole token is stored, so a
database leak reveals no usable token; a plain hash (not a slow password hash) is enough
because the input is high-entropy, and it keeps every API request cheap.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotter.audit import record_event
from spotter.errors import InvalidInput, LimitReached, NotAllowed
from spotter.models import User
from spotter.text import clean_text

from .models import ApiToken

MAX_ACTIVE_TOKENS = 10
# last_used_at is refreshed at most this often, so a busy integration does not write a row
# on every request.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_raw_token() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"cs_{prefix}_{secrets.token_urlsafe(32)}"


def create_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Return the new token row and the token itself (the only time it exists in clear)."""
    name = clean_text(name, multiline=False)[:80]
    if not name:
        raise InvalidInput(
            _("Give the token a name, e.g. the tool that will use it."), field="name"
        )
    with transaction.atomic():
        # Lock the owner's row so two concurrent requests cannot both pass the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
            raise LimitReached(
                _("You already have %(n)d active tokens; revoke one first.")
                % {"n": MAX_ACTIVE_TOKENS}
            )
        while True:
            prefix, raw = _new_raw_token()
            if not ApiToken.objects.filter(prefix=prefix).exists():
                break
        token = ApiToken.objects.create(
            user=user, name=name, prefix=prefix, token_hash=hash_token(raw)
        )
        record_event(actor=user, action="api_token.created", target=token, data={"name": name})
    return token, raw


def revoke_token(*, token: ApiToken, actor: User) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.user_id != actor.pk and not actor.is_programme_admin:
            raise NotAllowed(_("This is not your token."))
        if token.revoked_at is not None:
            return token  # revoking twice is harmless
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor=actor, action="api_token.revoked", target=token, data={"name": token.name}
        )
    return token


def parse_prefix(raw: str) -> str | None:
    parts = raw.split("_")
    if len(parts) < 3 or parts[0] != "cs" or len(parts[1]) != 8:
        return None
    return parts[1]


def find_token(raw: str) -> ApiToken | None:
    """The token row whose hash matches ``raw`` (active or revoked), or None."""
    prefix = parse_prefix(raw)
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.token_hash, hash_token(raw)):
        return None
    return token


def mark_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
