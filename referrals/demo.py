"""Demo referral partners (``manage.py load_demo`` → training.demo.demo_loaded)."""

from __future__ import annotations

from .models import PartnerKind, ReferralPartner

DEMO_PARTNERS = (
    {
        "name": "国家林业和草原局野生动植物保护司 — National wildlife authority, China (demo)",
        "kind": PartnerKind.AUTHORITY,
        "worldwide": False,
        "jurisdictions": ["CN"],
        "email": "wildlife-authority-cn@example.invalid",
        "send_email_notice": True,
        "send_package_link": True,
        "notice_language": "zh-hans",
    },
    {
        "name": "Wildlife Crime Watch — veille contre le trafic (ONG, demo)",
        "kind": PartnerKind.NGO,
        "worldwide": True,
        "jurisdictions": [],
        "email": "referrals@wildlife-ngo.example.invalid",
        "send_email_notice": True,
        "send_package_link": False,
        "notice_language": "fr",
    },
)


def create_demo_partners() -> list[ReferralPartner]:
    """Safe to repeat: partners are found by name."""
    partners = []
    for fields in DEMO_PARTNERS:
        partner, _created = ReferralPartner.objects.get_or_create(
            name=fields["name"], defaults={k: v for k, v in fields.items() if k != "name"}
        )
        partners.append(partner)
    return partners
