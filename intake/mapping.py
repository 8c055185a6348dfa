"""Which column holds which listing field: the fields, the header names we recognise in
English, French and Chinese, the guess, and the check of a mapping the uploader corrected."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from spotter.errors import InvalidInput

# The fields a column may fill, in the order the mapping form shows them. Names are the
# report's fields (reports.validation.LISTING_FIELDS), plus the day the listing was observed.
FIELDS: dict[str, object] = {
    "listing_url": gettext_lazy("Listing URL"),
    "listing_title": gettext_lazy("Listing title"),
    "species": gettext_lazy("Species"),
    "product_type": gettext_lazy("Product type"),
    "price": gettext_lazy("Price"),
    "currency": gettext_lazy("Currency"),
    "quantity": gettext_lazy("Quantity"),
    "seller_handle": gettext_lazy("Seller"),
    "listing_location": gettext_lazy("Location shown"),
    "listing_language": gettext_lazy("Listing language"),
    "listing_text": gettext_lazy("Listing text"),
    "notes": gettext_lazy("Notes"),
    "observed_on": gettext_lazy("Observed on"),
}
REQUIRED = ("listing_url", "listing_title", "species", "product_type")

# Header names per field, compared after ``header_key`` (case, accents, spaces and punctuation
# dropped). English, French, Simplified Chinese, and what monitoring spreadsheets often use.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "listing_url": (
        "url", "link", "listingurl", "listinglink", "adurl", "address", "lien", "adresse",
        "urldelannonce", "liendelannonce", "链接", "网址", "商品链接", "链接地址", "网页链接",
    ),
    "listing_title": (
        "title", "listingtitle", "adtitle", "titre", "titredelannonce", "intitule", "标题",
        "商品标题", "商品名称", "名称",
    ),
    "species": (
        "species", "speciesname", "scientificname", "commonname", "espece", "especes",
        "nomscientifique", "物种", "种类", "物种名称", "学名",
    ),
    "product_type": (
        "producttype", "product", "type", "item", "typedeproduit", "produit", "typeproduit",
        "产品类型", "产品", "商品类型", "制品类型", "类型",
    ),
    "price": ("price", "prix", "价格", "售价", "价钱", "金额"),
    "currency": ("currency", "devise", "monnaie", "货币", "币种"),
    "quantity": ("quantity", "qty", "quantite", "nombre", "数量"),
    "seller_handle": (
        "seller", "sellerhandle", "sellername", "vendor", "username", "vendeur", "卖家",
        "商家", "卖家名称", "店铺",
    ),
    "listing_location": (
        "location", "place", "country", "lieu", "localisation", "pays", "地点", "位置",
        "所在地", "地区",
    ),
    "listing_language": ("language", "lang", "langue", "语言", "语种"),
    "listing_text": (
        "listingtext", "text", "description", "body", "texte", "texteannonce",
        "texte de lannonce", "descriptif", "描述", "文本", "商品描述", "正文", "内容",
    ),
    "notes": ("notes", "note", "comment", "comments", "remarques", "remarque", "commentaire",
              "commentaires", "备注", "说明", "评论"),
    "observed_on": (
        "observed", "observedon", "observeddate", "dateobserved", "date", "datefound", "seen",
        "dateobservation", "date d'observation", "observele", "dateobservee", "vule",
        "观察日期", "发现日期", "日期", "发现时间",
    ),
}  # fmt: skip


def header_key(text: str) -> str:
    """Case, accents, spaces and punctuation dropped: "Titre de l'annonce" → "titredelannonce"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", kept)


_LOOKUP = {header_key(name): field for field, names in SYNONYMS.items() for name in names}


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Field → column index for the headers we recognise; the first column wins a field."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = _LOOKUP.get(header_key(header))
        if field and field not in mapping:
            mapping[field] = index
    return mapping


def check_mapping(mapping, headers: list[str]) -> dict[str, int]:
    """A mapping given by a person (form) or a client (API): known fields, existing columns,
    no column twice, the required fields present. ``InvalidInput`` names ``mapping.<field>``."""
    if not isinstance(mapping, dict):
        raise InvalidInput(
            _("Give the mapping as an object of field names to column numbers."), field="mapping"
        )
    cleaned: dict[str, int] = {}
    problems: list[InvalidInput] = []
    used: dict[int, str] = {}
    for name, column in mapping.items():
        where = f"mapping.{name}"
        if name not in FIELDS:
            problems.append(InvalidInput(_("Unknown field."), field=where))
            continue
        if column is None or column == "":
            continue
        if isinstance(column, str) and column.strip().lstrip("-").isdigit():
            column = int(column)
        elif isinstance(column, str) and column in headers:
            column = headers.index(column)
        if isinstance(column, bool) or not isinstance(column, int):
            problems.append(InvalidInput(_("Give a column number or a header name."), field=where))
            continue
        if not 0 <= column < len(headers):
            problems.append(InvalidInput(_("The file has no such column."), field=where))
            continue
        if column in used:
            problems.append(
                InvalidInput(
                    _("This column is already used for another field (%(field)s).")
                    % {"field": FIELDS[used[column]]},
                    field=where,
                )
            )
            continue
        used[column] = name
        cleaned[name] = column
    for name in REQUIRED:
        if name not in cleaned and not any(p.field == f"mapping.{name}" for p in problems):
            problems.append(
                InvalidInput(_("Choose the column that holds this field."), field=f"mapping.{name}")
            )
    if problems:
        raise InvalidInput.combine(problems)
    return cleaned
