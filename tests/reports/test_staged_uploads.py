"""A failed submit keeps its screenshots (staged server-side for the volunteer) and shows an
error summary (issue 13)."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports import staging
from reports.models import Report, StagedUpload
from reports.tasks import purge_rejected_originals
from tests import factories

pytestmark = pytest.mark.django_db


def submit_data(**extra):
    data = {
        "listing_url": "https://www.example-shop.com/item/88",
        "listing_title": "Carved bangle",
        "species": str(factories.get_species().pk),
        "product_type": str(factories.get_product_type().pk),
    }
    data.update(extra)
    return data


def screenshot(name="shot.png"):
    return SimpleUploadedFile(name, factories.png_bytes(), content_type="image/png")


def tokens(content: bytes, name="staged") -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]+)"', content.decode())


def fail_with_screenshot(client):
    response = client.post(
        reverse("reports:submit"), {**submit_data(listing_title=""), "screenshots": [screenshot()]}
    )
    assert response.status_code == 200
    return response


def test_failed_submit_keeps_the_screenshot_and_the_next_submit_uses_it(
    client_for, volunteer, company
):
    client = client_for(volunteer)
    response = fail_with_screenshot(client)
    staged = StagedUpload.objects.get(owner=volunteer)
    kept = tokens(response.content)
    assert len(kept) == 1
    thumb = reverse("reports:staged_upload", args=[staged.pk])
    assert thumb.encode() in response.content
    image = client.get(thumb)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    # The error summary lists the error with a link to its field, and takes the focus.
    assert b"data-error-summary" in response.content and b'tabindex="-1"' in response.content
    assert b'href="#id_listing_title"' in response.content

    done = client.post(reverse("reports:submit"), {**submit_data(), "staged": kept})
    assert done.status_code == 302, done.content.decode()[:2000]
    report = Report.objects.get(listing_title="Carved bangle")
    assert report.evidence.count() == 1
    assert report.evidence.get().original_name == "shot.png"
    assert not StagedUpload.objects.exists()  # used up


def test_staged_uploads_count_towards_the_five(client_for, volunteer, company, settings):
    client = client_for(volunteer)
    kept = tokens(fail_with_screenshot(client).content)
    response = client.post(
        reverse("reports:submit"),
        {
            **submit_data(),
            "staged": kept,
            "screenshots": [screenshot(f"{n}.png") for n in range(5)],
        },
    )
    assert response.status_code == 200
    assert b"at most 5 screenshots" in response.content


def test_another_user_cannot_see_or_use_a_staged_upload(
    client_for, volunteer, other_volunteer, company
):
    kept = tokens(fail_with_screenshot(client_for(volunteer)).content)
    staged = StagedUpload.objects.get()
    other = client_for(other_volunteer)
    assert other.get(reverse("reports:staged_upload", args=[staged.pk])).status_code == 404
    response = other.post(reverse("reports:submit"), {**submit_data(), "staged": kept})
    assert response.status_code == 200  # the stolen id counts for nothing: no screenshot
    assert b"Attach at least one screenshot" in response.content
    assert not Report.objects.exists()
    assert StagedUpload.objects.filter(owner=volunteer).count() == 1
    # A forged id does not resolve either.
    forged = client_for(volunteer).post(
        reverse("reports:submit"), {**submit_data(), "staged": [str(staged.pk)]}
    )
    assert b"Attach at least one screenshot" in forged.content


def test_a_staged_upload_can_be_removed(client_for, volunteer, company):
    client = client_for(volunteer)
    kept = tokens(fail_with_screenshot(client).content)
    response = client.post(
        reverse("reports:submit"), {**submit_data(), "staged": kept, "remove_staged": kept}
    )
    assert response.status_code == 200
    assert b"Attach at least one screenshot" in response.content
    assert not StagedUpload.objects.exists()
    assert not tokens(response.content)


def test_staged_uploads_expire(client_for, volunteer, company):
    client = client_for(volunteer)
    kept = tokens(fail_with_screenshot(client).content)
    old = StagedUpload.objects.get().created_at - timedelta(days=2)
    StagedUpload.objects.update(created_at=old)
    response = client.post(reverse("reports:submit"), {**submit_data(), "staged": kept})
    assert b"Attach at least one screenshot" in response.content
    assert not StagedUpload.objects.exists()  # purged by the submit
    assert staging.purge_expired() == 0


def test_the_daily_purge_job_removes_expired_staged_uploads(client_for, volunteer, company):
    fail_with_screenshot(client_for(volunteer))
    assert purge_rejected_originals() == 0 and StagedUpload.objects.count() == 1
    old = StagedUpload.objects.get().created_at - timedelta(hours=25)
    StagedUpload.objects.update(created_at=old)
    purge_rejected_originals()
    assert not StagedUpload.objects.exists()
