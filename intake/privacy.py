"""Bulk imports in a person's data export (registered with spotter.privacy).

An import batch points at its uploader; spotter lists the batches under "other_records".
Closing an account erases nothing here: the batch is the evidence trail of the reports it made
(each report's audit event names it), and once the account is anonymised it names no one.
"""

from spotter.privacy import PersonalData, register_personal_data


def register() -> None:
    """Called once from IntakeConfig.ready()."""
    register_personal_data(PersonalData(app_label="intake"))
