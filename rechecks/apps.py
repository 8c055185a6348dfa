from django.apps import AppConfig


class RechecksConfig(AppConfig):
    name = "rechecks"
    verbose_name = "Independent takedown checks"

    def ready(self) -> None:
        # Imported here, not at module level: models are not loaded before ready().
        from . import receivers

        receivers.connect()
