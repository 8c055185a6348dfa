from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Imported here, not at module level: models are not loaded before ready().
        from . import fragments, health, privacy

        privacy.register()
        fragments.connect()  # list tables cached until a transition changes them
        health.register()  # worker and beat checks of /healthz (spotter/health.py)
