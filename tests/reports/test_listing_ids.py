"""One listing, many URL shapes: every shape a volunteer may paste gives the same listing key.

Each row is a URL as pasted (tracking parameters, mobile hosts, slugs and all) and the key it
must give after normalisation; "" means no key (duplicates then fall back to the normalised URL).
"""

import pytest

from reports.listing_ids import RULES, listing_key
from reports.urlnorm import normalize_listing_url

EBAY = "ebay:256123456789"
TAOBAO = "taobao:680123456789"
XIANYU = "xianyu:712345678901"
ETSY = "etsy:1234567890"
FACEBOOK = "facebook:1234567890123456"
ZHUANZHUAN = "zhuanzhuan:1634567890123456789"

SHAPES = [
    # eBay: one item id on every eBay site, desktop and mobile.
    ("https://www.ebay.com/itm/256123456789", EBAY),
    ("https://ebay.com/itm/256123456789", EBAY),
    ("http://www.ebay.com/itm/256123456789/", EBAY),
    ("https://www.ebay.com/itm/256123456789?hash=item3ba1&_trkparms=x&mkevt=1", EBAY),
    ("https://www.ebay.com/itm/Carved-Old-Bone-Bangle-Vintage/256123456789", EBAY),
    ("https://www.ebay.com/itm/Carved-Old-Bone-Bangle-/256123456789?var=0", EBAY),
    ("https://www.ebay.co.uk/itm/256123456789", EBAY),
    ("https://www.ebay.de/itm/Armreif-geschnitzt/256123456789", EBAY),
    ("https://www.ebay.fr/itm/256123456789?_ul=FR", EBAY),
    ("https://www.ebay.com.au/itm/256123456789", EBAY),
    ("https://m.ebay.com/itm/256123456789", EBAY),
    ("https://M.EBAY.CO.UK/itm/Bangle/256123456789#photos", EBAY),
    ("https://www.ebay.com/itm/?item=256123456789", EBAY),
    ("https://cgi.ebay.com/ws/eBayISAPI.dll?ViewItem&item=256123456789", EBAY),
    ("https://www.ebay.com/sch/i.html?_nkw=ivory", ""),  # a search, not a listing
    ("https://ebay.us/m/AbCdEf", ""),  # short link: only a redirect says where it goes
    ("https://www.ebay.com/itm/1234", ""),  # too short to be an eBay item id
    # Taobao and Tmall: one item numbering, ?id=<id> on every item page.
    ("https://item.taobao.com/item.htm?id=680123456789", TAOBAO),
    ("https://item.taobao.com/item.htm?spm=a21bo.1.2.3&id=680123456789&ns=1", TAOBAO),
    ("https://detail.tmall.com/item.htm?id=680123456789&skuId=5012", TAOBAO),
    ("https://detail.m.tmall.com/item.htm?id=680123456789", TAOBAO),
    ("https://chaoshi.detail.tmall.com/item.htm?id=680123456789", TAOBAO),
    ("https://detail.tmall.hk/hk/item.htm?id=680123456789", TAOBAO),
    ("https://m.intl.taobao.com/detail/detail.html?id=680123456789", TAOBAO),
    ("https://h5.m.taobao.com/awp/core/detail.htm?id=680123456789", TAOBAO),
    ("https://world.taobao.com/item/680123456789.htm", TAOBAO),
    ("https://a.m.taobao.com/i680123456789.htm", TAOBAO),
    ("https://shop123456.taobao.com/?id=680123456789", ""),  # a shop page, not an item
    ("https://m.tb.cn/h.5AbCdE", ""),  # short link
    # Xianyu / Goofish: its own item ids, also on taobao.com hosts.
    ("https://www.goofish.com/item?id=712345678901", XIANYU),
    ("https://goofish.com/item?spm=a21ybx.1&id=712345678901&categoryId=1", XIANYU),
    ("https://h5.m.goofish.com/item?id=712345678901", XIANYU),
    ("https://2.taobao.com/item.htm?id=712345678901", XIANYU),
    (
        "https://market.m.taobao.com/app/idleFish-F2e/widle-taobao-rax/page-detail"
        "?wh_weex=true&id=712345678901",
        XIANYU,
    ),
    # Etsy: /listing/<id>/<slug>, with a region prefix or none.
    ("https://www.etsy.com/listing/1234567890/carved-bone-pendant", ETSY),
    ("https://etsy.com/listing/1234567890", ETSY),
    ("https://www.etsy.com/uk/listing/1234567890/carved-bone-pendant?ref=shop_home", ETSY),
    ("https://www.etsy.com/fr/listing/1234567890/pendentif", ETSY),
    ("https://www.etsy.com/en-gb/listing/1234567890/pendant", ETSY),
    ("https://www.etsy.com/shop/CarvingsByX", ""),
    ("https://etsy.me/3AbCdEf", ""),  # short link
    # Facebook Marketplace: www., m., web. hosts.
    ("https://www.facebook.com/marketplace/item/1234567890123456/", FACEBOOK),
    ("https://www.facebook.com/marketplace/item/1234567890123456/?ref=search", FACEBOOK),
    ("https://m.facebook.com/marketplace/item/1234567890123456", FACEBOOK),
    ("https://web.facebook.com/marketplace/item/1234567890123456/?_rdc=1&_rdr", FACEBOOK),
    ("https://facebook.com/commerce/listing/1234567890123456/", FACEBOOK),
    ("https://www.facebook.com/groups/123456789/", ""),
    # Zhuanzhuan: infoId, on the mobile pages and the web site.
    (
        "https://m.zhuanzhuan.com/u/streamline_detail/new-goods-detail?infoId=1634567890123456789",
        ZHUANZHUAN,
    ),
    ("https://m.zhuanzhuan.com/detail?infoid=1634567890123456789", ZHUANZHUAN),
    ("https://www.zhuanzhuan.com/detail/1634567890123456789.html", ZHUANZHUAN),
    # Amazon: the ASIN, per marketplace.
    ("https://www.amazon.com/dp/B08N5WRWNW", "amazon:com:B08N5WRWNW"),
    (
        "https://www.amazon.com/Carved-Bangle/dp/B08N5WRWNW/ref=sr_1_1?keywords=x",
        "amazon:com:B08N5WRWNW",
    ),
    ("https://amazon.com/gp/product/B08N5WRWNW", "amazon:com:B08N5WRWNW"),
    ("https://www.amazon.com/gp/aw/d/b08n5wrwnw", "amazon:com:B08N5WRWNW"),
    ("https://www.amazon.co.uk/dp/B08N5WRWNW", "amazon:co.uk:B08N5WRWNW"),
    ("https://amzn.to/3xYzAbC", ""),  # short link
    # Unknown platforms and look-alike hosts: no key.
    ("https://www.example-shop.com/item/5", ""),
    ("https://ebay.com.evil-shop.net/itm/256123456789", ""),
    ("https://notebay.com/itm/256123456789", ""),
]


@pytest.mark.parametrize(("url", "expected"), SHAPES)
def test_every_url_shape_gives_the_listing_key(url, expected):
    assert normalize_listing_url(url).listing_key == expected


def test_the_table_is_long_enough_and_covers_every_platform():
    assert len(SHAPES) >= 40
    keyed = {key.split(":")[0] for _url, key in SHAPES if key}
    assert keyed == {rule.platform for rule in RULES}


def test_listing_key_never_fails_on_odd_input():
    for url in ["", "not a url", "https://[::1", "https://www.ebay.com/itm/%00", "ftp://x"]:
        assert listing_key(url) == ""
