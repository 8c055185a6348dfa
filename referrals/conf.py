"""Tunables of the referrals app (operators set them in the environment)."""

from __future__ import annotations

import os

from django.conf import settings

# How long the one-click outcome link in a partner's notice stays valid.
REFERRAL_OUTCOME_LINK_DAYS = getattr(
    settings, "REFERRAL_OUTCOME_LINK_DAYS", int(os.environ.get("REFERRAL_OUTCOME_LINK_DAYS", 90))
)
# How long the evidence-package link in a partner's email stays valid.
REFERRAL_PACKAGE_LINK_DAYS = getattr(
    settings, "REFERRAL_PACKAGE_LINK_DAYS", int(os.environ.get("REFERRAL_PACKAGE_LINK_DAYS", 30))
)
# The sweep routes confirmed reports decided this recently that were never routed (a lost
# on-commit task, a crash); older ones are routed from the "no route" page's button.
REFERRAL_SWEEP_LOOKBACK_DAYS = getattr(
    settings,
    "REFERRAL_SWEEP_LOOKBACK_DAYS",
    int(os.environ.get("REFERRAL_SWEEP_LOOKBACK_DAYS", 14)),
)
# Most reports routed (or re-routed) in one sweep or one click.
REFERRAL_BATCH = getattr(settings, "REFERRAL_BATCH", 200)
# Most reports the domain tool forwards in one apply (the preview says when there are more).
DOMAIN_APPLY_LIMIT = getattr(settings, "DOMAIN_APPLY_LIMIT", 500)
# Requests per IP address and hour to the partner's link pages (outcome form, package), valid
# or not: the token is the permission, so guessing and scraping are throttled.
REFERRAL_LINK_REQUESTS_PER_IP_HOUR = getattr(
    settings,
    "REFERRAL_LINK_REQUESTS_PER_IP_HOUR",
    int(os.environ.get("REFERRAL_LINK_REQUESTS_PER_IP_HOUR", 60)),
)
