from django.contrib import admin

from .models import SecondReview


@admin.register(SecondReview)
class SecondReviewAdmin(admin.ModelAdmin):
    """Read-only: cases change only through quality.services (audited)."""

    list_display = ["case_label", "status", "first_verdict", "second_verdict", "senior_verdict"]
    list_filter = ["status", "first_verdict", "second_verdict"]
    search_fields = ["report__reference"]
    readonly_fields = [f.name for f in SecondReview._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
