"""Applying a new version of the species catalogue: one service, one transaction, one event.

``apply_catalogue_version`` plans the file again inside the transaction, against the catalogue
as it is then (the preview may be minutes old), and applies it only if no row has an error:

- new species are created with their first listing row (dated if the file gives a date);
- an appendix change adds a listing row from its effective date; ``Species.cites_appendix``
  follows at once if that date has come, else the daily ``refresh_cites_appendices`` task
  switches it on the day;
- renames and edits update the species in place (their reports follow: they point at it);
- a removed species is deleted when nothing points at it, else kept and marked removed
  (``retired_at``, ``retired_in``) and no longer offered for new reports; a marked species
  that comes back in a later version is restored.

Concurrency: the catalogue rows are locked (select_for_update) before planning, so two imports
run one after the other; the version label is unique, so the same version applied twice — in
sequence or at once — is applied once: the second call finds it and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone

from spotter.audit import record_event
from spotter.errors import InvalidInput, NotAllowed
from spotter.models import User

from ..catalogue import Species, SpeciesGroup
from ..catalogue_import import CataloguePlan, check_label, plan_catalogue
from ..cites import refresh_current_appendices, today_utc
from ..cites_models import CatalogueVersion, CitesListing
from ..permissions import can_import_catalogue

# Sent once after a catalogue version is committed (kwargs: version). Higher apps (e.g. the
# keyword library's generated names) may listen from their AppConfig.ready().
catalogue_changed = Signal()


@dataclass(frozen=True)
class ApplyResult:
    version: CatalogueVersion
    plan: CataloguePlan
    already_applied: bool


def apply_catalogue_version(
    *, actor: User, label: str, content: str, filename: str = ""
) -> ApplyResult:
    if not can_import_catalogue(actor):
        raise NotAllowed("Only programme admins import catalogue versions.")
    label = check_label(label)
    try:
        with transaction.atomic():
            # Lock the catalogue this version replaces, then plan against it as it is now.
            list(Species.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
            plan = plan_catalogue(label=label, content=content, filename=filename)
            if plan.applied is not None:
                return ApplyResult(plan.applied, plan, already_applied=True)
            if plan.errors:
                raise InvalidInput(
                    [f"{e.line}: {e.field}: {e.message}" for e in plan.errors[:20]],
                    field="file",
                )
            version = CatalogueVersion.objects.create(
                label=label,
                source=CatalogueVersion.Source.IMPORT,
                as_of=today_utc(),
                content_sha256=plan.sha256,
                summary=plan.summary(),
                applied_by=actor,
            )
            touched = _apply(plan, version)
            refresh_current_appendices(species_ids=touched, record=False)
            record_event(
                actor=actor,
                action="catalogue.version_applied",
                target=version,
                data={"label": label, "sha256": plan.sha256, **version.summary},
            )
            transaction.on_commit(
                lambda: catalogue_changed.send(sender=CatalogueVersion, version=version)
            )
    except IntegrityError:
        # The same label committed by a concurrent request in the meantime: nothing to do.
        version = CatalogueVersion.objects.filter(label=label).first()
        if version is None:
            raise
        return ApplyResult(version, plan_catalogue(label=label, content=content), True)
    return ApplyResult(version, plan, already_applied=False)


def _listing(species: Species, row, version: CatalogueVersion) -> CitesListing:
    return CitesListing(
        species=species,
        appendix=row["cites_appendix"],
        effective_from=row.effective_from,
        cop=row["cop"],
        cop_number=row.cop_number,
        note=row["note"],
        note_fr=row["note_fr"],
        note_zh=row["note_zh"],
        version=version,
    )


def _apply(plan: CataloguePlan, version: CatalogueVersion) -> list[int]:
    groups = {g.slug: g for g in SpeciesGroup.objects.all()}
    now = timezone.now()
    new_rows: list[CitesListing] = []
    touched: list[int] = []
    for planned in plan.rows:
        row = planned.row
        species = planned.species
        if species is None:
            species = Species.objects.create(
                scientific_name=row["scientific_name"],
                common_name_en=row["common_name_en"],
                common_name_fr=row["common_name_fr"],
                common_name_zh=row["common_name_zh"],
                group=groups[row["group"]],
                cites_appendix=row["cites_appendix"],
                cites_note=row["note"],
                cites_note_fr=row["note_fr"],
                cites_note_zh=row["note_zh"],
            )
            new_rows.append(_listing(species, row, version))
            touched.append(species.pk)
            continue
        if not planned.changed:
            continue
        fields = []
        if planned.renamed_from:
            species.scientific_name = row["scientific_name"]
            fields.append("scientific_name")
        for column, _old, new in planned.name_changes:
            setattr(species, column, new)
            fields.append(column)
        if "group" in planned.other_changes:
            species.group = groups[row["group"]]
            fields.append("group")
        for column, attribute in (
            ("note", "cites_note"),
            ("note_fr", "cites_note_fr"),
            ("note_zh", "cites_note_zh"),
        ):
            if column in planned.other_changes:
                setattr(species, attribute, row[column])
                fields.append(attribute)
        if planned.restored:
            species.retired_at, species.retired_in = None, ""
            fields += ["retired_at", "retired_in"]
        if fields:
            species.save(update_fields=fields)
        if planned.appendix_from:
            if planned.without_history:
                # The appendix it had is its earliest known listing (start date unknown).
                new_rows.append(CitesListing(species=species, appendix=planned.appendix_from))
            new_rows.append(_listing(species, row, version))
            touched.append(species.pk)
    CitesListing.objects.bulk_create(new_rows)
    for removed in plan.removed:
        species = removed.species
        if removed.referenced:
            species.retired_at, species.retired_in = now, version.label
            species.save(update_fields=["retired_at", "retired_in"])
        else:
            species.delete()
    return touched
