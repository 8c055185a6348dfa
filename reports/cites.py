"""Which CITES appendix was in force for a species on a date, and how to say it.

``appendix_on(species, date)`` is the one answer every door uses: notices (email, digest,
portal), the webhook payload, the evidence package and the species pages. A report is judged
by the appendix in force on its **listing date**: the UTC date the volunteer saw the listing,
i.e. the date of ``Report.submitted_at`` (reports have no separate "observed" date: the
volunteer flags a listing while looking at it, and the screenshots carry the same time). Where
the appendix changed between that date and today, notices say both, e.g. "Appendix II on the
listing date; Appendix I since 2017-01-02" (docs/cites.md).

History rows are read through ``species.cites_listings.all()``, so a caller that prefetched them
pays no query per species. A species without any history row (created by hand in the Django
admin, or by a test factory) is treated as one undated row with its ``cites_appendix``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from spotter.audit import record_event
from spotter.models import User

from .catalogue import CITES_PLAIN_WORDS, CitesAppendix, Species
from .cites_models import CitesListing


def today_utc() -> date:
    return timezone.now().astimezone(UTC).date()


def listing_date(report) -> date:
    """The date a report's listing was seen (UTC): the day it was submitted."""
    return report.submitted_at.astimezone(UTC).date()


def history_order(row: CitesListing) -> tuple:
    return (row.effective_from is not None, row.effective_from or date.min, row.pk or 0)


def latest_listings() -> dict[int, CitesListing]:
    """Each species' latest history row, by species id (its last change, even a future one)."""
    latest: dict[int, CitesListing] = {}
    for row in CitesListing.objects.all():
        held = latest.get(row.species_id)
        if held is None or history_order(row) > history_order(held):
            latest[row.species_id] = row
    return latest


def history(species: Species) -> list[CitesListing]:
    """The species' listing rows, oldest first (the undated row, if any, comes first)."""
    rows = sorted(species.cites_listings.all(), key=history_order) if species.pk else []
    if not rows and species.cites_appendix:
        rows = [CitesListing(species=species, appendix=species.cites_appendix)]
    return rows


def listing_on(species: Species, on: date) -> CitesListing | None:
    """The history row in force on ``on`` (None: the species was not yet listed)."""
    return _in_force(history(species), on)


def _in_force(rows: list[CitesListing], on: date) -> CitesListing | None:
    in_force = None
    for row in rows:
        if row.effective_from is None or row.effective_from <= on:
            in_force = row
        else:
            break
    return in_force


def appendix_on(species: Species, on: date) -> str | None:
    """``"I"``, ``"II"`` or ``"III"``: the appendix in force on ``on``; None if not listed."""
    row = listing_on(species, on)
    return row.appendix if row else None


def appendix_label(appendix: str | None) -> str:
    if not appendix:
        return _("not listed in CITES")
    return str(CitesAppendix(appendix).label)


@dataclass(frozen=True)
class CitesOnDate:
    """A species' CITES status on a listing date, and today."""

    species: Species
    listing_date: date
    on_date: CitesListing | None
    current: CitesListing | None

    @property
    def appendix(self) -> str | None:
        return self.on_date.appendix if self.on_date else None

    @property
    def current_appendix(self) -> str | None:
        return self.current.appendix if self.current else None

    @property
    def changed(self) -> bool:
        return self.appendix != self.current_appendix

    @property
    def in_force_since(self) -> date | None:
        return self.on_date.effective_from if self.on_date else None

    @property
    def current_since(self) -> date | None:
        return self.current.effective_from if self.current else None

    @property
    def plain_words(self) -> str:
        return str(CITES_PLAIN_WORDS[self.appendix]) if self.appendix else ""

    @property
    def statement(self) -> str:
        """ "Appendix I", or both appendices when it changed since the listing date."""
        if not self.changed:
            return appendix_label(self.appendix)
        if self.appendix is None:
            return _("Not listed in CITES on the listing date; %(now)s since %(since)s") % {
                "now": appendix_label(self.current_appendix),
                "since": _iso(self.current_since),
            }
        if self.current is None:
            return _("%(then)s on the listing date; no longer listed") % {
                "then": appendix_label(self.appendix)
            }
        return _("%(then)s on the listing date; %(now)s since %(since)s") % {
            "then": appendix_label(self.appendix),
            "now": appendix_label(self.current_appendix),
            "since": _iso(self.current_since),
        }

    def as_payload(self) -> dict:
        """The ``species.cites`` object of the webhook body (docs/webhooks.md)."""
        return {
            "listing_date": self.listing_date.isoformat(),
            "appendix_on_listing_date": self.appendix,
            "in_force_since": _iso(self.in_force_since),
            "cop": self.on_date.cop if self.on_date else "",
            "current_appendix": self.current_appendix,
            "current_since": _iso(self.current_since),
            "changed_since_listing": self.changed,
            "statement": self.statement,
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def cites_on(species: Species, on: date, *, today: date | None = None) -> CitesOnDate:
    return CitesOnDate(
        species=species,
        listing_date=on,
        on_date=listing_on(species, on),
        current=listing_on(species, today or today_utc()),
    )


def cites_for_report(report) -> CitesOnDate | None:
    """The CITES status of a report's species on its listing date (None: no species)."""
    if report.species_id is None:
        return None
    prefetch_related_objects([report.species], "cites_listings")  # one query, then none
    return cites_on(report.species, listing_date(report))


@dataclass(frozen=True)
class HistoryRow:
    appendix: str
    label: str
    effective_from: date | None
    until: date | None
    cop: str
    note: str
    version: str
    current: bool


def history_rows(species: Species, *, today: date | None = None) -> list[HistoryRow]:
    """The history for display, oldest first, each row with the date the next one began."""
    prefetch_related_objects([species], "cites_listings__version")
    rows = history(species)
    current = _in_force(rows, today or today_utc())
    out = []
    for index, row in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else None
        out.append(
            HistoryRow(
                appendix=row.appendix,
                label=appendix_label(row.appendix),
                effective_from=row.effective_from,
                until=following.effective_from if following else None,
                cop=row.cop,
                note=row.localized_note(),
                version=row.version.label if row.version_id else "",
                current=row is current,
            )
        )
    return out


def refresh_current_appendices(
    *,
    actor: User | None = None,
    species_ids=None,
    today: date | None = None,
    record: bool = True,
) -> list[str]:
    """Set ``Species.cites_appendix`` to the appendix in force today, from the history.

    Run after history rows change and daily (beat: a change announced with a future date comes
    into force on its own). Locks only the species it reads; one audit event for what changed.
    Returns the scientific names whose appendix changed. ``record=False``: the caller's own
    audit event covers the change (a catalogue import)."""
    today = today or today_utc()
    changed = []
    with transaction.atomic():
        queryset = Species.objects.select_for_update().order_by("pk")
        if species_ids is not None:
            queryset = queryset.filter(pk__in=list(species_ids))
        species_list = list(queryset)
        rows: dict[int, list[CitesListing]] = {}
        for row in CitesListing.objects.filter(species__in=species_list):
            rows.setdefault(row.species_id, []).append(row)
        for species in species_list:
            if species.pk not in rows:
                continue  # no history: its cites_appendix is the only record
            in_force = [
                r for r in rows[species.pk] if r.effective_from is None or r.effective_from <= today
            ]
            if not in_force:
                continue  # listed only from a future date: nothing in force yet
            now = max(in_force, key=history_order).appendix
            if now != species.cites_appendix:
                species.cites_appendix = now
                species.save(update_fields=["cites_appendix"])
                changed.append(species.scientific_name)
        if changed and record:
            record_event(
                actor=actor,
                action="catalogue.appendix_in_force",
                object_type="species",
                data={"date": today.isoformat(), "species": changed},
            )
    return changed
