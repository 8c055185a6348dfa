"""Interactive documentation (Swagger UI from the vendored sidecar, no CDN) and the JSON 404."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    """Split view: the init script is served as a file (?script), so CSP script-src 'self'
    holds; our template moves drf-spectacular's inline <style> into a static file."""

    template_name = "api/swagger_ui.html"


def not_found(request, *args, **kwargs):
    return JsonResponse(
        {"errors": [{"field": None, "code": "not_found", "message": _("No such API endpoint.")}]},
        status=404,
    )
