"""OpenAPI pieces: the error shape on every operation, and the token security scheme."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True, help_text="The request field at fault, or null for the whole request."
    )
    code = serializers.CharField(help_text="Machine-readable code, e.g. 'required', 'invalid'.")
    message = serializers.CharField(help_text="Human-readable explanation.")


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)


def _example(name: str, field, code: str, message: str) -> OpenApiExample:
    return OpenApiExample(
        name, value={"errors": [{"field": field, "code": code, "message": message}]}
    )


ERRORS = {
    "400": (
        "Invalid input; each error names the field.",
        _example(
            "Invalid URL",
            "listing_url",
            "invalid",
            "Only http:// and https:// listing URLs are accepted.",
        ),
    ),
    "401": (
        "No or invalid credentials.",
        _example(
            "No token", None, "not_authenticated", "Authentication credentials were not provided."
        ),
    ),
    "403": (
        "Authenticated, but this role or user may not do this.",
        _example("Not certified", None, "permission_denied", "Complete your training first."),
    ),
    "404": (
        "No such object visible to you.",
        _example("Not found", None, "not_found", "Not found."),
    ),
    "409": (
        "The report's current state does not allow this action.",
        _example(
            "Wrong state",
            None,
            "invalid_transition",
            "This report is confirmed; that action is not possible now.",
        ),
    ),
    "429": (
        "Rate limit reached; see Retry-After.",
        _example("Throttled", None, "throttled", "Request was throttled."),
    ),
}


class ApiAutoSchema(AutoSchema):
    """Adds the documented error responses to every operation that can produce them."""

    def _error_codes(self) -> list[str]:
        codes = ["401", "403", "429"]
        has_object = "{" in self.path
        has_query = bool(self._get_filter_parameters() or self._get_pagination_parameters())
        if self.method in ("POST", "PUT", "PATCH") or has_query:
            codes.append("400")
        if has_object:
            codes.append("404")
        if self.method in ("POST", "PATCH") and has_object:
            codes.append("409")
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code in responses:
                continue
            description, example = ERRORS[code]
            responses[code] = self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description=description, examples=[example]),
                code,
                media_types=["application/json"],
            )
        return responses


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "cs_<prefix>_<secret>",
            "description": (
                "A personal API token created on the profile page: "
                "`Authorization: Bearer cs_…` (the keyword `Token` is accepted too). "
                "Company integrations use a token of a company-staff user."
            ),
        }
