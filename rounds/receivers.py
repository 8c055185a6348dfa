"""How rounds plugs into the apps below it (connected in RoundsConfig.ready())."""

from __future__ import annotations

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Kind
from notifications.text import Message, register_describer
from reports import events, fragments
from reports.panels import volunteer_home_panels
from training.demo import demo_loaded

from . import conf, demo, reminders, selectors, signals


def home_panel(user) -> str:
    """The volunteer's current round(s) on their home page: the round's progress and their
    week against its target.

    Most volunteers take part in no running round: "in none" is kept in the cache under the
    ``rounds`` version (reports/fragments.py; every round transition moves it, ``on_round_changed``)
    and the day (a round starts and ends on dates), so their page skips the query."""
    today = timezone.localdate()
    if not fragments.cached_fragment(
        "rounds-taking-part",
        ["rounds"],
        [user.pk, today.isoformat()],
        lambda: selectors.active_rounds_for(user, today).exists(),
    ):
        return ""
    rounds = list(selectors.active_rounds_for(user, today))
    if not rounds:
        return ""
    items = [
        {
            "round": round,
            "figures": selectors.round_figures(round),
            "mine": selectors.my_week(round, user),
        }
        for round in rounds
    ]
    return render_to_string("rounds/home_panel.html", {"items": items})


def describe_invitation(notification) -> Message:
    data = notification.data or {}
    return Message(
        title=_("You are invited to the spotting round “%(title)s”") % {"title": data.get("title")},
        body=_("Read the briefing and join the round from its page."),
        url=reverse("rounds:detail", args=[data.get("round", "")]),
    )


def describe_behind(notification) -> Message:
    data = notification.data or {}
    return Message(
        title=_("Week %(week)s of “%(title)s”: %(flagged)s of %(target)s listings so far")
        % {
            "week": data.get("week"),
            "title": data.get("title"),
            "flagged": data.get("flagged"),
            "target": data.get("target"),
        },
        body=_("You are a little behind this week's target. Every listing flagged counts."),
        url=reverse("rounds:detail", args=[data.get("round", "")]),
    )


def on_worker_tick(sender, **kwargs) -> None:
    # The embedded loop (no beat) passes every few seconds: run the reminders at most every
    # ROUND_REMINDER_TICK_SECONDS (cache.add is a throttle, not a lock: the per-participant
    # row lock and reminded_week keep it once per week even if two loops run).
    if cache.add("rounds:reminders:tick", 1, conf.ROUND_REMINDER_TICK_SECONDS):
        reminders.send_round_reminders()


def on_demo_loaded(sender, accounts=None, **kwargs) -> None:
    demo.create_demo_round()


def on_round_changed(sender, **kwargs) -> None:
    """Cache invalidation only: who takes part in which running round (``home_panel``)."""
    fragments.bump_now_and_on_commit(["rounds"])


def connect() -> None:
    signals.round_changed.connect(on_round_changed, dispatch_uid="rounds.fragments")
    if home_panel not in volunteer_home_panels:
        volunteer_home_panels.append(home_panel)
    register_describer(Kind.ROUND_INVITED, describe_invitation)
    register_describer(Kind.ROUND_BEHIND, describe_behind)
    events.worker_tick.connect(on_worker_tick, dispatch_uid="rounds.reminders")
    demo_loaded.connect(on_demo_loaded, dispatch_uid="rounds.demo")
