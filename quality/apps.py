from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = "Accuracy and dashboards"

    def ready(self) -> None:
        from . import (
            signals,  # noqa: F401  (connects the receivers)
            wiring,
        )

        wiring.register()
