"""Demo data: accounts for every role and reports in every state, made through the services.

The whole demo is put together by ``training.demo.load_demo_data`` (training sits above reports
and must certify the demo volunteer between the accounts and the reports)."""

from __future__ import annotations

import io
import random
from decimal import Decimal

from PIL import Image, ImageDraw

from spotter.models import Role, User
from spotter.services import create_user_with_role

from . import services
from .evidence import process_image
from .models import CannedReply, MemberCompany, ProductType, RejectionReason, Species

DEMO_PASSWORD = "spotter-demo-2026"

DEMO_ACCOUNTS = [
    # email, role, company slug, display name, country
    ("volunteer@example.org", Role.VOLUNTEER, None, "Alex (demo volunteer)", "US"),
    ("newcomer@example.org", Role.VOLUNTEER, None, "Sam (not yet certified)", "FR"),
    ("expert@example.org", Role.EXPERT, None, "Dr Li (demo expert)", "CN"),
    ("expert2@example.org", Role.EXPERT, None, "Dr Okafor (demo expert)", "KE"),
    ("ebay@example.org", Role.COMPANY_STAFF, "ebay", "eBay enforcement (demo)", "US"),
    ("alibaba@example.org", Role.COMPANY_STAFF, "alibaba", "Alibaba enforcement (demo)", "CN"),
    ("admin@example.org", Role.ADMIN, None, "Coalition admin (demo)", "GB"),
]


def screenshot_png(title: str, price: str, seed: int) -> bytes:
    """Draw a plausible listing screenshot (no downloaded images)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (900, 600), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 900, 50], fill=(240, 242, 245))
    draw.text((20, 18), "https://www.example-market.com/item/" + str(seed), fill=(60, 60, 60))
    colour = tuple(rng.randint(150, 230) for _ in range(3))
    draw.rectangle([30, 80, 430, 520], fill=colour)
    draw.ellipse([120, 200, 340, 420], outline=(90, 70, 50), width=12)
    draw.text((470, 90), title[:48], fill=(20, 20, 20))
    draw.text((470, 130), price, fill=(180, 30, 30))
    draw.text((470, 170), "Seller: demo_seller_" + str(seed % 97), fill=(80, 80, 80))
    draw.text((470, 560), "captured 2026-11-25 10:42 UTC", fill=(120, 120, 120))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


DEMO_LISTINGS = [
    # url, title, species scientific name, product slug, price, currency, text
    (
        "https://www.ebay.com/itm/284711230001",
        "Antique carved bangle, old white material 62g",
        "Loxodonta africana",
        "ivory-carving",
        "450",
        "USD",
        "Old stock, real 'white gold', not resin. Hot needle test passed. Ships discreetly.",
    ),
    (
        "https://item.taobao.com/item.htm?id=640011223344",
        "穿山甲片 中药材 500克",
        "Manis pentadactyla",
        "scales",
        "1200",
        "CNY",
        "正品穿山甲片，炮制，量大从优。私聊。",
    ),
    (
        "https://www.ebay.co.uk/itm/1955001122",
        "Vintage tortoiseshell hair comb, blonde shell",
        "Eretmochelys imbricata",
        "shell",
        "180",
        "GBP",
        "Genuine bekko comb, 1950s. Not plastic. No export paperwork.",
    ),
    (
        "https://www.ebay.com/itm/284711230077",
        "Tiger claw pendant silver mount",
        "Panthera tigris",
        "bone-teeth-claws",
        "300",
        "USD",
        "Real big cat claw, amulet, rare.",
    ),
    (
        "https://m.tb.cn/h.demo-parrot",
        "Baby African grey parrots hand-fed",
        "Psittacus erithacus",
        "live-animal",
        "900",
        "EUR",
        "Wild-caught young greys, no papers.",
    ),
    (
        "https://www.example-forum.net/t/rhino-cup",
        "Old horn libation cup",
        "Diceros bicornis",
        "horn",
        "15000",
        "USD",
        "Carved cup, RH material, serious buyers only.",
    ),
]


def _details(row, species_by_name, products) -> services.ListingDetails:
    url, title, sci, product, price, currency, text = row
    return services.ListingDetails(
        listing_url=url,
        listing_title=title,
        species=species_by_name.get(sci),
        species_other="" if sci in species_by_name else sci,
        product_type=products[product],
        listing_text=text,
        price=Decimal(price),
        currency=currency,
        seller_handle="demo_seller",
        quantity=1,
        listing_location="",
        notes="Demo report",
    )


def create_demo_accounts() -> dict[str, User]:
    """The demo account of every role, by email (existing ones are kept)."""
    users = {}
    for email, role, company_slug, name, country in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            company = MemberCompany.objects.get(slug=company_slug) if company_slug else None
            user = create_user_with_role(
                email=email,
                role=role,
                password=DEMO_PASSWORD,
                company=company,
                display_name=name,
                country=country,
            )
        users[email] = user
    return users


def create_demo_reports(users: dict[str, User]) -> None:
    """The demo volunteer's reports, walked through the lifecycle (once: skipped if they have
    reports). The volunteer must be certified first."""
    volunteer = users["volunteer@example.org"]
    if volunteer.reports.exists():
        return
    species_by_name = {s.scientific_name: s for s in Species.objects.all()}
    products = {p.slug: p for p in ProductType.objects.all()}
    expert = users["expert@example.org"]
    made = []
    for index, row in enumerate(DEMO_LISTINGS):
        image = process_image(screenshot_png(row[1], f"{row[4]} {row[5]}", index), "demo.png")
        made.append(
            services.submit_report(
                volunteer=volunteer,
                details=_details(row, species_by_name, products),
                images=[image],
                image_names=["screenshot.png"],
            )
        )
    # Walk some of them through the lifecycle so every page has something to show.
    ivory, scales, shell, claw, parrot, _rhino = made
    for report in (ivory, scales, shell, claw):
        services.claim_report(report=report, expert=expert)
    services.confirm_report(report=ivory, expert=expert, note="Schreger lines visible.")
    services.confirm_report(report=scales, expert=expert, note="Manis scales; App. I.")
    services.reject_report(
        report=shell,
        expert=expert,
        reason=RejectionReason.LEGAL_TRADE,
        note="Looks like celluloid: seam lines, uniform pattern.",
    )
    services.request_info(
        report=claw,
        expert=expert,
        message="Can you add a close-up screenshot of the claw's base?",
    )
    services.acknowledge_report(report=ivory, staff=users["ebay@example.org"])
    services.record_outcome(
        report=ivory,
        staff=users["ebay@example.org"],
        outcome="removed",
        note="Listing removed, seller warned.",
    )
    del parrot


# Canned replies for the review page (reports.models.CannedReply), in each interface language;
# admins edit them in /admin/. (kind, language, title, text)
DEMO_CANNED_REPLIES = [
    (
        "rejection",
        "en",
        "Replica or synthetic",
        "Thank you for the report. The item looks like a replica or synthetic material (uniform "
        "colour, moulding seams), so it is not a wildlife product.",
    ),
    (
        "rejection",
        "en",
        "Screenshot unreadable",
        "Thank you. We could not confirm the listing from the screenshots: please capture the "
        "whole listing with its URL and date next time.",
    ),
    (
        "needs_info",
        "en",
        "Close-up needed",
        "Could you add a close-up screenshot of the item (texture, cross-section or markings)?",
    ),
    (
        "needs_info",
        "en",
        "Listing text needed",
        "Could you paste the full listing text, including the seller's description and price?",
    ),
    (
        "rejection",
        "fr",
        "Réplique ou matière synthétique",
        "Merci pour ce signalement. L'objet semble être une réplique ou une matière synthétique "
        "(couleur uniforme, traces de moulage) : ce n'est pas un produit d'origine animale.",
    ),
    (
        "needs_info",
        "fr",
        "Gros plan nécessaire",
        "Pourriez-vous ajouter une capture d'écran en gros plan de l'objet (texture, tranche ou "
        "marques) ?",
    ),
    (
        "rejection",
        "zh-hans",
        "仿制品或合成材料",
        "感谢您的举报。该物品看起来是仿制品或合成材料（颜色均匀、有模具接缝），不属于野生动物制品。",
    ),
    ("needs_info", "zh-hans", "需要特写截图", "能否补充一张物品的特写截图（纹理、横截面或标记）？"),
]


def create_demo_canned_replies() -> None:
    """The demo canned replies (kept as they are if an admin changed them)."""
    for kind, language, title, text in DEMO_CANNED_REPLIES:
        CannedReply.objects.get_or_create(
            kind=kind, language=language, title=title, defaults={"text": text}
        )
