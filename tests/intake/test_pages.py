"""The pages: who may use them, the upload → mapping → preview → import → progress path."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intake import services
from intake.models import BatchStatus, ImportBatch
from reports.models import Report

from .conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

ROWS = (
    "https://www.ebay.com/itm/123456789012,Pangolin scales,Manis pentadactyla,scales,120,USD,s1,",
    "notaurl,Tiger claw,Panthera tigris,bone teeth claws,,,s2,",
    "https://shop.example.com/item/3,Dragon scale,Dragon,scales,,,s3,",
)


def upload(client, data, name="listings.csv"):
    return client.post(
        reverse("intake:upload"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


@pytest.mark.parametrize("who", ["volunteer", "staff"])
def test_volunteers_and_company_staff_are_refused(request, client_for, catalogue, who, expert):
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(reverse("intake:list")).status_code == 403
    assert upload(client, csv_bytes(*ROWS)).status_code == 403
    assert not ImportBatch.objects.exists()
    batch = services.create_batch(uploader=expert, file_name="f.csv", data=csv_bytes(*ROWS))
    assert client.get(reverse("intake:preview", args=[batch.pk])).status_code == 403
    assert client.post(reverse("intake:start", args=[batch.pk])).status_code == 403
    assert not Report.objects.exists()


def test_service_refuses_volunteers_too(volunteer, catalogue):
    from spotter.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.create_batch(uploader=volunteer, file_name="f.csv", data=csv_bytes(*ROWS))


def test_another_experts_batch_is_a_404(client_for, expert, other_expert, catalogue):
    batch = services.create_batch(uploader=expert, file_name="f.csv", data=csv_bytes(*ROWS))
    client = client_for(other_expert)
    for name in ("preview", "mapping", "progress", "status"):
        assert client.get(reverse(f"intake:{name}", args=[batch.pk])).status_code == 404
    assert client.post(reverse("intake:start", args=[batch.pk])).status_code == 404


def test_upload_mapping_preview_import_progress(
    client_for, expert, catalogue, django_capture_on_commit_callbacks
):
    client = client_for(expert)
    response = upload(client, csv_bytes(*ROWS))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:mapping", args=[batch.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Pangolin scales" in page.content.decode()
    mapping = {name: str(index) for name, index in batch.mapping.items()}
    response = client.post(reverse("intake:mapping", args=[batch.pk]), mapping)
    assert response.status_code == 302
    preview = client.get(reverse("intake:preview", args=[batch.pk])).content.decode()
    assert "3 rows: 1 valid, 2 with errors." in preview
    assert "Only http:// and https://" in preview and "Unknown species" in preview
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:start", args=[batch.pk]))
    assert response["Location"] == reverse("intake:progress", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    progress = client.get(response["Location"]).content.decode()
    report = Report.objects.get()
    assert report.reference in progress and "Done: 1 report created." in progress
    fragment = client.get(reverse("intake:status", args=[batch.pk])).content.decode()
    assert "hx-get" not in fragment  # polling stops once done
    # A second start changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:start", args=[batch.pk]))
    assert Report.objects.count() == 1


def test_status_fragment_polls_while_running(client_for, expert, catalogue):
    batch = services.create_batch(uploader=expert, file_name="f.csv", data=csv_bytes(*ROWS))
    batch.status = BatchStatus.RUNNING
    batch.save()
    client = client_for(expert)
    fragment = client.get(reverse("intake:status", args=[batch.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    page = client.get(reverse("intake:progress", args=[batch.pk])).content.decode()
    assert 'http-equiv="refresh"' in page  # without JavaScript the page reloads itself


def test_mapping_errors_are_shown_on_the_field(client_for, expert, catalogue):
    batch = services.create_batch(uploader=expert, file_name="f.csv", data=csv_bytes(*ROWS))
    response = client_for(expert).post(
        reverse("intake:mapping", args=[batch.pk]),
        {"listing_url": "0", "listing_title": "0", "species": "2", "product_type": "3"},
    )
    assert response.status_code == 200
    assert "already used for another field" in response.content.decode()


TAOBAO = "https://item.taobao.com/item.htm?id=600000000001"


def test_xlsx_upload(client_for, expert, catalogue):
    data = xlsx_bytes(
        [
            ["链接", "标题", "物种", "产品类型", "价格", "货币"],
            [TAOBAO, "穿山甲片", "中华穿山甲", "鳞片", 99, "CNY"],
        ]
    )
    response = upload(client_for(expert), data, name="清单.xlsx")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.file_format == "xlsx"
    assert (batch.valid_rows, batch.error_rows) == (1, 0)
    assert batch.rows.get().values["price"] == "99.00"


def test_bad_file_is_shown_on_the_form(client_for, expert, catalogue):
    response = upload(client_for(expert), b"", name="empty.csv")
    assert response.status_code == 200
    assert "empty" in response.content.decode()


def test_list_page_query_count(client_for, expert, catalogue, django_assert_max_num_queries):
    for i in range(5):
        services.create_batch(uploader=expert, file_name=f"f{i}.csv", data=csv_bytes(*ROWS))
    client = client_for(expert)
    client.get(reverse("intake:list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("intake:list"))
    assert response.content.decode().count("f3.csv") == 1


def test_preview_page_query_count(client_for, expert, catalogue, django_assert_max_num_queries):
    batch = services.create_batch(uploader=expert, file_name="f.csv", data=csv_bytes(*ROWS * 1))
    client = client_for(expert)
    client.get(reverse("intake:preview", args=[batch.pk]))
    with django_assert_max_num_queries(12):
        client.get(reverse("intake:preview", args=[batch.pk]))
