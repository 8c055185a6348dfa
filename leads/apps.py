"""Lead spotters' duties: pre-screening newer volunteers' reports, answering their questions, the
keyword fast lane, and pre-screen accuracy.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = _("Lead spotters")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at module level: models are not loaded before ready().
        from . import wiring

        wiring.connect()
