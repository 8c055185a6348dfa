"""What a member company chooses about how it is written to (its notice language)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from spotter.audit import record_event
from spotter.errors import InvalidInput, NotAllowed
from spotter.models import User

from ..models import MemberCompany
from ..permissions import can_manage_company_settings


def set_notice_language(*, company: MemberCompany, actor: User, language: str) -> MemberCompany:
    """The language of every notice, escalation, digest and evidence package to ``company``."""
    if not can_manage_company_settings(actor, company.pk):
        raise NotAllowed(_("You may not change this company's settings."))
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(_("This language is not available."), field="notice_language")
    with transaction.atomic():
        locked = MemberCompany.objects.select_for_update().get(pk=company.pk)
        previous = locked.notice_language
        if previous == language:
            return locked
        locked.notice_language = language
        locked.save(update_fields=["notice_language"])
        record_event(
            actor=actor,
            action="company.notice_language_changed",
            target=locked,
            from_state=previous,
            to_state=language,
        )
    return locked
