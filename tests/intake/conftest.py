import io

import openpyxl
import pytest

from tests.api.conftest import api_for  # noqa: F401 (the API tests' fixture)

HEADER = "url,title,species,product type,price,currency,seller,notes\n"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def catalogue(reference_data):
    """The shipped species catalogue and product types (with their French/Chinese names)."""
    return reference_data


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """start_import as the page does, with the job (queued on commit) run in-process."""
    from intake import services

    def start(batch, actor):
        with django_capture_on_commit_callbacks(execute=True):
            return services.start_import(batch=batch, actor=actor)

    return start
