"""The tip line's one signal, sent inside the transaction of every tip transition (after its
audit event). kwargs: tip, action (one of the names below), actor (None: the public)."""

from django.dispatch import Signal

SUBMITTED = "tip.submitted"
CONVERTED = "tip.converted"
DISMISSED = "tip.dismissed"
PURGED = "tip.personal_data_purged"

tip_changed = Signal()
