"""The library as CSV (experts and admins) and the import of a coalition list (admins).

Upload → a preview (rows to add, update, leave; every error by row and field) → confirm. The
preview carries the file back signed (``signing``, one hour), so nothing is stored between the
two steps; the confirmation plans again against the library as it is then.
"""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotter.decorators import role_required
from spotter.errors import InvalidInput
from spotter.models import Role

from .. import csv_io
from ..forms import ImportForm, put_error
from ..permissions import CURATORS

SALT = "keywords.import"
MAX_AGE = 3600


@role_required(*CURATORS)
def export(request):
    response = HttpResponse(csv_io.export_csv(), content_type="text/csv; charset=utf-8")
    name = f"keyword-library-{timezone.now():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _preview(request, content: str, plan: csv_io.ImportPlan):
    return render(
        request,
        "keywords/import_preview.html",
        {
            "plan": plan,
            "payload": signing.dumps(content, salt=SALT, compress=True),
        },
    )


@role_required(Role.ADMIN)
def import_csv(request):
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                content = csv_io.decode(upload.read(csv_io.MAX_BYTES + 1))
            except InvalidInput as exc:
                put_error(form, exc)
            else:
                return _preview(request, content, csv_io.plan_import(content))
    else:
        form = ImportForm()
    return render(request, "keywords/import.html", {"form": form})


@require_POST
@role_required(Role.ADMIN)
def import_apply(request):
    try:
        content = signing.loads(request.POST.get("payload", ""), salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("The preview has expired; upload the file again."))
        return redirect("keywords:import")
    try:
        result = csv_io.apply_import(actor=request.user, content=content)
    except InvalidInput:
        # The library changed since the preview and a row no longer fits: show why.
        return _preview(request, content, csv_io.plan_import(content))
    done = _("Imported: %(added)s added, %(updated)s updated, %(unchanged)s unchanged.") % {
        "added": result.added,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    if result.release is not None:
        done += " " + _("Release %(n)s published.") % {"n": result.release.number}
    messages.success(request, done)
    return redirect("keywords:library")
