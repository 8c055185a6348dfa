"""keywords reacts to reports through the signals and the registry reports owns."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string

from reports import events, fragments
from reports.highlights import register_listing_highlighter
from reports.panels import review_panels
from reports.reference import reference_loaded

from .highlight import highlight_listing
from .loader import load_keywords
from .matching import match_report
from .models import ReportMatch, Term
from .permissions import can_propose

SCANNED = (events.SUBMITTED, events.RESUBMITTED)


def on_report_changed(sender, *, report, action, **kwargs) -> None:
    # Inside the submission's transaction: the matches commit or roll back with it.
    if action in SCANNED:
        match_report(report)


def on_reference_loaded(sender, **kwargs) -> dict[str, int]:
    return load_keywords()


def review_panel(report, user) -> str:
    matches = ReportMatch.objects.filter(report=report).select_related("term")
    if not matches:
        return ""
    return render_to_string("keywords/review_panel.html", {"matches": matches})


def propose_panel(report, user) -> str:
    """The "Propose a keyword" panel: the listing selection fills the term (keywords.js)."""
    if not can_propose(user):
        return ""
    return render_to_string("keywords/propose_action.html", {"report": report, "user": user})


def on_term_saved(sender, **kwargs) -> None:
    """Cache invalidation only: pages that show the library (the programme dashboard's keyword
    card) are cached under the ``keywords`` version (reports/fragments.py). Every change of a
    term (proposal, approval, retirement, edit, merge, import) saves it."""
    fragments.bump_now_and_on_commit(["keywords"])


def connect() -> None:
    events.report_changed.connect(on_report_changed, dispatch_uid="keywords.match")
    for signal in (post_save, post_delete):
        signal.connect(on_term_saved, sender=Term, dispatch_uid="keywords.fragments")
    reference_loaded.connect(on_reference_loaded, dispatch_uid="keywords.load")
    for panel in (review_panel, propose_panel):
        if panel not in review_panels:
            review_panels.append(panel)
    register_listing_highlighter(highlight_listing)
