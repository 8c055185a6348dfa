from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = "Accuracy and dashboards"

    def ready(self) -> None:
        # Imported here, not at module level: models are not loaded before ready().
        from . import receivers, wiring

        receivers.connect()
        wiring.register()
