from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from spotter.errors import SpotterError

from . import forwarding
from .forwarding import webhooks
from .models import (
    CannedReply,
    CatalogueVersion,
    CitesListing,
    Delivery,
    DeliveryStatus,
    DigestRun,
    Evidence,
    MemberCompany,
    PlatformDomain,
    ProductType,
    Report,
    ReportStatus,
    Species,
    SpeciesGroup,
)
from .selectors import volunteer_figure
from .services import forward_report, set_notice_language


class PlatformDomainInline(admin.TabularInline):
    model = PlatformDomain
    extra = 1


class MemberCompanyForm(forms.ModelForm):
    webhook_url = forms.URLField(
        label=_("webhook URL"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("https only; the host must resolve to public addresses."),
    )

    class Meta:
        model = MemberCompany
        fields = [
            "slug",
            "name",
            "local_name",
            "country",
            "is_active",
            "enforcement_email",
            "escalation_email",
            "notify_by_email",
            "daily_digest",
            "webhook_url",
            "webhook_enabled",
            "ack_sla_hours",
            "act_sla_hours",
            "notice_language",
        ]

    def clean_webhook_url(self):
        url = self.cleaned_data.get("webhook_url", "")
        if url:
            # https only, and the host must resolve to public addresses (forwarding/webhooks.py).
            webhooks.check_webhook_url(url)
        return url

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("webhook_enabled") and not cleaned.get("webhook_url"):
            self.add_error("webhook_url", _("Enter the webhook URL before enabling webhooks."))
        return cleaned


@admin.register(MemberCompany)
class MemberCompanyAdmin(admin.ModelAdmin):
    form = MemberCompanyForm
    list_display = [
        "name",
        "local_name",
        "country",
        "enforcement_email",
        "is_active",
        "notify_by_email",
        "daily_digest",
        "webhook_enabled",
        "ack_sla_hours",
        "act_sla_hours",
        "escalation_email",
        "notice_language",
        "domain_list",
    ]
    list_filter = ["is_active", "webhook_enabled", "daily_digest", "notice_language", "country"]
    search_fields = ["name", "local_name", "slug", "domains__domain"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PlatformDomainInline]
    actions = ["rotate_secret"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("domains")

    @admin.display(description=_("domains"))
    def domain_list(self, obj):
        return ", ".join(d.domain for d in obj.domains.all()) or "—"

    def save_model(self, request, obj, form, change):
        # A changed notice language goes through its service (audited); the rest saves as usual.
        language = obj.notice_language
        relanguage = change and "notice_language" in form.changed_data
        if relanguage:
            obj.notice_language = form.initial["notice_language"]
        super().save_model(request, obj, form, change)
        if relanguage:
            set_notice_language(company=obj, actor=request.user, language=language)
            obj.notice_language = language
        if obj.webhook_enabled and not obj.webhook_secret:
            # Signing needs a secret: make one now and show it this once.
            self._show_secret(request, obj)

    def _show_secret(self, request, company):
        secret = webhooks.rotate_webhook_secret(company=company, actor=request.user)
        self.message_user(
            request,
            _("New webhook secret for %(name)s (copy it now, it is not shown again): %(s)s")
            % {"name": company.name, "s": secret},
            messages.WARNING,
        )

    @admin.action(description=_("Create a new webhook secret (shown once)"))
    def rotate_secret(self, request, queryset):
        for company in queryset:
            self._show_secret(request, company)


@admin.register(SpeciesGroup)
class SpeciesGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]


class CitesListingInline(admin.TabularInline):
    """The listing history, read-only: it changes through a catalogue import (docs/cites.md)."""

    model = CitesListing
    fields = ["effective_from", "appendix", "cop", "note", "version"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Species)
class SpeciesAdmin(admin.ModelAdmin):
    list_display = [
        "common_name_en",
        "scientific_name",
        "common_name_zh",
        "group",
        "cites_appendix",
        "retired_at",
    ]
    list_filter = ["group", "cites_appendix"]
    search_fields = ["scientific_name", "common_name_en", "common_name_zh", "common_name_fr"]
    inlines = [CitesListingInline]

    def get_readonly_fields(self, request, obj=None):
        # Today's appendix follows the listing history once it exists: change it with a
        # catalogue import (/catalogue/import/), which records the date and the CoP.
        if obj is not None and obj.cites_listings.exists():
            return ["cites_appendix", "retired_at", "retired_in"]
        return ["retired_at", "retired_in"]


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(admin.ModelAdmin):
    list_display = ["label", "source", "as_of", "applied_at", "applied_by"]
    readonly_fields = [
        "label",
        "source",
        "as_of",
        "content_sha256",
        "summary",
        "applied_at",
        "applied_by",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    """Ready-made rejection notes and needs-info messages experts pick on the review page, in
    the expert's interface language (reports.forms.CannedReplyMixin)."""

    list_display = ["title", "kind", "language", "is_active"]
    list_filter = ["kind", "language", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["title", "text"]


@admin.register(ProductType)
class ProductTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    can_delete = False
    fields = [
        "links",
        "original_sha256",
        "original_format",
        "original_size",
        "width",
        "height",
        "uploaded_at",
        "original_purged_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("files"))
    def links(self, obj):
        return format_html(
            '<a href="/reports/{0}/evidence/{1}/">{2}</a> · '
            '<a href="/reports/{0}/evidence/{1}/original/">{3}</a>',
            obj.report.reference,
            obj.pk,
            _("image"),
            _("original"),
        )


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "status",
        "species",
        "company",
        "domain",
        "volunteer",
        "submitted_at",
        "decided_at",
    ]
    list_filter = ["status", "verdict", "outcome", "company", "species__group", "product_type"]
    search_fields = [
        "reference",
        "listing_url",
        "=listing_key",  # "ebay:256123456789": every report of one listing (docs/listings.md)
        "listing_title",
        "seller_handle",
        "volunteer__email",
    ]
    date_hierarchy = "submitted_at"
    list_select_related = ["species", "company", "volunteer"]
    inlines = [EvidenceInline]
    actions = ["forward_confirmed"]
    readonly_fields = [f.name for f in Report._meta.fields] + ["volunteer_accuracy"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("volunteer accuracy"))
    def volunteer_accuracy(self, obj):
        acc = volunteer_figure("accuracy", obj.volunteer)
        return f"{acc.percent} ({acc.confirmed}/{acc.decided})" if acc is not None else "—"

    @admin.action(description=_("Forward confirmed reports to their company"))
    def forward_confirmed(self, request, queryset):
        done = 0
        for report in queryset.filter(status=ReportStatus.CONFIRMED):
            try:
                forward_report(report=report, actor=request.user)
                done += 1
            except SpotterError as exc:
                self.message_user(request, f"{report.reference}: {exc}", messages.WARNING)
        self.message_user(request, _("%(n)d report(s) forwarded.") % {"n": done})


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "report",
        "company",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "channel", "company"]
    search_fields = ["report__reference", "idempotency_key"]
    list_select_related = ["report", "company"]
    actions = ["retry"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return (obj.last_error or "")[:80]

    @admin.action(description=_("Retry dead deliveries now"))
    def retry(self, request, queryset):
        count = 0
        for delivery in queryset.filter(status=DeliveryStatus.DEAD):
            forwarding.retry_dead_delivery(delivery=delivery, actor=request.user)
            count += 1
        self.message_user(request, _("%(n)d delivery(ies) queued again.") % {"n": count})


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ["date", "company", "status", "attempts", "sent_at", "idempotency_key"]
    list_filter = ["status", "company"]
    list_select_related = ["company"]
    readonly_fields = [f.name for f in DigestRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
