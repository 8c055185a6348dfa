"""The member feed: approved terms as JSON or CSV, with a change log since any release.

Company staff, experts and admins (session login). Every response carries the current release
number (``X-Library-Release``) and an ETag over the library's version, so a nightly sync with
``If-None-Match`` gets a 304 while nothing changed.
"""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse

from spotter.decorators import role_required
from spotter.errors import InvalidInput
from spotter.models import Role

from ..feed import COLUMNS, feed_document, feed_version, not_modified, since_release

FEED_ROLES = (Role.COMPANY_STAFF, Role.EXPERT, Role.ADMIN)


def _feed(request, fmt: str) -> HttpResponse:
    try:
        since = since_release(request.GET.get("since"))
    except InvalidInput as exc:
        raise Http404(exc.messages[0]) from exc
    version = feed_version(fmt, since)
    if not_modified(request.headers.get("If-None-Match", ""), version):
        response = HttpResponseNotModified()
    elif fmt == "json":
        response = JsonResponse(feed_document(version))
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
        writer.writeheader()
        for row in feed_document(version)["terms"]:
            writer.writerow({**row, "species_groups": " ".join(row["species_groups"])})
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="keywords-{version.number}.csv"'
    response["ETag"] = version.etag
    response["X-Library-Release"] = str(version.number)
    response["Cache-Control"] = "private, no-cache"
    return response


@role_required(*FEED_ROLES)
def feed_json(request):
    return _feed(request, "json")


@role_required(*FEED_ROLES)
def feed_csv(request):
    return _feed(request, "csv")
