"""A company chooses its notice language: staff on their portal, admins in the admin; both
through one audited service, and only for the company the staff member belongs to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports import services
from spotter.errors import InvalidInput, NotAllowed
from spotter.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = reverse("reports:company_settings")


def test_staff_set_their_company_notice_language(client_for, staff, company):
    client = client_for(staff)
    page = client.get(URL)
    assert page.status_code == 200 and 'name="notice_language"' in page.content.decode()
    response = client.post(URL, {"notice_language": "zh-hans"})
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.notice_language == "zh-hans"
    event = AuditEvent.objects.get(action="company.notice_language_changed")
    assert (event.actor, event.from_state, event.to_state) == (staff, "en", "zh-hans")
    assert event.object_id == str(company.pk)


def test_staff_change_only_their_own_company(client_for, other_staff, company, other_company):
    client_for(other_staff).post(URL, {"notice_language": "fr"})
    company.refresh_from_db()
    other_company.refresh_from_db()
    assert company.notice_language == "en" and other_company.notice_language == "fr"


def test_unknown_language_is_a_form_error_naming_the_field(client_for, staff, company):
    response = client_for(staff).post(URL, {"notice_language": "xx"})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"notice_language"}
    company.refresh_from_db()
    assert company.notice_language == "en"


def test_service_refuses_other_roles_and_bad_codes(volunteer, other_staff, staff, company):
    with pytest.raises(NotAllowed):
        services.set_notice_language(company=company, actor=volunteer, language="fr")
    with pytest.raises(NotAllowed):
        services.set_notice_language(company=company, actor=other_staff, language="fr")
    with pytest.raises(InvalidInput) as refused:
        services.set_notice_language(company=company, actor=staff, language="de")
    assert refused.value.field == "notice_language"
    assert not AuditEvent.objects.filter(action="company.notice_language_changed").exists()


def test_admin_change_goes_through_the_audited_service(client_for, admin_user, company):
    from tests.forwarding.test_admin import change_form

    path = reverse("admin:reports_membercompany_change", args=[company.pk])
    response = client_for(admin_user).post(path, change_form(company, notice_language="fr"))
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.notice_language == "fr"
    event = AuditEvent.objects.get(action="company.notice_language_changed")
    assert (event.actor, event.to_state) == (admin_user, "fr")
