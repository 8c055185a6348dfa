"""Every change to the library is one function here: lock, check state, save, audit.

Volunteers and experts propose; experts (and admins) approve, edit, merge, retire and reject.
The matcher notices every change by itself (see ``matcher.library_version``). Refusals are the
domain errors of ``spotter.errors``: pages show their message, forms put an ``InvalidInput``
on its field.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import ProductType, Report, SpeciesGroup
from spotter.audit import record_event
from spotter.errors import InvalidInput, InvalidState, NotAllowed
from spotter.models import Role, User
from spotter.permissions import is_role

from .models import LibraryRelease, ReportMatch, Term, TermKind, TermStatus
from .normalize import normalize
from .permissions import CURATORS, PROPOSERS, proposes_in_fast_lane

MAX_SELECTION = 200
LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8}){0,2}")


def _require(user: User, *roles: str) -> None:
    if not is_role(user, *roles):
        raise NotAllowed(_("You may not change the keyword library."))


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())[:MAX_SELECTION]
    if not normalize(text):
        raise InvalidInput(_("A term cannot be empty."), field="text")
    return text


def _clean_language(language: str) -> str:
    language = (language or "").strip().lower()
    if not LANGUAGE_RE.fullmatch(language):
        raise InvalidInput(
            _("Give a language code such as en, fr, zh-hans or la."), field="language"
        )
    return language


def _clean_kind(kind: str) -> str:
    if kind not in TermKind.values:
        raise InvalidInput(_("Choose one of the kinds of term."), field="kind")
    return kind


def _duplicate() -> InvalidInput:
    return InvalidInput(_("This term is already in the library."), field="text")


def _audit(term: Term, actor: User | None, action: str, from_state: str = "", **data) -> None:
    record_event(
        actor=actor,
        action=action,
        target=term,
        from_state=from_state,
        to_state=term.status,
        data={"text": term.text, "language": term.language, **data},
    )


@transaction.atomic
def propose_term(
    *,
    actor: User,
    text: str,
    language: str,
    kind: str = TermKind.CODE_WORD,
    species_groups: list[SpeciesGroup] | None = None,
    product_type: ProductType | None = None,
    source: str = "",
    report: Report | None = None,
) -> Term:
    """A new proposed term; ``text`` may be a selection of ``report``'s listing text.

    Proposals by fast-lane proposers (lead spotters, ``permissions.proposes_in_fast_lane``) are
    marked ``fast_lane``: they come first in the curation queue."""
    _require(actor, *PROPOSERS)
    text = _clean_text(text)
    language = _clean_language(language)
    kind = _clean_kind(kind)
    if report is not None and not source:
        source = _("Proposed from report %(reference)s") % {"reference": report.reference}
    try:
        with transaction.atomic():
            term = Term.objects.create(
                text=text,
                normalized=normalize(text),
                language=language,
                kind=kind,
                product_type=product_type,
                source=source,
                proposed_by=actor,
                from_report=report,
                fast_lane=proposes_in_fast_lane(actor),
            )
    except IntegrityError as exc:
        raise _duplicate() from exc
    if species_groups:
        term.species_groups.set(species_groups)
    _audit(
        term,
        actor,
        "keyword.proposed",
        report=report.reference if report else "",
        fast_lane=term.fast_lane,
    )
    return term


def _locked(term_id: int) -> Term:
    return Term.objects.select_for_update().get(pk=term_id)


@transaction.atomic
def approve_term(*, actor: User, term: Term) -> Term:
    _require(actor, *CURATORS)
    term = _locked(term.pk)
    if term.status != TermStatus.PROPOSED:
        raise InvalidState(_("Only a proposed term can be approved."))
    term.status = TermStatus.APPROVED
    term.approved_by = actor
    term.approved_at = timezone.now()
    term.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _audit(term, actor, "keyword.approved", from_state=TermStatus.PROPOSED)
    return term


@transaction.atomic
def retire_term(*, actor: User, term: Term, reason: str = "") -> Term:
    """Retire an approved term, or reject a proposal (a rejected proposal is retired too)."""
    _require(actor, *CURATORS)
    term = _locked(term.pk)
    if term.status == TermStatus.RETIRED:
        raise InvalidState(_("This term is already retired."))
    from_state = term.status
    term.status = TermStatus.RETIRED
    term.save(update_fields=["status", "updated_at"])
    action = "keyword.rejected" if from_state == TermStatus.PROPOSED else "keyword.retired"
    _audit(term, actor, action, from_state=from_state, reason=reason)
    return term


def reject_term(*, actor: User, term: Term, reason: str = "") -> Term:
    return retire_term(actor=actor, term=term, reason=reason)


EDITABLE = ("text", "language", "kind", "product_type", "source")


@transaction.atomic
def edit_term(*, actor: User, term: Term, **changes) -> Term:
    """Change the text, language, kind, product type, source or species groups of a term."""
    _require(actor, *CURATORS)
    term = _locked(term.pk)
    groups = changes.pop("species_groups", None)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = {name: str(getattr(term, name)) for name in changes}
    if "text" in changes:
        changes["text"] = _clean_text(changes["text"])
        changes["normalized"] = normalize(changes["text"])
    if "language" in changes:
        changes["language"] = _clean_language(changes["language"])
    if "kind" in changes:
        changes["kind"] = _clean_kind(changes["kind"])
    for name, value in changes.items():
        setattr(term, name, value)
    try:
        with transaction.atomic():
            term.save(update_fields=[*changes, "updated_at"])
    except IntegrityError as exc:
        raise _duplicate() from exc
    if groups is not None:
        term.species_groups.set(groups)
    _audit(term, actor, "keyword.edited", before=before)
    return term


@transaction.atomic
def merge_terms(*, actor: User, term: Term, into: Term) -> Term:
    """Merge the duplicate ``term`` into ``into``: its matches move to the kept term (a report
    matched by both keeps one row per field), its species groups join the kept term's, and it is
    retired with a ``merged_into`` pointer. One ``keyword.merged`` event on the duplicate."""
    _require(actor, *CURATORS)
    if term.pk == into.pk:
        raise InvalidInput(_("A term cannot be merged into itself."), field="into")
    # Both rows, always locked in id order, so two crossing merges cannot deadlock.
    locked = {t.pk: t for t in Term.objects.select_for_update().filter(pk__in=[term.pk, into.pk])}
    if len(locked) != 2:
        raise InvalidInput(_("No such term."), field="into")
    term, into = locked[term.pk], locked[into.pk]
    if term.merged_into_id is not None:
        raise InvalidState(_("This term was already merged into another."))
    if into.status == TermStatus.RETIRED:
        raise InvalidInput(_("A term cannot be merged into a retired term."), field="into")
    already_kept = ReportMatch.objects.filter(
        term=into, report_id=OuterRef("report_id"), field=OuterRef("field")
    )
    dropped = ReportMatch.objects.filter(term=term).filter(Exists(already_kept)).delete()[0]
    moved = ReportMatch.objects.filter(term=term).update(term=into)
    into.species_groups.add(*term.species_groups.all())
    into.save(update_fields=["updated_at"])
    from_state = term.status
    term.status = TermStatus.RETIRED
    term.merged_into = into
    term.save(update_fields=["status", "merged_into", "updated_at"])
    _audit(
        term,
        actor,
        "keyword.merged",
        from_state=from_state,
        into=into.pk,
        into_text=into.text,
        matches_moved=moved,
        matches_dropped=dropped,
    )
    return into


@transaction.atomic
def publish_release(*, actor: User, notes: str = "") -> LibraryRelease:
    """Number the library as it is now; the feed's change log counts from these dates."""
    _require(actor, Role.ADMIN)
    # Lock the latest release row so concurrent publishers queue; before the first release
    # there is no row to lock and the unique ``number`` refuses the loser of that race.
    LibraryRelease.objects.select_for_update().order_by("-number").exists()
    last = LibraryRelease.objects.aggregate(n=Max("number"))["n"] or 0
    release = LibraryRelease.objects.create(number=last + 1, notes=notes)
    record_event(
        actor=actor,
        action="keyword.release_published",
        target=release,
        data={"number": release.number},
    )
    return release
