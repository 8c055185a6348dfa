"""Classification of saved sample pages by the rules in rechecks/data/rules.json (no network)."""

import pytest

from rechecks.classify import classify, removed_redirect
from rechecks.fetch import Fetched
from rechecks.pagetext import decode, snapshot, visible_text

from .servers import page

HTML_UTF8 = "text/html"  # the pages name their charset in a <meta>


def fetched(url, name=None, status=200, content_type=HTML_UTF8, **fields):
    body = page(name) if name else b""
    return Fetched(
        url=url, final_url=url, http_status=status, body=body, content_type=content_type, **fields
    )


@pytest.mark.parametrize(
    ("url", "name", "status", "rule"),
    [
        ("https://www.ebay.com/itm/1", "ebay_live_en.html", "live", "http:200"),
        ("https://www.ebay.com/itm/1", "ebay_ended_en.html", "removed", "ebay:removed:ended-en"),
        ("https://www.ebay.fr/itm/1", "ebay_ended_fr.html", "removed", "ebay:removed:ended-fr"),
        ("https://www.ebay.com/itm/1", "ebay_captcha_en.html", "unknown", "ebay:captcha:splashui"),
        ("https://item.taobao.com/item.htm?id=1", "taobao_live_zh.html", "live", "http:200"),
        (
            "https://item.taobao.com/item.htm?id=1",
            "taobao_offshelf_zh.html",
            "removed",
            "alibaba:removed:offshelf-zh",
        ),
        (
            "https://item.taobao.com/item.htm?id=1",
            "taobao_captcha_zh.html",
            "unknown",
            "alibaba:captcha:slider-zh",
        ),
        (
            "https://www.etsy.com/listing/1",
            "etsy_unavailable_en.html",
            "removed",
            "etsy:removed:unavailable-en",
        ),
        (
            "https://www.leboncoin.fr/ad/collection/1",
            "leboncoin_gone_fr.html",
            "removed",
            "leboncoin:removed:gone-fr",
        ),
        # A platform without rules of its own: the default markers.
        (
            "https://www.exemple-boutique.fr/annonce/1",
            "generic_gone_fr.html",
            "removed",
            "default:removed:gone-fr",
        ),
    ],
)
def test_saved_pages(url, name, status, rule):
    verdict = classify(fetched(url, name))
    assert (verdict.status, verdict.rule) == (status, rule)


def test_gbk_page_is_decoded_from_its_meta_charset():
    # The header names no charset: the <meta> does.
    text = visible_text(decode(page("taobao_offshelf_zh.html"), "text/html"))
    assert "该商品已下架" in text
    assert "淘宝网" in text


def test_scripts_and_styles_are_not_visible_text_and_snapshot_is_short():
    text = visible_text(page("ebay_live_en.html").decode())
    assert "recaptcha" not in text and "font-weight" not in text
    assert "US $450.00" in text and "Buy It Now" in text
    assert len(snapshot("x" * 5000)) == 500


@pytest.mark.parametrize("status", [404, 410])
def test_gone_statuses_are_removed(status):
    verdict = classify(fetched("https://www.ebay.com/itm/1", status=status))
    assert (verdict.status, verdict.rule) == ("removed", f"http:{status}")


@pytest.mark.parametrize("status", [403, 429, 500, 503])
def test_blocked_and_failing_statuses_are_unknown(status):
    assert classify(fetched("https://www.ebay.com/itm/1", status=status)).status == "unknown"


@pytest.mark.parametrize(
    ("from_url", "location", "removed"),
    [
        ("https://www.ebay.com/itm/1", "https://www.ebay.com/", True),
        ("https://www.ebay.com/itm/1", "https://www.ebay.com/sch/i.html?_nkw=ivory", True),
        ("https://www.etsy.com/listing/1", "https://www.etsy.com/search?q=ivory", True),
        ("https://www.leboncoin.fr/ad/1", "https://www.leboncoin.fr/recherche?text=ivoire", True),
        ("https://item.taobao.com/item.htm?id=1", "https://www.taobao.com/", True),
        # Same page, other scheme or host name: follow it, not a removal.
        ("http://www.ebay.com/itm/1", "https://www.ebay.com/itm/1", False),
        ("https://www.ebay.com/itm/1", "https://www.ebay.com/itm/1?hash=abc", False),
    ],
)
def test_redirects_to_home_or_search(from_url, location, removed):
    assert bool(removed_redirect(from_url, location)) is removed


def test_a_redirect_that_ends_on_a_sign_in_page_is_unknown():
    result = fetched("https://www.facebook.com/marketplace/item/1", "ebay_live_en.html")
    result.final_url = "https://www.facebook.com/login/?next=%2Fmarketplace%2Fitem%2F1"
    result.redirected = True
    assert classify(result).rule == "redirect:blocked"


def test_fetch_errors_are_unknown():
    verdict = classify(Fetched(url="https://www.ebay.com/itm/1", final_url="", error="timeout"))
    assert (verdict.status, verdict.rule) == ("unknown", "fetch:timeout")
