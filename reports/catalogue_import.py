"""A new version of the species catalogue, uploaded by an admin: read, check, and compare.

The file is the **whole** catalogue as the new version states it (JSON or CSV, UTF-8; format
in docs/cites.md). ``plan_catalogue`` reads every row, checks it and compares it with the
catalogue as it is: species added, removed (deleted, or only marked as removed when reports or
anything else still point at them), restored, renamed (scientific name through ``formerly``, or
common names), CITES appendix changes with their effective date, other edits (group, notes),
unchanged. Every problem is reported with its line (CSV) or entry number (JSON) and field; the
plan applies only when there is none. ``reports.services.catalogue.apply_catalogue_version``
applies a plan in one transaction.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from spotter.errors import InvalidInput
from spotter.uploads import read_utf8

from .catalogue import CitesAppendix, Species, SpeciesGroup
from .cites import latest_listings
from .cites_models import CatalogueVersion, CitesListing

COLUMNS = [
    "scientific_name",
    "formerly",
    "common_name_en",
    "common_name_fr",
    "common_name_zh",
    "group",
    "cites_appendix",
    "effective_from",
    "cop",
    "note",
    "note_fr",
    "note_zh",
]
REQUIRED = ("scientific_name", "common_name_en", "group", "cites_appendix")
NAME_FIELDS = ("common_name_en", "common_name_fr", "common_name_zh")
NOTE_FIELDS = {"note": "cites_note", "note_fr": "cites_note_fr", "note_zh": "cites_note_zh"}
MAX_LENGTH = {
    "scientific_name": 120,
    "formerly": 120,
    "common_name_en": 120,
    "common_name_fr": 120,
    "common_name_zh": 120,
    "group": 50,
    "cites_appendix": 3,
    "effective_from": 10,
    "cop": 40,
    "note": 2000,
    "note_fr": 2000,
    "note_zh": 2000,
}
MAX_BYTES = 2_000_000
MAX_ROWS = 5_000
MAX_LABEL = 80
COP_NUMBER = re.compile(r"cop\s*(\d{1,3})", re.IGNORECASE)


@dataclass(frozen=True)
class RowError:
    line: int  # CSV: the line in the file (header = 1); JSON: the entry's number; 0: the file
    field: str
    message: str


@dataclass
class CatalogueRow:
    line: int
    values: dict[str, str]
    effective_from: date | None = None

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")

    @property
    def cop_number(self) -> int | None:
        match = COP_NUMBER.search(self["cop"])
        return int(match.group(1)) if match else None


@dataclass
class PlannedSpecies:
    row: CatalogueRow
    species: Species | None  # None: a new species
    appendix_from: str | None = None  # set when the appendix changes
    renamed_from: str = ""  # the scientific name before, when it changes
    name_changes: list[tuple[str, str, str]] = field(default_factory=list)  # field, old, new
    other_changes: list[str] = field(default_factory=list)
    restored: bool = False
    without_history: bool = False  # an existing species with no listing rows yet

    @property
    def scientific_name(self) -> str:
        return self.row["scientific_name"]

    @property
    def appendix(self) -> str:
        return self.row["cites_appendix"]

    @property
    def effective_from(self) -> date | None:
        return self.row.effective_from

    @property
    def changed(self) -> bool:
        return bool(
            self.species is None
            or self.appendix_from
            or self.renamed_from
            or self.name_changes
            or self.other_changes
            or self.restored
        )


@dataclass
class RemovedSpecies:
    species: Species
    referenced: bool  # True: kept and marked removed; False: deleted


@dataclass
class CataloguePlan:
    label: str
    sha256: str
    rows: list[PlannedSpecies] = field(default_factory=list)
    removed: list[RemovedSpecies] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: CatalogueVersion | None = None  # this version was already applied (same content)

    @property
    def added(self) -> list[PlannedSpecies]:
        return [p for p in self.rows if p.species is None]

    @property
    def restored(self) -> list[PlannedSpecies]:
        return [p for p in self.rows if p.restored]

    @property
    def appendix_changes(self) -> list[PlannedSpecies]:
        return [p for p in self.rows if p.species is not None and p.appendix_from]

    @property
    def renamed(self) -> list[PlannedSpecies]:
        return [p for p in self.rows if p.renamed_from or p.name_changes]

    @property
    def edited(self) -> list[PlannedSpecies]:
        return [p for p in self.rows if p.other_changes]

    @property
    def unchanged(self) -> list[PlannedSpecies]:
        return [p for p in self.rows if not p.changed]

    @property
    def has_changes(self) -> bool:
        return bool(self.removed) or any(p.changed for p in self.rows)

    def summary(self) -> dict:
        return {
            "added": [p.scientific_name for p in self.added],
            "removed": [r.species.scientific_name for r in self.removed if not r.referenced],
            "marked_removed": [r.species.scientific_name for r in self.removed if r.referenced],
            "restored": [p.scientific_name for p in self.restored],
            "appendix_changes": [
                {
                    "species": p.scientific_name,
                    "from": p.appendix_from,
                    "to": p.appendix,
                    "effective_from": p.row.effective_from.isoformat()
                    if p.row.effective_from
                    else None,
                    "cop": p.row["cop"],
                }
                for p in self.appendix_changes
            ],
            "renamed": [
                {"species": p.scientific_name, "from": p.renamed_from} for p in self.renamed
            ],
            "edited": [p.scientific_name for p in self.edited],
            "unchanged": len(self.unchanged),
        }


def decode(data: bytes) -> str:
    return read_utf8(data, MAX_BYTES)


def check_label(label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise InvalidInput(_("Name the catalogue version (e.g. CoP20)."), field="label")
    if len(label) > MAX_LABEL:
        raise InvalidInput(_("Longer than %(n)s characters.") % {"n": MAX_LABEL}, field="label")
    return label


def is_json(content: str, filename: str = "") -> bool:
    if filename.lower().endswith(".json"):
        return True
    if filename.lower().endswith(".csv"):
        return False
    return content.lstrip()[:1] in ("[", "{")


def read_rows(content: str, filename: str = "") -> tuple[list[CatalogueRow], list[RowError]]:
    """The file's rows as strings by column, or the errors that stop it being read at all."""
    if is_json(content, filename):
        return _read_json(content)
    return _read_csv(content)


def _read_json(content: str) -> tuple[list[CatalogueRow], list[RowError]]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        return [], [
            RowError(
                0,
                "file",
                _("Not valid JSON (line %(line)s): %(problem)s.")
                % {"line": exc.lineno, "problem": exc.msg},
            )
        ]
    if isinstance(data, dict):
        data = data.get("species")
    if not isinstance(data, list):
        return [], [
            RowError(
                0, "file", _('Expected a list of species, or an object with a "species" list.')
            )
        ]
    if len(data) > MAX_ROWS:
        return [], [RowError(0, "file", _("More than %(n)s species.") % {"n": MAX_ROWS})]
    rows, errors = [], []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(number, "", _("Each entry must be an object.")))
            continue
        values = {}
        for name, value in item.items():
            if name not in COLUMNS:
                errors.append(RowError(number, name, _("Unknown field.")))
            elif value is not None and not isinstance(value, str):
                errors.append(RowError(number, name, _("Must be text.")))
            else:
                values[name] = value or ""
        rows.append(CatalogueRow(number, values))
    return rows, errors


def _read_csv(content: str) -> tuple[list[CatalogueRow], list[RowError]]:
    reader = csv.DictReader(io.StringIO(content))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name and name not in COLUMNS]
    errors = []
    if missing:
        errors.append(
            RowError(1, "file", _("Missing columns: %(names)s.") % {"names": ", ".join(missing)})
        )
    if unknown:
        errors.append(
            RowError(1, "file", _("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
        )
    if errors:
        return [], errors
    reader.fieldnames = header
    rows = []
    try:
        for raw in reader:
            if reader.line_num > MAX_ROWS + 1:
                return [], [RowError(0, "file", _("More than %(n)s species.") % {"n": MAX_ROWS})]
            if None in raw:
                errors.append(RowError(reader.line_num, "", _("More cells than columns.")))
                continue
            if not any((value or "").strip() for value in raw.values()):
                continue  # a blank line
            rows.append(CatalogueRow(reader.line_num, {k: v or "" for k, v in raw.items()}))
    except csv.Error as exc:
        errors.append(
            RowError(reader.line_num, "file", _("Not valid CSV: %(problem)s.") % {"problem": exc})
        )
    return rows, errors


def content_sha256(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


class _Planner:
    """Compares rows with the catalogue loaded once (a few queries, whatever the file's size)."""

    def __init__(self):
        self.groups = {g.slug: g for g in SpeciesGroup.objects.all()}
        self.species = {s.scientific_name: s for s in Species.objects.select_related("group")}
        self.latest = latest_listings()

    def latest_appendix(self, species: Species) -> tuple[str, date | None]:
        row = self.latest.get(species.pk)
        if row is None:
            return species.cites_appendix, None
        return row.appendix, row.effective_from

    def check(self, row: CatalogueRow, errors: list[RowError]) -> None:
        def refuse(name: str, message: str) -> None:
            errors.append(RowError(row.line, name, message))

        for name in COLUMNS:
            value = row[name]
            value = value.strip() if name.startswith("note") else " ".join(value.split())
            row.values[name] = value
            if len(value) > MAX_LENGTH[name]:
                refuse(name, _("Longer than %(n)s characters.") % {"n": MAX_LENGTH[name]})
        for name in REQUIRED:
            if not row[name]:
                refuse(name, _("Required."))
        if row["group"] and row["group"] not in self.groups:
            refuse("group", _("No species group %(slug)s.") % {"slug": row["group"]})
        if row["cites_appendix"] and row["cites_appendix"] not in CitesAppendix.values:
            refuse("cites_appendix", _("Must be I, II or III."))
        if row["effective_from"]:
            try:
                row.effective_from = date.fromisoformat(row["effective_from"])
            except ValueError:
                refuse("effective_from", _("Not a date in the form YYYY-MM-DD."))
            else:
                if len(row["effective_from"]) != 10:
                    refuse("effective_from", _("Not a date in the form YYYY-MM-DD."))

    def plan_row(self, row: CatalogueRow, errors: list[RowError]) -> PlannedSpecies:
        def refuse(name: str, message: str) -> None:
            errors.append(RowError(row.line, name, message))

        name, formerly = row["scientific_name"], row["formerly"]
        species = self.species.get(name)
        renamed_from = ""
        if formerly and formerly != name:
            before = self.species.get(formerly)
            if species is not None and before is not None:
                refuse("scientific_name", _("Another species already has this name."))
            elif species is None and before is None:
                refuse("formerly", _("No species %(name)s in the catalogue.") % {"name": formerly})
            elif species is None:
                species, renamed_from = before, formerly
            # else: renamed by an earlier version already; the row describes it as it is.
        planned = PlannedSpecies(row=row, species=species, renamed_from=renamed_from)
        if species is None:
            return planned
        planned.restored = species.retired_at is not None
        for column in NAME_FIELDS:
            old = getattr(species, column)
            if row[column] != old and (row[column] or column == "common_name_en"):
                planned.name_changes.append((column, old, row[column]))
        if row["group"] in self.groups and self.groups[row["group"]].pk != species.group_id:
            planned.other_changes.append("group")
        for column, attribute in NOTE_FIELDS.items():
            if row[column] != getattr(species, attribute):
                planned.other_changes.append(column)
        appendix, since = self.latest_appendix(species)
        planned.without_history = species.pk not in self.latest
        if row["cites_appendix"] in CitesAppendix.values and row["cites_appendix"] != appendix:
            planned.appendix_from = appendix
            if row.effective_from is None and row["effective_from"] == "":
                refuse("effective_from", _("Required when the appendix changes."))
            elif row.effective_from and since and row.effective_from <= since:
                refuse(
                    "effective_from",
                    _("Must be after the latest recorded change (%(date)s).")
                    % {"date": since.isoformat()},
                )
        return planned

    def referenced(self, species: list[Species]) -> set[int]:
        """The ids among ``species`` that anything other than their own history points at."""
        ids = [one.pk for one in species]
        found: set[int] = set()
        if not ids:
            return found
        for relation in Species._meta.get_fields(include_hidden=True):
            if not (relation.auto_created and not relation.concrete) or not relation.related_model:
                continue
            if relation.related_model is CitesListing or not hasattr(relation, "field"):
                continue
            column = relation.field.name
            found.update(
                relation.related_model._base_manager.filter(**{f"{column}__in": ids})
                .values_list(column, flat=True)
                .distinct()
            )
        return found


def plan_catalogue(*, label: str, content: str, filename: str = "") -> CataloguePlan:
    """What applying ``content`` as version ``label`` would change (nothing is written)."""
    plan = CataloguePlan(label=label, sha256=content_sha256(content))
    previous = CatalogueVersion.objects.filter(label=label).first()
    if previous is not None:
        if previous.content_sha256 == plan.sha256:
            plan.applied = previous
            return plan
        plan.errors.append(
            RowError(
                0,
                "label",
                _(
                    "Version %(label)s was already applied on %(date)s with other content: "
                    "name this version differently."
                )
                % {"label": label, "date": previous.applied_at.date().isoformat()},
            )
        )
        return plan
    rows, plan.errors = read_rows(content, filename)
    if not rows and not plan.errors:
        plan.errors.append(RowError(0, "file", _("The file holds no species.")))
    planner = _Planner()
    seen: dict[str, int] = {}
    for row in rows:
        planner.check(row, plan.errors)
        for key in filter(None, (row["scientific_name"], row["formerly"])):
            if key in seen and seen[key] != row.line:
                plan.errors.append(
                    RowError(
                        row.line,
                        "scientific_name" if key == row["scientific_name"] else "formerly",
                        _("%(name)s is already on line %(line)s.")
                        % {"name": key, "line": seen[key]},
                    )
                )
            seen.setdefault(key, row.line)
        plan.rows.append(planner.plan_row(row, plan.errors))
    matched = {p.species.pk for p in plan.rows if p.species is not None}
    gone = [
        one for one in planner.species.values() if one.pk not in matched and one.retired_at is None
    ]
    referenced = planner.referenced(gone)
    plan.removed = [RemovedSpecies(one, one.pk in referenced) for one in gone]
    plan.errors.sort(key=lambda error: error.line)
    return plan
