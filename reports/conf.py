"""Tunables of the reports app (env-driven where an operator would set them)."""

import os

from django.conf import settings

# How long a rendered list table (queue, portal, "My reports") may be served from the cache at
# most; transitions replace it at once (reports/fragments.py). 0 turns the caching off.
PAGE_FRAGMENT_SECONDS = getattr(
    settings, "PAGE_FRAGMENT_SECONDS", int(os.environ.get("PAGE_FRAGMENT_SECONDS") or 60)
)

# Rows of one company and channel sent by one claim (reports/forwarding/delivery.py): one claiming
# transaction, kept-alive connections and one success record per batch.
OUTBOX_BATCH_SIZE = getattr(
    settings, "OUTBOX_BATCH_SIZE", int(os.environ.get("OUTBOX_BATCH_SIZE") or 100)
)
