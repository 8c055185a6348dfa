"""``{% listing_field report "title" %}``: a listing field with the marks of reports.highlights."""

from django import template

from ..highlights import highlighted_field

register = template.Library()


@register.simple_tag
def listing_field(report, field: str):
    return highlighted_field(report, field)
