"""Per-user and per-scope rate limits.

Rates live in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (environment-driven in settings) and
are read at request time, so tests and operators can change them without a restart of the
class definitions (DRF's own throttles copy the rates when first imported)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


class _RatesFromSettings:
    scope: str

    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}.") from exc


class UserThrottle(_RatesFromSettings, UserRateThrottle):
    """Every authenticated request counts against the user's overall budget."""


class AnonThrottle(_RatesFromSettings, AnonRateThrottle):
    pass


class ScopeThrottle(_RatesFromSettings, ScopedRateThrottle):
    """A separate budget per ``view.throttle_scope`` (e.g. "review", "company")."""
