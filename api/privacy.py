"""API tokens in a person's data export, and their revocation when the account closes
(registered with spotter.privacy).

Token rows are listed under "other_records" without their hashes (spotter leaves out secret
fields). Closing an account revokes its tokens: an inactive user is refused anyway; this makes
the revocation explicit and visible on the token list.
"""

from django.utils import timezone

from spotter.models import User
from spotter.privacy import PersonalData, register_personal_data

from .models import ApiToken


def register() -> None:
    """Called once from ApiConfig.ready()."""
    register_personal_data(PersonalData(app_label="api", erase=revoke_tokens))


def revoke_tokens(user: User) -> None:
    ApiToken.objects.active().filter(user=user).update(revoked_at=timezone.now())
