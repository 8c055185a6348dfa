"""Gunicorn settings for Cyber Spotter: ``gunicorn spotter.wsgi -c deploy/gunicorn.conf.py``.

Everything can be overridden from the environment (Procfile, docker-compose, systemd).
Access lines are written by the application, not by gunicorn: spotter.requestlog logs one line
per request with the request id, the URL pattern (never a path holding a signed token), status
and duration, in the same JSON format as every other log line. Set GUNICORN_ACCESS_LOG=- to get
gunicorn's own lines as well.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104 — inside a container / behind a proxy
# Sync workers: each request holds one process. 2 x cores + 1 is gunicorn's rule of thumb; image
# uploads cost CPU (~0.8 s per 24 MP screenshot, docs/security.md), so do not go far above it.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
# A report with five large screenshots is decoded in a few seconds; 60 s leaves room for a slow
# database without letting a stuck worker hang for long.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (slow leaks in C extensions); the jitter keeps them from all
# restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# The bookmarklet sends up to ~36 KB of query string; Django's RequestSizeLimitMiddleware answers
# 414 above MAX_QUERY_STRING_BYTES (64 KB). Gunicorn's own 4 KB default would cut it off first.
limit_request_line = 0
# Trust X-Forwarded-* only from the proxy in front (set to its address; "*" inside a private
# container network). Settings: BEHIND_PROXY=true for X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory, not on a disk that may stall (and /tmp may be private or small).
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")  # noqa: S108
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Gunicorn's own lines (boot, worker restarts, timeouts) in JSON too when the app logs JSON.
if os.environ.get("LOG_FORMAT", "json" if os.environ.get("DATABASE_URL") else "text") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            # With a logging config gunicorn writes access lines whatever accesslog says: keep
            # them off unless asked for (the application writes its own, with the request id).
            "gunicorn.access": {
                "level": "INFO" if accesslog else "CRITICAL",
                "handlers": ["console"],
                "propagate": False,
            },
        },
    }
