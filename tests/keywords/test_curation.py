"""Proposing from a report, curating on the library pages, merging: services and pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from keywords import services
from keywords.models import ReportMatch, Term, TermStatus
from spotter.errors import InvalidInput, InvalidState, NotAllowed
from spotter.models import AuditEvent, Role
from tests import factories

pytestmark = pytest.mark.django_db


# --- services ------------------------------------------------------------------------------


def test_propose_from_report_keeps_the_report(volunteer):
    report = factories.make_report(volunteer, listing_text="Old white jade carving")
    term = services.propose_term(actor=volunteer, text="white jade", language="en", report=report)
    assert term.from_report == report
    assert report.reference in term.source
    event = AuditEvent.objects.get(action="keyword.proposed", object_id=str(term.pk))
    assert event.data["report"] == report.reference


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"text": "   "}, "text"), ({"language": "English!"}, "language"), ({"kind": "x"}, "kind")],
)
def test_propose_refuses_bad_input_naming_the_field(expert, changes, field):
    values = {"text": "tortoise shell", "language": "en", "kind": "product_term", **changes}
    with pytest.raises(InvalidInput) as refused:
        services.propose_term(actor=expert, **values)
    assert refused.value.field == field


def test_merge_moves_matches_and_retires_the_duplicate(expert, approved_term):
    kept = approved_term("rhino horn")
    duplicate = approved_term("rhinoceros horn piece")
    both = factories.make_report(listing_title="rhino horn", listing_text="rhinoceros horn piece")
    only_dup = factories.make_report(listing_title="a rhinoceros horn piece")
    clash = factories.make_report(listing_title="rhino horn and rhinoceros horn piece")
    assert ReportMatch.objects.filter(term=duplicate).count() == 3
    group = factories.get_species().group
    duplicate.species_groups.add(group)

    services.merge_terms(actor=expert, term=duplicate, into=kept)

    duplicate.refresh_from_db()
    assert duplicate.status == TermStatus.RETIRED and duplicate.merged_into == kept
    assert not ReportMatch.objects.filter(term=duplicate).exists()
    # The report matched by both in its title keeps one row; the other rows moved.
    kept_rows = set(ReportMatch.objects.filter(term=kept).values_list("report_id", "field"))
    assert kept_rows == {
        (both.pk, "title"),
        (both.pk, "text"),
        (only_dup.pk, "title"),
        (clash.pk, "title"),
    }
    assert group in kept.species_groups.all()
    event = AuditEvent.objects.get(action="keyword.merged")
    assert event.object_id == str(duplicate.pk)
    assert event.data["into"] == kept.pk and event.data["matches_moved"] == 2
    assert event.data["matches_dropped"] == 1
    with pytest.raises(InvalidState):
        services.merge_terms(actor=expert, term=duplicate, into=kept)


def test_merge_refusals(expert, volunteer, approved_term):
    first, second = approved_term("tiger bone"), approved_term("tiger bones")
    with pytest.raises(NotAllowed):
        services.merge_terms(actor=volunteer, term=first, into=second)
    with pytest.raises(InvalidInput):
        services.merge_terms(actor=expert, term=first, into=first)
    services.retire_term(actor=expert, term=second)
    with pytest.raises(InvalidInput) as refused:
        services.merge_terms(actor=expert, term=first, into=second)
    assert refused.value.field == "into"


# --- pages: proposing ----------------------------------------------------------------------


def test_volunteer_proposes_from_own_report(client, volunteer):
    report = factories.make_report(volunteer, listing_text="Selling white gold bangles")
    client.force_login(volunteer)
    detail = client.get(reverse("reports:detail", args=[report.reference])).content.decode()
    assert reverse("keywords:propose", args=[report.reference]) in detail
    assert "js/keywords.js" in detail
    url = reverse("keywords:propose", args=[report.reference])
    page = client.get(url, {"text": "  white   gold "})
    assert page.status_code == 200
    assert 'value="white gold"' in page.content.decode()
    response = client.post(
        url,
        {
            "text": "white gold",
            "language": "en",
            "kind": "code_word",
            "species_groups": [report.species.group_id],
            "product_type": report.product_type_id,
            "source": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.reference])
    term = Term.objects.get(normalized="white gold")
    assert term.status == TermStatus.PROPOSED and term.proposed_by == volunteer
    assert term.from_report == report
    # The same term again: an error on the text field, no 500.
    again = client.post(url, {"text": "WHITE gold", "language": "en", "kind": "code_word"})
    assert again.status_code == 200
    assert "already in the library" in again.content.decode()
    assert Term.objects.filter(normalized="white gold").count() == 1


def test_propose_refused_for_others_reports_and_company_staff(client, volunteer, staff):
    report = factories.make_report(volunteer)
    url = reverse("keywords:propose", args=[report.reference])
    client.force_login(factories.make_user(Role.VOLUNTEER))
    assert (
        client.post(url, {"text": "x y", "language": "en", "kind": "code_word"}).status_code == 404
    )
    client.force_login(staff)
    assert client.get(url).status_code == 403
    assert not Term.objects.exists()


def test_expert_review_page_has_the_propose_panel(client, expert):
    report = factories.make_report()
    client.force_login(expert)
    page = client.get(reverse("reports:review", args=[report.reference])).content.decode()
    assert reverse("keywords:propose", args=[report.reference]) in page
    response = client.post(
        reverse("keywords:propose", args=[report.reference]),
        {"text": "bulk scales", "language": "en", "kind": "product_term"},
    )
    assert response["Location"] == reverse("reports:review", args=[report.reference])


# --- pages: library and curation -----------------------------------------------------------


def test_library_by_role(client, volunteer, expert, staff, approved_term):
    approved_term("ivory chopsticks")
    services.propose_term(actor=expert, text="secret proposal", language="en")
    url = reverse("keywords:library")
    client.force_login(volunteer)
    body = client.get(url).content.decode()
    assert "ivory chopsticks" in body and "secret proposal" not in body
    proposal = Term.objects.get(text="secret proposal")
    assert client.get(reverse("keywords:term", args=[proposal.pk])).status_code == 404
    client.force_login(expert)
    body = client.get(url, {"status": "proposed"}).content.decode()
    assert "secret proposal" in body and "ivory chopsticks" not in body
    client.force_login(staff)
    assert client.get(url).status_code == 403


def test_library_filters_and_bad_values(client, expert, approved_term):
    group = factories.get_species().group
    approved_term("穿山甲片", language="zh-hans", species_groups=[group])
    approved_term("tortoiseshell comb", kind="product_term")
    client.force_login(expert)
    url = reverse("keywords:library")
    assert "穿山甲片" in client.get(url, {"language": "zh-hans"}).content.decode()
    body = client.get(url, {"group": group.slug}).content.decode()
    assert "穿山甲片" in body and "tortoiseshell comb" not in body
    body = client.get(url, {"kind": "product_term"}).content.decode()
    assert "tortoiseshell comb" in body and "穿山甲片" not in body
    body = client.get(url, {"q": "ＴＯＲＴＯＩＳＥ"}).content.decode()
    assert "tortoiseshell comb" in body
    bad = client.get(url, {"sort": "nope", "status": "zzz", "page": "x"})
    assert bad.status_code == 200
    assert "Sort by" in bad.content.decode()


def test_expert_approves_rejects_retires_on_pages(client, expert):
    proposal = services.propose_term(actor=expert, text="blue cheese", language="en")
    other = services.propose_term(actor=expert, text="green cheese", language="en")
    client.force_login(expert)
    library = reverse("keywords:library") + "?status=proposed"
    response = client.post(reverse("keywords:approve", args=[proposal.pk]), {"next": library})
    assert response.status_code == 302 and response["Location"] == library
    proposal.refresh_from_db()
    assert proposal.status == TermStatus.APPROVED
    # Rejecting asks first (no JavaScript: a confirmation page), then acts on confirm=yes.
    reject = reverse("keywords:reject", args=[other.pk])
    asked = client.post(reject, {"reason": "noise"})
    assert asked.status_code == 200 and 'name="confirm" value="yes"' in asked.content.decode()
    other.refresh_from_db()
    assert other.status == TermStatus.PROPOSED
    client.post(reject, {"reason": "noise", "confirm": "yes"})
    other.refresh_from_db()
    assert other.status == TermStatus.RETIRED
    event = AuditEvent.objects.get(action="keyword.rejected", object_id=str(other.pk))
    assert event.data["reason"] == "noise"
    client.post(reverse("keywords:retire", args=[proposal.pk]), {"confirm": "yes"})
    proposal.refresh_from_db()
    assert proposal.status == TermStatus.RETIRED
    # An action the state does not allow: a message, not an error page.
    response = client.post(reverse("keywords:approve", args=[proposal.pk]), follow=True)
    assert "Only a proposed term can be approved" in response.content.decode()


def test_term_page_history_merge_and_edit(client, expert, volunteer, approved_term):
    kept = approved_term("shahtoosh")
    report = factories.make_report(volunteer, listing_text="real shahtooshes")
    duplicate = services.propose_term(
        actor=volunteer, text="shahtooshes", language="en", report=report
    )
    client.force_login(expert)
    page = client.get(reverse("keywords:term", args=[duplicate.pk])).content.decode()
    assert report.reference in page  # experts may see the report it came from
    assert volunteer.email not in page and volunteer.display_name not in page
    merge = reverse("keywords:merge", args=[duplicate.pk])
    assert client.post(merge, {"into": "abc"}).status_code == 302
    assert client.post(merge, {"into": "999999"}).status_code == 302
    asked = client.post(merge, {"into": str(kept.pk)})
    assert asked.status_code == 200 and "shahtoosh" in asked.content.decode()
    response = client.post(merge, {"into": str(kept.pk), "confirm": "yes"})
    assert response["Location"] == reverse("keywords:term", args=[kept.pk])
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    kept_page = client.get(reverse("keywords:term", args=[kept.pk])).content.decode()
    assert "merged into this term" in kept_page
    edit = reverse("keywords:edit", args=[kept.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, {"text": "Shahtoosh shawl", "language": "en", "kind": "product_term", "source": "x"}
    )
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.normalized == "shahtoosh shawl" and kept.kind == "product_term"
    clash = client.post(
        reverse("keywords:edit", args=[duplicate.pk]),
        {"text": "shahtoosh shawl", "language": "en", "kind": "code_word"},
    )
    assert clash.status_code == 200 and "already in the library" in clash.content.decode()
