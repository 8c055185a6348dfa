"""The CITES appendix in force on a listing date: appendix_on, and every door that states it."""

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from reports import tasks
from reports.cites import (
    appendix_on,
    cites_for_report,
    cites_on,
    history_rows,
    refresh_current_appendices,
)
from reports.models import CatalogueVersion, CitesListing, Report, Species
from reports.notices import notice_context, notice_payload
from reports.package import build_package
from reports.reference import DATA_DIR, load_reference_data
from spotter.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

CHANGE = "Appendix II on the listing date; Appendix I since 2017-01-02"


def species(name: str) -> Species:
    return Species.objects.get(scientific_name=name)


def seen_on(report: Report, day: date) -> Report:
    """Move a report's listing date (submitted_at) to ``day``."""
    when = datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)
    Report.objects.filter(pk=report.pk).update(submitted_at=when)
    report.refresh_from_db()
    return report


@pytest.fixture
def pangolin_2016(reference_data, company, volunteer, expert):
    """A confirmed report of a Chinese pangolin listing seen before CoP17 came into force."""
    report = factories.make_confirmed_report(
        volunteer=volunteer, expert=expert, species=species("Manis pentadactyla")
    )
    return seen_on(report, date(2016, 12, 1))


def test_appendix_on_follows_the_cop_dates(reference_data):
    pangolin = species("Manis pentadactyla")
    assert appendix_on(pangolin, date(2016, 12, 31)) == "II"
    assert appendix_on(pangolin, date(2017, 1, 1)) == "II"
    assert appendix_on(pangolin, date(2017, 1, 2)) == "I"  # CoP17 in force
    assert appendix_on(pangolin, date(2024, 6, 1)) == "I"
    otter = species("Aonyx cinereus")
    assert appendix_on(otter, date(2019, 11, 25)) == "II"
    assert appendix_on(otter, date(2019, 11, 26)) == "I"  # CoP18
    # Not listed before its first listing: the giraffe came in at CoP18.
    giraffe = species("Giraffa camelopardalis")
    assert appendix_on(giraffe, date(2019, 1, 1)) is None
    assert appendix_on(giraffe, date(2020, 1, 1)) == "II"
    elephant = species("Loxodonta africana")
    assert appendix_on(elephant, date(1989, 6, 1)) == "II"
    assert appendix_on(elephant, date(1990, 1, 18)) == "I"
    assert len(history_rows(elephant)) == 4  # before CoP7, CoP7, CoP10 and CoP11 split


def test_a_species_without_history_keeps_its_appendix(db):
    pangolin = factories.get_species()  # made by hand, no history rows
    assert not pangolin.cites_listings.exists()
    assert appendix_on(pangolin, date(2000, 1, 1)) == "I"
    assert not cites_on(pangolin, date(2000, 1, 1)).changed


def test_statement_says_both_appendices_when_it_changed(reference_data):
    pangolin = species("Manis pentadactyla")
    assert cites_on(pangolin, date(2016, 12, 1)).statement == CHANGE
    assert cites_on(pangolin, date(2018, 1, 1)).statement == "Appendix I"
    giraffe = cites_on(species("Giraffa camelopardalis"), date(2019, 1, 1))
    assert giraffe.statement == (
        "Not listed in CITES on the listing date; Appendix II since 2019-11-26"
    )


def test_current_appendix_is_derived_from_the_history(reference_data):
    today = timezone.now().date()
    for one in Species.objects.prefetch_related("cites_listings"):
        assert appendix_on(one, today) == one.cites_appendix, one.scientific_name
    rows = CitesListing.objects.count()
    load_reference_data()  # again: nothing added, nothing changed
    assert CitesListing.objects.count() == rows
    assert CatalogueVersion.objects.count() == 1


def test_shipped_history_agrees_with_the_species_file():
    history = json.loads((DATA_DIR / "cites_history.json").read_text())
    catalogue = {
        row["scientific_name"]: row for row in json.loads((DATA_DIR / "species.json").read_text())
    }
    for change in history["changes"]:
        entries = change["entries"]
        dates = [e["effective_from"] for e in entries if e["effective_from"]]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
        assert all(e["effective_from"] for e in entries[1:]), "only the first may be undated"
        for entry in entries:
            assert entry["note"] and entry["note_fr"] and entry["note_zh"], entry
        for name in change["species"]:
            assert entries[-1]["appendix"] == catalogue[name]["cites_appendix"], name


def test_a_change_dated_in_the_future_comes_into_force_on_its_day(reference_data):
    lion = species("Panthera leo")
    tomorrow = timezone.now().date() + timedelta(days=1)
    CitesListing.objects.create(species=lion, appendix="I", effective_from=tomorrow, cop="CoP99")
    assert refresh_current_appendices() == []
    lion.refresh_from_db()
    assert lion.cites_appendix == "II"
    assert refresh_current_appendices(today=tomorrow) == ["Panthera leo"]
    lion.refresh_from_db()
    assert lion.cites_appendix == "I"
    event = AuditEvent.objects.get(action="catalogue.appendix_in_force")
    assert event.data["species"] == ["Panthera leo"]


def test_notice_states_the_appendix_on_the_listing_date(pangolin_2016):
    context = notice_context(pangolin_2016)
    assert context["cites"].appendix == "II"
    assert "is listed in CITES Appendix II." in context["explanation"]
    assert CHANGE in context["explanation"]
    for name in ("reports/notice/notice.txt", "reports/notice/notice.html"):
        assert CHANGE in render_to_string(name, context)


def test_notice_of_a_listing_seen_after_the_change_says_one_appendix(pangolin_2016):
    report = seen_on(pangolin_2016, date(2018, 3, 1))
    context = notice_context(report)
    assert "is listed in CITES Appendix I." in context["explanation"]
    assert "listing date" not in context["explanation"]


def test_webhook_payload_adds_the_listing_date_appendix(pangolin_2016):
    payload = notice_payload(pangolin_2016)
    species_data = payload["species"]
    assert species_data["cites_appendix"] == "I"  # unchanged meaning: the current appendix
    assert species_data["cites"] == {
        "listing_date": "2016-12-01",
        "appendix_on_listing_date": "II",
        "in_force_since": None,
        "cop": "",
        "current_appendix": "I",
        "current_since": "2017-01-02",
        "changed_since_listing": True,
        "statement": CHANGE,
    }


def test_evidence_package_states_the_listing_date_appendix(pangolin_2016, staff):
    data = build_package(pangolin_2016, viewer=staff)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        prefix = pangolin_2016.reference
        listing = json.loads(archive.read(f"{prefix}/listing.json"))
        notice = archive.read(f"{prefix}/notice.txt").decode()
    assert listing["species"]["cites"]["appendix_on_listing_date"] == "II"
    assert listing["species"]["cites_appendix"] == "I"
    assert CHANGE in notice


def test_portal_and_review_pages_state_it(pangolin_2016, client_for, staff, expert):
    page = client_for(staff).get(reverse("reports:company_detail", args=[pangolin_2016.reference]))
    assert page.status_code == 200 and CHANGE in page.content.decode()
    review = client_for(expert).get(reverse("reports:review", args=[pangolin_2016.reference]))
    assert review.status_code == 200 and CHANGE in review.content.decode()


def test_email_digest_states_it(pangolin_2016):
    assert cites_for_report(pangolin_2016).statement == CHANGE
    context = {
        "company": pangolin_2016.company,
        "date": date(2016, 12, 2),
        "notices": [notice_context(pangolin_2016)],
        "evidence_link_days": 7,
    }
    for name in ("reports/email/digest.txt", "reports/email/digest.html"):
        assert CHANGE in render_to_string(name, context)


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("en", "All eight pangolin species (Manidae spp.) transferred"),
        ("fr", "Les huit espèces de pangolins (Manidae spp.) transférées"),
        ("zh-hans", "全部八种穿山甲（Manidae spp.）在 CoP17"),
    ],
)
def test_species_page_shows_the_history_in_each_language(
    reference_data, client_for, volunteer, lang, note
):
    pangolin = species("Manis pentadactyla")
    response = client_for(volunteer).get(
        reverse("reports:species", args=[pangolin.pk]), HTTP_ACCEPT_LANGUAGE=lang
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert note in body and "2017-01-02" in body and "CoP17" in body


def test_catalogue_list_has_a_fixed_query_count(
    reference_data, client_for, expert, django_assert_max_num_queries
):
    client = client_for(expert)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:catalogue"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/catalogue/species/') == Species.objects.count()


def test_django_admin_shows_the_history_and_keeps_the_appendix_read_only(
    reference_data, client_for, admin_user
):
    pangolin = species("Manis pentadactyla")
    client = client_for(admin_user)
    page = client.get(reverse("admin:reports_species_change", args=[pangolin.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "CoP17" in body and 'name="cites_appendix"' not in body
    assert client.get(reverse("admin:reports_catalogueversion_changelist")).status_code == 200


def test_the_beat_task_refreshes_todays_appendix(reference_data):
    assert tasks.refresh_cites_appendices() == 0  # everything already in force
    lion = species("Panthera leo")
    CitesListing.objects.create(species=lion, appendix="I", effective_from=date(2020, 1, 1))
    assert tasks.refresh_cites_appendices() == 1
    lion.refresh_from_db()
    assert lion.cites_appendix == "I"
