"""Training in a person's data export (registered with spotter.privacy).

Quiz attempts, lesson views, certificates and questions they wrote point at the user, so
spotter lists them under "other_records". Closing an account erases nothing here: what is left
names no one once the account is anonymised, and certification history stays auditable.
"""

from spotter.privacy import PersonalData, register_personal_data


def register() -> None:
    """Called once from TrainingConfig.ready()."""
    register_personal_data(PersonalData(app_label="training"))
