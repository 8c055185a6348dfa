from django.apps import AppConfig


class KeywordsConfig(AppConfig):
    name = "keywords"
    verbose_name = "Keyword library"

    def ready(self) -> None:
        # Imported here, not at module level: models are not loaded before ready().
        from . import privacy, receivers

        receivers.connect()
        privacy.register()
