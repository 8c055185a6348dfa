from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("REST API")

    def ready(self):
        # schema registers the OpenAPI description of the token authentication class.
        from . import privacy, schema  # noqa: F401

        privacy.register()
