"""Helpers of the referrals tests: partners and confirmed reports on non-member platforms."""

from itertools import count

from referrals.models import PartnerKind, ReferralPartner
from tests import factories

_n = count(1)


def make_partner(**fields) -> ReferralPartner:
    values = {
        "name": f"Partner {next(_n)}",
        "kind": PartnerKind.NGO,
        "email": "desk@partner.invalid",
        "send_email_notice": True,
    }
    values.update(fields)
    return ReferralPartner.objects.create(**values)


def non_member_report(*, location="", domain="wild-bazaar.com", **kwargs):
    """Confirmed through the services on a platform no member company has."""
    return factories.make_confirmed_report(
        url=f"https://www.{domain}/item/{next(_n)}",
        listing_location=location,
        **kwargs,
    )
