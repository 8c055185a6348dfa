"""Reads of the tip line: the triage queue and one tip, each behind the triage rule."""

from __future__ import annotations

from django.http import Http404

from spotter.models import User

from .conf import setting
from .models import Tip, TipStatus
from .permissions import ensure_may_triage


def queue_page(user: User, page: int) -> tuple[list[Tip], bool]:
    """Waiting tips, oldest first: one page and whether another follows. No COUNT over the
    table: one row more than a page says whether there is a next page."""
    ensure_may_triage(user)
    size = setting("TIPS_PAGE_SIZE")
    start = (page - 1) * size
    rows = list(
        Tip.objects.filter(status=TipStatus.NEW)
        .select_related("screenshot")
        .order_by("created_at", "pk")[start : start + size + 1]
    )
    return rows[:size], len(rows) > size


def recently_handled(user: User, limit: int = 10) -> list[Tip]:
    ensure_may_triage(user)
    return list(
        Tip.objects.exclude(status=TipStatus.NEW)
        .select_related("decided_by", "report")
        .order_by("-decided_at", "-pk")[:limit]
    )


def access_tip(user: User, reference: str) -> Tip:
    ensure_may_triage(user)
    tip = Tip.objects.select_related("decided_by", "report").filter(reference=reference).first()
    if tip is None:
        raise Http404
    return tip
