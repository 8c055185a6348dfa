"""``{% load tip_line %}{% if user|may_triage_tips %}``: the nav link follows tips.permissions."""

from django import template

from tips.permissions import may_triage

register = template.Library()


@register.filter
def may_triage_tips(user) -> bool:
    return may_triage(user)
