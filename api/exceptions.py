"""One error shape for every API failure: ``{"errors": [{"field", "code", "message"}]}``.

``field`` names the request field (``"listing_url"``, ``"screenshots"``; ``null`` when the
error is about the request as a whole). Domain errors of the services map to HTTP statuses:
``reports.services.PermissionDenied`` → 403, ``SubmissionLimitReached`` → 429 with
``Retry-After``, any other ``TransitionError`` → 409.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from reports import services


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("That action is not possible in the report's current state.")
    default_code = "invalid_transition"


def _flatten(detail, field: str | None = None):
    """Yield {"field", "code", "message"} from DRF's nested ``get_full_details()`` output."""
    if isinstance(detail, dict) and "message" in detail and "code" in detail:
        yield {"field": field, "code": str(detail["code"]), "message": str(detail["message"])}
    elif isinstance(detail, dict):
        for key, value in detail.items():
            if key in (api_settings.NON_FIELD_ERRORS_KEY, "detail"):
                name = field
            else:
                name = str(key) if field is None else f"{field}.{key}"
            yield from _flatten(value, name)
    elif isinstance(detail, list | tuple):
        for item in detail:
            yield from _flatten(item, field)


def error_body(exc: exceptions.APIException) -> dict:
    return {"errors": list(_flatten(exc.get_full_details()))}


def api_exception_handler(exc, context):
    if isinstance(exc, services.SubmissionLimitReached):  # TransitionError too: test first
        limited = exceptions.Throttled(detail=str(exc))
        limited.wait = exc.retry_after  # the Retry-After header; the message already says it
        exc = limited
    elif isinstance(exc, services.PermissionDenied):  # subclass of TransitionError: test first
        exc = exceptions.PermissionDenied(str(exc))
    elif isinstance(exc, services.TransitionError):
        exc = Conflict(str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)  # sets WWW-Authenticate / Retry-After
    if response is not None:
        response.data = error_body(exc)
    return response
