"""The API's router: path converters (spotter.converters), as in every urls.py of the site.

DRF's default lookup pattern, ``[^/.]+``, lets a NUL byte, invalid UTF-8 or a 5,000-character
string through to the query (a server error on PostgreSQL). Here each viewset must say what its
lookup value looks like with ``lookup_value_converter`` (``ref``, ``id``, ``slug``); a value
that is not one is a JSON 404 from the catch-all route, before any view runs."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework.routers import SimpleRouter


class ConverterRouter(SimpleRouter):
    def __init__(self):
        super().__init__(use_regex_path=False)

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if not getattr(viewset, "lookup_value_converter", None):
            raise ImproperlyConfigured(
                f"{viewset.__name__} must set lookup_value_converter (see spotter/converters.py)."
            )
        return super().get_lookup_regex(viewset, lookup_prefix)
