"""sellers reacts to reports through the signal and the registries reports owns."""

from __future__ import annotations

from django.template.loader import render_to_string

from reports import events
from reports.panels import company_panels, review_panels
from spotter.oncommit import delay_on_commit, register_batch

from . import selectors, tasks
from .views import report_url_prefix

INDEXED = (events.SUBMITTED, events.RESUBMITTED)
PANEL_ROWS = 5


def on_report_changed(sender, *, report, action, **kwargs) -> None:
    # Decoding screenshots for their hashes is too slow for the volunteer's request: queued
    # after the submission commits (in-process in the embedded default).
    if action in INDEXED:
        delay_on_commit(
            tasks.index_report, report.pk, catch_up="`manage.py index_sellers` catches up"
        )


def links_panel(report, user) -> str:
    """ "Also seen" on the expert review page and the company's notice page; nothing when the
    report has no link the viewer may see."""
    linked = selectors.linked_reports(user, report, limit=PANEL_ROWS)
    if not linked.rows:
        return ""
    return render_to_string(
        "sellers/review_panel.html",
        {"report": report, "linked": linked, "url_prefix": report_url_prefix(user)},
    )


def connect() -> None:
    events.report_changed.connect(on_report_changed, dispatch_uid="sellers.index")
    register_batch(tasks.index_report, tasks.index_reports)
    for registry in (review_panels, company_panels):
        if links_panel not in registry:
            registry.append(links_panel)
