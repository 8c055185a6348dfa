"""Dashboards speak in words: no raw field names, outcome codes or dimension keys on the page."""

import re

import pytest
from django.urls import reverse

from tests.quality.test_dashboard import dataset  # noqa: F401  (the shared fixture)

pytestmark = pytest.mark.django_db

RAW = [
    "label",
    "week_start",
    "share_of_submitted",
    "ci_low",
    "other_outcomes",
    "unspecified",
    "both_confirmed",
    "reports_submitted",
    "LABEL",
    "ALREADY_GONE",
    "already_gone",
    "no_violation",
    "median_hours_to_act",
    "SPECIES_GROUP",
    "species_group",
    "hours_to_act",
]


def _visible_text(html: str) -> str:
    """The page's text and the attributes people read (not class names, ids or URLs)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    readable = re.findall(r'(?:aria-label|title|alt|placeholder)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    return text + " " + " ".join(readable)


def _pages(client_for, admin_user, staff):
    yield "dashboard", client_for(admin_user).get(reverse("quality:dashboard"))
    yield "transparency", client_for(admin_user).get(reverse("quality:transparency"))
    yield "company", client_for(staff).get(reverse("quality:company_dashboard"))


def test_no_raw_names_on_dashboards(dataset, client_for, admin_user):  # noqa: F811
    for name, response in _pages(client_for, admin_user, dataset["staff"]):
        assert response.status_code == 200, name
        text = _visible_text(response.content.decode())
        for raw in RAW:
            assert not re.search(rf"\b{re.escape(raw)}\b", text), (name, raw)
        assert not re.search(r"(?m)^\s*all\s*$", text), (name, "all")


def test_tables_scroll_in_a_focusable_region(dataset, client_for, admin_user):  # noqa: F811
    html = client_for(admin_user).get(reverse("quality:dashboard")).content.decode()
    wraps = re.findall(r'<div class="table-wrap"[^>]*>', html)
    assert wraps
    for wrap in wraps:
        assert 'role="region"' in wrap and 'tabindex="0"' in wrap and 'aria-label="' in wrap


def test_csv_keeps_machine_names(dataset, client_for, admin_user):  # noqa: F811
    response = client_for(admin_user).get(reverse("quality:chart_csv", args=["companies"]))
    assert "median_hours_to_act" in response.content.decode().splitlines()[0]
