from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from spotter.audit import record_event

from .. import signing
from ..package import build_package
from ..permissions import access_package_report


@login_required
def evidence_package(request, reference):
    """ZIP for a referral: admins (any report) and the forwarded company (its own reports)."""
    report = access_package_report(request.user, reference)
    data = build_package(report, viewer=request.user)
    record_event(
        actor=request.user,
        action="report.package_downloaded",
        target=report,
        data={"originals": request.user.is_programme_admin, "bytes": len(data)},
    )
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{report.reference}-evidence-package.zip"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def package_public_key(request):
    """The public half of the evidence-package signing key (anyone may fetch it)."""
    return JsonResponse(
        {
            "algorithm": signing.ALGORITHM,
            "key_id": signing.key_id(),
            "public_key_pem": signing.public_key_pem(),
            "signed_file": "manifest.json",
        }
    )
