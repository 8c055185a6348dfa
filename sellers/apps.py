from django.apps import AppConfig


class SellersConfig(AppConfig):
    name = "sellers"
    verbose_name = "Repeat sellers"

    def ready(self) -> None:
        # Imported here, not at module level: models are not loaded before ready().
        from . import privacy, receivers

        receivers.connect()
        privacy.register()
