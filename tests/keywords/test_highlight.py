"""Matched terms in <mark> inside the listing itself: review page, company notice page and the
notice email; positions mapped from the normalised text, everything else escaped."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from keywords.highlight import mark_spans, normalized_offsets, term_spans
from keywords.loader import load_keywords
from keywords.normalize import normalize
from reports.forwarding.mail import send_email_notice
from reports.models import Channel, Delivery
from spotter.models import Role
from tests import factories


def marked(text: str, keys: list[str]) -> str:
    return str(mark_spans(text, term_spans(text, keys), linebreaks=True))


@pytest.mark.parametrize(
    ("text", "keys", "expected"),
    [
        ("Real I.V.O.R.Y bangle", ["ivory"], "Real <mark>I.V.O.R.Y</mark> bangle"),
        ("ＩＶＯＲＹ carving", ["ivory"], "<mark>ＩＶＯＲＹ</mark> carving"),
        ("出售穿山甲鱗片!", ["穿山甲鳞片"], "出售<mark>穿山甲鱗片</mark>!"),
        ("老料 象.牙 手镯", ["象牙"], "老料 <mark>象.牙</mark> 手镯"),
        ("GROSSE Straße", ["strasse"], "GROSSE <mark>Straße</mark>"),
        (
            "Ivory\nbangle, ivory",
            ["ivory bangle", "ivory"],
            "<mark>Ivory<br>bangle</mark>, <mark>ivory</mark>",
        ),
        ("e\u0301cailles de pangolin", ["écailles"], "<mark>e\u0301cailles</mark> de pangolin"),
        (
            "象牙手镯 and ivory bangle 穿山甲",
            ["象牙手镯", "象牙", "ivory bangle"],
            "<mark>象牙手镯</mark> and <mark>ivory bangle</mark> 穿山甲",
        ),
    ],
)
def test_marks_land_on_the_original_spelling(text, keys, expected):
    assert marked(text, keys) == expected


def test_hostile_listing_text_is_escaped_inside_and_outside_marks():
    text = '<img src=x onerror=alert(1)>ivory<script>alert("x")</script>'
    html = marked(text, ["ivory", "<script>"])
    assert "<img" not in html and "<script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;<mark>ivory&lt;script&gt;</mark>alert" in html


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab I.V-象牙穿山甲鱗ＩＶé\u0301ß \n*")), max_size=40))
def test_offsets_cover_the_normal_form(text):
    offsets = normalized_offsets(text)
    if offsets is None:  # the highlighter falls back to the matched text
        return
    assert len(offsets) == len(normalize(text))
    for start, end in offsets:
        assert 0 <= start < end <= len(text)
    starts = [start for start, _ in offsets]
    assert starts == sorted(starts)


@pytest.fixture
def library(reference_data):
    load_keywords()


HOSTILE_TITLE = 'Antique 象牙手镯 <script>alert("t")</script>'
HOSTILE_TEXT = "Genuine P.A.N.G.O.L.I.N scales\n<img src=x onerror=alert(1)> 穿山甲鱗片"


@pytest.fixture
def forwarded(library, company, volunteer):
    return factories.make_confirmed_report(
        volunteer=volunteer, listing_title=HOSTILE_TITLE, listing_text=HOSTILE_TEXT
    )


def assert_marked(html: str) -> None:
    assert "Antique <mark>象牙手镯</mark> &lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in html
    assert "Genuine <mark>P.A.N.G.O.L.I.N scales</mark><br>&lt;img src=x" in html
    assert "<mark>穿山甲鱗片</mark>" in html
    assert "<script>alert" not in html and "<img src=x" not in html


@pytest.mark.django_db
def test_review_page_marks_the_listing(forwarded, client_for):
    expert = factories.make_user(Role.EXPERT)
    page = client_for(expert).get(reverse("reports:review", args=[forwarded.reference]))
    assert page.status_code == 200
    assert_marked(page.content.decode())


@pytest.mark.django_db
def test_company_notice_page_marks_the_listing(forwarded, client_for, staff):
    page = client_for(staff).get(reverse("reports:company_detail", args=[forwarded.reference]))
    assert page.status_code == 200
    assert_marked(page.content.decode())


@pytest.mark.django_db
def test_notice_email_marks_the_listing(forwarded):
    delivery = Delivery.objects.get(report=forwarded, channel=Channel.EMAIL)
    mail.outbox.clear()
    send_email_notice(delivery)
    html = next(body for body, kind in mail.outbox[-1].alternatives if kind == "text/html")
    assert_marked(html)
    assert "<mark>" not in mail.outbox[-1].body  # the plain-text part stays plain


@pytest.mark.django_db
def test_volunteer_page_and_reports_without_matches_stay_plain(forwarded, client_for, volunteer):
    page = client_for(volunteer).get(reverse("reports:detail", args=[forwarded.reference]))
    assert "<mark>" not in page.content.decode()
    assert "&lt;script&gt;" in page.content.decode()
    plain = factories.make_confirmed_report(
        volunteer=volunteer, listing_title="vintage <b>teapot</b>"
    )
    staff = factories.make_user(Role.COMPANY_STAFF, company=plain.company)
    html = client_for(staff).get(reverse("reports:company_detail", args=[plain.reference]))
    assert "vintage &lt;b&gt;teapot&lt;/b&gt;" in html.content.decode()


@pytest.mark.django_db
def test_stored_match_positions_map_to_the_original_spelling(forwarded):
    from keywords.models import ReportMatch

    match = ReportMatch.objects.get(report=forwarded, field="text", term__text="pangolin scales")
    offsets = normalized_offsets(forwarded.listing_text)
    start, end = offsets[match.start][0], offsets[match.end - 1][1]
    assert forwarded.listing_text[start:end] == "P.A.N.G.O.L.I.N scales"
    title = ReportMatch.objects.get(report=forwarded, field="title", term__text="象牙手镯")
    offsets = normalized_offsets(forwarded.listing_title)
    assert (
        forwarded.listing_title[offsets[title.start][0] : offsets[title.end - 1][1]] == "象牙手镯"
    )
