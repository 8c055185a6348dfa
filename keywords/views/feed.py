"""The member feed: approved terms as JSON or CSV, with a change log since any release.

Company staff, experts and admins (session login). Every response carries the current release
number (``X-Library-Release``) and an ETag over the library's version, so a nightly sync with
``If-None-Match`` gets a 304 while nothing changed.
"""

from __future__ import annotations

import csv
import hashlib
import io

from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils.translation import gettext as _

from spotter.decorators import role_required
from spotter.models import Role

from .. import matcher
from ..models import LibraryRelease, Term, TermStatus

FEED_ROLES = (Role.COMPANY_STAFF, Role.EXPERT, Role.ADMIN)
COLUMNS = [
    "id",
    "text",
    "normalized",
    "language",
    "kind",
    "species_groups",
    "product_type",
    "status",
    "updated_at",
]


def _since(request) -> LibraryRelease | None:
    value = request.GET.get("since")
    if not value:
        return None
    try:
        return LibraryRelease.objects.get(number=int(value))
    except (ValueError, LibraryRelease.DoesNotExist) as exc:
        raise Http404(_("No such release.")) from exc


def _rows(since: LibraryRelease | None) -> list[dict]:
    terms = Term.objects.select_related("product_type").prefetch_related("species_groups")
    if since is None:
        terms = terms.filter(status=TermStatus.APPROVED)
    else:
        # The change log: every term added, changed or retired after that release.
        terms = terms.filter(updated_at__gt=since.created_at).exclude(
            status=TermStatus.PROPOSED, approved_at__isnull=True
        )
    return [
        {
            "id": t.pk,
            "text": t.text,
            "normalized": t.normalized,
            "language": t.language,
            "kind": t.kind,
            "species_groups": sorted(g.slug for g in t.species_groups.all()),
            "product_type": t.product_type.slug if t.product_type else None,
            "status": t.status,
            "updated_at": t.updated_at.isoformat(),
        }
        for t in terms.order_by("id")
    ]


def _feed(request, fmt: str) -> HttpResponse:
    since = _since(request)
    release = LibraryRelease.objects.first()  # ordered newest first
    number = release.number if release else 0
    seed = f"{fmt}|{number}|{since.number if since else ''}|{matcher.library_version()}"
    etag = '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        rows = _rows(since)
        if fmt == "json":
            response = JsonResponse(
                {
                    "release": number,
                    "released_at": release.created_at.isoformat() if release else None,
                    "since": since.number if since else None,
                    "terms": rows,
                }
            )
        else:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow({**row, "species_groups": " ".join(row["species_groups"])})
            response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="keywords-{number}.csv"'
    response["ETag"] = etag
    response["X-Library-Release"] = str(number)
    response["Cache-Control"] = "private, no-cache"
    return response


@role_required(*FEED_ROLES)
def feed_json(request):
    return _feed(request, "json")


@role_required(*FEED_ROLES)
def feed_csv(request):
    return _feed(request, "csv")
