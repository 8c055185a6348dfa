"""What a referral says to a partner, and the signed links in it.

Built from reports' own notice builders (``notice_context``, ``notice_payload``), which never
contain the volunteer's identity; the parts that only make sense to a member company (its
portal, its API callbacks, its service levels) are removed, and the partner's own links added:
a one-click outcome form and, for the package channel, a signed evidence package.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.notices import notice_context, notice_payload
from spotter.languages import supported
from spotter.siteurl import absolute_url

from . import conf
from .models import Referral, ReferralChannel, ReferralDelivery, ReferralOutcome

OUTCOME_SALT = "referrals.outcome-link"
PACKAGE_SALT = "referrals.package-link"
EVENT_TYPE = "report.referred"
COMPANY_ONLY_FIELDS = ("portal_url", "callback", "sla", "company")


def partner_language(referral: Referral) -> str:
    return supported(referral.partner.notice_language) or "en"


def _token(salt: str, referral: Referral) -> str:
    # The partner id is signed too: a link is for this partner's referral only.
    return signing.TimestampSigner(salt=salt).sign(f"{referral.pk}-{referral.partner_id}")


def read_token(salt: str, token: str, max_days: int) -> tuple[int, int]:
    """(referral id, partner id); raise signing.BadSignature (SignatureExpired when too old)."""
    value = signing.TimestampSigner(salt=salt).unsign(token, max_age=timedelta(days=max_days))
    referral_id, _dash, partner_id = value.partition("-")
    if not referral_id.isdigit() or not partner_id.isdigit():
        raise signing.BadSignature("malformed")
    return int(referral_id), int(partner_id)


def outcome_link(referral: Referral) -> str:
    token = _token(OUTCOME_SALT, referral)
    return absolute_url(reverse("referrals:partner_outcome", args=[token]))


def package_link(referral: Referral) -> str:
    token = _token(PACKAGE_SALT, referral)
    return absolute_url(reverse("referrals:partner_package", args=[token]))


def referral_context(referral: Referral, *, with_package: bool) -> dict:
    context = notice_context(referral.report)
    context.pop("portal_url", None)
    return {
        **context,
        "partner": referral.partner,
        "referral": referral,
        "non_member": referral.report.company_id is None,
        "outcome_url": outcome_link(referral),
        "outcome_days": conf.REFERRAL_OUTCOME_LINK_DAYS,
        "package_url": package_link(referral) if with_package else "",
        "package_days": conf.REFERRAL_PACKAGE_LINK_DAYS,
    }


def email_message(delivery: ReferralDelivery) -> tuple[str, str, str]:
    """(subject, text, html) of the email or package-link channel, in the partner's language."""
    referral = delivery.referral
    with translation.override(partner_language(referral)):
        context = referral_context(
            referral, with_package=delivery.channel == ReferralChannel.PACKAGE
        )
        subject = _("[Cyber Spotter] Referral %(reference)s: %(species)s") % {
            "reference": referral.report.reference,
            "species": referral.report.species_label,
        }
        text = render_to_string("referrals/notice/notice.txt", context)
        html = render_to_string("referrals/notice/notice.html", context)
    return subject[:200], text, html


def webhook_body(delivery: ReferralDelivery) -> str:
    """The Standard Webhooks envelope a partner receives: the member notice's data without the
    company-only parts, plus the referral (partner, reason, country, links)."""
    referral = delivery.referral
    language = partner_language(referral)
    data = notice_payload(referral.report, language=language)
    for name in COMPANY_ONLY_FIELDS:
        data.pop(name, None)
    data["referral"] = {
        "id": referral.pk,
        "partner": referral.partner.name,
        "reason": referral.reason,
        "country": referral.country or None,
        "non_member_platform": referral.report.company_id is None,
        "outcome_url": outcome_link(referral),
        "outcomes": list(ReferralOutcome.values),
        "outcome_url_expires_at": (
            timezone.now() + timedelta(days=conf.REFERRAL_OUTCOME_LINK_DAYS)
        ).isoformat(),
    }
    envelope = {"type": EVENT_TYPE, "timestamp": referral.created_at.isoformat(), "data": data}
    return json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
