from django.contrib import admin

from .models import ListingCheck, TakedownFlag


@admin.register(ListingCheck)
class ListingCheckAdmin(admin.ModelAdmin):
    """Read-only: checks are written by the worker (rechecks.services)."""

    list_display = ["report", "stage_hours", "status", "due_at", "checked_at", "rule"]
    list_filter = ["status", "stage_hours"]
    search_fields = ["report__reference"]
    raw_id_fields = ["report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TakedownFlag)
class TakedownFlagAdmin(admin.ModelAdmin):
    list_display = ["kind", "report", "company", "related_report", "created_at"]
    list_filter = ["kind", "company"]
    search_fields = ["report__reference"]
    raw_id_fields = ["report", "related_report", "listing_check"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
