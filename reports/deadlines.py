"""The time left before a notice's service-level deadline, said the way people say it:
"due in 5 h", "overdue by 2 d" (reports.forwarding.sla.next_deadline gives the deadline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class TimeLeft:
    label: str
    overdue: bool
    seconds: int  # negative when overdue


def _amount(seconds: int) -> str:
    minutes = max(1, seconds // 60)
    if minutes < 60:
        return _("%(count)d min") % {"count": minutes}
    hours = minutes // 60
    if hours < 48:
        return _("%(count)d h") % {"count": hours}
    return _("%(count)d d") % {"count": hours // 24}


def time_left_label(deadline: datetime | None, now: datetime) -> TimeLeft | None:
    """None when there is no deadline (a closed notice)."""
    if deadline is None:
        return None
    seconds = int((deadline - now).total_seconds())
    if seconds < 0:
        return TimeLeft(
            _("overdue by %(time)s") % {"time": _amount(-seconds)}, overdue=True, seconds=seconds
        )
    return TimeLeft(
        _("due in %(time)s") % {"time": _amount(seconds)}, overdue=False, seconds=seconds
    )
