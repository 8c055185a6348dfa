"""A synthetic but realistic labelled set of wildlife-trade listings (en / zh / fr).

Used by ``bench/model_bench.py`` (not by the application). Every listing is built from a
*pattern* with a known expert verdict, then dressed up like a real marketplace listing:

- **prohibited** (verdict: confirmed): elephant ivory, pangolin scales, hawksbill
  tortoiseshell, rhino horn, tiger bone / skin, live primates, parrots and tortoises; about half
  written with the traders' code words (``white gold``, ``unburnt``, ``old stock``, ``UV
  tested``, ``白色黄金``, ``老料``, ``甲片``, ``or blanc``) instead of the animal's name;
- **look-alikes and legal items** (verdict: rejected): resin / acrylic / 'faux' replicas,
  mammoth-ivory and cattle / ox bone carvings, buffalo and cattle horn, plush toys and prints,
  and CITES-exempt antique claims with a certificate (rejected 70 % of the time, confirmed
  30 %: experts sometimes find the claim unsupported).

Each listing gets filler phrases (condition, shipping, payment), a platform domain, the species
group a volunteer would pick (sometimes the wrong one) and, by ``noise``, a flipped verdict
(label noise: real expert decisions are not perfect either). Deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

PLATFORMS = {
    "en": ["ebay.com", "etsy.com", "facebook.com", "craigslist.org", "rubylane.com"],
    "zh": ["taobao.com", "xianyu.com", "zhuanzhuan.com", "hxsc.cn", "58.com"],
    "fr": ["leboncoin.fr", "ebay.fr", "facebook.com", "vinted.fr"],
}
LANGUAGES = ["en"] * 5 + ["zh"] * 3 + ["fr"] * 2

# (group, words per language) for each kind of listing. "{x}" slots take an item word.
PROHIBITED = [
    (
        "elephants",
        {
            "en": [
                "genuine elephant ivory {x}",
                "real ivory {x}, old stock",
                "white gold {x} unburnt",
                "hand carved ivory {x} UV tested",
                "antique ivory {x} no paperwork, cash only",
            ],
            "zh": ["象牙{x} 保真", "老料象牙{x} 包老", "白色黄金 {x} 老货", "象牙雕刻{x} 可验货"],
            "fr": [
                "{x} en ivoire véritable",
                "ivoire ancien {x} vieux stock",
                "or blanc {x} authentique",
            ],
        },
        {
            "en": ["bangle", "netsuke", "chopsticks", "pendant", "tusk section"],
            "zh": ["手镯", "手串", "筷子", "挂件", "原牙"],
            "fr": ["bracelet", "netsuke", "pendentif", "défense"],
        },
    ),
    (
        "pangolins",
        {
            "en": [
                "pangolin scales {x}",
                "dried pangolin scale {x} for medicine",
                "anteater scales {x} bulk",
            ],
            "zh": ["穿山甲片 {x} 正品", "甲片 {x} 药用 炮制", "山甲 {x} 野生"],
            "fr": ["écailles de pangolin {x}", "pangolin séché {x}"],
        },
        {
            "en": ["500 g", "1 kg", "100g sample"],
            "zh": ["500克", "一斤", "整片"],
            "fr": ["500 g", "1 kg"],
        },
    ),
    (
        "marine-turtles",
        {
            "en": [
                "hawksbill tortoiseshell {x}",
                "real turtle shell {x}",
                "bekko {x} vintage genuine",
            ],
            "zh": ["玳瑁{x} 老料", "真玳瑁 {x}", "海龟壳 {x}"],
            "fr": ["{x} en écaille de tortue véritable", "carapace de tortue marine {x}"],
        },
        {
            "en": ["comb", "bracelet", "hair pin"],
            "zh": ["手镯", "梳子", "眼镜框"],
            "fr": ["peigne", "bracelet"],
        },
    ),
    (
        "rhinos",
        {
            "en": ["rhino horn {x}", "genuine rhinoceros horn {x}", "horn powder {x} fever remedy"],
            "zh": ["犀牛角 {x}", "犀角{x} 保真", "犀角粉 {x}"],
            "fr": ["corne de rhinocéros {x}", "poudre de corne {x}"],
        },
        {
            "en": ["cup", "bead bracelet", "10 g"],
            "zh": ["杯", "手串", "10克"],
            "fr": ["coupe", "10 g"],
        },
    ),
    (
        "big-cats",
        {
            "en": [
                "tiger bone {x}",
                "real tiger skin {x}",
                "leopard pelt {x}",
                "tiger claw {x} genuine",
            ],
            "zh": ["虎骨{x}", "老虎皮 {x}", "虎牙 {x} 真品", "豹皮{x}"],
            "fr": ["peau de tigre {x}", "os de tigre {x}", "griffe de tigre {x}"],
        },
        {
            "en": ["wine", "rug", "pendant"],
            "zh": ["酒", "地毯", "挂件"],
            "fr": ["tapis", "pendentif"],
        },
    ),
    (
        "live-primates",
        {
            "en": [
                "baby {x} for sale",
                "{x} monkey pet, tame, ships today",
                "slow loris {x} cute pet",
            ],
            "zh": ["{x} 活体 包邮", "宠物猴 {x} 幼崽", "蜂猴 {x} 活体"],
            "fr": ["bébé {x} à vendre", "singe {x} apprivoisé"],
        },
        {
            "en": ["capuchin", "marmoset", "slow loris"],
            "zh": ["狨猴", "卷尾猴", "懒猴"],
            "fr": ["capucin", "ouistiti"],
        },
    ),
    (
        "birds",
        {
            "en": [
                "african grey parrot {x}",
                "hyacinth macaw {x} hand fed",
                "wild caught {x} birds",
            ],
            "zh": ["非洲灰鹦鹉 {x}", "金刚鹦鹉{x} 活体", "野生{x} 鸟"],
            "fr": ["perroquet gris du gabon {x}", "ara hyacinthe {x}"],
        },
        {
            "en": ["chicks", "pair", "babies"],
            "zh": ["幼鸟", "一对", "雏鸟"],
            "fr": ["bébés", "couple"],
        },
    ),
    (
        "reptiles",
        {
            "en": ["radiated tortoise {x}", "ploughshare tortoise {x}", "star tortoise {x} rare"],
            "zh": ["辐射陆龟 {x}", "安哥洛卡象龟 {x}", "印度星龟{x}"],
            "fr": ["tortue radiée {x}", "tortue étoilée {x}"],
        },
        {
            "en": ["hatchlings", "adult", "pair"],
            "zh": ["苗子", "成体", "一对"],
            "fr": ["bébés", "adulte"],
        },
    ),
]

LEGAL = [
    (
        "elephants",
        {
            "en": [
                "resin ivory-look {x}",
                "faux ivory {x} acrylic",
                "mammoth ivory {x} with certificate",
                "carved ox bone {x}",
                "cattle bone {x} hand carved",
                "camel bone {x}",
            ],
            "zh": [
                "树脂仿象牙{x}",
                "猛犸象牙{x} 有证书",
                "牛骨{x} 雕刻",
                "骆驼骨 {x}",
                "仿象牙 {x} 亚克力",
            ],
            "fr": [
                "{x} imitation ivoire en résine",
                "faux ivoire {x}",
                "ivoire de mammouth {x}",
                "os de bovin sculpté {x}",
            ],
        },
        {
            "en": ["bangle", "pendant", "chopsticks"],
            "zh": ["手镯", "挂件", "筷子"],
            "fr": ["bracelet", "pendentif"],
        },
    ),
    (
        "marine-turtles",
        {
            "en": [
                "faux tortoiseshell {x} acetate",
                "tortoiseshell-pattern {x} plastic",
                "resin turtle {x}",
            ],
            "zh": ["仿玳瑁 {x} 板材", "玳瑁纹 {x} 醋酸", "树脂龟 {x}"],
            "fr": ["{x} façon écaille acétate", "fausse écaille {x}"],
        },
        {
            "en": ["sunglasses", "hair clip", "comb"],
            "zh": ["眼镜", "发夹", "梳子"],
            "fr": ["lunettes", "barrette"],
        },
    ),
    (
        "rhinos",
        {
            "en": [
                "buffalo horn {x}",
                "cattle horn {x} polished",
                "yak horn {x}",
                "resin rhino horn replica {x}",
            ],
            "zh": ["水牛角{x}", "牛角杯 {x}", "牦牛角 {x}", "树脂 仿犀角 {x}"],
            "fr": ["corne de buffle {x}", "corne de vache {x}"],
        },
        {
            "en": ["comb", "cup", "bead bracelet"],
            "zh": ["梳子", "杯", "手串"],
            "fr": ["peigne", "gobelet"],
        },
    ),
    (
        "big-cats",
        {
            "en": ["tiger plush {x}", "faux fur leopard print {x}", "tiger print {x}"],
            "zh": ["老虎毛绒{x}", "豹纹{x} 人造毛", "虎头 {x} 刺绣"],
            "fr": ["{x} peluche tigre", "{x} imprimé léopard fausse fourrure"],
        },
        {
            "en": ["toy", "blanket", "cushion"],
            "zh": ["玩具", "毯子", "抱枕"],
            "fr": ["jouet", "coussin"],
        },
    ),
    (
        "pangolins",
        {
            "en": ["pangolin {x} t-shirt", "wooden pangolin {x}", "pangolin conservation {x}"],
            "zh": ["穿山甲 {x} 木雕", "穿山甲保护 {x}"],
            "fr": ["{x} pangolin en bois"],
        },
        {"en": ["figurine", "print"], "zh": ["摆件", "海报"], "fr": ["figurine", "affiche"]},
    ),
    (
        "reptiles",
        {
            "en": [
                "captive bred hermann's tortoise {x} with article 10",
                "sulcata tortoise {x} CB",
            ],
            "zh": ["人工繁殖 苏卡达 {x}", "赫曼陆龟 {x} 人工繁殖 有证"],
            "fr": ["tortue d'hermann {x} née en captivité, cerfa"],
        },
        {"en": ["hatchling", "juvenile"], "zh": ["苗子", "亚成体"], "fr": ["juvénile"]},
    ),
]

ANTIQUE = (
    "elephants",
    {
        "en": [
            "antique ivory {x} pre-1947 with certificate",
            "victorian ivory {x} worked specimen, exemption certificate",
        ],
        "zh": ["清代象牙{x} 有鉴定证书", "老象牙 {x} 公约前 有证"],
        "fr": ["{x} en ivoire ancien avant 1947 certificat CITES", "ivoire XIXe {x} certificat"],
    },
    {"en": ["box", "figurine", "piano keys"], "zh": ["盒", "摆件"], "fr": ["boîte", "statuette"]},
)

FILLER = {
    "en": [
        "Good condition.",
        "Ships worldwide.",
        "PayPal only.",
        "Message me for more photos.",
        "Collection only.",
        "Grandfather's estate.",
        "Discreet packing.",
        "Price negotiable.",
    ],
    "zh": ["品相完好", "包邮", "支持验货", "私聊微信", "量大从优", "实物拍摄", "老人收藏"],
    "fr": [
        "Bon état.",
        "Envoi rapide.",
        "Paiement PayPal.",
        "Remise en main propre.",
        "Prix à débattre.",
    ],
}


@dataclass(frozen=True)
class Example:
    title: str
    text: str
    platform: str
    species_group: str
    language: str
    label: int  # 1 = an expert would confirm (prohibited), 0 = reject


def _listing(rng: random.Random, pattern, language: str) -> tuple[str, str]:
    group, templates, items = pattern
    title = rng.choice(templates[language]).format(x=rng.choice(items[language]))
    filler = rng.sample(FILLER[language], k=rng.randint(1, 3))
    text = (" " if language != "zh" else "，").join(filler)
    if rng.random() < 0.3:  # the detail sits in the text, not the title
        title, text = rng.choice(items[language]), f"{title}. {text}"
    return title, text


def generate(n: int, *, seed: int = 16, noise: float = 0.06, positive_share: float = 0.45):
    rng = random.Random(seed)
    groups = sorted({p[0] for p in PROHIBITED + LEGAL})
    examples = []
    for _ in range(n):
        language = rng.choice(LANGUAGES)
        draw = rng.random()
        if draw < positive_share:
            pattern, label = rng.choice(PROHIBITED), 1
        elif draw < positive_share + 0.08:
            pattern, label = ANTIQUE, int(rng.random() < 0.3)
        else:
            pattern, label = rng.choice(LEGAL), 0
        title, text = _listing(rng, pattern, language)
        group = pattern[0] if rng.random() < 0.85 else rng.choice(groups)
        if rng.random() < noise:
            label = 1 - label
        examples.append(
            Example(title, text, rng.choice(PLATFORMS[language]), group, language, label)
        )
    return examples
