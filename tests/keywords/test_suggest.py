"""Suggestions while typing (keywords:suggest): content, limits, permissions, the form's box."""

from __future__ import annotations

import pytest
from django.urls import reverse

from keywords import services
from keywords.loader import load_keywords
from keywords.models import Term, TermStatus
from keywords.suggest import MAX_CHARS
from reports.models import ProductType, SpeciesGroup
from spotter.models import Role
from tests import factories

pytestmark = pytest.mark.django_db
URL = "keywords:suggest"


@pytest.fixture
def library(reference_data):
    load_keywords()


def ask(client, title="", text=""):
    return client.post(reverse(URL), {"listing_title": title, "listing_text": text})


def test_chinese_title_suggests_elephants_and_ivory_carving(library, client_for, volunteer):
    response = ask(client_for(volunteer), title="出售 象牙手镯 老料")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<mark>象牙手镯</mark>" in body and "<mark>象牙</mark>" in body
    ivory = ProductType.objects.get(slug="ivory-carving")
    assert f'data-keyword-product="{ivory.pk}"' in body
    elephants = SpeciesGroup.objects.get(slug="elephants")
    assert f'data-keyword-group="{elephants.name}"' in body
    assert "Server-Timing" in response.headers


def test_traditional_and_spaced_spellings_match(library, client_for, volunteer):
    body = ask(client_for(volunteer), text="Genuine P.A.N.G.O.L.I.N scales, 穿山甲鱗片").content
    scales = ProductType.objects.get(slug="scales")
    assert b"pangolin scales" in body
    assert f'data-keyword-product="{scales.pk}"'.encode() in body


def test_most_frequent_product_type_wins(reference_data, client_for, volunteer):
    expert = factories.make_user(Role.EXPERT)
    scales = ProductType.objects.get(slug="scales")
    ivory = ProductType.objects.get(slug="ivory-carving")
    for text, product in (("aaa1", scales), ("bbb2", scales), ("ccc3", ivory)):
        term = services.propose_term(actor=expert, text=text, language="en")
        term.product_type = product
        term.save(update_fields=["product_type"])
        services.approve_term(actor=expert, term=term)
    body = ask(client_for(volunteer), text="ccc3 aaa1 bbb2").content.decode()
    assert f'data-keyword-product="{scales.pk}"' in body
    assert f'data-keyword-product="{ivory.pk}"' not in body


def test_nothing_found_is_an_empty_fragment(library, client_for, volunteer):
    response = ask(client_for(volunteer), title="vintage teapot", text="")
    assert response.status_code == 200
    assert response.content.strip() == b""


def test_proposed_terms_are_not_suggested(reference_data, client_for, volunteer):
    services.propose_term(actor=factories.make_user(Role.EXPERT), text="zzqx", language="en")
    assert Term.objects.get(normalized="zzqx").status == TermStatus.PROPOSED
    assert b"zzqx" not in ask(client_for(volunteer), text="zzqx").content


def test_long_text_is_truncated_not_refused(library, client_for, volunteer):
    filler = "x" * MAX_CHARS
    response = ask(client_for(volunteer), title="象牙手镯", text=filler + " pangolin scales")
    assert response.status_code == 200
    body = response.content.decode()
    assert "象牙手镯" in body and "pangolin scales" not in body  # beyond the cap
    assert "first 5,000 characters" in body
    huge = ask(client_for(volunteer), text="象牙" * 200_000)
    assert huge.status_code == 200


def test_hostile_input_is_escaped(reference_data, client_for, volunteer):
    expert = factories.make_user(Role.EXPERT)
    term = services.propose_term(actor=expert, text="<b>ivoryx</b>", language="en")
    services.approve_term(actor=expert, term=term)
    body = ask(client_for(volunteer), text="<b>ivoryx</b><script>x</script>").content.decode()
    assert "&lt;b&gt;ivoryx&lt;/b&gt;" in body
    assert "<script>" not in body


@pytest.mark.parametrize("role", [Role.EXPERT, Role.COMPANY_STAFF, Role.ADMIN])
def test_only_volunteers_who_may_submit(library, client_for, company, role):
    user = factories.make_user(role, company=company if role == Role.COMPANY_STAFF else None)
    assert ask(client_for(user), title="象牙手镯").status_code == 403


def test_uncertified_volunteer_refused_and_anonymous_sent_to_login(library, client_for, client):
    newcomer = factories.make_user(Role.VOLUNTEER, certified=False)
    assert ask(client_for(newcomer), title="象牙手镯").status_code == 403
    response = ask(client, title="象牙手镯")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(newcomer).get(reverse(URL)).status_code == 405


def test_submit_form_carries_the_htmx_box(library, client_for, volunteer):
    body = client_for(volunteer).get(reverse("reports:submit")).content.decode()
    assert 'id="keyword-suggestions"' in body
    assert f'hx-post="{reverse(URL)}"' in body
    assert "delay:300ms" in body and "js/keyword_suggest.js" in body


def test_query_count_is_small(library, client_for, volunteer, django_assert_max_num_queries):
    client = client_for(volunteer)
    ask(client, title="warm up")  # session, user, certificate, automaton build
    # 8 for the keyword suggestions + 1: the registered model suggester asks which model
    # version is active (none here).
    with django_assert_max_num_queries(9):
        ask(client, title="象牙手镯 pangolin scales ivory bangle tiger bone wine")
