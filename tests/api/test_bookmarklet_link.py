"""The "Flag this listing" link on the volunteer's page."""

import html
import re
from urllib.parse import unquote

import pytest

from api.bookmarklet import bookmarklet_source

pytestmark = pytest.mark.django_db


def test_my_reports_page_offers_the_bookmarklet(client_for, volunteer, settings):
    settings.SITE_URL = "https://spotter.example.org"
    page = client_for(volunteer).get("/reports/mine/").content.decode()
    match = re.search(r'data-testid="bookmarklet" href="([^"]+)"', page)
    assert match, "bookmarklet link missing"
    href = html.unescape(match.group(1))
    assert href.startswith("javascript:")
    assert unquote(href[len("javascript:") :]) == bookmarklet_source()
    assert '"https://spotter.example.org/reports/new/"' in bookmarklet_source()
    # Only what the browser needs: no spaces, quotes or ampersands left raw in the attribute.
    assert not re.search(r'[\s"<>&]', href)
