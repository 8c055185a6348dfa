"""The whole library as CSV, and a coalition keyword list imported from CSV with a preview.

Columns (``COLUMNS``): ``text, language, kind, species_groups`` (slugs separated by spaces),
``product_type`` (slug or empty), ``source, status``. A term is identified by its normalised
text and language, as in the library, so a row written differently (``I.V.O.R.Y``) updates the
existing term. ``plan_import`` reads and checks every row against the library as it is and says
what would happen (add / update / unchanged, or an error naming the row, the field and why);
``apply_import`` plans again (the library may have changed since the preview) and, only if no
row has an error, applies the plan in one transaction through ``keywords.services`` (every
change audited) and publishes a release if the approved library changed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from reports.models import ProductType, SpeciesGroup
from spotter.errors import InvalidInput, NotAllowed
from spotter.models import User
from spotter.uploads import read_utf8

from . import services
from .models import LibraryRelease, Term, TermKind, TermStatus
from .normalize import normalize
from .permissions import can_import

COLUMNS = ["text", "language", "kind", "species_groups", "product_type", "source", "status"]
REQUIRED_COLUMNS = ("text", "language", "kind")
MAX_BYTES = 2_000_000
MAX_ROWS = 5_000
MAX_SOURCE = 2_000
# Status moves an import may make, each through its service; anything else is a row error.
MOVES = {
    (TermStatus.PROPOSED, TermStatus.APPROVED): services.approve_term,
    (TermStatus.PROPOSED, TermStatus.RETIRED): services.reject_term,
    (TermStatus.APPROVED, TermStatus.RETIRED): services.retire_term,
}


@dataclass(frozen=True)
class RowError:
    row: int  # the line in the file (the header is line 1); 0: the file as a whole
    field: str
    message: str


@dataclass
class PlannedRow:
    row: int
    action: str  # "add", "update" or "unchanged"
    text: str
    language: str
    kind: str
    species_groups: tuple[str, ...]
    product_type: str | None
    source: str
    status: str
    term_id: int | None = None
    current_status: str | None = None
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def _with(self, action: str) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == action]

    @property
    def added(self) -> list[PlannedRow]:
        return self._with("add")

    @property
    def updated(self) -> list[PlannedRow]:
        return self._with("update")

    @property
    def unchanged(self) -> list[PlannedRow]:
        return self._with("unchanged")

    @property
    def touches_approved(self) -> bool:
        """Would the approved library (what the matcher and the member feed use) change?"""
        approved = TermStatus.APPROVED
        return any(row.status == approved for row in self.added) or any(
            approved in (row.status, row.current_status) for row in self.updated
        )


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    release: LibraryRelease | None


def decode(data: bytes) -> str:
    return read_utf8(data, MAX_BYTES)


def _slugs(value: str) -> tuple[str, ...]:
    return tuple(sorted({slug for slug in re.split(r"[\s,;]+", value.strip()) if slug}))


class _Planner:
    """Checks rows against the library loaded once (four queries, whatever the file's size)."""

    def __init__(self):
        self.groups = set(SpeciesGroup.objects.values_list("slug", flat=True))
        self.products = set(ProductType.objects.values_list("slug", flat=True))
        self.terms = {
            (term.normalized, term.language): term
            for term in Term.objects.select_related("product_type").prefetch_related(
                "species_groups"
            )
        }
        self.seen: dict[tuple[str, str], int] = {}

    def plan(self, number: int, raw: dict[str, str]) -> PlannedRow | list[RowError]:
        errors = []

        def refuse(name: str, message: str) -> None:
            errors.append(RowError(number, name, message))

        text = " ".join((raw.get("text") or "").split())
        if not normalize(text):
            refuse("text", _("The term is empty."))
        elif len(text) > services.MAX_SELECTION:
            refuse("text", _("Longer than %(n)s characters.") % {"n": services.MAX_SELECTION})
        language = (raw.get("language") or "").strip().lower()
        if not services.LANGUAGE_RE.fullmatch(language):
            refuse("language", _("Not a language code such as en, fr, zh-hans or la."))
        kind = (raw.get("kind") or "").strip()
        if kind not in TermKind.values:
            refuse("kind", _("Unknown kind; one of: %(kinds)s.") % {"kinds": ", ".join(TermKind)})
        groups = _slugs(raw.get("species_groups") or "")
        for slug in groups:
            if slug not in self.groups:
                refuse("species_groups", _("Unknown species group “%(slug)s”.") % {"slug": slug})
        product = (raw.get("product_type") or "").strip() or None
        if product is not None and product not in self.products:
            refuse("product_type", _("Unknown product type “%(slug)s”.") % {"slug": product})
        source = raw.get("source") or ""
        if len(source) > MAX_SOURCE:
            refuse("source", _("Longer than %(n)s characters.") % {"n": MAX_SOURCE})
        status = (raw.get("status") or "").strip()
        if status and status not in TermStatus.values:
            refuse("status", _("Unknown status; one of: proposed, approved, retired."))
        if errors:
            return errors

        key = (normalize(text), language)
        if key in self.seen:
            return [
                RowError(
                    number, "text", _("The same term as row %(row)s.") % {"row": self.seen[key]}
                )
            ]
        self.seen[key] = number
        planned = PlannedRow(
            number, "add", text, language, kind, groups, product, source, status or "proposed"
        )
        term = self.terms.get(key)
        if term is None:
            return planned
        planned.term_id, planned.current_status = term.pk, term.status
        planned.status = status or term.status
        current = {
            "text": term.text,
            "kind": term.kind,
            "species_groups": tuple(sorted(g.slug for g in term.species_groups.all())),
            "product_type": term.product_type.slug if term.product_type else None,
            "source": term.source,
            "status": term.status,
        }
        planned.changes = [
            name for name, value in current.items() if getattr(planned, name) != value
        ]
        move = (term.status, planned.status)
        if term.status != planned.status and move not in MOVES:
            return [
                RowError(
                    number,
                    "status",
                    _("A %(current)s term cannot become %(status)s by an import.")
                    % {"current": term.status, "status": planned.status},
                )
            ]
        planned.action = "update" if planned.changes else "unchanged"
        return planned


def plan_import(content: str) -> ImportPlan:
    plan = ImportPlan()
    reader = csv.DictReader(io.StringIO(content, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        plan.errors.append(
            RowError(
                0,
                ", ".join(missing),
                _("The file has no column: %(c)s.") % {"c": ", ".join(missing)},
            )
        )
        return plan
    reader.fieldnames = header
    planner = _Planner()
    try:
        for count, raw in enumerate(reader, start=1):
            if count > MAX_ROWS:
                plan.errors.append(RowError(0, "", _("More than %(n)s rows.") % {"n": MAX_ROWS}))
                break
            if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
                continue  # a blank line
            result = planner.plan(reader.line_num, raw)
            if isinstance(result, list):
                plan.errors.extend(result)
            else:
                plan.rows.append(result)
    except csv.Error as exc:
        plan.errors.append(RowError(reader.line_num, "", _("Unreadable CSV: %(e)s") % {"e": exc}))
    return plan


@transaction.atomic
def apply_import(*, actor: User, content: str) -> ImportResult:
    """Apply a checked file in one transaction; refuses the whole file if any row has an error."""
    if not can_import(actor):
        raise NotAllowed(_("Only admins import keyword lists."))
    plan = plan_import(content)
    if plan.errors:
        raise InvalidInput(_("The file has errors; nothing was imported."), field="file")
    groups = {group.slug: group for group in SpeciesGroup.objects.all()}
    products = {product.slug: product for product in ProductType.objects.all()}
    for row in plan.added:
        term = services.propose_term(
            actor=actor,
            text=row.text,
            language=row.language,
            kind=row.kind,
            species_groups=[groups[slug] for slug in row.species_groups],
            product_type=products.get(row.product_type),
            source=row.source,
        )
        if row.status != TermStatus.PROPOSED:
            MOVES[(TermStatus.PROPOSED, row.status)](actor=actor, term=term)
    for row in plan.updated:
        term = Term.objects.get(pk=row.term_id)
        edits = {name: getattr(row, name) for name in row.changes if name != "status"}
        if "species_groups" in edits:
            edits["species_groups"] = [groups[slug] for slug in row.species_groups]
        if "product_type" in edits:
            edits["product_type"] = products.get(row.product_type)
        if edits:
            term = services.edit_term(actor=actor, term=term, **edits)
        if "status" in row.changes:
            MOVES[(row.current_status, row.status)](actor=actor, term=term)
    release = None
    if plan.touches_approved:
        release = services.publish_release(
            actor=actor,
            notes=_("CSV import: %(added)s added, %(updated)s updated.")
            % {"added": len(plan.added), "updated": len(plan.updated)},
        )
    return ImportResult(len(plan.added), len(plan.updated), len(plan.unchanged), release)


def export_csv() -> str:
    """Every term of the library, whatever its status, in the import's columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    terms = (
        Term.objects.select_related("product_type")
        .prefetch_related("species_groups")
        .order_by("language", "normalized")
    )
    for term in terms:
        writer.writerow(
            [
                term.text,
                term.language,
                term.kind,
                " ".join(sorted(group.slug for group in term.species_groups.all())),
                term.product_type.slug if term.product_type else "",
                term.source,
                term.status,
            ]
        )
    return buffer.getvalue()
