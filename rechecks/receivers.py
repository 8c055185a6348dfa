"""rechecks plugs into reports: its event, its timeline and its review-page panels."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports import events, timeline
from reports.panels import review_panels

from . import selectors, services
from .fetch import enabled
from .models import CheckStatus
from .tasks import run_due_checks

SEEN_BY_REVIEWERS = frozenset({timeline.EXPERT, timeline.ADMIN})
SEEN_BY_ALL_STAFF = frozenset({timeline.COMPANY, timeline.EXPERT, timeline.ADMIN})
SENTENCES = {
    services.CHECKED[CheckStatus.LIVE]: (
        _("An independent check found the listing still online."),
        SEEN_BY_REVIEWERS,
    ),
    services.CHECKED[CheckStatus.REMOVED]: (
        _("An independent check found the listing removed."),
        SEEN_BY_REVIEWERS,
    ),
    services.CHECKED[CheckStatus.UNKNOWN]: (
        _("An independent check could not tell whether the listing is still online."),
        SEEN_BY_REVIEWERS,
    ),
    services.FLAGGED["discrepancy"]: (
        _(
            "Outcome discrepancy: the platform said the listing was gone, but it was still online "
            "72 hours later."
        ),
        SEEN_BY_ALL_STAFF,
    ),
    services.FLAGGED["relisted"]: (
        _("The listing appears to be online again after it was removed."),
        SEEN_BY_REVIEWERS,
    ),
}


def on_report_changed(sender, *, report, action, **kwargs) -> None:
    if not enabled():
        return
    if action == events.FORWARDED and not report.outcome:
        services.schedule_checks(report=report, start=report.forwarded_at or timezone.now())
    elif action == events.OUTCOME:
        services.schedule_checks(report=report, start=report.outcome_at or timezone.now())
    elif action == events.SUBMITTED:
        services.flag_relisting(report=report)


def on_worker_tick(sender, **kwargs) -> None:
    # The embedded loop (no beat): the same job as the "run-rechecks" beat entry.
    run_due_checks()


def checks_panel(report, user) -> str:
    """The takedown checks and flags on the expert review page (experts and admins)."""
    checks = selectors.checks_for_report(report)
    flags = selectors.flags_for_report(report)
    if not checks and not flags:
        return ""
    return render_to_string(
        "rechecks/review_panel.html", {"report": report, "checks": checks, "flags": flags}
    )


def connect() -> None:
    events.report_changed.connect(on_report_changed, dispatch_uid="rechecks.schedule")
    events.worker_tick.connect(on_worker_tick, dispatch_uid="rechecks.tick")
    for action, (sentence, seen_by) in SENTENCES.items():
        timeline.register_action(action, sentence, seen_by, seen_by)
    if checks_panel not in review_panels:
        review_panels.append(checks_panel)
