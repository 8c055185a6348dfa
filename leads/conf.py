"""Tunables of the lead-spotter duties (env-driven where an operator would set them)."""

from __future__ import annotations

import os

from django.conf import settings


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


# A volunteer is "newer" (their reports may be pre-screened by a lead of their round) while they
# have fewer than LEAD_NEWER_MAX_DECIDED decided reports (confirmed or rejected), or while their
# first spotter certificate is less than LEAD_NEWER_CERTIFIED_DAYS days old. Ten decided reports
# is where a volunteer's accuracy interval starts to mean something (3/3 is still 44–100%); 60
# days is about two four-week rounds.
LEAD_NEWER_MAX_DECIDED = getattr(
    settings, "LEAD_NEWER_MAX_DECIDED", _env_int("LEAD_NEWER_MAX_DECIDED", 10)
)
LEAD_NEWER_CERTIFIED_DAYS = getattr(
    settings, "LEAD_NEWER_CERTIFIED_DAYS", _env_int("LEAD_NEWER_CERTIFIED_DAYS", 60)
)
# Rows per page of the pre-screen queue.
LEAD_QUEUE_PAGE_SIZE = getattr(settings, "LEAD_QUEUE_PAGE_SIZE", 25)
# Longest pre-screen note, question and answer (characters).
LEAD_TEXT_MAX = getattr(settings, "LEAD_TEXT_MAX", 2000)
