"""An expert's saved queue filters: save one under a name, delete one. Per user: nobody sees,
uses or deletes another person's filters (a missing or foreign one is the same refusal)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from spotter.audit import record_event
from spotter.errors import InvalidInput, LimitReached, NotAllowed
from spotter.models import Role, User
from spotter.text import clean_text

from ..models import SavedFilter
from ..queue import queue_params

MAX_SAVED_FILTERS = 20
NAME_MAX_LENGTH = 60

SAVED = "saved_filter.saved"
DELETED = "saved_filter.deleted"


def _ensure_expert(user: User) -> None:
    if not user.is_authenticated or user.role != Role.EXPERT:
        raise NotAllowed(_("Only experts keep queue filters."))


def save_filter(*, user: User, name: str, params: dict) -> SavedFilter:
    """Keep the queue's current filter and sort under ``name``; the same name again replaces
    what it held."""
    _ensure_expert(user)
    name = clean_text(name or "", multiline=False)
    if not name:
        raise InvalidInput(_("Give the filter a name."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidInput(
            _("Use at most %(n)d characters.") % {"n": NAME_MAX_LENGTH}, field="name"
        )
    params = queue_params(params)
    with transaction.atomic():
        # Lock the user's filters so two saves cannot both pass the limit.
        existing = list(SavedFilter.objects.select_for_update().filter(user=user))
        saved = next((row for row in existing if row.name == name), None)
        if saved is None:
            if len(existing) >= MAX_SAVED_FILTERS:
                raise LimitReached(
                    _("You can keep at most %(n)d filters; delete one first.")
                    % {"n": MAX_SAVED_FILTERS}
                )
            saved = SavedFilter.objects.create(user=user, name=name, params=params)
        else:
            saved.params = params
            saved.save(update_fields=["params"])
        record_event(actor=user, action=SAVED, target=saved, data={"params": params})
    return saved


def delete_filter(*, user: User, filter_id: int) -> None:
    _ensure_expert(user)
    with transaction.atomic():
        saved = SavedFilter.objects.select_for_update().filter(pk=filter_id, user=user).first()
        if saved is None:
            raise InvalidInput(_("No such saved filter."), field="filter")
        record_event(actor=user, action=DELETED, target=saved, data={"name": saved.name})
        saved.delete()
