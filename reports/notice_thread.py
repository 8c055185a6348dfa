"""A notice's thread as one viewer may see it: who wrote each post, named for that viewer.

Company staff see "you", a colleague's name, or "Cyber Spotter expert" for anyone of the
programme (experts and admins are never named to a company). The volunteer who flagged the
listing never posts here (reports.permissions.can_post_on_notice), so nothing on the thread
identifies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from spotter.models import Role, User

from .models import NoticeMessage, Report


@dataclass(frozen=True)
class ThreadPost:
    author_label: str
    body: str
    created_at: datetime
    mine: bool
    from_company: bool


def author_label(viewer: User, author: User, report: Report) -> str:
    if author.pk == viewer.pk:
        return _("you")
    if author.role == Role.COMPANY_STAFF:
        if viewer.role == Role.COMPANY_STAFF:
            return author.public_name  # a colleague
        company = report.company.name if report.company_id else ""
        return _("%(company)s staff: %(name)s") % {"company": company, "name": author.public_name}
    if viewer.role == Role.COMPANY_STAFF:
        return _("Cyber Spotter expert")
    return author.public_name  # a colleague of the programme


def notice_thread(report: Report, viewer: User) -> list[ThreadPost]:
    """Oldest first; one query."""
    messages = NoticeMessage.objects.filter(report=report).select_related("author")
    return [
        ThreadPost(
            author_label=author_label(viewer, message.author, report),
            body=message.body,
            created_at=message.created_at,
            mine=message.author_id == viewer.pk,
            from_company=message.author.role == Role.COMPANY_STAFF,
        )
        for message in messages
    ]
