"""The active model in this process: the one place the web path reaches scikit-learn.

Importing scikit-learn and numpy costs a process about 100 MB (measured with the WSGI
application: 206 MB peak with them imported at start-up, about 110 MB without; the issue's
budget is 200 MB per gunicorn worker, docs/benchmarks.md "Peak RSS"). Most pages never make a
prediction, and while no version is active (a new programme, or too few decisions) no page
does. So ``active_model`` first asks the database which version is active (one small query,
no scikit-learn) and only when one is, and this process has not loaded it yet, imports
``training`` — the module that trains and unpickles the pipeline and pulls scikit-learn in —
and loads it. That import inside ``active_model`` is deliberate and the only one of its kind:
it defers memory, it does not dodge a circle (``training`` never imports this module).
``tests/test_web_imports.py`` checks that the WSGI application and pages without a
prediction leave scikit-learn and numpy unimported.

Who predicts on a request: the review page's model panel (one report, on demand) and the
suggest-while-typing box (keywords' registry); the risk score's refresh runs in a Celery task.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from .models import ModelVersion, RunStatus

if TYPE_CHECKING:  # for the annotation only: importing it here would load scikit-learn
    from .training import Loaded

_lock = threading.Lock()
_cache: dict = {"loaded": None, "key": None}


def active_model() -> Loaded | None:
    """The active model, or None while it is off. One small query per call (which version is
    active); the pipeline is read and unpickled only when that version changes (the version
    and its training time: a database rebuilt or rolled back may reuse a number). The bytes
    are ones ``training.train`` wrote: this never loads anything a user supplied."""
    active = (
        ModelVersion.objects.filter(status=RunStatus.ACTIVE)
        .values_list("version", "trained_at")
        .first()
    )
    if active is None:
        return None
    with _lock:
        loaded, key = _cache["loaded"], _cache["key"]
        if loaded is None or key != active:
            blob = ModelVersion.objects.filter(version=active[0]).values_list("pipeline", flat=True)
            data = blob.first()
            if not data:
                return None
            # Deferred for memory (module docstring): the first prediction of this process.
            from . import training

            loaded = training.load(active[0], bytes(data))
            _cache["loaded"], _cache["key"] = loaded, active
        return loaded
