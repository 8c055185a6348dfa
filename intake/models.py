"""Bulk intake: one uploaded file (ImportBatch) and its parsed rows (ImportRow)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import Report

from . import conf


class BatchStatus(models.TextChoices):
    PREVIEW = "preview", _("Preview")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RowStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    ERROR = "error", _("Error")
    IMPORTED = "imported", _("Imported")
    # Valid at preview, refused at import (the listing was reported meanwhile).
    SKIPPED = "skipped", _("Skipped")


class ImportBatch(models.Model):
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_batches"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(max_length=5)  # "csv" or "xlsx"
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField(default=0)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    headers = models.JSONField(default=list)
    # Field name → column index (reports' field names, see intake.mapping.FIELDS).
    mapping = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PREVIEW
    )
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    skipped_rows = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    progressed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        indexes = [models.Index(fields=["uploader", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} #{self.pk}"

    @property
    def to_import(self) -> int:
        """Rows the job has still to go through."""
        return max(self.valid_rows - self.imported_rows - self.skipped_rows, 0)

    @property
    def percent(self) -> int:
        if self.status == BatchStatus.DONE:
            return 100
        if not self.valid_rows:
            return 0
        return min(100, (self.imported_rows + self.skipped_rows) * 100 // self.valid_rows)

    @property
    def is_stalled(self) -> bool:
        """Queued or running, but no progress for ``INTAKE_STALE_SECONDS`` (a lost message, a
        dead worker): its uploader may start it again, it resumes where it stopped."""
        return (
            self.is_active
            and self.progressed_at is not None
            and (timezone.now() - self.progressed_at).total_seconds() > conf.INTAKE_STALE_SECONDS
        )

    @property
    def is_active(self) -> bool:
        return self.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)


class ImportRow(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))  # the line in the file (header = 1)
    raw = models.JSONField(default=list)  # the cells as read, as text
    values = models.JSONField(default=dict)  # mapped and cleaned (ids for species/product type)
    errors = models.JSONField(default=list)  # [{"field": …, "message": …}]
    status = models.CharField(max_length=10, choices=RowStatus.choices, default=RowStatus.VALID)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["batch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="intake_row_number_unique")
        ]
        indexes = [models.Index(fields=["batch", "status", "number"])]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.number}"
