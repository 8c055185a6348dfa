"""The active model in this process, for the web path: without scikit-learn.

Importing scikit-learn, scipy and an unpickled pipeline costs a process about 80 MB (measured
with the WSGI application: 116 MB at start-up, about 195 MB once a prediction had loaded
them; the issue's budget is 200 MB per gunicorn worker, docs/benchmarks.md "Peak RSS"). So
``active_model`` first asks the database which version is active (one small query) and, when
this process has not read that version yet, reads its **portable form** (``portable``: the
fitted numbers in plain Python, written by ``training.train`` beside the pickled pipeline) —
the standard library only. The review page's model panel, the suggest-while-typing box and
the risk score's refresh (a Celery task, in-process in the embedded default) all predict with
it. The pipeline itself is unpickled only by ``training`` (training, evaluation,
``training.active_pipeline``).

A version trained before the portable form existed has none: for it, and only for it,
``active_model`` falls back to importing ``training`` and unpickling the pipeline as before
(scikit-learn in this process again, until the next daily training replaces that version).
That import inside ``active_model`` is deliberate and the only one of its kind: it defers
memory, it does not dodge a circle (``training`` never imports this module).
``tests/test_web_imports.py`` checks that the WSGI application, pages without a prediction and,
with a trained model active, the model panel and the suggest box leave scikit-learn and scipy
unimported.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from . import portable
from .models import ModelVersion, RunStatus

if TYPE_CHECKING:  # for the annotation only: importing it here would load scikit-learn
    from .training import Loaded

_lock = threading.Lock()
_cache: dict = {"loaded": None, "key": None}


def _read(version: int) -> portable.PortableModel | Loaded | None:
    rows = ModelVersion.objects.filter(version=version)
    data = rows.values_list("portable", flat=True).first()
    if data:
        return portable.loads(version, data)
    data = rows.values_list("pipeline", flat=True).first()
    if not data:
        return None
    # A version stored before the portable form (module docstring): the old, heavy path.
    from . import training

    return training.load(version, bytes(data))


def active_model() -> portable.PortableModel | Loaded | None:
    """The active model, or None while it is off. One small query per call (which version is
    active); the version is read only when it changes (the version and its training time: a
    database rebuilt or rolled back may reuse a number). The bytes are ones
    ``training.train`` wrote: this never loads anything a user supplied."""
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
            loaded = _read(active[0])
            if loaded is None:
                return None
            _cache["loaded"], _cache["key"] = loaded, active
        return loaded
