"""What the model reads of a report, and whether there are enough decided reports to train it.

Plain Python and the ORM only — **no scikit-learn or numpy here**: the web path (selectors,
views, wiring, the risk score's inputs) imports this module, and importing scikit-learn costs
a web process about 100 MB it does not need for pages that make no prediction
(docs/benchmarks.md, "Peak RSS"). ``classifier`` and ``suggesters`` (the scikit-learn side)
build on these definitions; ``tests/test_web_imports.py`` guards the split.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext as _

from keywords.models import ReportMatch
from reports.models import Report, Verdict

from .conf import minimums

# What the suggest-while-typing classifiers predict (``suggesters``), in the order shown.
SUGGEST_TARGETS = ("species_group", "product_type")
# Their class of every label too rare to suggest; never suggested itself.
SUGGEST_OTHER = ""


@dataclass(frozen=True)
class Listing:
    title: str
    text: str = ""
    keywords: tuple[str, ...] = ()  # matched keyword-library terms
    platform: str = ""  # the registrable domain
    species_group: str = ""  # slug


def document(listing: Listing) -> str:
    """The one string the model reads. Platform and species group are tokens of their own so
    their character n-grams cannot be mistaken for listing words."""
    parts = [listing.title, listing.text[:2000]]
    if listing.keywords:
        parts.append(" ".join(f"kw:{k}" for k in listing.keywords))
    parts.append(f"site:{listing.platform or '-'} grp:{listing.species_group or '-'}")
    return "\n".join(parts).lower()


def suggestion_document(title: str, text: str) -> str:
    """What the suggesters read: the title and text only (no group chosen yet)."""
    return document(Listing(title=title or "", text=text or ""))


def keywords_of(report_ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, set[str]] = defaultdict(set)
    rows = ReportMatch.objects.filter(report_id__in=report_ids).values_list(
        "report_id", "term__normalized"
    )
    for report_id, term in rows:
        found[report_id].add(term)
    return {report_id: tuple(sorted(terms)) for report_id, terms in found.items()}


def listings_of(reports) -> dict[int, Listing]:
    """The model's view of each report. The species group is the volunteer's own choice
    (``species_reported``), as when the report waits: an expert's correction would leak the
    verdict into training."""
    rows = list(
        reports.values(
            "pk",
            "listing_title",
            "listing_text",
            "domain",
            group_slug=F("species_reported__group__slug"),
        )
    )
    keywords = keywords_of([row["pk"] for row in rows])
    return {
        row["pk"]: Listing(
            title=row["listing_title"],
            text=row["listing_text"],
            keywords=keywords.get(row["pk"], ()),
            platform=row["domain"],
            species_group=row["group_slug"] or "",
        )
        for row in rows
    }


def decided_counts() -> tuple[int, int]:
    confirmed = Report.objects.filter(verdict=Verdict.CONFIRMED).count()
    rejected = Report.objects.filter(verdict=Verdict.REJECTED).count()
    return confirmed, rejected


def refusal_reason(confirmed: int, rejected: int) -> str:
    """Why the model may not be trained yet, or "" when it may."""
    min_decided, min_per_class = minimums()
    if confirmed + rejected < min_decided:
        return _(
            "Only %(n)s decided reports; the model needs at least %(min)s before it is trained."
        ) % {"n": confirmed + rejected, "min": min_decided}
    if min(confirmed, rejected) < min_per_class:
        return _(
            "Only %(confirmed)s confirmed and %(rejected)s rejected reports; the model needs at "
            "least %(min)s of each."
        ) % {"confirmed": confirmed, "rejected": rejected, "min": min_per_class}
    return ""
