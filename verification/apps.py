from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "verification"
    verbose_name = "Verification aids"

    def ready(self) -> None:
        # Imported here, not at module level: models are not loaded before ready().
        from . import wiring

        wiring.register()
