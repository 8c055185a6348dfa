"""Who may use bulk intake, and which batches each may see: one rule each, used by the pages,
the API (api.views.intake) and the services.

Monitoring staff are experts and admins for now: a monitoring team member (TRAFFIC and other
partners) is given the expert role by an admin. The rule itself is reports' (the one who may
create reports in bulk, ``reports.services.BULK_REPORTER_ROLES``), so the page and the service
can never disagree.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from reports.services import BULK_REPORTER_ROLES
from spotter.models import User
from spotter.permissions import is_role

from .models import ImportBatch

INTAKE_ROLES = BULK_REPORTER_ROLES


def can_use_intake(user: User) -> bool:
    return is_role(user, *INTAKE_ROLES)


def visible_batches(user: User) -> QuerySet[ImportBatch]:
    """An expert sees their own batches; an admin sees every batch."""
    if not can_use_intake(user):
        return ImportBatch.objects.none()
    if user.is_programme_admin:
        return ImportBatch.objects.all()
    return ImportBatch.objects.filter(uploader=user)


def access_batch(user: User, batch_id: int) -> ImportBatch:
    """The batch if ``user`` may see it, else 404 (nobody learns that another one exists)."""
    batch = visible_batches(user).select_related("uploader").filter(pk=batch_id).first()
    if batch is None:
        raise Http404("No such import.")
    return batch


def can_import(user: User, batch: ImportBatch) -> bool:
    """Only the uploader starts or corrects an import: the reports are theirs."""
    return can_use_intake(user) and batch.uploader_id == user.pk
