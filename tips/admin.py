"""Tips in the admin: read-only (triage goes through tips.services from the triage pages)."""

from django.contrib import admin

from spotter.readonly_admin import ReadOnlyAdmin

from .models import Tip


@admin.register(Tip)
class TipAdmin(ReadOnlyAdmin):
    list_display = ("reference", "status", "domain", "created_at", "decided_by", "report")
    list_filter = ("status", "dismiss_reason")
    search_fields = ("reference", "normalized_url")
    exclude = ("ip_hash", "network_hash")
    ordering = ("-created_at",)

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_programme_admin)
