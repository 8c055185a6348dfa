from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .audit import current_ip


def api_error(message, code: str, status: int) -> JsonResponse:
    """The API's error shape (see api/exceptions.py), for answers given before DRF runs."""
    message = str(message)
    return JsonResponse(
        {"errors": [{"field": None, "code": code, "message": message}], "detail": message},
        status=status,
    )


def client_ip(request) -> str | None:
    # REMOTE_ADDR is the only address we can trust unless a proxy we run sets X-Forwarded-For;
    # gunicorn behind a proxy should be started with --forwarded-allow-ips for that.
    return request.META.get("REMOTE_ADDR") or None


class RequireMFAMiddleware:
    """Send experts, company staff and admins to set up two-factor authentication.

    allauth's MFA has no "required" switch, so every request of such a user without an
    authenticator is redirected to the TOTP set-up page (the pages needed to set it up, and
    logout, stay reachable). The request's IP is also made available to the audit log here.
    """

    allowed_prefixes = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            redirect_response = self.check_mfa(request)
            if redirect_response is not None:
                return redirect_response
            return self.get_response(request)
        finally:
            current_ip.reset(token)

    def check_mfa(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        required_roles = set(settings.MFA_REQUIRED_ROLES)
        if not required_roles:
            return None
        needs_mfa = user.role in required_roles or (user.is_superuser and "admin" in required_roles)
        if not needs_mfa or request.path.startswith(self.allowed_prefixes):
            return None
        from allauth.mfa.models import Authenticator

        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return None
        if request.path.startswith("/api/"):
            # A session reached here through the web login; token clients are not affected
            # because their user is only known inside DRF.
            return api_error(
                _("Set up two-factor authentication before using the API."), "mfa_required", 403
            )
        return redirect(reverse("mfa_activate_totp"))


class RequestSizeLimitMiddleware:
    """Refuse, before anything reads them, request bodies larger than ``MAX_REQUEST_BYTES``
    (413), query strings longer than ``MAX_QUERY_STRING_BYTES`` (414) and query strings holding
    a NUL byte (400: PostgreSQL refuses one in a query, and no form or filter expects one).

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to disk
    whatever their size; the per-file and per-report limits are only checked afterwards. This
    keeps a client from filling the disk with one huge POST. Under /api/ the answer is in the
    API's error shape; path values are checked by the URL converters (spotter.converters)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refusal(request)
        if refusal is not None:
            message, code, status = refusal
            if request.path.startswith("/api/"):
                return api_error(message, code, status)
            return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def refusal(self, request) -> tuple[str, str, int] | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            message = _("The request is too large (at most %(mb)d MB).") % {
                "mb": settings.MAX_REQUEST_BYTES // 1_048_576
            }
            return message, "request_too_large", 413
        query = request.META.get("QUERY_STRING", "")
        if len(query) > settings.MAX_QUERY_STRING_BYTES:
            message = _("The address is too long (at most %(kb)d KB of query string).") % {
                "kb": settings.MAX_QUERY_STRING_BYTES // 1024
            }
            return message, "uri_too_long", 414
        if "%00" in query or "\x00" in query:
            return _("The address holds a NUL character."), "invalid", 400
        return None


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every API response and on every page served to
    a signed-in user, so no browser or shared cache keeps a copy of private data. A view that
    sets its own Cache-Control keeps it; static files (WhiteNoise, earlier in the chain) and
    anonymous pages keep Django's defaults."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "private, no-store"
        return response


class UserLanguageMiddleware:
    """A signed-in user's chosen interface language wins over the browser's (after
    LocaleMiddleware, which has already read the cookie and Accept-Language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user and user.is_authenticated else ""
        if chosen and chosen != request.LANGUAGE_CODE:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
