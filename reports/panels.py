"""Extra panels on the expert review page, filled by higher apps in their AppConfig.ready().

Each entry is ``callable(report, user) -> str`` (safe HTML, "" for nothing); reports renders
them in order without knowing which app provides them (keywords adds its matched terms).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

review_panels: list[Callable[[Any, Any], str]] = []


def render_review_panels(report, user) -> list[str]:
    return [html for panel in review_panels if (html := panel(report, user))]
