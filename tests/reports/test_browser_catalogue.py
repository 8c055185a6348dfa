"""An admin imports a new catalogue version in headless Chromium: upload, diff, apply, history."""

import json

import pytest

from reports.catalogue_export import export_rows
from reports.models import Species
from reports.reference import load_reference_data
from spotter.models import Role
from tests import factories
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_imports_a_version_and_sees_the_new_history_row(live_server, page, tmp_path):
    load_reference_data()
    admin = factories.make_user(Role.ADMIN, email="ada@example.org")
    rows = export_rows()
    for row in rows:
        if row["scientific_name"] == "Panthera leo":
            row.update(cites_appendix="I", effective_from="2025-06-01", cop="CoP99")
    rows.append(
        {
            "scientific_name": "Testudo graeca",
            "common_name_en": "Spur-thighed tortoise",
            "common_name_fr": "Tortue grecque",
            "common_name_zh": "希腊陆龟",
            "group": "reptiles",
            "cites_appendix": "II",
        }
    )
    upload = tmp_path / "cop99.json"
    upload.write_text(json.dumps({"species": rows}, ensure_ascii=False), encoding="utf-8")
    base = live_server.url

    login(page, base, admin.email)
    page.goto(f"{base}/catalogue/import/")
    page.fill("#id_label", "CoP99 (test)")
    page.set_input_files("#id_file", str(upload))
    page.click("form button.primary")

    # The preview: what changes, before anything is saved.
    page.wait_for_selector("[data-testid=summary]")
    assert "1 added" in page.inner_text("[data-testid=summary]")
    changes = page.inner_text("[data-testid=appendix-changes]")
    assert "Panthera leo" in changes and "2025-06-01" in changes and "CoP99" in changes
    assert "Testudo graeca" in page.inner_text("[data-testid=added]")
    assert Species.objects.get(scientific_name="Panthera leo").cites_appendix == "II"

    page.click("text=Apply this version")
    page.wait_for_selector("text=Version CoP99 (test) applied")
    assert "CoP99 (test)" in page.inner_text("[data-testid=versions]")

    lion = Species.objects.get(scientific_name="Panthera leo")
    page.goto(f"{base}/catalogue/species/{lion.pk}/")
    history = page.inner_text("[data-testid=cites-history]")
    assert "2025-06-01" in history and "CoP99 (test)" in history
    assert page.inner_text("[data-testid=current-appendix]") == "Appendix I"

    # At phone width, neither the species page nor the catalogue scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (f"/catalogue/species/{lion.pk}/", "/catalogue/", "/catalogue/import/"):
        page.goto(f"{base}{path}")
        sideways = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert sideways <= 1, path
