"""referrals plugs into the apps below it: the confirmation event, the embedded worker loop,
the report timeline, the review page, the overview and the demo."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from reports import events, fragments, timeline
from reports.panels import overview_panels, review_panels
from spotter.oncommit import delay_on_commit
from training.demo import demo_loaded

from . import demo, outbox, permissions, services, unrouted
from .models import Referral
from .tasks import route_report

OVERVIEW_SHOWN = 5
REVIEWERS = frozenset({timeline.EXPERT, timeline.ADMIN})
TIMELINE = {
    "referral.created": (_("The report was referred to a partner."), REVIEWERS, REVIEWERS),
    "referral.sent": (_("The referral was delivered to the partner."), REVIEWERS, REVIEWERS),
    "referral.dead": (
        _("Delivery of a referral failed after every retry."),
        timeline.ADMINS,
        timeline.ADMINS,
    ),
    "referral.retried": (_("A referral's delivery was retried."), timeline.ADMINS, timeline.ADMINS),
    "referral.outcome": (_("A partner's outcome was recorded:"), REVIEWERS, REVIEWERS),
}


def on_report_changed(sender, *, report, action, **kwargs) -> None:
    # Only queued once the confirmation commits: routing reads the committed report (its
    # company is set by then when the platform is a member).
    if action == events.CONFIRMED:
        delay_on_commit(
            route_report, report.pk, catch_up="the referrals sweep routes it (sweep_referrals)."
        )


def on_worker_tick(sender, **kwargs) -> None:
    """Embedded mode (no beat, no broker): the sweep's work, attempted in this process."""
    services.route_recent()
    outbox.drain_due()
    unrouted.refresh_count()


def referrals_panel(report, user) -> str:
    """The report's referrals and their outcomes on the review page (experts and admins)."""
    if not permissions.may_see_referrals(user):
        return ""
    referrals = list(
        Referral.objects.filter(report=report)
        .select_related("partner")
        .prefetch_related("deliveries")
        .order_by("created_at")
    )
    if not referrals:
        return ""
    return render_to_string(
        "referrals/review_panel.html",
        {"referrals": referrals, "may_manage": permissions.may_manage_referrals(user)},
    )


def overview_panel(user) -> str:
    """Kept in the cache (reports/fragments.py) until a transition (``all``: a confirmation, a
    platform becoming a member) or a routing (``referrals``) changes the waiting reports, or the
    sweep's snapshot of their number moves."""
    if not permissions.may_manage_referrals(user):
        return ""

    def render() -> str:
        oldest = list(unrouted.unrouted_reports()[:OVERVIEW_SHOWN])
        count, capped = unrouted.unrouted_count(oldest, OVERVIEW_SHOWN)
        return render_to_string(
            "referrals/overview_panel.html", {"count": count, "capped": capped, "oldest": oldest}
        )

    snapshot = unrouted.snapshot()
    if snapshot is None:  # a cold cache: counted once here, kept for the next request's key
        return render()
    return fragments.cached_fragment("referrals-unrouted", ["all", "referrals"], [snapshot], render)


def on_demo_loaded(sender, *, accounts, **kwargs) -> None:
    demo.create_demo_partners()


def connect() -> None:
    events.report_changed.connect(on_report_changed, dispatch_uid="referrals.route")
    events.worker_tick.connect(on_worker_tick, dispatch_uid="referrals.tick")
    demo_loaded.connect(on_demo_loaded, dispatch_uid="referrals.demo")
    for action, (sentence, seen_by, read_by) in TIMELINE.items():
        timeline.register_action(action, sentence, seen_by, read_by)
    if referrals_panel not in review_panels:
        review_panels.append(referrals_panel)
    if overview_panel not in overview_panels:
        overview_panels.append(overview_panel)
