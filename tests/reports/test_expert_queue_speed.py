"""Issue 13, experts: next in queue after a decision, queue sorts and saved filters (HTTP)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from reports import permissions, services
from reports.models import Report, ReportStatus, SavedFilter, Species, SpeciesGroup
from spotter.errors import NotAllowed
from spotter.models import AuditEvent, Role
from tests import factories

from .test_query_counts import count_queries

pytestmark = pytest.mark.django_db


def aged(report, hours):
    """Make ``report`` look submitted ``hours`` ago (queue order is by submission time)."""
    Report.objects.filter(pk=report.pk).update(submitted_at=timezone.now() - timedelta(hours=hours))
    report.refresh_from_db()
    return report


def flashes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def three(volunteer, company):
    """Three waiting reports, oldest first: a, b, c."""
    return [aged(factories.make_report(volunteer), hours) for hours in (30, 20, 10)]


def review(reference, query=""):
    return reverse("reports:review", args=[reference]) + (f"?{query}" if query else "")


def test_confirm_lands_on_next_report_of_the_same_queue(client_for, expert, three):
    a, b, c = three
    client = client_for(expert)
    services.claim_report(report=a, expert=expert)
    response = client.post(reverse("reports:confirm", args=[a.reference]), {"sort": "oldest"})
    assert response.status_code == 302
    assert response["Location"] == review(b.reference)
    said = " ".join(flashes(response))
    assert f"{a.reference} confirmed." in said and b.reference in said
    a.refresh_from_db()
    assert a.status == ReportStatus.FORWARDED  # confirmed, then forwarded to ShopCo


def test_newest_first_queue_goes_on_in_its_own_order(client_for, expert, three):
    a, b, c = three
    client = client_for(expert)
    services.claim_report(report=c, expert=expert)
    response = client.post(
        reverse("reports:reject", args=[c.reference]),
        {"sort": "newest", "reason": "not_wildlife", "confirm": "yes"},
    )
    assert response["Location"] == review(b.reference, "sort=newest")
    c.refresh_from_db()
    assert c.status == ReportStatus.REJECTED


def test_next_skips_reports_claimed_by_others_and_hidden_ones(
    client_for, expert, other_expert, three, monkeypatch
):
    a, b, c = three
    hidden = aged(factories.make_report(url="https://www.example-shop.com/item/hidden"), 25)
    # A report this expert may not see (as quality's blind-review rule hides one).
    monkeypatch.setattr(
        permissions,
        "report_visibility_filters",
        [*permissions.report_visibility_filters, lambda user: [hidden.pk]],
    )
    services.claim_report(report=b, expert=other_expert)
    services.claim_report(report=a, expert=expert)
    response = client_for(expert).post(
        reverse("reports:needs_info", args=[a.reference]), {"message": "A close-up, please."}
    )
    assert response["Location"] == review(c.reference)
    assert "returned to the volunteer" in " ".join(flashes(response))


def test_filters_are_kept_and_empty_queue_goes_back_to_it(client_for, expert, volunteer, company):
    other_group = SpeciesGroup.objects.create(slug="rhinos", name="Rhinos", order=5)
    rhino = Species.objects.create(
        scientific_name="Diceros bicornis",
        common_name_en="Black rhino",
        group=other_group,
        cites_appendix="I",
    )
    pangolin_report = factories.make_report(volunteer)
    factories.make_report(volunteer, species=rhino)  # another group: not this queue
    services.claim_report(report=pangolin_report, expert=expert)
    response = client_for(expert).post(
        reverse("reports:confirm", args=[pangolin_report.reference]),
        {"group": "pangolins", "sort": "oldest"},
    )
    assert response["Location"] == reverse("reports:queue") + "?group=pangolins"
    assert "Nothing else is waiting in this queue." in " ".join(flashes(response))


def test_failed_decision_stays_on_the_report_with_its_queue(client_for, expert, three):
    a = three[0]
    services.claim_report(report=a, expert=expert)
    response = client_for(expert).post(
        reverse("reports:needs_info", args=[a.reference]), {"message": "  ", "sort": "cites"}
    )
    assert response["Location"] == review(a.reference, "sort=cites")
    assert "Say what information is needed." in " ".join(flashes(response))
    a.refresh_from_db()
    assert a.status == ReportStatus.IN_REVIEW


def test_review_page_links_next_and_queue_next_moves_on(client_for, expert, three):
    a, b, c = three
    client = client_for(expert)
    page = client.get(review(a.reference, "sort=newest")).content.decode()
    next_url = reverse("reports:queue_next") + f"?sort=newest&amp;after={a.reference}"
    assert next_url in page
    # After a in newest-first order nothing is older... it wraps to the newest (c).
    response = client.get(reverse("reports:queue_next"), {"sort": "newest", "after": a.reference})
    assert response["Location"] == review(c.reference, "sort=newest")
    response = client.get(reverse("reports:queue_next"), {"after": a.reference})
    assert response["Location"] == review(b.reference)
    response = client.get(reverse("reports:queue_next"), {"after": "CS-NOSUCH", "sort": "bogus"})
    assert response["Location"] == review(a.reference)


def test_queue_next_with_nothing_waiting_goes_back_to_queue(client_for, expert):
    response = client_for(expert).get(reverse("reports:queue_next"), {"group": "pangolins"})
    assert response["Location"] == reverse("reports:queue") + "?group=pangolins"


def _queue_refs(client, **params):
    response = client.get(reverse("reports:queue"), params)
    assert response.status_code == 200
    return [r.reference for r in response.context["page"].object_list]


def test_queue_sorts(client_for, expert, volunteer, company):
    pangolins = factories.get_species()
    birds = SpeciesGroup.objects.create(slug="birds", name="Birds", order=1)
    pangolins.group.order = 2
    pangolins.group.save()
    parrot = Species.objects.create(
        scientific_name="Psittacus erithacus",
        common_name_en="Grey parrot",
        group=birds,
        cites_appendix="II",
    )
    old_parrot = aged(factories.make_report(volunteer, species=parrot), 30)
    mid_pangolin = aged(factories.make_report(volunteer, species=pangolins), 20)
    new_unknown = aged(
        factories.make_report(volunteer, species=None, species_other="some carved horn"), 10
    )
    client = client_for(expert)
    oldest = [old_parrot.reference, mid_pangolin.reference, new_unknown.reference]
    assert _queue_refs(client) == oldest
    assert _queue_refs(client, sort="oldest") == oldest
    assert _queue_refs(client, sort="newest") == oldest[::-1]
    assert _queue_refs(client, sort="cites") == [
        mid_pangolin.reference,  # Appendix I
        old_parrot.reference,  # Appendix II
        new_unknown.reference,  # no catalogue species: last
    ]
    assert _queue_refs(client, sort="group") == oldest  # birds (1), pangolins (2), none
    assert _queue_refs(client, sort="'; DROP TABLE") == oldest  # unknown: the default
    page = client.get(reverse("reports:queue"), {"sort": "newest"}).content.decode()
    assert '<option value="newest" selected>' in page
    assert f"/review/{new_unknown.reference}/?sort=newest" in page


def test_expert_saves_lists_and_deletes_filters(client_for, expert, other_expert):
    client = client_for(expert)
    response = client.post(
        reverse("reports:save_filter"),
        {"name": "Pangolins, newest", "group": "pangolins", "sort": "newest", "evil": "x"},
    )
    assert response["Location"] == reverse("reports:queue") + "?group=pangolins&sort=newest"
    saved = SavedFilter.objects.get(user=expert)
    assert saved.params == {"group": "pangolins", "sort": "newest"}
    assert AuditEvent.objects.filter(action="saved_filter.saved").count() == 1
    page = client.get(reverse("reports:queue")).content.decode()
    assert 'href="/review/?group=pangolins&amp;sort=newest">Pangolins, newest</a>' in page
    # Another expert sees nothing of it and cannot delete it.
    assert (
        "Pangolins, newest"
        not in client_for(other_expert).get(reverse("reports:queue")).content.decode()
    )
    delete = reverse("reports:delete_filter", args=[saved.pk])
    refused = client_for(other_expert).post(delete)
    assert "No such saved filter." in " ".join(flashes(refused))
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    client.post(delete)
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_saving_the_same_name_replaces_and_bad_names_are_refused(client_for, expert):
    client = client_for(expert)
    client.post(reverse("reports:save_filter"), {"name": "Mine", "sort": "newest"})
    client.post(reverse("reports:save_filter"), {"name": "Mine", "sort": "cites"})
    assert list(SavedFilter.objects.values_list("name", "params")) == [("Mine", {"sort": "cites"})]
    response = client.post(reverse("reports:save_filter"), {"name": "   "})
    assert "Give the filter a name." in " ".join(flashes(response))
    response = client.post(reverse("reports:save_filter"), {"name": "x" * 61})
    assert "at most 60 characters" in " ".join(flashes(response))
    assert SavedFilter.objects.count() == 1


def test_only_experts_keep_filters(client_for, volunteer):
    response = client_for(volunteer).post(reverse("reports:save_filter"), {"name": "x"})
    assert response.status_code in (403, 404)
    with pytest.raises(NotAllowed):
        services.save_filter(user=volunteer, name="x", params={})
    assert not SavedFilter.objects.exists()


def test_queue_query_count_is_constant_with_sort_and_saved_filters(
    client_for, volunteer, expert, company
):
    client = client_for(expert)
    for n in range(3):
        services.save_filter(user=expert, name=f"f{n}", params={"sort": "cites"})
    url = reverse("reports:queue") + "?sort=group&group=pangolins"
    for _ in range(2):
        factories.make_report(volunteer)
    small = count_queries(client, url)
    for _ in range(8):
        factories.make_report(volunteer)
    for n in range(3, 8):
        services.save_filter(user=expert, name=f"f{n}", params={"sort": "newest"})
    assert count_queries(client, url) == small


def test_review_page_is_expert_only_for_next(client_for, volunteer):
    assert client_for(volunteer).get(reverse("reports:queue_next")).status_code in (403, 404)
    assert volunteer.role == Role.VOLUNTEER
