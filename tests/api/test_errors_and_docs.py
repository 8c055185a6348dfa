"""The error shape everywhere, the schema and the interactive docs."""

import pytest

from .conftest import fields

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_a_json_404(api_for, volunteer):
    for url in (
        "/api/v1/nothing/",
        "/api/v1/reports/CS-1/evidence/x/",
        "/api/v2/",
        "/api/v1/reports",
    ):
        response = api_for(volunteer).get(url)
        assert response.status_code == 404 and fields(response) == {None: ["not_found"]}


def test_method_not_allowed_uses_the_error_shape(api_for, volunteer):
    response = api_for(volunteer).delete("/api/v1/species/")
    assert response.status_code == 405 and fields(response) == {None: ["method_not_allowed"]}


def test_schema_is_public_and_lists_every_endpoint(client):
    assert client.get("/api/schema/").status_code == 200  # YAML by default
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/v1/reports/",
        "/api/v1/reports/{reference}/",
        "/api/v1/reports/{reference}/claim/",
        "/api/v1/reports/{reference}/confirm/",
        "/api/v1/reports/{reference}/reject/",
        "/api/v1/reports/{reference}/needs-info/",
        "/api/v1/reports/{reference}/release/",
        "/api/v1/reports/{reference}/withdraw/",
        "/api/v1/company/reports/{reference}/acknowledge/",
        "/api/v1/company/reports/{reference}/outcome/",
        "/api/v1/review/queue/",
        "/api/v1/training/certification/",
        "/api/v1/stats/headline/",
    ):
        assert path in paths, path
    assert "apiToken" in schema["components"]["securitySchemes"]
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    create = paths["/api/v1/reports/"]["post"]
    assert "multipart/form-data" in create["requestBody"]["content"]
    assert {"201", "400", "401", "403", "429"} <= set(create["responses"])
    error = create["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    assert error.endswith("/Error")


def test_docs_page_uses_vendored_assets_and_no_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower() and "<style>" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html  # only <script src=…>
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
