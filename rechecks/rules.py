"""The per-platform rules of ``data/rules.json``, loaded once and matched against a fetched page.

The rules are data, not code: a platform that changes its "listing ended" wording gets a new
marker in the JSON file (and a saved sample page under tests/rechecks/pages/), nothing else.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RULES_FILE = Path(__file__).resolve().parent / "data" / "rules.json"


@dataclass(frozen=True)
class Marker:
    id: str
    pattern: re.Pattern

    def found_in(self, text: str) -> bool:
        return bool(self.pattern.search(text))


@dataclass(frozen=True)
class Platform:
    slug: str  # names the rule that matched: "<slug>:<kind>:<marker id>"
    domains: tuple[str, ...]
    removed: tuple[Marker, ...]
    captcha: tuple[Marker, ...]
    redirects: tuple[re.Pattern, ...]

    def serves(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.domains)


def _markers(raw: list[dict]) -> tuple[Marker, ...]:
    markers = []
    for item in raw:
        if "regex" in item:
            pattern = re.compile(item["regex"], re.IGNORECASE)
        else:
            pattern = re.compile(re.escape(item["text"]), re.IGNORECASE)
        markers.append(Marker(item["id"], pattern))
    return tuple(markers)


def _platform(slug: str, raw: dict) -> Platform:
    return Platform(
        slug=slug,
        domains=tuple(d.lower() for d in raw.get("domains", [])),
        removed=_markers(raw.get("removed_markers", [])),
        captcha=_markers(raw.get("captcha_markers", [])),
        redirects=tuple(re.compile(p, re.IGNORECASE) for p in raw.get("redirect_patterns", [])),
    )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().split("(")[0]).strip("-")


@dataclass(frozen=True)
class RuleSet:
    default: Platform
    platforms: tuple[Platform, ...]

    def for_host(self, host: str) -> list[Platform]:
        """The host's platform rules first (if any), then the defaults."""
        own = [p for p in self.platforms if p.serves(host)]
        return [*own[:1], self.default]


def parse_rules(data: dict) -> RuleSet:
    return RuleSet(
        default=_platform("default", data["default"]),
        platforms=tuple(_platform(_slug(raw["name"]), raw) for raw in data["platforms"]),
    )


@cache
def load_rules() -> RuleSet:
    return parse_rules(json.loads(RULES_FILE.read_text(encoding="utf-8")))
