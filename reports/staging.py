"""Screenshots kept across a failed submit, so a validation error never loses them.

The screenshots of a failed submit that passed ``reports.evidence`` are stored as
``StagedUpload`` rows owned by the volunteer. The re-rendered form refers to them by signed ids
(hidden ``staged`` inputs; a ``remove_staged`` checkbox drops one); only the owner's rows
younger than ``STAGED_TTL`` resolve, so a forged or copied id is ignored. The next successful
submit turns them into evidence (they count towards the 1–5 screenshots) and deletes them;
whatever is left is purged after ``STAGED_TTL``.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core import signing
from django.core.files.base import ContentFile
from django.utils import timezone

from spotter.models import User

from .evidence import ProcessedImage
from .models import StagedUpload

STAGED_TTL = timedelta(hours=24)
_SALT = "reports.staged-upload"


def token(staged: StagedUpload) -> str:
    return signing.dumps(staged.pk, salt=_SALT)


def _pk(value: str) -> int | None:
    try:
        pk = signing.loads(value, salt=_SALT, max_age=STAGED_TTL)
    except signing.BadSignature:
        return None
    return pk if isinstance(pk, int) else None


def _live(user: User):
    return StagedUpload.objects.filter(owner=user, created_at__gte=timezone.now() - STAGED_TTL)


def from_post(user: User, data) -> list[StagedUpload]:
    """The user's staged uploads the form refers to, after deleting those marked for removal."""
    removed = {_pk(value) for value in data.getlist("remove_staged")} - {None}
    discard(list(_live(user).filter(pk__in=removed)))
    wanted = {_pk(value) for value in data.getlist("staged")} - {None} - removed
    return list(_live(user).filter(pk__in=wanted).order_by("pk"))


def keep_files(row, processed: ProcessedImage, name: str) -> None:
    """Put the pipeline's output on an unsaved staging row (``StagedUpload`` here, the tip
    line's ``TipScreenshot``): the re-encoded image and the original (never served)."""
    row.original_name = name[:255]
    row.original_format = processed.original_format
    row.width, row.height = processed.width, processed.height
    ext = processed.original_format.lower().replace("jpeg", "jpg")
    row.original.save(f"o.{ext}", ContentFile(processed.original_bytes), save=False)
    row.image.save(f"i.{processed.clean_extension}", ContentFile(processed.clean_bytes), save=False)


def read_files(row) -> ProcessedImage:
    """A staging row's files as the pipeline's output again (already checked and re-encoded)."""
    with row.original.open("rb") as f:
        original = f.read()
    with row.image.open("rb") as f:
        clean = f.read()
    return ProcessedImage(
        original_bytes=original,
        original_sha256=hashlib.sha256(original).hexdigest(),
        original_format=row.original_format,
        clean_bytes=clean,
        clean_sha256=hashlib.sha256(clean).hexdigest(),
        clean_extension=row.image.name.rsplit(".", 1)[-1],
        width=row.width,
        height=row.height,
    )


def stage(user: User, images: list[ProcessedImage], names: list[str]) -> list[StagedUpload]:
    staged = []
    for processed, name in zip(images, names, strict=True):
        row = StagedUpload(owner=user)
        keep_files(row, processed, name)
        row.save()
        staged.append(row)
    return staged


def as_processed(staged: list[StagedUpload]) -> tuple[list[ProcessedImage], list[str]]:
    """The staged screenshots as the pipeline's output (already checked and re-encoded)."""
    return [read_files(row) for row in staged], [row.original_name for row in staged]


def discard(staged: list[StagedUpload]) -> None:
    for row in staged:
        row.image.delete(save=False)
        row.original.delete(save=False)
        row.delete()


def purge_expired(now=None) -> int:
    """Delete everyone's staged uploads older than ``STAGED_TTL`` (files first)."""
    expired = list(StagedUpload.objects.filter(created_at__lt=(now or timezone.now()) - STAGED_TTL))
    discard(expired)
    return len(expired)
