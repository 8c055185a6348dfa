"""Hostile uploads: every file of the corpus gets a clear error or a clean re-encode, never a 500,
and a refused file never costs data that was already accepted."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.urls import reverse
from PIL import Image

from reports.evidence import process_image
from reports.models import Report, ReportStatus
from spotter.errors import InvalidInput
from tests import factories

from .conftest import listing_form, upload
from .make_corpus import CASES, CORPUS_DIR, Case

pytestmark = pytest.mark.django_db

REJECTS = [case for case in CASES if case.expect == "reject"]
ACCEPTS = [case for case in CASES if case.expect == "accept"]


def corpus(case: Case) -> bytes:
    return (CORPUS_DIR / case.name).read_bytes()


def test_corpus_is_committed_small_and_large_enough():
    files = sorted(path.name for path in CORPUS_DIR.iterdir())
    assert files == sorted(case.name for case in CASES), "run tests/security/make_corpus.py"
    assert len(REJECTS) >= 20
    assert sum(path.stat().st_size for path in CORPUS_DIR.iterdir()) < 2_000_000


@pytest.mark.parametrize("case", REJECTS, ids=lambda c: c.name)
def test_hostile_file_refused_with_a_clear_message(case):
    with pytest.raises(InvalidInput) as info:
        process_image(corpus(case), case.name)
    message = str(info.value)
    assert case.name in message, "the message names the file"
    assert case.message.lower() in message.lower()


@pytest.mark.parametrize("case", ACCEPTS, ids=lambda c: c.name)
def test_unusual_but_genuine_image_becomes_a_clean_8bit_png(case):
    processed = process_image(corpus(case), case.name)
    assert processed.original_sha256 == hashlib.sha256(corpus(case)).hexdigest()
    with Image.open(io.BytesIO(processed.clean_bytes)) as image:
        assert image.format == "PNG"
        assert image.mode in ("RGB", "RGBA", "L", "LA")
        assert not image.getexif()
        # Only Pillow's decoding hints may remain: no text, EXIF, ICC or XMP chunk.
        assert set(image.info) <= {"dpi", "gamma", "srgb", "aspect"}, image.info
    for marker in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP", b"script", b"GPS", b"SpyCam"):
        assert marker not in processed.clean_bytes


def test_exif_orientation_applied_before_stripping():
    case = next(c for c in CASES if c.name == "exif-gps.jpg")
    processed = process_image(corpus(case), case.name)
    assert (processed.width, processed.height) == (48, 64)  # 64×48 rotated upright


def test_16_bit_grey_is_scaled_not_clipped():
    case = next(c for c in CASES if c.name == "16-bit-grey.png")
    with Image.open(io.BytesIO(process_image(corpus(case), case.name).clean_bytes)) as image:
        assert image.mode == "L"


@pytest.mark.parametrize("case", REJECTS, ids=lambda c: c.name)
def test_hostile_file_is_a_form_error_on_submit(client_for, volunteer, company, case):
    client = client_for(volunteer)
    data = listing_form()
    data["screenshots"] = [upload(case.name, corpus(case))]
    response = client.post(reverse("reports:submit"), data)
    assert response.status_code == 200, "a form error, not a crash or a redirect"
    errors = response.context["form"].errors
    assert list(errors) == ["screenshots"]
    assert case.name in errors["screenshots"][0]
    assert case.name.encode() in response.content
    assert not Report.objects.exists()


@pytest.mark.parametrize("case", ACCEPTS, ids=lambda c: c.name)
def test_unusual_image_accepted_on_submit(client_for, volunteer, company, case):
    data = listing_form(url=f"https://www.example-shop.com/item/{case.name}")
    data["screenshots"] = [upload(case.name, corpus(case))]
    response = client_for(volunteer).post(reverse("reports:submit"), data)
    assert response.status_code == 302
    assert Report.objects.get().evidence.get().original_name == case.name


def test_one_bad_file_refuses_the_whole_submission(client_for, volunteer, company):
    bad = next(c for c in CASES if c.name == "png-html-appended.png")
    data = listing_form()
    data["screenshots"] = [upload("good.png", factories.png_bytes()), upload(bad.name, corpus(bad))]
    response = client_for(volunteer).post(reverse("reports:submit"), data)
    assert response.status_code == 200
    assert not Report.objects.exists()
    # What the volunteer typed is still in the form, ready to submit again.
    assert response.context["form"]["listing_title"].value() == "Pangolin scales 500 g"


def test_hostile_file_on_resubmit_keeps_the_report_as_it_was(
    client_for, volunteer, needs_info_report
):
    report = needs_info_report
    before = list(report.evidence.values_list("pk", "image_sha256"))
    bomb = next(c for c in CASES if c.name == "bomb-30000x30000.png")
    data = listing_form(listing_title="Changed title")
    data["screenshots"] = [upload(bomb.name, corpus(bomb))]
    response = client_for(volunteer).post(
        reverse("reports:resubmit", args=[report.reference]), data
    )
    assert response.status_code == 200
    assert "too many pixels" in response.context["form"].errors["screenshots"][0]
    report.refresh_from_db()
    assert report.status == ReportStatus.NEEDS_INFO
    assert report.listing_title == "Pangolin scales 500 g"
    assert list(report.evidence.values_list("pk", "image_sha256")) == before


def test_served_copy_has_no_exif_or_gps_but_admin_original_keeps_it(
    client_for, volunteer, expert, admin_user, company
):
    case = next(c for c in CASES if c.name == "exif-gps.jpg")
    data = listing_form()
    data["screenshots"] = [upload(case.name, corpus(case), "image/jpeg")]
    assert client_for(volunteer).post(reverse("reports:submit"), data).status_code == 302
    report = Report.objects.get()
    evidence = report.evidence.get()

    served = client_for(expert).get(
        reverse("reports:evidence", args=[report.reference, evidence.pk])
    )
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    body = b"".join(served.streaming_content)
    with Image.open(io.BytesIO(body)) as image:
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"GPS" not in body and b"SpyCam" not in body and b"Exif" not in body
    assert hashlib.sha256(body).hexdigest() == evidence.image_sha256

    url = reverse("reports:evidence_original", args=[report.reference, evidence.pk])
    original = client_for(admin_user).get(url)
    assert original.status_code == 200
    raw = b"".join(original.streaming_content)
    assert raw == corpus(case)
    assert hashlib.sha256(raw).hexdigest() == evidence.original_sha256
    assert original["X-Evidence-SHA256"] == evidence.original_sha256
    assert original["Content-Disposition"].startswith("attachment")
    with Image.open(io.BytesIO(raw)) as image:
        assert image.getexif().get_ifd(0x8825), "the original still holds the GPS block"
    for user in (volunteer, expert):
        assert client_for(user).get(url).status_code in (403, 404)


def test_per_file_and_per_report_limits(client_for, volunteer, company, settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 2000
    big = factories.png_bytes(400, 400, colour=(1, 2, 3)) + b""
    noisy = io.BytesIO()
    Image.effect_noise((60, 60), 80).convert("RGB").save(noisy, "PNG")
    assert len(noisy.getvalue()) > 2000
    data = listing_form()
    data["screenshots"] = [upload("big.png", noisy.getvalue())]
    response = client_for(volunteer).post(reverse("reports:submit"), data)
    assert "big.png is larger than" in response.context["form"].errors["screenshots"][0]

    settings.EVIDENCE_MAX_FILE_BYTES = 8 * 1024 * 1024
    settings.EVIDENCE_MAX_REPORT_BYTES = len(big) + 10
    data = listing_form()
    data["screenshots"] = [upload("a.png", big), upload("b.png", big)]
    response = client_for(volunteer).post(reverse("reports:submit"), data)
    assert "together are larger than" in response.context["form"].errors["screenshots"][0]
    assert not Report.objects.exists()


def test_too_many_screenshots(client_for, volunteer, company):
    data = listing_form()
    data["screenshots"] = [upload(f"{n}.png", factories.png_bytes()) for n in range(6)]
    response = client_for(volunteer).post(reverse("reports:submit"), data)
    assert "at most 5" in response.context["form"].errors["screenshots"][0]


def test_oversized_request_body_refused_before_it_is_read(client_for, volunteer, settings):
    settings.MAX_REQUEST_BYTES = 10_000
    data = listing_form()
    data["screenshots"] = [upload("x.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20_000)]
    response = client_for(volunteer).post(reverse("reports:submit"), data)
    assert response.status_code == 413
    assert b"too large" in response.content


def test_api_upload_of_hostile_files_names_the_field(client_for, volunteer, company):
    """Through the API a hostile file is a 400 whose only error names the ``screenshots`` field."""
    client = client_for(volunteer)
    url = reverse("api:report-list")
    for case in REJECTS:
        data = listing_form(product_type=factories.get_product_type().slug)
        data["screenshots"] = [upload(case.name, corpus(case))]
        response = client.post(url, data)
        assert response.status_code == 400, (case.name, response.content[:300])
        errors = response.json()["errors"]
        assert [e["field"] for e in errors] == ["screenshots"], (case.name, errors)
        assert case.name in errors[0]["message"]
    assert not Report.objects.exists()
    good = listing_form(product_type=factories.get_product_type().slug)
    good["screenshots"] = [upload("ok.png", factories.png_bytes())]
    assert client.post(url, good).status_code == 201
