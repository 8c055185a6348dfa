"""The demo round: running now (week 2 of 4), the demo volunteer enrolled in a team, a briefing
in English, French and Chinese. Made through the services, like a real admin would; safe to
run again (``manage.py load_demo`` sends ``training.demo.demo_loaded``)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from reports.models import MemberCompany, SpeciesGroup
from spotter.errors import InvalidState
from spotter.models import Role, User

from . import services
from .models import Round

DEMO_TITLE = "Pangolin scales on marketplaces"
BRIEFING_EN = (
    "For four weeks we look for pangolin scales and other pangolin products on eBay, Alibaba "
    "and Facebook Marketplace.\n\n"
    'Search for the code words of the keyword library ("chuan shan jia", "armour flakes", '
    '"scale medicine"), capture the listing with a screenshot, and flag it with the species '
    "and the product type. Spend at least three hours a week and flag at least ten listings.\n\n"
    "Never contact a seller and never buy anything."
)
BRIEFING_FR = (
    "Pendant quatre semaines, nous cherchons des écailles de pangolin et d'autres produits de "
    "pangolin sur eBay, Alibaba et Facebook Marketplace.\n\n"
    "Cherchez les mots codés de la bibliothèque de mots-clés (« chuan shan jia », « armour "
    "flakes », « scale medicine »), faites une capture d'écran de l'annonce et signalez-la avec "
    "l'espèce et le type de produit. Consacrez-y au moins trois heures par semaine et signalez "
    "au moins dix annonces.\n\n"
    "Ne contactez jamais un vendeur et n'achetez jamais rien."
)
BRIEFING_ZH = (
    "在四周内，我们在 eBay、阿里巴巴和 Facebook Marketplace 上寻找穿山甲鳞片及其他穿山甲制品。\n\n"
    "搜索关键词库中的暗语（“chuan shan jia”“armour flakes”“scale medicine”），截图保存商品页面，"
    "并标明物种和产品类型后举报。每周至少投入三小时，至少举报十条商品信息。\n\n"
    "切勿联系卖家，切勿购买任何物品。"
)
TITLE_FR = "Écailles de pangolin sur les places de marché"
TITLE_ZH = "网络市场上的穿山甲鳞片"
TEAMS = ("Team Pangolin", "Team Turtle")


@transaction.atomic
def create_demo_round() -> Round | None:
    existing = Round.objects.filter(title=DEMO_TITLE).first()
    if existing is not None:
        return existing
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    volunteer = User.objects.filter(email="volunteer@example.org").first()
    if admin is None:
        return None
    today = timezone.localdate()
    starts_on = today - timedelta(days=8)
    round = services.create_round(
        actor=admin,
        data=services.RoundData(
            title=DEMO_TITLE,
            briefing=BRIEFING_EN,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=27),
            weekly_target_listings=10,
            weekly_target_hours=3,
            species_groups=list(SpeciesGroup.objects.filter(slug="pangolins")),
            companies=list(MemberCompany.objects.filter(slug__in=["ebay", "alibaba", "facebook"])),
            languages=["en", "zh"],
            countries=["US", "CN"],
            translations={
                "fr": {"title": TITLE_FR, "briefing": BRIEFING_FR},
                "zh-hans": {"title": TITLE_ZH, "briefing": BRIEFING_ZH},
            },
        ),
    )
    teams = [services.create_team(actor=admin, round=round, name=name) for name in TEAMS]
    if volunteer is not None:
        try:
            participant = services.join(volunteer=volunteer, round=round)
        except InvalidState:  # not certified in this database: the round stays without them
            return round
        services.assign_team(actor=admin, participant=participant, team=teams[0])
    return round


__all__ = ["create_demo_round"]
