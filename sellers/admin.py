from django.contrib import admin

from .models import ReportIdentifier, SellerIdentifier


class ReportIdentifierInline(admin.TabularInline):
    model = ReportIdentifier
    fields = ("report", "source")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(SellerIdentifier)
class SellerIdentifierAdmin(admin.ModelAdmin):
    """Read-only: identifiers are derived from reports by ``sellers.indexing``."""

    list_display = ("value", "kind", "company", "domain", "created_at")
    list_filter = ("kind",)
    search_fields = ("value",)
    readonly_fields = ("kind", "value", "scope", "company", "domain", "created_at")
    inlines = [ReportIdentifierInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
