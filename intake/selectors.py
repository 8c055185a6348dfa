"""Reads of bulk intake for the pages and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from reports.models import Report

from .models import ImportBatch, ImportRow, RowStatus


def error_rows(batch: ImportBatch) -> QuerySet[ImportRow]:
    """Rows refused at preview or skipped at import, in file order (paginated by callers)."""
    return batch.rows.filter(status__in=[RowStatus.ERROR, RowStatus.SKIPPED]).order_by("number")


def imported_reports(batch: ImportBatch) -> QuerySet[Report]:
    return (
        Report.objects.filter(pk__in=batch.rows.filter(report__isnull=False).values("report"))
        .select_related("species", "product_type", "company")
        .order_by("pk")
    )
