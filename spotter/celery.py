"""Celery application.

With ``REDIS_URL`` set, tasks go to Redis and run on real workers (``celery -A spotter worker``)
with ``celery -A spotter beat`` for periodic sweeps. Without it (the embedded default) tasks run
in-process, eagerly, so a fresh checkout needs nothing but Python.
"""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotter.settings")

app = Celery("spotter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules that only workers load: verification's retraining imports scikit-learn (~100 MB),
# which the web processes (they import ``tasks`` through the apps' wiring) must not.
app.autodiscover_tasks(related_name="training_tasks")


@setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """Keep Celery from configuring logging: Django's LOGGING (JSON lines with request and task
    ids, spotter/requestlog.py) is applied when the worker sets Django up."""
