from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = "Accuracy and dashboards"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
