"""Export the library as CSV; import a coalition list: preview, per-row errors, apply."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keywords import csv_io, services
from keywords.loader import load_keywords
from keywords.models import LibraryRelease, Term, TermStatus
from spotter.errors import InvalidInput, NotAllowed
from spotter.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "text,language,kind,species_groups,product_type,source,status\n"


def upload(client, content: str):
    file = SimpleUploadedFile("list.csv", content.encode(), content_type="text/csv")
    return client.post(reverse("keywords:import"), {"file": file})


def payload_of(response) -> str:
    return response.context["payload"]


def test_export_then_import_changes_nothing(client, reference_data, admin_user, expert):
    load_keywords()
    services.propose_term(actor=expert, text='a "quoted", multi\nline term', language="fr")
    retired = Term.objects.filter(status=TermStatus.APPROVED).first()
    services.retire_term(actor=expert, term=retired)
    client.force_login(admin_user)
    exported = client.get(reverse("keywords:export"))
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/csv")
    content = exported.content.decode()
    rows = list(csv.DictReader(io.StringIO(content, newline="")))
    assert len(rows) == Term.objects.count()
    assert {row["status"] for row in rows} == {"proposed", "approved", "retired"}
    before = (Term.objects.count(), AuditEvent.objects.count())
    plan = csv_io.plan_import(content)
    assert plan.errors == [] and plan.added == [] and plan.updated == []
    assert len(plan.unchanged) == len(rows)
    preview = upload(client, content)
    assert preview.status_code == 200
    assert "0 to add, 0 to update" in preview.content.decode()
    assert (Term.objects.count(), AuditEvent.objects.count()) == before


def test_preview_reports_each_error_by_row_and_field(client, reference_data, admin_user):
    group = factories.get_species().group.slug
    content = HEADER + (
        f"ivory comb,en,product_term,{group},,coalition,approved\n"  # row 2: fine
        ",en,code_word,,,,\n"  # row 3: empty text
        "tusk,english,code_word,,,,\n"  # row 4: bad language
        "tusk,en,nonsense,no-such-group,no-such-type,,maybe\n"  # row 5: four problems
        "IVORY  COMB,en,product_term,,,,\n"  # row 6: the same term as row 2
    )
    client.force_login(admin_user)
    response = upload(client, content)
    assert response.status_code == 200
    errors = {(e.row, e.field) for e in response.context["plan"].errors}
    assert errors == {
        (3, "text"),
        (4, "language"),
        (5, "kind"),
        (5, "species_groups"),
        (5, "product_type"),
        (5, "status"),
        (6, "text"),
    }
    body = response.content.decode()
    assert "no-such-group" in body and "The same term as row 2" in body
    assert "Apply the import" not in body
    # Applying anyway (a forged or stale preview) is refused as a whole.
    with pytest.raises(InvalidInput):
        csv_io.apply_import(actor=admin_user, content=content)
    assert not Term.objects.filter(text="ivory comb").exists()


def test_file_level_errors(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, "word,lang\nx,en\n")
    assert "no column" in response.content.decode()
    bad = SimpleUploadedFile("list.csv", "text\n\xff".encode("latin-1"), content_type="text/csv")
    response = client.post(reverse("keywords:import"), {"file": bad})
    assert response.status_code == 200
    assert "not UTF-8" in response.content.decode()


def test_apply_adds_updates_and_publishes_a_release(
    client, reference_data, admin_user, expert, approved_term
):
    group = factories.get_species().group
    product = factories.get_product_type("scales")
    kept = approved_term("pangolin flakes", species_groups=[group])
    proposal = services.propose_term(actor=expert, text="armour scales", language="en")
    content = HEADER + (
        f"new code,fr,code_word,{group.slug},{product.slug},coalition 2020,approved\n"
        f"Pangolin Flakes,en,alternative_name,{group.slug},,,\n"  # kind and text change
        "armour scales,en,code_word,,,,approved\n"  # proposal → approved
        "just proposed,en,code_word,,,,\n"
    )
    client.force_login(admin_user)
    preview = upload(client, content)
    plan = preview.context["plan"]
    assert [r.text for r in plan.added] == ["new code", "just proposed"]
    assert {r.text: r.changes for r in plan.updated} == {
        "Pangolin Flakes": ["text", "kind"],
        "armour scales": ["status"],
    }
    response = client.post(reverse("keywords:import_apply"), {"payload": payload_of(preview)})
    assert response.status_code == 302
    new = Term.objects.get(normalized="new code", language="fr")
    assert new.status == TermStatus.APPROVED and new.product_type == product
    assert list(new.species_groups.all()) == [group]
    assert Term.objects.get(normalized="just proposed").status == TermStatus.PROPOSED
    kept.refresh_from_db()
    proposal.refresh_from_db()
    assert kept.text == "Pangolin Flakes" and kept.kind == "alternative_name"
    assert proposal.status == TermStatus.APPROVED
    assert LibraryRelease.objects.count() == 1
    assert AuditEvent.objects.filter(action="keyword.edited", actor=admin_user).count() == 1
    # The same file again: nothing left to do, no new release.
    again = upload(client, content).context["plan"]
    assert not again.added and not again.updated and not again.errors


def test_status_cannot_go_backwards_by_import(admin_user, expert, approved_term):
    approved_term("okapi hide")
    plan = csv_io.plan_import(HEADER + "okapi hide,en,code_word,,,,proposed\n")
    assert [(e.row, e.field) for e in plan.errors] == [(2, "status")]


def test_import_only_for_admins_and_tampered_payload(client, expert, admin_user):
    with pytest.raises(NotAllowed):
        csv_io.apply_import(actor=expert, content=HEADER)
    client.force_login(expert)
    assert client.get(reverse("keywords:import")).status_code == 403
    assert client.get(reverse("keywords:export")).status_code == 200
    client.force_login(admin_user)
    response = client.post(reverse("keywords:import_apply"), {"payload": "forged"})
    assert response.status_code == 302 and response["Location"] == reverse("keywords:import")
