"""The member feed's content, shared by the session feed (keywords.views) and the API
(``/api/v1/keywords/feed``): the release numbering, the ``?since=`` change log and the ETag."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from spotter.errors import InvalidInput

from . import matcher
from .models import LibraryRelease, Term, TermStatus

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


@dataclass(frozen=True)
class FeedVersion:
    release: LibraryRelease | None  # the latest release, None before the first
    since: LibraryRelease | None  # the release the change log starts after
    etag: str  # quoted, for the ETag header

    @property
    def number(self) -> int:
        return self.release.number if self.release else 0


def since_release(value: str | None) -> LibraryRelease | None:
    """The release named by ``?since=``; InvalidInput (field ``since``) for an unknown one."""
    if not value:
        return None
    try:
        return LibraryRelease.objects.get(number=int(value))
    except (ValueError, OverflowError, LibraryRelease.DoesNotExist) as exc:
        raise InvalidInput(_("No such release."), field="since") from exc


def feed_version(fmt: str, since: LibraryRelease | None) -> FeedVersion:
    """The latest release and the ETag over (format, release, since, library version)."""
    release = LibraryRelease.objects.first()  # ordered newest first
    number = release.number if release else 0
    seed = f"{fmt}|{number}|{since.number if since else ''}|{matcher.library_version()}"
    etag = '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'
    return FeedVersion(release, since, etag)


def not_modified(if_none_match: str, version: FeedVersion) -> bool:
    return version.etag in (if_none_match or "")


def feed_rows(since: LibraryRelease | None) -> list[dict]:
    """Every approved term, or (``since``) every term added, changed or retired after it."""
    terms = Term.objects.select_related("product_type").prefetch_related("species_groups")
    if since is None:
        terms = terms.filter(status=TermStatus.APPROVED)
    else:
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


def feed_document(version: FeedVersion) -> dict:
    """The JSON body: the release, its date, the ``since`` asked for and the rows."""
    release = version.release
    return {
        "release": version.number,
        "released_at": release.created_at.isoformat() if release else None,
        "since": version.since.number if version.since else None,
        "terms": feed_rows(version.since),
    }
