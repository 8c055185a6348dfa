"""Pages of bulk intake: my imports, upload, column mapping, preview, progress (and its
htmx status fragment). Every view checks intake.permissions and calls intake.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotter.decorators import role_required
from spotter.errors import SpotterError

from . import conf, selectors, services
from .forms import MappingForm, UploadForm, put_error
from .mapping import FIELDS
from .models import BatchStatus
from .permissions import INTAKE_ROLES, access_batch, can_import, visible_batches

intake_staff = role_required(*INTAKE_ROLES)


@intake_staff
def batch_list(request):
    batches = visible_batches(request.user).select_related("uploader")
    page = Paginator(batches, conf.INTAKE_PAGE_ROWS).get_page(request.GET.get("page"))
    return render(request, "intake/list.html", {"page": page, "batches": page.object_list})


@intake_staff
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            batch = services.create_batch(
                uploader=request.user,
                file_name=upload_file.name,
                data=upload_file.read(conf.INTAKE_MAX_FILE_BYTES + 1),
                encoding=form.cleaned_data["encoding"],
            )
        except SpotterError as exc:
            put_error(form, exc)
        else:
            return redirect("intake:mapping", batch_id=batch.pk)
    return render(request, "intake/upload.html", {"form": form})


@intake_staff
def mapping(request, batch_id: int):
    batch = access_batch(request.user, batch_id)
    if batch.status != BatchStatus.PREVIEW or not can_import(request.user, batch):
        return redirect("intake:preview", batch_id=batch.pk)
    form = MappingForm(request.POST or None, headers=batch.headers, mapping=batch.mapping)
    if request.method == "POST" and form.is_valid():
        try:
            services.remap_batch(batch=batch, actor=request.user, mapping=form.mapping())
        except SpotterError as exc:
            put_error(form, exc)
        else:
            return redirect("intake:preview", batch_id=batch.pk)
    samples = list(batch.rows.order_by("number").values_list("raw", flat=True)[:3])
    columns = [
        {"label": h or "—", "samples": [row[i] if i < len(row) else "" for row in samples]}
        for i, h in enumerate(batch.headers)
    ]
    return render(
        request, "intake/mapping.html", {"batch": batch, "form": form, "columns": columns}
    )


@intake_staff
def preview(request, batch_id: int):
    batch = access_batch(request.user, batch_id)
    page = Paginator(selectors.error_rows(batch), conf.INTAKE_PAGE_ROWS).get_page(
        request.GET.get("page")
    )
    problems = [
        (row.number, FIELDS.get(error["field"], error["field"]), error["message"])
        for row in page.object_list
        for error in row.errors
    ]
    return render(
        request,
        "intake/preview.html",
        {
            "batch": batch,
            "page": page,
            "problems": problems,
            "missing": [FIELDS[name] for name in services.missing_fields(batch.mapping)],
            "mapped": [(FIELDS[name], batch.headers[i]) for name, i in batch.mapping.items()
                       if name in FIELDS and i < len(batch.headers)],
            "may_import": can_import(request.user, batch),
        },
    )  # fmt: skip


@require_POST
@intake_staff
def start(request, batch_id: int):
    batch = access_batch(request.user, batch_id)
    if not can_import(request.user, batch):
        raise PermissionDenied
    try:
        services.start_import(batch=batch, actor=request.user)
    except SpotterError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("intake:preview", batch_id=batch.pk)
    messages.success(request, _("The import has started."))
    return redirect("intake:progress", batch_id=batch.pk)


def _progress_context(request, batch):
    reports = selectors.imported_reports(batch)
    return {"batch": batch, "reports": reports[:20], "more": max(batch.imported_rows - 20, 0)}


@intake_staff
def progress(request, batch_id: int):
    batch = access_batch(request.user, batch_id)
    return render(request, "intake/progress.html", _progress_context(request, batch))


@intake_staff
def status_fragment(request, batch_id: int):
    """What htmx polls on the progress page (it stops polling once the import is over)."""
    batch = access_batch(request.user, batch_id)
    return render(request, "intake/_status.html", _progress_context(request, batch))
