"""Django admin: partners (saved through the service, so every change is audited), referrals
and their deliveries (read-only; a dead one is retried with the service)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from reports.models import DeliveryStatus

from . import services
from .models import Referral, ReferralDelivery, ReferralPartner


@admin.register(ReferralPartner)
class ReferralPartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "worldwide", "is_active", "notice_language")
    list_filter = ("kind", "worldwide", "is_active")
    search_fields = ("name", "email")

    def save_model(self, request, obj, form, change):
        services.save_partner(partner=obj, actor=request.user)


class ReferralDeliveryInline(admin.TabularInline):
    model = ReferralDelivery
    extra = 0
    can_delete = False
    fields = ("channel", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    readonly_fields = fields


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("report", "partner", "reason", "country", "created_at", "outcome")
    list_filter = ("partner", "reason", "outcome")
    list_select_related = ("report", "partner")
    search_fields = ("report__reference",)
    readonly_fields = (
        "report",
        "partner",
        "reason",
        "country",
        "created_at",
        "outcome",
        "outcome_note",
        "outcome_on",
        "outcome_recorded_at",
        "outcome_by",
    )
    inlines = [ReferralDeliveryInline]

    def has_add_permission(self, request):
        return False


@admin.register(ReferralDelivery)
class ReferralDeliveryAdmin(admin.ModelAdmin):
    list_display = ("referral", "channel", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "channel")
    list_select_related = ("referral__report", "referral__partner")
    readonly_fields = [f.name for f in ReferralDelivery._meta.fields]
    actions = ["retry_dead"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry dead deliveries"))
    def retry_dead(self, request, queryset):
        retried = 0
        for delivery in queryset.filter(status=DeliveryStatus.DEAD):
            services.retry_dead_referral_delivery(delivery=delivery, actor=request.user)
            retried += 1
        messages.success(request, _("%(n)d deliveries queued again.") % {"n": retried})
