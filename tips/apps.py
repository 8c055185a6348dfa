from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    name = "tips"
    verbose_name = _("Tip line")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        pass
