"""The species catalogue: the list, each species' CITES history, and importing a new version.

Every signed-in person reads the catalogue (volunteers choose species from it, experts check
listings against it, company staff follow the link from a notice). Only programme admins
import a version: upload → preview of what would change → apply. The preview carries the file
back signed (one hour), so nothing is stored between the two steps; applying plans again
against the catalogue as it is then (reports/services/catalogue.py).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotter.decorators import role_required
from spotter.errors import InvalidInput
from spotter.models import Role

from .. import catalogue_export, catalogue_import, services
from ..catalogue import Species, species_sort_key
from ..catalogue_forms import CatalogueImportForm
from ..cites import history_rows, today_utc
from ..cites_models import CatalogueVersion

SALT = "reports.catalogue-import"
MAX_AGE = 3600
VERSIONS_SHOWN = 20
ALL_ROLES = (Role.VOLUNTEER, Role.EXPERT, Role.COMPANY_STAFF, Role.ADMIN)


@role_required(*ALL_ROLES)
def species_list(request):
    species = sorted(
        Species.objects.select_related("group").prefetch_related("cites_listings"),
        key=species_sort_key,
    )
    today = today_utc()
    rows = []
    for one in species:
        dated = [r.effective_from for r in one.cites_listings.all() if r.effective_from]
        rows.append((one, max((d for d in dated if d <= today), default=None)))
    return render(
        request,
        "reports/catalogue/species_list.html",
        {"rows": rows, "latest_version": CatalogueVersion.objects.first()},
    )


@role_required(*ALL_ROLES)
def species_detail(request, species_id):
    species = get_object_or_404(Species.objects.select_related("group"), pk=species_id)
    return render(
        request,
        "reports/catalogue/species_detail.html",
        {"species": species, "history": history_rows(species)},
    )


def _preview(request, *, label: str, content: str, filename: str):
    plan = catalogue_import.plan_catalogue(label=label, content=content, filename=filename)
    payload = {"label": label, "content": content, "filename": filename}
    return render(
        request,
        "reports/catalogue/import_preview.html",
        {"plan": plan, "payload": signing.dumps(payload, salt=SALT, compress=True)},
    )


@role_required(Role.ADMIN)
def import_catalogue(request):
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            label = catalogue_import.check_label(form.cleaned_data["label"])
            content = catalogue_import.decode(upload.read(catalogue_import.MAX_BYTES + 1))
        except InvalidInput as exc:
            for field, errors in exc.errors.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return _preview(request, label=label, content=content, filename=upload.name or "")
    return render(
        request,
        "reports/catalogue/import.html",
        {
            "form": form,
            "versions": CatalogueVersion.objects.select_related("applied_by")[:VERSIONS_SHOWN],
        },
        status=400 if form.errors else 200,
    )


@role_required(Role.ADMIN)
def export_catalogue(request):
    """The current catalogue in the import format: ``?format=csv`` or JSON (the default)."""
    rows = catalogue_export.export_rows()
    stamp = today_utc().isoformat()
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            catalogue_export.export_csv(rows), content_type="text/csv; charset=utf-8"
        )
        name = f"species-catalogue-{stamp}.csv"
    else:
        response = HttpResponse(
            json.dumps({"species": rows}, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        name = f"species-catalogue-{stamp}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@role_required(Role.ADMIN)
def import_apply(request):
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("The preview has expired; upload the file again."))
        return redirect("reports:catalogue_import")
    try:
        result = services.apply_catalogue_version(actor=request.user, **payload)
    except InvalidInput:
        # The catalogue changed since the preview and a row no longer fits: show why.
        return _preview(request, **payload)
    if result.already_applied:
        messages.info(
            request,
            _("Version %(label)s was already applied; nothing changed.")
            % {"label": result.version.label},
        )
    else:
        summary = result.version.summary
        messages.success(
            request,
            _(
                "Version %(label)s applied: %(added)s added, %(removed)s removed, "
                "%(appendix)s appendix changes, %(renamed)s renamed."
            )
            % {
                "label": result.version.label,
                "added": len(summary["added"]),
                "removed": len(summary["removed"]) + len(summary["marked_removed"]),
                "appendix": len(summary["appendix_changes"]),
                "renamed": len(summary["renamed"]),
            },
        )
    return redirect("reports:catalogue_import")
