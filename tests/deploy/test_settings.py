"""What the one settings module makes of the production variables (evaluated afresh per test)."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from storages.backends.s3 import S3Storage

SETTINGS = Path(__file__).resolve().parents[2] / "spotter" / "settings.py"
PRODUCTION = {
    "DATABASE_URL": "postgres://cs@db:5432/cs",
    "SECRET_KEY": "k3Jx9-PqL2v_8Zt.Wm4nR7yB1cF6hD0sG5aE2uV9iO3pT8lN4qM7wX1zC6bY0jK5-test",
    "ALLOWED_HOSTS": "spotter.example.org",
}
VARIABLES = [
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "LOG_FORMAT",
    "EVIDENCE_STORAGE",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "DATABASE_REPLICA_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
]
MAKEFILE = SETTINGS.parents[1] / "Makefile"


@pytest.fixture
def load(monkeypatch):
    def load(**env) -> dict:
        for name in VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS))

    return load


def test_embedded_default(load):
    conf = load()
    assert conf["LOG_FORMAT"] == "text"
    assert "SESSION_ENGINE" not in conf  # Django's database sessions
    assert conf["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert "replica" not in conf["DATABASES"]
    assert conf["MIDDLEWARE"][:2] == [
        "spotter.requestlog.RequestIdMiddleware",
        "spotter.health.HealthCheckMiddleware",
    ]


def test_production_logs_json_and_keeps_sessions_in_redis(load):
    conf = load(**PRODUCTION, REDIS_URL="redis://redis:6379/0")
    assert conf["LOG_FORMAT"] == "json"
    assert conf["LOGGING"]["formatters"]["default"]["()"] == "pythonjsonlogger.json.JsonFormatter"
    assert conf["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert conf["CELERY_WORKER_HIJACK_ROOT_LOGGER"] is False


def test_log_format_can_be_chosen(load):
    assert load(**PRODUCTION, LOG_FORMAT="text")["LOGGING"]["formatters"]["default"] == {
        "format": load()["LOGGING"]["formatters"]["default"]["format"]
    }


def test_evidence_on_s3_stays_private(load):
    conf = load(
        **PRODUCTION,
        EVIDENCE_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="cs-evidence",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
    )
    default = conf["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "cs-evidence"
    assert options["endpoint_url"] == "https://s3.example.net"
    assert options["default_acl"] is None  # no public-read: the bucket policy decides
    assert options["querystring_auth"] is True  # any URL would be signed (none is handed out)
    assert options["file_overwrite"] is False
    # django-storages accepts exactly these options (built without touching the network).
    storage = S3Storage(**options)
    assert storage.bucket_name == "cs-evidence" and storage.default_acl is None
    assert storage.location == "evidence"
    # Static files are not affected.
    assert conf["STORAGES"]["staticfiles"]["BACKEND"].startswith("whitenoise")


def test_unknown_evidence_storage_is_refused(load):
    with pytest.raises(ImproperlyConfigured):
        load(EVIDENCE_STORAGE="ftp")
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        load(EVIDENCE_STORAGE="s3")


def test_replica_is_read_only_and_a_test_mirror(load):
    conf = load(**PRODUCTION, DATABASE_REPLICA_URL="postgres://cs@replica:5432/cs")
    replica = conf["DATABASES"]["replica"]
    assert replica["HOST"] == "replica"
    assert "default_transaction_read_only=on" in replica["OPTIONS"]["options"]
    assert replica["TEST"] == {"MIRROR": "default"}
    assert conf["DATABASE_ROUTERS"] == ["spotter.dbrouter.ReplicaRouter"]


def demo_env() -> dict[str, str]:
    """The variables `make demo` sets (the Makefile's DEMO_ENV), with a stand-in key."""
    text = MAKEFILE.read_text()
    block = text[text.index("DEMO_ENV =") : text.index("\n\n", text.index("DEMO_ENV ="))]
    words = block.replace("\\\n", " ").split()[2:]
    env = dict(word.split("=", 1) for word in words if "=" in word)
    env = {name: value.strip('"') for name, value in env.items()}
    env["SECRET_KEY"] = "k3Jx9-PqL2v_8Zt.Wm4nR7yB1cF6hD0sG5aE2uV9iO3pT8lN4qM7wX1zC6bY0jK5-demo"
    env["ALLOWED_HOSTS"] = env["ALLOWED_HOSTS"].replace("$(DEMO_HOSTNAME)", "127.0.0.1")
    env.pop("SITE_URL", None)
    return env


def test_demo_runs_like_production_over_plain_http(load):
    """`make demo`: DEBUG off (the site's own 404/403/500 pages, hashed static files from
    collectstatic), but nothing that plain http://127.0.0.1 cannot do."""
    env = demo_env()
    assert env["DEBUG"] == "false" and "$(cat" in MAKEFILE.read_text()  # the generated key
    conf = load(**env)
    assert conf["DEBUG"] is False
    assert conf["STORAGES"]["staticfiles"]["BACKEND"].endswith(
        "CompressedManifestStaticFilesStorage"
    )
    assert conf["SECURE_SSL_REDIRECT"] is False
    assert conf["SECURE_HSTS_SECONDS"] == 0
    assert conf["SESSION_COOKIE_SECURE"] is False and conf["CSRF_COOKIE_SECURE"] is False
    assert "127.0.0.1" in conf["ALLOWED_HOSTS"]


def test_production_keeps_secure_cookies_and_https(load):
    conf = load(**PRODUCTION)
    assert conf["DEBUG"] is False
    assert conf["SESSION_COOKIE_SECURE"] is True and conf["CSRF_COOKIE_SECURE"] is True
    assert conf["SECURE_SSL_REDIRECT"] is True and conf["SECURE_HSTS_SECONDS"] > 0


def test_debug_off_still_needs_a_secret_key(load):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load(DEBUG="false", SESSION_COOKIE_SECURE="false")
