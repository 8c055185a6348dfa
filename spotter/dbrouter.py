"""The PostgreSQL read replica (``DATABASE_REPLICA_URL``; off by default).

Nothing goes to the replica by itself: the router sends every read and write to ``default``.
Code that can live with a replica's lag (dashboards, exports) asks for it explicitly with
``Model.objects.using(replica())``; without a replica that is ``default``. Writes never go
there: the router's db_for_write is always ``default``, migrations run on ``default`` only, and
the replica connection is opened read-only (settings), so a stray ``.using(replica()).save()``
fails instead of diverging.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT = "default"
REPLICA = "replica"


def replica() -> str:
    """The alias for lag-tolerant reads: the replica when one is configured."""
    return REPLICA if REPLICA in settings.DATABASES else DEFAULT


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return DEFAULT

    def db_for_write(self, model, **hints):
        return DEFAULT

    def allow_relation(self, obj1, obj2, **hints):
        # Same data on both aliases: a row read from the replica may point at one from default.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT
