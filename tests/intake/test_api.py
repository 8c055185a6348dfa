"""POST /api/v1/intake/, GET …/<id>/, POST …/<id>/mapping/ and …/<id>/import/."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from intake.models import BatchStatus, ImportBatch
from reports.models import Report

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db

URL = "/api/v1/intake/"
ROWS = (
    "https://www.ebay.com/itm/123456789012,Pangolin scales,Manis pentadactyla,scales,1,USD,s,",
    "notaurl,Tiger claw,Panthera tigris,bone teeth claws,,,s2,",
)


def post_file(client, data=None, name="f.csv", **extra):
    body = {"file": SimpleUploadedFile(name, data or csv_bytes(*ROWS), "text/csv"), **extra}
    return client.post(URL, body, format="multipart")


def fields(response) -> set:
    return {error["field"] for error in response.json()["errors"]}


def test_upload_preview_import_status(
    api_for, expert, catalogue, django_capture_on_commit_callbacks
):
    client = api_for(expert)
    response = post_file(client)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "preview" and body["total_rows"] == 2
    assert (body["valid_rows"], body["error_rows"]) == (1, 1)
    assert body["missing_fields"] == []
    problem = body["rows_with_problems"][0]
    assert problem["row"] == 3 and problem["problems"][0]["field"] == "listing_url"
    batch_id = body["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}{batch_id}/import/")
    assert response.status_code == 202
    body = client.get(f"{URL}{batch_id}/").json()
    assert body["status"] == "done" and body["imported_rows"] == 1
    assert body["progress_percent"] == 100
    assert Report.objects.get().volunteer == expert
    # Once started: a second start is a 409 and creates nothing.
    again = client.post(f"{URL}{batch_id}/import/")
    assert again.status_code == 409 and Report.objects.count() == 1


def test_mapping_given_at_upload_and_corrected(api_for, expert, catalogue):
    data = csv_bytes(
        "Pangolin scales,https://a.example.com/1,Manis pentadactyla,scales",
        header="name,address2,animal,what\n",
    )
    client = api_for(expert)
    body = post_file(client, data).json()
    assert body["missing_fields"] == ["listing_url", "listing_title", "species", "product_type"]
    refused = client.post(f"{URL}{body['id']}/import/")
    assert refused.status_code == 400 and "mapping.listing_url" in fields(refused)
    mapping = {"listing_url": "address2", "listing_title": 0, "species": 2, "product_type": 3}
    response = client.post(f"{URL}{body['id']}/mapping/", {"mapping": mapping}, format="json")
    assert response.status_code == 200 and response.json()["valid_rows"] == 1
    response = post_file(client, data, mapping=json.dumps(mapping))
    assert response.status_code == 201 and response.json()["valid_rows"] == 1


@pytest.mark.parametrize(
    ("extra", "data", "name", "field"),
    [
        ({}, b"", "f.csv", "file"),
        ({}, b"url,title\n", "f.csv", "file"),
        ({}, b"PK\x03\x04junk", "f.xlsx", "file"),
        ({"mapping": "{not json"}, None, "f.csv", "mapping"),
        ({"mapping": "[1, 2]"}, None, "f.csv", "mapping"),
        ({"mapping": '{"listing_url": 99}'}, None, "f.csv", "mapping.listing_url"),
        ({"mapping": '{"colour": 1}'}, None, "f.csv", "mapping.colour"),
        ({"encoding": "ebcdic"}, None, "f.csv", "encoding"),
        ({"encoding": "utf-8"}, "链接,标题\n".encode("gb18030"), "f.csv", "encoding"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_for, expert, catalogue, extra, data, name, field):
    client = api_for(expert)
    if data == b"":
        response = client.post(
            URL, {"file": SimpleUploadedFile(name, b"", "text/csv"), **extra}, format="multipart"
        )
    else:
        response = post_file(client, data, name=name, **extra)
    assert response.status_code == 400, response.json()
    assert field in fields(response), response.json()
    assert not ImportBatch.objects.exists()


def test_missing_file_is_a_400_naming_it(api_for, expert):
    response = api_for(expert).post(URL, {}, format="multipart")
    assert response.status_code == 400 and fields(response) == {"file"}


def test_bad_mapping_body_names_the_field(api_for, expert, catalogue):
    client = api_for(expert)
    batch_id = post_file(client).json()["id"]
    cases = (
        ({}, "mapping"),
        ({"mapping": "x"}, "mapping"),
        ({"mapping": {"listing_url": 0, "species": 0}}, "mapping.species"),
    )
    for body, field in cases:
        response = client.post(f"{URL}{batch_id}/mapping/", body, format="json")
        assert response.status_code == 400 and field in fields(response), response.json()


@pytest.mark.parametrize("who", ["volunteer", "staff"])
def test_volunteers_and_company_staff_get_403(request, api_for, who, expert, catalogue):
    client = api_for(request.getfixturevalue(who))
    assert post_file(client).status_code == 403
    assert client.get(URL).status_code == 403
    batch_id = post_file(api_for(expert)).json()["id"]
    assert client.get(f"{URL}{batch_id}/").status_code == 403
    assert client.post(f"{URL}{batch_id}/import/").status_code == 403
    assert ImportBatch.objects.get().status == BatchStatus.PREVIEW


def test_other_expert_sees_404_admin_sees_but_cannot_start(
    api_for,
    expert,
    other_expert,
    admin_user,
    catalogue,
):
    batch_id = post_file(api_for(expert)).json()["id"]
    assert api_for(other_expert).get(f"{URL}{batch_id}/").status_code == 404
    assert api_for(other_expert).post(f"{URL}{batch_id}/import/").status_code == 404
    admin = api_for(admin_user)
    assert admin.get(f"{URL}{batch_id}/").status_code == 200
    assert admin.post(f"{URL}{batch_id}/import/").status_code == 403
    listed = admin.get(URL).json()
    assert [b["id"] for b in listed] == [batch_id]


def test_anonymous_is_refused(api_for):
    assert api_for().post(URL, {}, format="multipart").status_code in (401, 403)
