from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Models are loaded only now; reports/health.py reads the Heartbeat model.
        from . import health

        health.register()  # worker and beat checks of /healthz (spotter/health.py)
