"""Importing a new catalogue version: the preview, applying it once, errors, who may."""

import json
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reports import catalogue_import
from reports.catalogue_export import export_csv, export_rows
from reports.catalogue_import import plan_catalogue
from reports.cites import appendix_on
from reports.forms import species_choices
from reports.models import CatalogueVersion, CitesListing, Species
from reports.reference import load_reference_data
from reports.services import apply_catalogue_version
from spotter.errors import NotAllowed
from spotter.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

PAST = "2025-06-01"


def new_version() -> list[dict]:
    """The current catalogue with one of each kind of change."""
    rows = {row["scientific_name"]: row for row in export_rows()}
    rows["Ursus maritimus"].update(cites_appendix="I", effective_from=PAST, cop="CoP99")
    rows["Python bivittatus"]["common_name_fr"] = "Python molure birman"
    rows["Macaca fascicularis"].update(
        scientific_name="Macaca fascicularis fascicularis", formerly="Macaca fascicularis"
    )
    del rows["Lutra lutra"]  # nothing points at it: deleted
    del rows["Manis javanica"]  # a report points at it: kept, marked removed
    rows["Testudo graeca"] = {
        "scientific_name": "Testudo graeca",
        "common_name_en": "Spur-thighed tortoise",
        "common_name_fr": "Tortue grecque",
        "common_name_zh": "希腊陆龟",
        "group": "reptiles",
        "cites_appendix": "II",
    }
    return list(rows.values())


def as_json(rows) -> str:
    return json.dumps({"species": rows}, ensure_ascii=False)


@pytest.fixture
def catalogue(reference_data, volunteer):
    factories.make_report(volunteer, species=Species.objects.get(scientific_name="Manis javanica"))


def names(planned) -> set[str]:
    return {p.scientific_name for p in planned}


def test_preview_lists_every_kind_of_change(catalogue):
    plan = plan_catalogue(label="CoP99", content=as_json(new_version()))
    assert plan.errors == []
    assert names(plan.added) == {"Testudo graeca"}
    assert {(r.species.scientific_name, r.referenced) for r in plan.removed} == {
        ("Lutra lutra", False),
        ("Manis javanica", True),
    }
    [change] = plan.appendix_changes
    assert (change.scientific_name, change.appendix_from, change.appendix) == (
        "Ursus maritimus",
        "II",
        "I",
    )
    assert change.row.effective_from == date(2025, 6, 1)
    assert names(plan.renamed) == {"Python bivittatus", "Macaca fascicularis fascicularis"}
    renamed = {p.scientific_name: p for p in plan.renamed}
    assert renamed["Macaca fascicularis fascicularis"].renamed_from == "Macaca fascicularis"
    [(column, old, new)] = renamed["Python bivittatus"].name_changes
    assert (column, new) == ("common_name_fr", "Python molure birman") and old != new
    assert len(plan.unchanged) == Species.objects.count() - 5


def test_apply_creates_history_and_is_idempotent(catalogue, admin_user):
    content = as_json(new_version())
    result = apply_catalogue_version(actor=admin_user, label="CoP99", content=content)
    assert not result.already_applied
    bear = Species.objects.get(scientific_name="Ursus maritimus")
    assert bear.cites_appendix == "I"
    row = bear.cites_listings.get(effective_from=date(2025, 6, 1))
    assert (row.appendix, row.cop, row.cop_number, row.version.label) == ("I", "CoP99", 99, "CoP99")
    assert appendix_on(bear, date(2025, 5, 31)) == "II"
    assert not Species.objects.filter(scientific_name="Lutra lutra").exists()
    kept = Species.objects.get(scientific_name="Manis javanica")
    assert kept.retired_at is not None and kept.retired_in == "CoP99"
    assert Species.objects.filter(scientific_name="Macaca fascicularis fascicularis").exists()
    tortoise = Species.objects.get(scientific_name="Testudo graeca")
    assert tortoise.cites_listings.get().effective_from is None
    [event] = AuditEvent.objects.filter(action="catalogue.version_applied")
    assert event.data["label"] == "CoP99" and event.actor == admin_user
    assert event.data["appendix_changes"][0]["species"] == "Ursus maritimus"

    rows, events = CitesListing.objects.count(), AuditEvent.objects.count()
    again = apply_catalogue_version(actor=admin_user, label="CoP99", content=content)
    assert again.already_applied and again.version == result.version
    assert CitesListing.objects.count() == rows and AuditEvent.objects.count() == events
    # The same content under a new name: nothing left to change.
    plan = plan_catalogue(label="CoP99 bis", content=content)
    assert not plan.has_changes and not plan.errors


def test_same_label_with_other_content_is_refused(catalogue, admin_user):
    apply_catalogue_version(actor=admin_user, label="CoP99", content=as_json(new_version()))
    rows = export_rows()
    plan = plan_catalogue(label="CoP99", content=as_json(rows[:-1]))
    assert [e.field for e in plan.errors] == ["label"]


def test_a_change_dated_later_waits_for_its_day(catalogue, admin_user):
    later = (timezone.now().date() + timedelta(days=30)).isoformat()
    rows = export_rows()
    for row in rows:
        if row["scientific_name"] == "Panthera leo":
            row.update(cites_appendix="I", effective_from=later, cop="CoP99")
    apply_catalogue_version(actor=admin_user, label="CoP99", content=as_json(rows))
    lion = Species.objects.get(scientific_name="Panthera leo")
    assert lion.cites_appendix == "II"
    assert appendix_on(lion, date.fromisoformat(later)) == "I"


def test_removed_species_is_no_longer_offered_but_still_shown(catalogue, admin_user, client_for):
    apply_catalogue_version(actor=admin_user, label="CoP99", content=as_json(new_version()))
    offered = {label for _group, choices in species_choices() for _pk, label in choices}
    assert not any("Manis javanica" in label for label in offered)
    kept = Species.objects.get(scientific_name="Manis javanica")
    page = client_for(admin_user).get(reverse("reports:species", args=[kept.pk]))
    assert "Removed from the catalogue in version CoP99" in page.content.decode()
    # A later version that lists it again restores it.
    rows = export_rows()
    rows.append(
        {**rows[0], "scientific_name": "Manis javanica", "common_name_en": "Sunda pangolin"}
    )
    plan = plan_catalogue(label="CoP100", content=as_json(rows))
    assert names(plan.restored) == {"Manis javanica"}


def test_load_reference_does_not_undo_an_import(catalogue, admin_user):
    apply_catalogue_version(actor=admin_user, label="CoP99", content=as_json(new_version()))
    load_reference_data()
    assert not Species.objects.filter(scientific_name="Macaca fascicularis").exists()
    assert Species.objects.get(scientific_name="Ursus maritimus").cites_appendix == "I"


def test_csv_round_trip_and_per_line_errors(catalogue):
    rows = export_rows()
    good = export_csv(rows)
    assert not plan_catalogue(label="same", content=good).has_changes
    rows[0]["cites_appendix"] = "IV"  # line 2
    rows[1]["effective_from"] = "2025-13-01"  # line 3
    rows[2]["group"] = "dragons"  # line 4
    rows[3]["common_name_en"] = ""  # line 5
    rows[5]["scientific_name"] = rows[4]["scientific_name"]  # line 7 repeats line 6
    bear = next(r for r in rows if r["scientific_name"] == "Ursus maritimus")
    bear["cites_appendix"] = "I"  # no effective date
    pangolin = next(r for r in rows if r["scientific_name"] == "Manis pentadactyla")
    pangolin.update(cites_appendix="II", effective_from="2016-01-01")  # before CoP17's row
    plan = plan_catalogue(label="bad", content=export_csv(rows))
    found = {(e.line, e.field) for e in plan.errors}
    assert {
        (2, "cites_appendix"),
        (3, "effective_from"),
        (4, "group"),
        (5, "common_name_en"),
        (7, "scientific_name"),
        (rows.index(bear) + 2, "effective_from"),
        (rows.index(pangolin) + 2, "effective_from"),
    } <= found
    assert any("2017-01-02" in e.message for e in plan.errors)


@pytest.mark.parametrize(
    ("content", "filename", "field"),
    [
        ("scientific_name,group\nX,reptiles\n", "v.csv", "file"),  # missing columns
        ('{"species": [{"scientific_name": 3}]', "v.json", "file"),  # not JSON
        ('{"species": [{"scientific_name": 3, "colour": "red"}]}', "v.json", "scientific_name"),
        ('{"rows": []}', "v.json", "file"),
        ("", "v.csv", "file"),
    ],
)
def test_bad_files_give_clear_errors(catalogue, content, filename, field):
    plan = plan_catalogue(label="bad", content=content, filename=filename)
    assert plan.errors and field in {e.field for e in plan.errors}


def test_only_admins_may_apply(catalogue, expert):
    with pytest.raises(NotAllowed):
        apply_catalogue_version(actor=expert, label="CoP99", content=as_json(new_version()))
    assert not CatalogueVersion.objects.filter(label="CoP99").exists()


def upload(client, content: bytes, name="catalogue.json", label="CoP99"):
    return client.post(
        reverse("reports:catalogue_import"),
        {"label": label, "file": SimpleUploadedFile(name, content)},
    )


def test_upload_preview_and_apply_through_the_pages(catalogue, admin_user, client_for):
    client = client_for(admin_user)
    preview = upload(client, as_json(new_version()).encode())
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Ursus maritimus" in body and "Testudo graeca" in body and "Lutra lutra" in body
    payload = preview.context["payload"]
    applied = client.post(reverse("reports:catalogue_import_apply"), {"payload": payload})
    assert applied.status_code == 302
    assert CatalogueVersion.objects.filter(label="CoP99").exists()
    again = client.post(reverse("reports:catalogue_import_apply"), {"payload": payload})
    assert again.status_code == 302
    assert AuditEvent.objects.filter(action="catalogue.version_applied").count() == 1
    # A tampered payload is refused without a 500.
    bad = client.post(reverse("reports:catalogue_import_apply"), {"payload": payload + "x"})
    assert bad.status_code == 302


def test_bad_uploads_never_give_a_500(catalogue, admin_user, client_for):
    client = client_for(admin_user)
    not_utf8 = upload(client, "scientific_name\n\xff".encode("latin-1"), name="c.csv")
    assert not_utf8.status_code == 400 and "not UTF-8" in not_utf8.content.decode()
    broken = upload(client, b'{"species": [', name="c.json")
    assert broken.status_code == 200 and "Not valid JSON" in broken.content.decode()
    assert "Apply this version" not in broken.content.decode()
    no_label = upload(client, b"[]", label="  ")
    assert no_label.status_code == 400


def test_other_roles_cannot_import(catalogue, client_for, volunteer, expert, staff):
    content = as_json(new_version()).encode()
    for user in (volunteer, expert, staff):
        client = client_for(user)
        assert upload(client, content).status_code == 403
        assert client.get(reverse("reports:catalogue_export")).status_code == 403
        assert client.post(reverse("reports:catalogue_import_apply"), {}).status_code == 403
    assert not CatalogueVersion.objects.exclude(source="reference").exists()


def test_export_is_the_import_format(catalogue, admin_user, client_for):
    client = client_for(admin_user)
    data = client.get(reverse("reports:catalogue_export")).json()
    assert len(data["species"]) == Species.objects.count()
    csv_text = client.get(reverse("reports:catalogue_export") + "?format=csv").content.decode()
    assert csv_text.splitlines()[0] == ",".join(catalogue_import.COLUMNS)
