from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from spotter.audit import record_event
from spotter.permissions import access_package_report

from ..package import build_package


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
