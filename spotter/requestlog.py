"""Request ids and structured logs.

Every request gets an id: the caller's ``X-Request-ID`` when it is well formed (a proxy or load
balancer that already set one keeps its id end to end), else a fresh uuid4 hex. The id is sent
back in the response header and kept in a contextvar; ``RequestIdFilter`` puts it, and the id
of the Celery task being run, on every log record, so a line from the view, the service it
called and the task it queued can be found together. A task queued during a request carries the
request's id in its message headers.

``LOG_FORMAT=json`` (the production default) writes one JSON object per line with
python-json-logger; the embedded default writes plain text. Settings: ``logging_config``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from celery import current_task
from celery.signals import before_task_publish

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

HEADER = "X-Request-ID"
# Letters, digits and ._- only, 8 to 128 of them: no spaces, quotes or newlines can reach a log
# line or a response header through it.
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,128}")

access_log = logging.getLogger("spotter.access")


def incoming_or_new(value: str | None) -> str:
    if value and WELL_FORMED.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE: the id exists before anything else can log, and every response,
    whoever answered it, carries it. Also writes the access log line (method, route, status,
    duration), so the web server's own access log can stay off (deploy/gunicorn.conf.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = incoming_or_new(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = rid
        token = request_id.set(rid)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            access_log.info(
                "%s %s %s",
                request.method,
                _route(request),
                response.status_code,
                extra={
                    "method": request.method,
                    "route": _route(request),
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)


def _route(request) -> str:
    """The URL pattern, not the path: signed evidence links and tokens in paths stay out of
    the logs. Unresolved paths (404s) are logged as they came, shortened."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return "/" + match.route
    return request.path[:200]


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` and ``task_id`` (None when there is none) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        task = current_task
        task_request = task.request if task else None
        rid = request_id.get()
        if rid is None and task_request is not None:
            rid = getattr(task_request, "request_id", None) or (
                getattr(task_request, "headers", None) or {}
            ).get("request_id")
        record.request_id = rid
        record.task_id = getattr(task_request, "id", None)
        # The plain format's bracket: "-" outside any request or task, not "None None".
        record.log_context = " ".join(filter(None, (rid, record.task_id))) or "-"
        return True


@before_task_publish.connect(dispatch_uid="spotter-request-id-to-task")
def carry_request_id(headers=None, **kwargs) -> None:
    """A task queued while serving a request logs with that request's id too."""
    rid = request_id.get()
    if rid is not None and headers is not None:
        headers.setdefault("request_id", rid)


PLAIN_FORMAT = "%(asctime)s %(levelname)s [%(log_context)s] %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s"


def logging_config(*, fmt: str, level: str) -> dict:
    """The LOGGING dict: one console handler, the request-id filter, plain or JSON lines."""
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        }
        if fmt == "json"
        else {"format": PLAIN_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "spotter.requestlog.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "default",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Django's own "GET /x 200" lines from runserver duplicate spotter.access.
            "django.server": {"level": "WARNING"},
        },
    }
