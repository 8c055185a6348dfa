"""The tip line in the privacy registry (spotter.privacy).

Tipsters have no account, so the registry's export and closure (which are per account) do not
reach them: their email is erased by retention (``tips.services.purge_old_tips``) and their
address is never stored (keyed hashes only, erased with the email). What the registry covers is
the triager: a person's export lists the tips they handled (reference, outcome, when). The tip
rows themselves are not exported to the triager, because they hold the tipster's email.
"""

from spotter.models import User
from spotter.privacy import PersonalData, register_personal_data

from .models import Tip


def _sections(user: User) -> dict:
    handled = Tip.objects.filter(decided_by=user).order_by("decided_at")
    return {
        "tips_triaged": [
            {
                "reference": tip.reference,
                "outcome": tip.status,
                "dismiss_reason": tip.dismiss_reason,
                "decided_at": tip.decided_at.isoformat() if tip.decided_at else None,
            }
            for tip in handled.only("reference", "status", "dismiss_reason", "decided_at")
        ]
    }


def register() -> None:
    """Called once from TipsConfig.ready()."""
    register_personal_data(
        PersonalData(app_label="tips", sections=_sections, exported_in_sections=("tip",))
    )
