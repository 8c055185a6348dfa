"""The site's error views (``handler400`` … ``handler500`` in spotter/urls.py).

Pages get the site's templates/400.html … 500.html through Django's default views: 403 and 404
extend base.html (navigation, sign-in link); 400 and 500 are rendered without a request, so they
extend a standalone template that needs no context processor or database. Under ``/api/``
every error Django answers itself — a request with too many fields
(``DATA_UPLOAD_MAX_NUMBER_FIELDS``), a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, a bad Host,
a 404 or 500 outside a DRF view — is JSON in the API's error shape instead
(DRF views answer their own errors through api.exceptions).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext as _
from django.views import defaults

from .middleware import api_error


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    if not is_api(request):
        return defaults.bad_request(request, exception, template_name)
    if isinstance(exception, RequestDataTooBig):
        return api_error(_("The request body is too large."), "request_too_large", 413)
    if isinstance(exception, TooManyFieldsSent):
        return api_error(_("The request has too many fields."), "too_many_fields", 400)
    if isinstance(exception, TooManyFilesSent):
        return api_error(_("The request has too many files."), "too_many_files", 400)
    return api_error(_("Bad request."), "bad_request", 400)


def permission_denied(request, exception, template_name=defaults.ERROR_403_TEMPLATE_NAME):
    if not is_api(request):
        return defaults.permission_denied(request, exception, template_name)
    message = _("You do not have permission to perform this action.")
    return api_error(message, "permission_denied", 403)


def page_not_found(request, exception, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    if not is_api(request):
        return defaults.page_not_found(request, exception, template_name)
    return api_error(_("Not found."), "not_found", 404)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if not is_api(request):
        return defaults.server_error(request, template_name)
    return api_error(_("Server error."), "server_error", 500)
