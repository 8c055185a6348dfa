"""Closing an account revokes its API tokens (an inactive user is refused anyway; this makes
the revocation explicit and visible on the token list)."""

from django.dispatch import receiver
from django.utils import timezone

from spotter.privacy import account_anonymised

from .models import ApiToken


@receiver(account_anonymised)
def revoke_tokens_of_closed_account(sender, user, **kwargs):
    ApiToken.objects.active().filter(user=user).update(revoked_at=timezone.now())
