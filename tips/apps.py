"""The public tip line: an unauthenticated report form with abuse defences, and the triage queue
that turns tips into reports or dismisses them.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    name = "tips"
    verbose_name = _("Tip line")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from training.demo import demo_loaded

        from . import demo, privacy

        privacy.register()
        demo_loaded.connect(demo.load_demo_tips, dispatch_uid="tips.demo")
