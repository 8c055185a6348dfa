"""Every change of an import batch, one function each: upload, correct the mapping, start the
import, and the import job itself (``run_import``, called by intake.tasks).

The job is idempotent and resumable: it takes the batch's valid rows that have no report yet,
a chunk at a time (``INTAKE_CHUNK_ROWS``); each chunk creates its reports and records on each
row the report it became, in one transaction. Re-running it (a retry, a crash mid-way, a second
click) finds only the rows still without a report, so it never creates a report twice.
"""

from __future__ import annotations

import hashlib
import logging

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import ProductType, Species
from reports.services import (
    ListingDetails,
    ensure_can_submit_in_bulk,
    submit_bulk_report,
)
from reports.urlnorm import normalize_listing_url
from reports.validation import MAX_LENGTH
from spotter.audit import record_event
from spotter.errors import InvalidInput, InvalidState, NotAllowed
from spotter.models import User
from spotter.oncommit import coalesced, delay_on_commit

from . import conf, tasks
from .checks import check_rows
from .mapping import REQUIRED, check_mapping, guess_mapping
from .models import BatchStatus, ImportBatch, ImportRow, RowStatus
from .parsing import parse_upload
from .permissions import can_import

log = logging.getLogger(__name__)

UPLOADED = "intake.uploaded"
REMAPPED = "intake.remapped"
STARTED = "intake.started"
FINISHED = "intake.finished"
FAILED = "intake.failed"


def _locked(batch: ImportBatch) -> ImportBatch:
    return ImportBatch.objects.select_for_update().get(pk=batch.pk)


def _ensure_uploader(batch: ImportBatch, actor: User) -> None:
    if not can_import(actor, batch):
        raise NotAllowed(_("Only the person who uploaded this file can change its import."))


def missing_fields(mapping: dict) -> list[str]:
    return [name for name in REQUIRED if name not in mapping]


def _apply_checks(batch: ImportBatch, rows: list[ImportRow]) -> None:
    """Check every row against the batch's mapping; set each row's values, errors, status
    and the batch's counts (not saved)."""
    results = check_rows([(row.number, row.raw) for row in rows], batch.mapping)
    for row, result in zip(rows, results, strict=True):
        row.values = result.values
        row.errors = result.errors
        row.status = RowStatus.ERROR if result.errors else RowStatus.VALID
    batch.total_rows = len(rows)
    batch.error_rows = sum(1 for row in rows if row.status == RowStatus.ERROR)
    batch.valid_rows = batch.total_rows - batch.error_rows


def create_batch(
    *,
    uploader: User,
    file_name: str,
    data: bytes,
    encoding: str = "",
    mapping: dict | None = None,
) -> ImportBatch:
    """Parse the file, guess (or take) the mapping, check every row: a batch in preview."""
    ensure_can_submit_in_bulk(uploader)
    parsed = parse_upload(file_name, data, encoding=encoding)
    chosen = (
        check_mapping(mapping, parsed.headers)
        if mapping is not None
        else guess_mapping(parsed.headers)
    )
    batch = ImportBatch(
        uploader=uploader,
        file_name=(file_name or "upload")[-255:],
        file_format=parsed.file_format,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        headers=parsed.headers,
        mapping=chosen,
    )
    rows = [
        ImportRow(number=number, raw=cells)
        for number, cells in zip(parsed.row_numbers, parsed.rows, strict=True)
    ]
    _apply_checks(batch, rows)
    with transaction.atomic():
        batch.save()
        for row in rows:
            row.batch = batch
        ImportRow.objects.bulk_create(rows, batch_size=conf.INTAKE_CHUNK_ROWS)
        record_event(
            actor=uploader,
            action=UPLOADED,
            target=batch,
            to_state=batch.status,
            data={
                "file_name": batch.file_name,
                "sha256": batch.sha256,
                "rows": batch.total_rows,
                "valid": batch.valid_rows,
            },
        )
    return batch


def remap_batch(*, batch: ImportBatch, actor: User, mapping: dict) -> ImportBatch:
    """The uploader corrects the mapping: every row is checked again."""
    with transaction.atomic():
        batch = _locked(batch)
        _ensure_uploader(batch, actor)
        if batch.status != BatchStatus.PREVIEW:
            raise InvalidState(_("The import has started; its mapping can no longer change."))
        batch.mapping = check_mapping(mapping, batch.headers)
        rows = list(batch.rows.order_by("number"))
        _apply_checks(batch, rows)
        ImportRow.objects.bulk_update(
            rows, ["values", "errors", "status"], batch_size=conf.INTAKE_CHUNK_ROWS
        )
        batch.save(update_fields=["mapping", "total_rows", "valid_rows", "error_rows"])
        record_event(
            actor=actor,
            action=REMAPPED,
            target=batch,
            data={"mapping": batch.mapping, "valid": batch.valid_rows},
        )
    return batch


def start_import(*, batch: ImportBatch, actor: User) -> ImportBatch:
    """Queue the import job for the valid rows (also resumes a failed or stalled job)."""
    with transaction.atomic():
        batch = _locked(batch)
        _ensure_uploader(batch, actor)
        ensure_can_submit_in_bulk(actor)
        if batch.status not in (BatchStatus.PREVIEW, BatchStatus.FAILED) and not batch.is_stalled:
            raise InvalidState(_("This import has already been started."))
        missing = missing_fields(batch.mapping)
        if missing:
            raise InvalidInput(
                _("Choose the columns of the required fields first."),
                errors={f"mapping.{name}": [_("Choose the column that holds this field.")]
                        for name in missing},
            )  # fmt: skip
        if not batch.valid_rows:
            raise InvalidState(_("No row is valid: there is nothing to import."))
        previous = batch.status
        batch.status = BatchStatus.QUEUED
        batch.last_error = ""
        batch.progressed_at = timezone.now()  # a message lost on the way shows as stalled
        batch.save(update_fields=["status", "last_error", "progressed_at"])
        record_event(
            actor=actor, action=STARTED, target=batch, from_state=previous, to_state=batch.status
        )
        delay_on_commit(
            tasks.import_batch,
            batch.pk,
            catch_up="the uploader can start the import again from its page",
        )
    return batch


def _claim(batch_id: int) -> bool:
    """QUEUED (or a RUNNING one being resumed) → RUNNING. Two runs of one batch may both
    proceed: they never take the same rows (``_import_chunk``)."""
    now = timezone.now()
    changed = ImportBatch.objects.filter(
        pk=batch_id, status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]
    ).update(status=BatchStatus.RUNNING, started_at=now, progressed_at=now)
    return changed == 1


def _details(values: dict, species: dict, products: dict) -> ListingDetails:
    notes = values.get("notes", "")
    if values.get("observed_on"):
        observed = _("Observed on %(date)s.") % {"date": values["observed_on"]}
        notes = f"{notes}\n\n{observed}" if notes else observed
    return ListingDetails(
        listing_url=values["listing_url"],
        listing_title=values["listing_title"],
        product_type=products[values["product_type"]],
        species=species.get(values.get("species")),
        listing_text=values.get("listing_text", ""),
        listing_language=values.get("listing_language", ""),
        price=values.get("price"),
        currency=values.get("currency", ""),
        seller_handle=values.get("seller_handle", ""),
        quantity=values.get("quantity"),
        listing_location=values.get("listing_location", ""),
        notes=notes[: MAX_LENGTH["notes"]],
    )


def _import_chunk(batch: ImportBatch, uploader: User, species: dict, products: dict) -> int:
    """One transaction: up to ``INTAKE_CHUNK_ROWS`` rows become reports. Returns how many rows
    it went through (0: nothing left)."""
    companies: dict = {}
    with transaction.atomic():
        pending = ImportRow.objects.filter(
            batch=batch, status=RowStatus.VALID, report__isnull=True
        ).order_by("number")
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        rows = list(pending[: conf.INTAKE_CHUNK_ROWS])
        if not rows:
            return 0
        imported = skipped = 0
        for row in rows:
            values = row.values
            try:
                normalized = normalize_listing_url(values["listing_url"])
                report = submit_bulk_report(
                    reporter=uploader,
                    details=_details(values, species, products),
                    normalized=normalized,
                    source_data={"batch": batch.pk, "row": row.number},
                    companies=companies,
                )
            except InvalidInput as exc:  # reported meanwhile: nothing was written for it
                row.status = RowStatus.SKIPPED
                row.errors = [
                    {"field": name or "row", "message": message}
                    for name, messages in exc.errors.items()
                    for message in messages
                ]
                skipped += 1
            else:
                row.status = RowStatus.IMPORTED
                row.report = report
                imported += 1
        ImportRow.objects.bulk_update(rows, ["status", "errors", "report"])
        ImportBatch.objects.filter(pk=batch.pk).update(
            imported_rows=F("imported_rows") + imported,
            skipped_rows=F("skipped_rows") + skipped,
            progressed_at=timezone.now(),
        )
    return len(rows)


def run_import(batch_id: int) -> ImportBatch | None:
    """The import job (intake.tasks.import_batch). Safe to run twice or after a crash."""
    if not _claim(batch_id):
        return None
    batch = ImportBatch.objects.select_related("uploader").get(pk=batch_id)
    species = {s.pk: s for s in Species.objects.all()}
    products = {p.pk: p for p in ProductType.objects.all()}
    try:
        while True:
            # Per-report follow-up tasks (seller indexing, risk score) are sent once per
            # chunk with every id, after the chunk commits (spotter.oncommit).
            with coalesced():
                if not _import_chunk(batch, batch.uploader, species, products):
                    break
    except Exception as exc:
        log.exception("Import batch %s failed", batch_id)
        with transaction.atomic():
            batch = _locked(batch)
            batch.status = BatchStatus.FAILED
            batch.last_error = str(exc)[:2000]
            batch.save(update_fields=["status", "last_error"])
            record_event(
                actor=None,
                action=FAILED,
                target=batch,
                from_state=BatchStatus.RUNNING,
                to_state=batch.status,
                reason=batch.last_error[:200],
            )
        raise
    with transaction.atomic():
        batch = _locked(batch)
        batch.status = BatchStatus.DONE
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "finished_at"])
        record_event(
            actor=None,
            action=FINISHED,
            target=batch,
            from_state=BatchStatus.RUNNING,
            to_state=batch.status,
            data={"imported": batch.imported_rows, "skipped": batch.skipped_rows},
        )
    return batch
