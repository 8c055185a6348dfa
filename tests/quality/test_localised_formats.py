"""Dates, numbers and punctuation in the reader's language (issue 14): no "十二月 2025",
French "95 %" and a no-break space before ":", ISO dates kept in the CSV downloads."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from quality.tables import Column, Table
from spotter.stats import AccuracyEstimate, pct
from spotter.typography import colon, number

pytestmark = pytest.mark.django_db

MONTHS = {"start": "2025-12", "end": "2026-11"}


def dashboard_as(client_for, admin_user, language: str) -> str:
    admin_user.language = language
    admin_user.save(update_fields=["language"])
    response = client_for(admin_user).get(reverse("quality:dashboard"), MONTHS)
    assert response.status_code == 200
    return response.content.decode()


def test_dashboard_period_in_chinese_reads_year_then_month(client_for, admin_user):
    html = dashboard_as(client_for, admin_user, "zh-hans")
    assert "2025年12月" in html and "2026年11月" in html
    assert "十二月 2025" not in html and "十一月 2026" not in html


def test_dashboard_period_and_colons_in_french(client_for, admin_user):
    html = dashboard_as(client_for, admin_user, "fr")
    assert "décembre 2025" in html and "novembre 2026" in html
    assert "Précision" in html
    # Every translated label followed by a colon has the French no-break space before it.
    assert "\u00a0:" in html
    assert "Accord:" not in html and "Attente:" not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Reference:"), ("fr", "Référence\u00a0:"), ("zh-hans", "编号：")],
)
def test_colon_tag_per_language(language, expected):
    template = Template('{% load i18n typography %}{% translate "Reference" %}{% colon %}')
    with translation.override(language):
        assert template.render(Context()) == expected


def test_numbers_and_percentages_per_language():
    with translation.override("en"):
        assert number(1234567) == "1,234,567" and pct(0.953) == "95%"
        assert AccuracyEstimate(95, 5).ci_text == "95% CI 89–98%"
    with translation.override("fr"):
        assert number(1234567) == "1\u00a0234\u00a0567"
        assert pct(0.953) == "95\u00a0%"
        assert number(2.25, 1) in {"2,2", "2,3"}
    with translation.override("zh-hans"):
        assert colon() == "：" and pct(0.5) == "50%"


def test_period_columns_are_localised_on_the_page_and_iso_in_the_csv():
    table = Table("t", "T", [Column("month_start", "month"), Column("total")])
    table.rows = [(date(2025, 12, 1), 1234)]
    with translation.override("zh-hans"):
        [row] = table.display_rows()
        assert (row.label, row.figures) == ("2025年12月", [number(1234)])
    with translation.override("fr"):
        assert table.display_rows()[0].label == "décembre 2025"
        csv = table.csv_response("t.csv").content.decode()
    assert "2025-12-01,1234" in csv
