"""Loader, services, matching on submission, the review panel and the member feed."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from keywords import services
from keywords.loader import CATALOGUE_SOURCE, STARTER_FILE, load_keywords
from keywords.models import LibraryRelease, ReportMatch, Term, TermKind, TermStatus
from reports.models import Species
from spotter.errors import InvalidInput, InvalidState, NotAllowed
from spotter.models import AuditEvent, Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(reference_data):
    load_keywords()
    return Term.objects.all()


def test_loader_generates_species_names_and_curated_terms(library):
    species = Species.objects.first()
    generated = Term.objects.filter(generated=True)
    assert generated.filter(text=species.scientific_name, language="la").exists()
    assert generated.filter(text=species.common_name_en, language="en").exists()
    named = generated.get(text=species.common_name_en, language="en")
    assert named.kind == TermKind.ALTERNATIVE_NAME
    assert named.status == TermStatus.APPROVED
    assert named.source == CATALOGUE_SOURCE
    assert list(named.species_groups.all()) == [species.group]
    curated = Term.objects.filter(generated=False)
    assert curated.exists()
    assert all(t.source for t in curated)
    assert all(t.species_groups.exists() for t in curated)
    # Idempotent.
    before = Term.objects.count()
    assert load_keywords() == {"generated terms added": 0, "curated terms added": 0}
    assert Term.objects.count() == before


def test_shipped_starter_list_is_large_and_candidates_wait_for_review(library):
    """The shipped list: at least 400 curated terms in en, zh-hans and fr (issue 15); candidate
    wording not confirmed in public reporting is loaded as a proposal and matches nothing."""
    rows = json.loads(STARTER_FILE.read_text(encoding="utf-8"))
    curated = Term.objects.filter(generated=False)
    assert curated.count() == len(rows) >= 400
    for language in ("en", "zh-hans", "fr"):
        assert curated.filter(language=language).count() >= 100, language
    candidates = [row["text"] for row in rows if row.get("status") == "proposed"]
    assert candidates
    assert set(curated.filter(status=TermStatus.PROPOSED).values_list("text", flat=True)) == set(
        candidates
    )
    assert not curated.filter(status=TermStatus.PROPOSED, approved_at__isnull=False).exists()


def test_load_reference_command_loads_keywords(db):
    call_command("load_reference", stdout=io.StringIO())
    assert Term.objects.filter(generated=True).exists()
    assert Term.objects.filter(generated=False).exists()


def test_propose_approve_retire_audited(reference_data):
    volunteer = factories.make_user(Role.VOLUNTEER)
    expert = factories.make_user(Role.EXPERT)
    report = factories.make_report(volunteer, listing_text="Genuine white plastic carving")
    term = services.propose_term(
        actor=volunteer, text="  White   Plastic ", language="en", report=report
    )
    assert term.status == TermStatus.PROPOSED
    assert term.normalized == "white plastic"
    assert report.reference in term.source
    with pytest.raises(InvalidInput):
        services.propose_term(actor=expert, text="WHITE plastic", language="en")
    with pytest.raises(NotAllowed):
        services.approve_term(actor=volunteer, term=term)
    term = services.approve_term(actor=expert, term=term)
    assert term.status == TermStatus.APPROVED and term.approved_by == expert
    with pytest.raises(InvalidState):
        services.approve_term(actor=expert, term=term)
    term = services.edit_term(actor=expert, term=term, text="white plastics", kind="code_word")
    assert term.normalized == "white plastics"
    term = services.retire_term(actor=expert, term=term, reason="too many false positives")
    assert term.status == TermStatus.RETIRED
    actions = list(
        AuditEvent.objects.filter(object_id=str(term.pk), action__startswith="keyword.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["keyword.proposed", "keyword.approved", "keyword.edited", "keyword.retired"]


def test_company_staff_cannot_propose(reference_data):
    staff = factories.make_user(Role.COMPANY_STAFF, company=factories.make_company())
    with pytest.raises(NotAllowed):
        services.propose_term(actor=staff, text="anything", language="en")


def test_reject_a_proposal(reference_data):
    expert = factories.make_user(Role.EXPERT)
    term = services.propose_term(actor=expert, text="zzz", language="en")
    services.reject_term(actor=expert, term=term)
    assert AuditEvent.objects.filter(action="keyword.rejected").exists()


def test_submission_stores_matches_and_review_page_shows_them(library, client):
    report = factories.make_report(
        listing_title="Ｉ.Ｖ.Ｏ.Ｒ.Ｙ bangle", listing_text="舊 象 牙 and some 穿山甲鱗片"
    )
    matches = {(m.term.normalized, m.field) for m in ReportMatch.objects.filter(report=report)}
    assert ("ivory bangle", "title") in matches
    assert ("象牙", "text") in matches
    assert ("穿山甲鳞片", "text") in matches
    expert = factories.make_user(Role.EXPERT)
    client.force_login(expert)
    page = client.get(reverse("reports:review", args=[report.reference]))
    assert page.status_code == 200
    assert "<mark>穿山甲鳞片</mark>" in page.content.decode()


def test_matcher_rebuilds_when_library_changes(library):
    expert = factories.make_user(Role.EXPERT)
    report = factories.make_report(listing_title="selling blue cheese")
    assert not ReportMatch.objects.filter(report=report).exists()
    term = services.propose_term(actor=expert, text="blue cheese", language="en")
    services.approve_term(actor=expert, term=term)
    report2 = factories.make_report(listing_title="selling blue cheese")
    assert ReportMatch.objects.filter(report=report2, term=term).exists()


def test_feed_json_csv_etag_and_changelog(library, client):
    admin = factories.make_user(Role.ADMIN)
    staff = factories.make_user(Role.COMPANY_STAFF, company=factories.make_company())
    services.publish_release(actor=admin, notes="first")
    client.force_login(staff)
    url = reverse("keywords:feed_json")
    response = client.get(url)
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["release"] == 1 and response["X-Library-Release"] == "1"
    approved = Term.objects.filter(status=TermStatus.APPROVED).count()
    assert len(body["terms"]) == approved
    etag = response["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    # A change: new ETag, and the change log since release 1 lists exactly it.
    expert = factories.make_user(Role.EXPERT)
    term = Term.objects.filter(status=TermStatus.APPROVED).first()
    services.retire_term(actor=expert, term=term)
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200
    log = json.loads(client.get(url, {"since": 1}).content)
    assert [(t["id"], t["status"]) for t in log["terms"]] == [(term.pk, "retired")]
    assert client.get(url, {"since": 99}).status_code == 404
    csv_response = client.get(reverse("keywords:feed_csv"))
    assert csv_response.status_code == 200
    lines = csv_response.content.decode().strip().splitlines()
    assert lines[0].startswith("id,text,normalized")
    assert len(lines) == approved  # header + approved - 1 retired


def test_feed_refused_to_volunteers(library, client):
    client.force_login(factories.make_user(Role.VOLUNTEER))
    assert client.get(reverse("keywords:feed_json")).status_code == 403


def test_publish_release_admin_only(db):
    with pytest.raises(NotAllowed):
        services.publish_release(actor=factories.make_user(Role.EXPERT))
    admin = factories.make_user(Role.ADMIN)
    assert services.publish_release(actor=admin).number == 1
    assert services.publish_release(actor=admin).number == 2
    assert LibraryRelease.objects.count() == 2
