"""Keywords in a person's data export (registered with spotter.privacy).

Terms point at who proposed and approved them, so spotter lists them under "other_records".
Closing an account erases nothing here: a term names no one once the account is anonymised,
and the library's provenance stays auditable.
"""

from spotter.privacy import PersonalData, register_personal_data


def register() -> None:
    """Called once from KeywordsConfig.ready()."""
    register_personal_data(PersonalData(app_label="keywords"))
