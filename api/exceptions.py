"""One error shape for every API failure: ``{"errors": [{"field", "code", "message"}]}``.

``field`` names the request field (``"listing_url"``, ``"screenshots"``; ``null`` when the
error is about the request as a whole). The domain errors of every service
(spotter.errors) map to HTTP statuses here, and only here: ``NotAllowed`` → 403,
``InvalidState`` → 409, ``InvalidInput`` → 400 naming its field(s), ``LimitReached`` → 429 with
``Retry-After``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from spotter.errors import InvalidInput, InvalidState, LimitReached, NotAllowed, SpotterError

# Most specific first; a SpotterError of no known kind is a plain 400.
DOMAIN_STATUS = (
    (NotAllowed, status.HTTP_403_FORBIDDEN),
    (InvalidState, status.HTTP_409_CONFLICT),
    (InvalidInput, status.HTTP_400_BAD_REQUEST),
    (LimitReached, status.HTTP_429_TOO_MANY_REQUESTS),
    (SpotterError, status.HTTP_400_BAD_REQUEST),
)


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


class DomainError(exceptions.APIException):
    """A domain refusal (spotter.errors) as an API answer: its status from ``DOMAIN_STATUS``,
    its message(s) on its field(s), its code; ``Retry-After`` when it says when to retry."""

    def __init__(self, exc: SpotterError):
        self.status_code = next(code for kind, code in DOMAIN_STATUS if isinstance(exc, kind))
        self.wait = getattr(exc, "retry_after", None)  # drf_exception_handler sets Retry-After
        errors = exc.errors if isinstance(exc, InvalidInput) else {exc.field: exc.messages}
        super().__init__(
            {name or api_settings.NON_FIELD_ERRORS_KEY: msgs for name, msgs in errors.items()},
            code=exc.code,
        )


def validation_error(exc: InvalidInput) -> exceptions.ValidationError:
    """An ``InvalidInput`` raised inside a serializer's validation, as DRF's own 400."""
    return exceptions.ValidationError(
        {name or api_settings.NON_FIELD_ERRORS_KEY: msgs for name, msgs in exc.errors.items()},
        code=exc.code,
    )


def error_body(exc: exceptions.APIException) -> dict:
    return {"errors": list(_flatten(exc.get_full_details()))}


def api_exception_handler(exc, context):
    if isinstance(exc, SpotterError):
        exc = DomainError(exc)
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
