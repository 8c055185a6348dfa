"""Demo tips in the triage queue, added when ``manage.py load_demo`` sends ``demo_loaded``.

Made through ``submit_tip`` like real ones (from documentation addresses, 192.0.2.0/24 and
2001:db8::/32), one with a screenshot drawn by reports' demo. The demo experts
(expert@example.org) triage them. Safe to repeat.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from reports.demo import screenshot_png
from reports.evidence import process_image
from training.demo import demo_loaded

from . import abuse, services
from .models import Tip

# url, note in en / fr / zh-hans, tipster language, address, with a screenshot
DEMO_TIPS = [
    (
        "https://www.ebay.com/itm/284711239901",
        {
            "en": "Carved 'bone' bracelet, the seller says old mammoth; it looks like ivory.",
            "fr": "Bracelet en « os » sculpté, « mammouth ancien » selon le vendeur : on dirait "
            "de l'ivoire.",
            "zh-hans": "雕刻“骨”手镯，卖家称是古猛犸象牙，但看起来像象牙。",
        },
        "en",
        "192.0.2.10",
        True,
    ),
    (
        "https://www.example-market.com/listing/pangolin-scales-500g",
        {
            "en": "Listing calls them 'armour flakes' for medicine, 500 g.",
            "fr": "L'annonce parle de « flocons d'armure » pour la médecine, 500 g.",
            "zh-hans": "商品称其为“甲片”，药用，500克。",
        },
        "fr",
        "2001:db8:12:1::7",
        False,
    ),
    (
        "https://www.facebook.com/marketplace/item/778812340011",
        {
            "en": "Baby monkey for sale, delivery in a cage.",
            "fr": "Bébé singe à vendre, livré en cage.",
            "zh-hans": "出售幼猴，装笼运送。",
        },
        "zh-hans",
        "198.51.100.20",
        False,
    ),
]


def load_demo_tips(**_kwargs) -> int:
    """Receiver of training.demo.demo_loaded."""
    made = 0
    with transaction.atomic():
        for url, notes, language, address, with_shot in DEMO_TIPS:
            if Tip.objects.filter(listing_url=url).exists():
                continue
            screenshot = None
            if with_shot:
                screenshot = (
                    process_image(screenshot_png("Carved bangle", "$ 420", 9901)),
                    "tip.png",
                )
            with translation.override(language):
                services.submit_tip(
                    listing_url=url,
                    note=notes[language],
                    email=f"tipster-{made + 1}@example.net" if language != "en" else "",
                    language=language,
                    origin=abuse.origin_of(address),
                    screenshot=screenshot,
                )
            made += 1
    return made


def connect() -> None:
    demo_loaded.connect(load_demo_tips, dispatch_uid="tips.demo")
