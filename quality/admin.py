from django.contrib import admin

from spotter.readonly_admin import ReadOnlyAdmin

from .models import SamplingDecision, SecondReview


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


@admin.register(SamplingDecision)
class SamplingDecisionAdmin(ReadOnlyAdmin):
    """Read-only: why each decision was or was not sampled (quality.sampling)."""

    list_display = ["report", "p", "draw", "sampled", "cites_appendix", "live", "expert_band"]
    list_filter = ["sampled", "cites_appendix", "live", "expert_band"]
    search_fields = ["report__reference"]
    list_select_related = ["report"]
    readonly_fields = [f.name for f in SamplingDecision._meta.fields]
