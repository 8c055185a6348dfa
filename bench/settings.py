"""Bench-only settings (bench/write_bench.py): the project's settings plus bench/urls.py, which
adds a trivial view and a bare-insert view as baselines. Never used by the product."""

import warnings

from spotter.settings import *  # noqa: F403

# WhiteNoise warns about the missing STATIC_ROOT (no collectstatic for a benchmark).
warnings.filterwarnings("ignore", message="No directory at")

ROOT_URLCONF = "bench.urls"
# No collectstatic for a benchmark; the API pages served here render no static assets.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
