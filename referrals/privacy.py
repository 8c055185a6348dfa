"""Referrals in a person's data export (registered with spotter.privacy).

A referral points at the admin who recorded its outcome (``outcome_by``); spotter lists those
rows under "other_records". Closing an account erases nothing here: once the account is
anonymised the row names no one, and the referral's history stays auditable.
"""

from spotter.privacy import PersonalData, register_personal_data


def register() -> None:
    """Called once from ReferralsConfig.ready()."""
    register_personal_data(PersonalData(app_label="referrals"))
