"""How leads plugs into the apps below it (their registries and signals), called from
LeadsConfig.ready()."""

from __future__ import annotations

from keywords.permissions import register_fast_lane_rule
from reports.panels import detail_panels, review_panels
from reports.queue_sorts import register_queue_sort
from training.demo import demo_loaded

from . import demo, panels, permissions, privacy, receivers


def connect() -> None:
    receivers.connect()
    if panels.review_panel not in review_panels:
        review_panels.append(panels.review_panel)
    if panels.detail_panel not in detail_panels:
        detail_panels.append(panels.detail_panel)
    register_queue_sort(panels.PRESCREEN_SORT)
    # "Is a lead spotter" is also who proposes keywords in the fast lane: one rule.
    register_fast_lane_rule(permissions.is_lead)
    demo_loaded.connect(demo.on_demo_loaded, dispatch_uid="leads.demo")
    privacy.register()
