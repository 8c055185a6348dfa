from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "rounds"
    verbose_name = _("Spotting rounds")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import privacy, receivers

        receivers.connect()
        privacy.register()
