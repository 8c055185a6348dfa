"""The Django admin for terms and releases goes through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from keywords import services
from keywords.models import LibraryRelease, Term, TermStatus
from spotter.models import AuditEvent, Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_term_admin_list_and_actions(client):
    admin = factories.make_user(Role.ADMIN, is_staff=True, is_superuser=True)
    expert = factories.make_user(Role.EXPERT)
    term = services.propose_term(actor=expert, text="white jade", language="en")
    client.force_login(admin)
    changelist = reverse("admin:keywords_term_changelist")
    assert client.get(changelist, {"q": "jade"}).status_code == 200
    assert client.get(changelist, {"status__exact": "proposed"}).status_code == 200
    client.post(changelist, {"action": "approve", "_selected_action": [term.pk]})
    term.refresh_from_db()
    assert term.status == TermStatus.APPROVED and term.approved_by == admin
    client.post(changelist, {"action": "retire", "_selected_action": [term.pk]})
    term.refresh_from_db()
    assert term.status == TermStatus.RETIRED
    assert AuditEvent.objects.filter(action="keyword.retired", actor=admin).exists()


def test_release_admin_publishes(client):
    admin = factories.make_user(Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(reverse("admin:keywords_libraryrelease_add"), {"notes": "monthly"})
    assert response.status_code == 302
    release = LibraryRelease.objects.get()
    assert release.number == 1 and release.notes == "monthly"
    assert AuditEvent.objects.filter(action="keyword.release_published").exists()
    assert Term.objects.count() == 0


def test_term_added_and_edited_in_admin_is_normalised_and_audited(client):
    admin = factories.make_user(Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:keywords_term_add"),
        {"text": "Ｒｈｉｎｏ Horn", "language": "en", "kind": "product_term", "source": "test"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    term = Term.objects.get()
    assert term.normalized == "rhino horn" and term.status == TermStatus.PROPOSED
    response = client.post(
        reverse("admin:keywords_term_change", args=[term.pk]),
        {"text": "rhino horns", "language": "en", "kind": "product_term", "source": "test"},
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.normalized == "rhino horns"
    assert AuditEvent.objects.filter(action="keyword.edited", actor=admin).exists()
