"""Extra panels on the expert review page, filled by higher apps in their AppConfig.ready().

Each entry is ``callable(report, user) -> str`` (safe HTML, "" for nothing); reports renders
them in order without knowing which app provides them (keywords adds its matched terms).
``company_panels`` does the same on the company's notice page (sellers adds the reports of the
same seller on the company's own platform); what a panel shows there must never identify the
volunteer (docs/security.md). ``detail_panels`` does the same on the report page the volunteer
and admins read (leads adds the questions thread and a lead's "add more evidence" hint).
``overview_panels`` adds sections to the admins' overview: ``callable(user) -> str``; each must
read through an index and be bounded (nothing on the overview counts a whole table).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

review_panels: list[Callable[[Any, Any], str]] = []
company_panels: list[Callable[[Any, Any], str]] = []
overview_panels: list[Callable[[Any], str]] = []
detail_panels: list[Callable[[Any, Any], str]] = []
# On the volunteer's home page ("My reports"): ``callable(user) -> str`` (rounds adds the
# volunteer's current round and their week against its target).
volunteer_home_panels: list[Callable[[Any], str]] = []


def render_review_panels(report, user) -> list[str]:
    return [html for panel in review_panels if (html := panel(report, user))]


def render_company_panels(report, user) -> list[str]:
    return [html for panel in company_panels if (html := panel(report, user))]


def render_overview_panels(user) -> list[str]:
    return [html for panel in overview_panels if (html := panel(user))]


def render_detail_panels(report, user) -> list[str]:
    return [html for panel in detail_panels if (html := panel(report, user))]


def render_volunteer_home_panels(user) -> list[str]:
    return [html for panel in volunteer_home_panels if (html := panel(user))]
