"""The public tip line: an unauthenticated report form with abuse defences, and the triage queue
that turns tips into reports or dismisses them.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    name = "tips"
    verbose_name = _("Tip line")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at module level: models are not loaded before ready().
        from . import demo, privacy

        privacy.register()
        demo.connect()
