"""Reference data in the reader's language: species, groups, product types and CITES notes on
every page, notice, CSV and API answer (issue 14); the shipped data has all three languages."""

from __future__ import annotations

import csv
import html
import io
import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from api.tokens import create_token
from reports import services
from reports.models import ProductType, Species, SpeciesGroup
from reports.notices import notice_context
from reports.reference import DATA_DIR, load_reference_data
from spotter.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "zh-hans"]
# Manis pentadactyla, the pangolin group and the "scales" product type, as each language names them.
NAMES = {
    "en": {"species": "Chinese pangolin", "group": "Pangolins", "product": "Scales"},
    "fr": {"species": "Pangolin de Chine", "group": "Pangolins", "product": "Écailles"},
    "zh-hans": {"species": "中华穿山甲", "group": "穿山甲", "product": "鳞片"},
}
NOTE = {
    "fr": "Les huit espèces de pangolins (Manidae spp.) sont inscrites à l'Annexe I",
    "zh-hans": "全部八种穿山甲（Manidae spp.）自 2017 年 1 月起列入附录 I。",
}


def _page(client, url, lang) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def pangolin_report(reference_data, company, volunteer):
    return factories.make_report(
        volunteer, species=Species.objects.get(scientific_name="Manis pentadactyla")
    )


# --- the shipped data and the loader ---------------------------------------------------------


def _rows(name):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["species_groups.json", "product_types.json"])
def test_every_group_and_product_type_has_three_names(name):
    rows = _rows(name)
    assert len(rows) == 10
    for row in rows:
        assert all(row[f"name_{lang}"].strip() for lang in ("en", "fr", "zh")), row["slug"]


def test_every_species_has_three_names_and_translated_cites_notes():
    rows = _rows("species.json")
    assert len(rows) == 131
    for row in rows:
        name = row["scientific_name"]
        assert all(row[f"common_name_{lang}"].strip() for lang in ("en", "fr", "zh")), name
        if row["cites_note"]:
            assert row["cites_note_fr"].strip() and row["cites_note_zh"].strip(), name
            assert row["cites_note_fr"] != row["cites_note"], name
        else:
            assert not row["cites_note_fr"] and not row["cites_note_zh"], name


def test_every_loaded_row_speaks_three_languages(reference_data):
    for group in SpeciesGroup.objects.all():
        assert group.name and group.name_fr and group.name_zh, group.slug
    for product in ProductType.objects.all():
        assert product.name and product.name_fr and product.name_zh, product.slug
    for species in Species.objects.all():
        assert species.common_name_en and species.common_name_fr and species.common_name_zh
        if species.cites_note:
            assert species.cites_note_fr and species.cites_note_zh, species.scientific_name


def test_loader_is_idempotent(reference_data):
    def snapshot():
        return (
            list(SpeciesGroup.objects.order_by("pk").values()),
            list(ProductType.objects.order_by("pk").values()),
            list(Species.objects.order_by("pk").values()),
        )

    before = snapshot()
    SpeciesGroup.objects.filter(slug="pangolins").update(name_zh="")  # a stale row is refreshed
    counts = load_reference_data()
    assert snapshot() == before
    assert counts["species"] == 131 and counts["species_groups"] == counts["product_types"] == 10


# --- one name function per model -------------------------------------------------------------


def test_names_follow_the_active_language_with_english_fallback(reference_data):
    species = Species.objects.select_related("group").get(scientific_name="Manis pentadactyla")
    scales = ProductType.objects.get(slug="scales")
    for lang, names in NAMES.items():
        with translation.override(lang):
            assert species.common_name() == names["species"]
            assert str(species) == f"{names['species']} (Manis pentadactyla)"
            assert str(species.group) == names["group"]
            assert str(scales) == names["product"]
    assert species.common_name("fr") == "Pangolin de Chine"
    assert species.group.localized_name("zh-hans") == "穿山甲"
    species.common_name_fr = ""
    assert species.common_name("fr") == "Chinese pangolin"
    with translation.override("zh-hans"):
        assert species.localized_cites_note() == NOTE["zh-hans"]


# --- every door ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_flag_form_offers_the_catalogue_in_the_readers_language(
    client_for, reference_data, volunteer, lang
):
    text = _page(client_for(volunteer), reverse("reports:submit"), lang)
    names = NAMES[lang]
    assert f"{names['species']} — Manis pentadactyla" in text
    assert f'<optgroup label="{names["group"]}">' in text
    assert f">{names['product']}</option>" in text
    if lang == "zh-hans":
        assert "Chinese pangolin" not in text and ">Scales</option>" not in text


def test_flag_form_sorts_species_by_the_name_the_reader_sees(reference_data):
    from reports.forms import species_choices

    with translation.override("fr"):
        groups = species_choices()
    labels = [label for _group, items in groups for _pk, label in items]
    pangolins = dict(groups)[NAMES["fr"]["group"]]
    names = [label.split(" — ")[0] for _pk, label in pangolins]
    assert names == sorted(names, key=str.casefold)
    assert len(labels) == 131


@pytest.mark.parametrize("lang", LANGUAGES)
def test_my_reports_queue_and_review_page(client_for, pangolin_report, volunteer, expert, lang):
    names = NAMES[lang]
    assert names["species"] in _page(client_for(volunteer), reverse("reports:mine"), lang)
    queue = _page(client_for(expert), reverse("reports:queue"), lang)
    assert names["species"] in queue and names["group"] in queue and names["product"] in queue
    review = _page(
        client_for(expert), reverse("reports:review", args=[pangolin_report.reference]), lang
    )
    assert f"<strong>{names['species']}</strong>" in review
    assert NOTE[lang] in review
    assert "All eight pangolin species" not in review


@pytest.mark.parametrize("lang", LANGUAGES)
def test_company_portal_and_notice_in_the_notice_language(client_for, pangolin_report, lang):
    expert = factories.make_user(Role.EXPERT)
    services.claim_report(report=pangolin_report, expert=expert)
    report = services.confirm_report(report=pangolin_report, expert=expert)
    names = NAMES[lang]
    assert report.company_id is not None
    staff = factories.make_user(Role.COMPANY_STAFF, company=report.company)
    portal = _page(client_for(staff), reverse("reports:portal"), lang)
    assert names["species"] in portal
    detail = _page(
        client_for(staff), reverse("reports:company_detail", args=[report.reference]), lang
    )
    assert names["species"] in detail and names["product"] in detail

    with translation.override(lang):  # how the email channel renders a notice
        context = notice_context(report)
        text = render_to_string("reports/notice/notice.txt", context)
        body = html.unescape(render_to_string("reports/notice/notice.html", context))
    for rendered in (text, body):
        assert names["species"] in rendered
        assert names["product"] in rendered or names["product"].lower() in rendered
    assert names["species"] in context["explanation"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dashboard_csv_in_the_readers_language(client_for, admin_user, pangolin_report, lang):
    from quality import rollups

    rollups.refresh()
    response = client_for(admin_user).get(
        reverse("quality:chart_csv", args=["groups"]), HTTP_ACCEPT_LANGUAGE=lang
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    with translation.override(lang):
        expected_header = str(translation.gettext("Species group"))
    assert rows[0][0] == expected_header
    assert [names for names in rows[1:] if names[0] == NAMES[lang]["group"]]


def test_dashboard_csv_keeps_machine_names_in_english(client_for, admin_user, pangolin_report):
    response = client_for(admin_user).get(
        reverse("quality:chart_csv", args=["groups"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.content.decode().splitlines()[0].startswith("species_group,")


@pytest.mark.parametrize("lang", ["en", *LANGUAGES])
def test_api_names_follow_accept_language(reference_data, pangolin_report, volunteer, lang):
    client = APIClient()
    _token, raw = create_token(user=volunteer, name="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE=lang)
    names = NAMES[lang]
    species = client.get("/api/v1/species/?q=pentadactyla").json()
    assert species[0]["common_name"] == names["species"]
    assert species[0]["common_name_en"] == "Chinese pangolin"
    if lang != "en":
        assert species[0]["cites_note"].startswith(NOTE[lang][:20])
    assert client.get("/api/v1/species-groups/pangolins/").json()["name"] == names["group"]
    assert client.get("/api/v1/product-types/scales/").json()["name"] == names["product"]
    report = client.get(f"/api/v1/reports/{pangolin_report.reference}/").json()
    assert report["species"]["common_name"] == names["species"]


def test_localized_pages_add_no_queries(
    client_for, reference_data, volunteer, django_assert_max_num_queries
):
    for _ in range(3):
        factories.make_report(
            volunteer, species=Species.objects.get(scientific_name="Manis javanica")
        )
    client = client_for(volunteer)
    client.get(reverse("reports:mine"), HTTP_ACCEPT_LANGUAGE="zh-hans")  # warm caches
    with django_assert_max_num_queries(12):
        text = _page(client, reverse("reports:mine"), "zh-hans")
    assert "马来穿山甲" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_outcomes_rejection_reasons_and_cites_words_are_translated(lang):
    from reports.models import CITES_PLAIN_WORDS, CitesAppendix, Outcome, RejectionReason, Verdict

    labels = [*Outcome.choices, *RejectionReason.choices, *Verdict.choices, *CitesAppendix.choices]
    words = list(CITES_PLAIN_WORDS.values())
    with translation.override("en"):
        english = [str(label) for _value, label in labels] + [str(text) for text in words]
    with translation.override(lang):
        translated = [str(label) for _value, label in labels] + [str(text) for text in words]
    untranslated = [en for en, tr in zip(english, translated, strict=True) if en == tr]
    assert not untranslated
