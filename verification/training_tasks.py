"""The Celery task that trains the model: imports ``training`` (scikit-learn, ~100 MB), so no
web module imports it; Celery workers and beat find it by autodiscovery (``spotter/celery.py``,
``related_name="training_tasks"``). Its name stays ``verification.tasks.retrain_model``: the
beat entry (spotter/schedule.py) and the background queue's route (``verification.tasks.*``,
spotter/settings.py) name it so. It changes no report."""

from celery import shared_task

from . import risk, training


@shared_task(name="verification.tasks.retrain_model", ignore_result=True)
def retrain_model() -> int:
    """Beat, daily: a new version on every decided report (or a recorded refusal), then the
    waiting reports' scores with it."""
    version = training.train()
    risk.refresh_waiting()
    return version.version
