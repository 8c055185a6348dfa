"""sellers in a person's data export (registered with spotter.privacy).

The identifiers stored here are the *sellers'* (phone numbers, emails, messaging IDs, handles
taken from listings), not the volunteers': no row points at a user, so a volunteer's export has
nothing from this app beyond what their own reports' listings already show, and closing an
account erases nothing here. An identifier lives as long as a report mentions it: when a
resubmission drops it, or a report is deleted, the identifier is deleted with its last link
(``indexing._drop_orphans``, ``manage.py index_sellers --prune``). Registered so that a model
added later that points at a user is exported without further code.
"""

from spotter.privacy import PersonalData, register_personal_data


def register() -> None:
    """Called once from SellersConfig.ready()."""
    register_personal_data(PersonalData(app_label="sellers"))
