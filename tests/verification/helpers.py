"""Decided reports in bulk (straight rows: the services would take seconds for hundreds)."""

from __future__ import annotations

from itertools import count

from django.utils import timezone

from reports.models import Report, ReportStatus, Verdict
from tests import factories

_seq = count(1)

PROHIBITED = [
    "genuine elephant ivory bangle old stock",
    "pangolin scales 500 g medicine",
    "rhino horn cup genuine",
    "象牙手镯 老料 保真",
    "穿山甲片 正品 药用",
    "écailles de pangolin 1 kg",
]
LEGAL = [
    "resin replica bangle, acrylic",
    "faux tortoiseshell hair clip acetate",
    "cattle horn comb polished",
    "树脂 仿象牙 挂件",
    "牛角梳 手工",
    "peluche tigre jouet enfant",
]


def make_decided(confirmed: int, rejected: int, volunteer=None) -> list[Report]:
    volunteer = volunteer or factories.make_user("volunteer")
    species = factories.get_species()
    product = factories.get_product_type()
    now = timezone.now()
    rows = []
    for i in range(confirmed + rejected):
        n = next(_seq)
        is_confirmed = i < confirmed
        texts = PROHIBITED if is_confirmed else LEGAL
        url = f"https://www.example-shop.com/bulk/{n}"
        rows.append(
            Report(
                reference=f"BULK-{n:06d}",
                volunteer=volunteer,
                status=ReportStatus.CONFIRMED if is_confirmed else ReportStatus.REJECTED,
                verdict=Verdict.CONFIRMED if is_confirmed else Verdict.REJECTED,
                rejection_reason="" if is_confirmed else "not_wildlife",
                decided_at=now,
                listing_url=url,
                normalized_url=url,
                domain="example-shop.com",
                listing_title=f"{texts[n % len(texts)]} #{n}",
                listing_text="Ships worldwide.",
                species=species,
                species_reported=species,
                product_type=product,
            )
        )
    return Report.objects.bulk_create(rows)
