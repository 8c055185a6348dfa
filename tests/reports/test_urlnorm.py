import pytest

from reports.urlnorm import normalize_listing_url
from spotter.errors import InvalidInput


@pytest.mark.parametrize(
    ("raw", "expected", "domain"),
    [
        (
            "HTTPS://WWW.eBay.co.uk:443/itm/123?utm_source=x&b=2&a=1#frag",
            "https://www.ebay.co.uk/itm/123?a=1&b=2",
            "ebay.co.uk",
        ),
        ("http://Example.com:80", "http://example.com/", "example.com"),
        ("https://example.com:8443/x", "https://example.com:8443/x", "example.com"),
        (
            "https://m.taobao.com/item.htm?id=5&spm=a.b&gclid=1",
            "https://m.taobao.com/item.htm?id=5",
            "taobao.com",
        ),
        (
            "https://shop.example.com.au/p?q=1&UTM_Campaign=z",
            "https://shop.example.com.au/p?q=1",
            "example.com.au",
        ),
        ("https://bücher.de/x", "https://xn--bcher-kva.de/x", "xn--bcher-kva.de"),
        ("  https://etsy.com/listing/1  ", "https://etsy.com/listing/1", "etsy.com"),
    ],
)
def test_normalisation(raw, expected, domain):
    result = normalize_listing_url(raw)
    assert result.url == expected
    assert result.registrable_domain == domain


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ftp://example.com/x",
        "javascript:alert(1)",
        "https://user:pw@example.com/",
        "https://localhost/x",
        "https://192.168.0.1/x",
        "https://exa mple.com/",
        "https://example.com/" + "a" * 2100,
        "example.com/no-scheme",
        "https:///nohost",
        "https://example.com:99999/",
    ],
)
def test_refused(raw):
    with pytest.raises(InvalidInput):
        normalize_listing_url(raw)


@pytest.mark.django_db
def test_routing_to_member_companies(reference_data):
    from reports.services import company_for_domain

    assert (
        company_for_domain(
            normalize_listing_url("https://www.ebay.de/itm/1").registrable_domain
        ).slug
        == "ebay"
    )
    assert company_for_domain("taobao.com").slug == "alibaba"
    assert company_for_domain("facebook.com").slug == "facebook"
    assert company_for_domain("no-such-market.example") is None
