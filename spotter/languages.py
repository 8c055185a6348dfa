"""Which language to speak to a person, and the choices offered for country and languages.

One rule for every place that speaks to a user outside a request (emails, alerts, digests):
``user_language(user)`` is the interface language chosen on the profile, else the first of the
languages they read that the site speaks, else the default. Pages use the same choice through
``UserLanguageMiddleware``.
"""

from __future__ import annotations

from django.conf import global_settings, settings
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext as _
from django_countries import countries


def supported(code: str) -> str | None:
    try:
        return get_supported_language_variant((code or "").strip().lower())
    except LookupError:
        return None


def stated_language(user) -> str | None:
    """The language ``user`` told us they read (profile language, else a reading language the
    site speaks), or None when they said nothing we can use."""
    if user is None:
        return None
    for code in [getattr(user, "language", "")] + (getattr(user, "languages", "") or "").split(","):
        found = supported(code) if code and code.strip() else None
        if found:
            return found
    return None


def user_language(user) -> str:
    """The language to write to ``user`` in, outside a request."""
    return stated_language(user) or settings.LANGUAGE_CODE


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166-1 countries, named and sorted in the active language."""
    return [("", "—")] + [(c.code, c.name) for c in countries]


def reading_language_choices() -> list[tuple[str, str]]:
    """Languages a volunteer may read listings in (Django's list, names in the active language),
    sorted by their translated name."""
    rows = {code.split("-")[0]: _(name) for code, name in global_settings.LANGUAGES}
    rows["zh"] = _("Chinese")
    return sorted(rows.items(), key=lambda row: row[1].casefold())


def reading_language_codes() -> set[str]:
    return {code.split("-")[0] for code, _name in global_settings.LANGUAGES} | {"zh"}
