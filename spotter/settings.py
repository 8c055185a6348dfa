"""One settings module, driven by environment variables.

Embedded default (nothing set): DEBUG on, SQLite file, Celery tasks in-process, console email.
Production: set ``DATABASE_URL`` (PostgreSQL), ``REDIS_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``EMAIL_URL``-style SMTP variables; ``DEBUG`` is off unless explicitly turned on.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from spotter.requestlog import logging_config
from spotter.schedule import beat_schedule

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Production is whatever has a real database; DEBUG must then be asked for explicitly.
PRODUCTION = bool(os.environ.get("DATABASE_URL"))
DEBUG = envbool("DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only ever used on a developer's machine: DEBUG is on and nothing is public.
    SECRET_KEY = "insecure-embedded-default-key-for-local-development-only-0123456789"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "spotter",
    "reports",
    "training",
    "keywords",
    "sellers",
    "rechecks",
    "api",
    "quality",
    "verification",
    "notifications",
    "referrals",
    "rounds",
    "leads",
    "intake",
    "tips",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_countries",  # country names in every shipped language (profile and sign-up forms)
]

MIDDLEWARE = [
    "spotter.requestlog.RequestIdMiddleware",  # first: everything after it logs with the id
    "spotter.health.HealthCheckMiddleware",  # /healthz, before the host check and HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "spotter.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "spotter.middleware.UserLanguageMiddleware",  # the profile's language wins over the browser's
    "spotter.middleware.PrivateNoStoreMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "spotter.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",  # request.htmx: which requests swap a fragment
]

ROOT_URLCONF = "spotter.urls"
WSGI_APPLICATION = "spotter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "spotter.context_processors.roles",
                "reports.context_processors.ops_alerts",
                "reports.context_processors.volunteer_status",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the outbox loop read while the web server writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
# Optional read-only replica (spotter/dbrouter.py): only reads that ask for it go there.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=envint("DB_CONN_MAX_AGE", 60)
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"]["OPTIONS"] = {"options": "-c default_transaction_read_only=on"}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["spotter.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "spotter.cache.RedisCache",
            "LOCATION": os.environ.get("CACHE_URL", REDIS_URL),
        }
    }
else:
    # Shared by the web server and the outbox loop: allauth's (and rechecks') rate limits hold.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache" / "django")),
        }
    }

# Sessions: Redis in front of the database (any web node serves any user; the DB stays the record).
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600),
    "queue_order_strategy": "priority",  # a worker takes from "celery" before "background"
}
# Notices first: slow per-report work (seller indexing, risk scores, re-checks, notification
# emails) waits in its own queue, so it never delays a delivery. Workers consume both.
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in ("celery", "background")]
BACKGROUND_APPS = ("sellers", "verification", "rechecks", "notifications", "tips")
CELERY_TASK_ROUTES = {f"{app}.tasks.*": {"queue": "background"} for app in BACKGROUND_APPS}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers and beat log through LOGGING below (JSON lines with the task id), not Celery's format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The outbox (docs/forwarding.md): backoff with jitter, base delay to cap (1 min … 24 h); an attempt
# holds its row for the lease; a task lost with Redis or a dead worker is re-queued after the delay.
OUTBOX_BASE_DELAY_SECONDS = envint("OUTBOX_BASE_DELAY_SECONDS", 60)
OUTBOX_MAX_DELAY_SECONDS = envint("OUTBOX_MAX_DELAY_SECONDS", 24 * 3600)
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", 12)
OUTBOX_LEASE_SECONDS = envint("OUTBOX_LEASE_SECONDS", 300)
OUTBOX_REQUEUE_SECONDS = envint("OUTBOX_REQUEUE_SECONDS", 300)
OUTBOX_SWEEP_SECONDS = envint("OUTBOX_SWEEP_SECONDS", 30)
WEBHOOK_TIMEOUT_SECONDS = envint("WEBHOOK_TIMEOUT_SECONDS", 10)
# Audit sequencer period (the unsealed window) and the chain's HMAC key (docs/security.md).
AUDIT_SEAL_SECONDS = envint("AUDIT_SEAL_SECONDS", 5)
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")
# Off-request refresh periods: dashboard counters, the overview's figures (reports/headline.py);
# how long an unused dashboard fragment stays cached (it is keyed by the counters' version).
ROLLUP_REFRESH_SECONDS = envint("ROLLUP_REFRESH_SECONDS", 5)
HEADLINE_REFRESH_SECONDS = envint("HEADLINE_REFRESH_SECONDS", 30)
DASHBOARD_FRAGMENT_SECONDS = envint("DASHBOARD_FRAGMENT_SECONDS", 3600)
PACKAGE_SIGNING_KEY = os.environ.get("PACKAGE_SIGNING_KEY", "")  # Ed25519 seed (docs/security.md)
# Operations alerts (reports/forwarding/alerts.py): a heartbeat older than this is a dead worker
# / beat; a delivery due this long without an attempt is stuck; check_operations runs this often.
OPS_HEARTBEAT_STALE_SECONDS = envint("OPS_HEARTBEAT_STALE_SECONDS", 300)
OPS_STUCK_DELIVERY_SECONDS = envint(
    "OPS_STUCK_DELIVERY_SECONDS", OUTBOX_LEASE_SECONDS + OUTBOX_REQUEUE_SECONDS
)
OPS_CHECK_SECONDS = envint("OPS_CHECK_SECONDS", 120)
CELERY_BEAT_SCHEDULE = beat_schedule(globals())  # spotter/schedule.py
VERIFICATION_MIN_DECIDED = envint("VERIFICATION_MIN_DECIDED", 200)  # else the model is off

# --- Auth and accounts ----------------------------------------------------------------------
AUTH_USER_MODEL = "spotter.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "spotter.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "spotter.forms.SignupProfileForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cyber Spotter] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Cyber Spotter"
# Roles for which two-factor authentication is mandatory (see spotter.middleware).
MFA_REQUIRED_ROLES = envlist("MFA_REQUIRED_ROLES", "expert,company_staff,admin")
# --- Email ----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Cyber Spotter <notices@cyberspotter.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PROGRAMME_CONTACT_EMAIL = os.environ.get("PROGRAMME_CONTACT_EMAIL", "notices@cyberspotter.invalid")
PROGRAMME_NAME = os.environ.get(
    "PROGRAMME_NAME", "Cyber Spotter (Coalition to End Wildlife Trafficking Online)"
)
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Evidence is private: MEDIA_ROOT is mapped to no URL. EVIDENCE_STORAGE=s3 keeps it in an
# S3-compatible bucket (django-storages): private objects, no public or signed URL handed out;
# permission-checked views stream every file. Credentials: AWS_ACCESS_KEY_ID /
# AWS_SECRET_ACCESS_KEY from the environment (or the host's instance role), read by boto3.
EVIDENCE_STORAGE = os.environ.get("EVIDENCE_STORAGE", "filesystem")
if EVIDENCE_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured("EVIDENCE_STORAGE must be 'filesystem' or 's3'.")
EVIDENCE_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if EVIDENCE_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("EVIDENCE_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    EVIDENCE_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("AWS_LOCATION", "evidence"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": EVIDENCE_BACKEND,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400

# Evidence limits (bytes / pixels); see reports/evidence.py.
EVIDENCE_MAX_FILE_BYTES = envint("EVIDENCE_MAX_FILE_BYTES", 8 * 1024 * 1024)
EVIDENCE_MAX_REPORT_BYTES = envint("EVIDENCE_MAX_REPORT_BYTES", 25 * 1024 * 1024)
EVIDENCE_MAX_FILES = 5
# Checked from the header before decoding: one 24-megapixel image costs about 0.8 s of CPU
# (docs/security.md, "Limits"); a 2x-density page capture of 2560 x 9000 still fits.
EVIDENCE_MAX_PIXELS = envint("EVIDENCE_MAX_PIXELS", 24_000_000)
EVIDENCE_URL_MAX_AGE = envint("EVIDENCE_URL_MAX_AGE", 7 * 24 * 3600)
# Originals of rejected reports are deleted this long after the decision (reports/retention.py).
EVIDENCE_RETENTION_REJECTED_DAYS = envint("EVIDENCE_RETENTION_REJECTED_DAYS", 180)
# Bodies above this get 413 unread (spotter.middleware): a report's screenshots plus its fields.
MAX_REQUEST_BYTES = envint("MAX_REQUEST_BYTES", EVIDENCE_MAX_REPORT_BYTES + 2 * 1024 * 1024)
# Room for the bookmarklet's prefill (api/bookmarklet.py: 4,000 selected characters, which
# percent-encode to up to 36 KB); longer query strings are a 414 (spotter.middleware).
MAX_QUERY_STRING_BYTES = envint("MAX_QUERY_STRING_BYTES", 64 * 1024)

# --- Limits for every door (reports/limits.py; docs/security.md, Limits) --------------------------
# Per hour: reports per volunteer (form and API together), posts per person on notice threads,
# requests per IP address to signed evidence links (reports:evidence_link).
SUBMISSIONS_PER_HOUR = envint("SUBMISSIONS_PER_HOUR", 30)
NOTICE_MESSAGES_PER_HOUR = envint("NOTICE_MESSAGES_PER_HOUR", 30)
EVIDENCE_LINK_REQUESTS_PER_IP_HOUR = envint("EVIDENCE_LINK_REQUESTS_PER_IP_HOUR", 120)

# --- Programme rules ------------------------------------------------------------------------
SLA_ACK_HOURS_DEFAULT = 24
SLA_ACT_HOURS_DEFAULT = 72
CERTIFICATE_VALID_DAYS = envint("CERTIFICATE_VALID_DAYS", 365)
QUIZ_PASS_PERCENT = envint("QUIZ_PASS_PERCENT", 80)
# Second review base share (0 off, 1 all); ADAPTIVE_REVIEW overrides quality.sampling.DEFAULTS.
SECOND_REVIEW_SHARE = float(os.environ.get("SECOND_REVIEW_SHARE", "0.10"))
ADAPTIVE_REVIEW: dict = {}
# Lead spotter offered: 95% Wilson lower bound ≥ this, ≥ N decided, for this many weeks running.
LEAD_SPOTTER_MIN_LOWER_BOUND = float(os.environ.get("LEAD_SPOTTER_MIN_LOWER_BOUND", "0.90"))
LEAD_SPOTTER_MIN_DECIDED = envint("LEAD_SPOTTER_MIN_DECIDED", 30)
LEAD_SPOTTER_STABLE_WEEKS = envint("LEAD_SPOTTER_STABLE_WEEKS", 4)
# Set only in tests: lets webhooks / takedown checks reach http://127.0.0.1 (spotter/egress.py).
WEBHOOK_ALLOW_LOOPBACK_HTTP = envbool("WEBHOOK_ALLOW_LOOPBACK_HTTP", False)
RECHECK_ALLOW_LOOPBACK_HTTP = envbool("RECHECK_ALLOW_LOOPBACK_HTTP", False)
# Takedown checks fetch only through this HTTP forward proxy (docs/verification.md); unset: off.
RECHECK_PROXY_URL = os.environ.get("RECHECK_PROXY_URL", "")

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so unauthenticated requests get 401 with WWW-Authenticate: Bearer.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON only: the browsable API's inline scripts would break under our CSP.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],  # DRF's, with a nesting limit
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonThrottle",
        "api.throttling.UserThrottle",
        "api.throttling.ScopeThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_RATE_ANON", "60/minute"),
        "user": os.environ.get("API_RATE_USER", "2000/hour"),
        "review": os.environ.get("API_RATE_REVIEW", "600/hour"),
        "company": os.environ.get("API_RATE_COMPANY", "1000/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cyber Spotter API",
    "DESCRIPTION": (
        "Every workflow step of Cyber Spotter: volunteers submit and follow reports, experts "
        "verify them, member companies receive forwarded reports and record outcomes.\n\n"
        "Authenticate with a personal API token from your profile page "
        "(`Authorization: Bearer cs_…`) or, from the site itself, with your session. "
        'Errors always have the shape `{"errors": [{"field", "code", "message"}]}`; '
        "`field` names the request field at fault. Guide with curl examples: docs/api.md."
    ),
    "VERSION": "1.0.0",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # <id:…> path values (spotter.converters.IdConverter) are integers of at most 18 digits.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "reports.models.ReportStatus",
        "OutcomeEnum": "reports.models.Outcome",
        "RejectionReasonEnum": "reports.models.RejectionReason",
        "VerdictEnum": "reports.models.Verdict",
        "CitesAppendixEnum": "reports.models.CitesAppendix",
        "ListingLanguageEnum": "reports.forms.LANGUAGE_CHOICES",
    },
    "TAGS": [
        {"name": "reports", "description": "Submit, list, read, edit, withdraw reports."},
        {"name": "review", "description": "The expert's queue and decisions."},
        {"name": "company", "description": "Forwarded reports for member platforms."},
        {"name": "reference", "description": "Species, product types, member companies."},
        {"name": "training", "description": "Your training progress and certificate."},
        {"name": "account", "description": "Your account and accuracy."},
        {"name": "stats", "description": "Programme figures (admins)."},
    ],
}

# --- Security -------------------------------------------------------------------------------
# Secure cookies whenever DEBUG is off; `make demo` (DEBUG off on http://127.0.0.1) says false
# explicitly, since a browser never sends a secure cookie back over plain http.
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Flash messages live in the session, not the (readable) cookie: a webhook secret is shown once.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None
)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# LOG_FORMAT=json (production default): JSON lines with request_id, task_id; else plain text.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = logging_config(fmt=LOG_FORMAT, level=os.environ.get("LOG_LEVEL", "INFO"))
