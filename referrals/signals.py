"""The referrals app's one event: sent inside the transaction by every service.

kwargs: ``action`` ("created", "outcome", "partner_saved", "domain_added") and the object
(``referral``, ``partner`` or ``domain``). Higher apps (notifications, api) may subscribe."""

from django.dispatch import Signal

referral_changed = Signal()
