from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from reports import gates


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training and certification")

    def ready(self) -> None:
        # Imported here, not at module level: models are not loaded before ready().
        from django.db.models.signals import post_delete, post_save

        from . import privacy, signals  # noqa: F401  (signals connects the receivers)
        from .models import Certificate
        from .selectors import certification_problem, on_certificate_saved

        privacy.register()
        for signal in (post_save, post_delete):
            signal.connect(on_certificate_saved, sender=Certificate, dispatch_uid="training.cert")
        # Only certified spotters flag listings (reports asks its gates before any submission).
        if certification_problem not in gates.submission_checks:
            gates.submission_checks.append(certification_problem)
