from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import converters


class SpotterConfig(AppConfig):
    name = "spotter"
    verbose_name = _("Accounts and audit")

    def ready(self):
        converters.register()  # <ref:…>, <id:…>, <token:…> in every urls.py
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from .audit import record_admin_change

        # Whatever an admin adds, changes or deletes in /admin/ also goes into the hash chain
        # (Django's own LogEntry table can be edited; the chain cannot, unnoticed).
        post_save.connect(record_admin_change, sender=LogEntry, dispatch_uid="audit-admin-log")
