"""Request ids: taken from X-Request-ID when well formed, else made; on every log record; JSON."""

import io
import json
import logging
import logging.config
import re

import pytest
from celery import shared_task
from django.conf import settings

from spotter import requestlog

pytestmark = pytest.mark.django_db


def test_well_formed_header_round_trips(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-4b1d0c2e-7f3a.9")
    assert response["X-Request-ID"] == "lb-4b1d0c2e-7f3a.9"


@pytest.mark.parametrize(
    "bad",
    ["", "short", "has space in it", 'quote"injected', "x" * 129, "new\nline-injection", "é" * 10],
)
def test_bad_header_is_replaced_with_a_uuid4_hex(client, bad):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=bad)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_missing_header_gets_a_fresh_id_each_time(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second


def test_every_page_carries_it(client):
    assert client.get("/accounts/login/")["X-Request-ID"]
    assert client.get("/no-such-page/")["X-Request-ID"]


@pytest.fixture
def json_log():
    """The production LOGGING (LOG_FORMAT=json) writing into a buffer."""
    stream = io.StringIO()
    config = requestlog.logging_config(fmt="json", level="INFO")
    config["handlers"]["console"]["stream"] = "ext://sys.stdout"
    logging.config.dictConfig(config)
    handler = logging.getLogger().handlers[0]
    handler.setStream(stream)
    try:
        yield stream
    finally:
        logging.config.dictConfig(settings.LOGGING)


def _records(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_log_lines_are_json_with_the_request_id(client, json_log):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="req-id-for-the-log-1")
    records = _records(json_log)
    access = [r for r in records if r["logger"] == "spotter.access"]
    assert access, records
    line = access[-1]
    assert line["request_id"] == response["X-Request-ID"] == "req-id-for-the-log-1"
    assert line["status"] == 200 and line["route"] == "/accounts/login/"
    assert line["method"] == "GET" and isinstance(line["duration_ms"], float)
    assert {"time", "level", "message", "task_id"} <= set(line)


def test_access_log_names_the_route_not_the_path(client, json_log):
    client.get("/accounts/password/reset/key/secret-token-value/")
    routes = [r.get("route", "") for r in _records(json_log) if r["logger"] == "spotter.access"]
    assert routes and not any("secret-token-value" in route for route in routes)


def test_log_outside_a_request_has_no_request_id(json_log):
    logging.getLogger("tests.deploy").warning("no request here")
    (line,) = [r for r in _records(json_log) if r["logger"] == "tests.deploy"]
    assert line["request_id"] is None and line["message"] == "no request here"


@shared_task
def _log_something() -> None:
    logging.getLogger("tests.deploy.task").info("inside a task")


def test_tasks_log_with_their_task_id(json_log):
    result = _log_something.apply(task_id="task-id-1234")
    assert result.successful()
    (line,) = [r for r in _records(json_log) if r["logger"] == "tests.deploy.task"]
    assert line["task_id"] == "task-id-1234"


def test_a_task_run_in_a_request_keeps_the_request_id(json_log):
    token = requestlog.request_id.set("outer-request-id")
    try:
        _log_something.apply(task_id="task-id-5678")
    finally:
        requestlog.request_id.reset(token)
    (line,) = [r for r in _records(json_log) if r["logger"] == "tests.deploy.task"]
    assert line["request_id"] == "outer-request-id" and line["task_id"] == "task-id-5678"


def test_queued_tasks_carry_the_request_id_in_their_headers():
    headers = {}
    token = requestlog.request_id.set("queued-from-req-1")
    try:
        requestlog.carry_request_id(headers=headers)
    finally:
        requestlog.request_id.reset(token)
    assert headers == {"request_id": "queued-from-req-1"}
