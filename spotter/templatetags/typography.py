"""``{% colon %}`` and ``{% punct "?" %}``: punctuation after a translated label in the active
language (spotter/typography.py)."""

from django import template

from spotter import typography

register = template.Library()


@register.simple_tag
def colon() -> str:
    return typography.colon()


@register.simple_tag
def punct(mark: str) -> str:
    return typography.punctuation(mark)


@register.filter
def percent(value) -> str:
    """``{{ 80|percent }}``: "80%", French "80 %"; empty values stay empty."""
    if value in (None, ""):
        return ""
    return typography.percent(value)
