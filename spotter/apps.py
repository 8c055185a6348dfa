from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpotterConfig(AppConfig):
    name = "spotter"
    verbose_name = _("Accounts and audit")
