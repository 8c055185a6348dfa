from django import template

from ..bookmarklet import bookmarklet_href
from ..models import ApiToken

register = template.Library()


@register.simple_tag
def user_api_tokens(user):
    """The user's tokens, newest first (revoked ones too, for the record)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)[:20]


@register.simple_tag
def flag_bookmarklet_href():
    return bookmarklet_href()
