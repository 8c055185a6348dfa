"""Counters in the Django cache that hold for every door (pages, API, bookmarklet, links).

One shared cache (Redis in production, a file cache on the embedded default) so every web
process counts together. Each counter is a fixed window that starts at the first counted use
and lasts ``period`` seconds: ``hit`` counts one use and says whether it is allowed; ``spent``
only looks. Redis increments atomically, so two simultaneous requests cannot both take the
last slot; the file cache is best effort (one machine, a handful of processes).
"""

from __future__ import annotations

import math
import time

from django.core.cache import cache


def _keys(scope: str, who: object) -> tuple[str, str]:
    base = f"limits:{scope}:{who}"
    return f"{base}:count", f"{base}:start"


def _seconds_left(start_key: str, period: int) -> int:
    started = cache.get(start_key)
    if started is None:
        return period
    return max(1, math.ceil(started + period - time.time()))


def spent(scope: str, who: object, *, limit: int, period: int) -> int | None:
    """If ``who`` has used all of ``limit`` in the current window, the seconds until it ends
    (for Retry-After); otherwise None. Counts nothing."""
    count_key, start_key = _keys(scope, who)
    if (cache.get(count_key) or 0) < limit:
        return None
    return _seconds_left(start_key, period)


def hit(scope: str, who: object, *, limit: int, period: int) -> int | None:
    """Count one use. None if it is within ``limit``; otherwise the seconds until the window
    ends (refused uses are counted too, but never move the end of the window)."""
    count_key, start_key = _keys(scope, who)
    if cache.add(count_key, 1, timeout=period):
        cache.set(start_key, time.time(), timeout=period)
        count = 1
    else:
        try:
            count = cache.incr(count_key)
        except ValueError:  # the window ended between add() and incr()
            cache.add(count_key, 1, timeout=period)
            cache.set(start_key, time.time(), timeout=period)
            count = 1
    if count <= limit:
        return None
    return _seconds_left(start_key, period)


def first_in_period(scope: str, who: object, *, period: int) -> bool:
    """True once per ``who`` per clock-aligned ``period`` (e.g. per hour), False after."""
    window = int(time.time() // period)
    return cache.add(f"limits:{scope}:{who}:{window}", 1, timeout=period)
