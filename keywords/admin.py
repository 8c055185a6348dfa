from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from spotter.errors import SpotterError

from . import services
from .models import LibraryRelease, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("text", "language", "kind", "status", "generated", "product_type", "updated_at")
    list_filter = ("status", "kind", "language", "generated", "species_groups", "product_type")
    search_fields = ("text", "normalized", "source")
    readonly_fields = (
        "normalized",
        "status",
        "generated",
        "proposed_by",
        "approved_by",
        "approved_at",
        "from_report",
        "merged_into",
    )
    actions = ["approve", "retire"]

    def _each(self, request, queryset, service, done):
        count = 0
        for term in queryset:
            try:
                service(actor=request.user, term=term)
                count += 1
            except SpotterError as exc:
                self.message_user(request, f"{term}: {exc}", messages.WARNING)
        self.message_user(request, done % {"count": count})

    @admin.action(description=_("Approve the selected proposed terms"))
    def approve(self, request, queryset):
        self._each(request, queryset, services.approve_term, _("%(count)s term(s) approved."))

    @admin.action(description=_("Retire (or reject) the selected terms"))
    def retire(self, request, queryset):
        self._each(request, queryset, services.retire_term, _("%(count)s term(s) retired."))

    def save_model(self, request, obj, form, change):
        # Edits go through the services so they are normalised and audited.
        if change:
            fields = [f for f in form.changed_data if f in services.EDITABLE]
            services.edit_term(
                actor=request.user, term=obj, **{f: form.cleaned_data[f] for f in fields}
            )
        else:
            term = services.propose_term(
                actor=request.user,
                text=obj.text,
                language=obj.language,
                kind=obj.kind,
                product_type=obj.product_type,
                source=obj.source,
            )
            obj.pk = term.pk

    def save_related(self, request, form, formsets, change):
        form.instance = Term.objects.get(pk=form.instance.pk)
        super().save_related(request, form, formsets, change)


@admin.register(LibraryRelease)
class LibraryReleaseAdmin(admin.ModelAdmin):
    list_display = ("number", "created_at", "notes")
    readonly_fields = ("number", "created_at")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["notes"])
        else:
            release = services.publish_release(actor=request.user, notes=obj.notes)
            obj.pk, obj.number, obj.created_at = release.pk, release.number, release.created_at
