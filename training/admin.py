from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from spotter.readonly_admin import ReadOnlyAdmin

from . import services
from .models import Certificate, Choice, Lesson, Module, Question, QuizAttempt
from .selectors import visible_questions


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0
    fields = [
        "order",
        "title",
        "body_markdown",
        ("image", "image_alt"),
        "visual_clues",
        "search_terms",
        "law",
    ]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["kind", "prompt", "listing_title", "is_active"]
    show_change_link = True  # choices are edited on the question's own page

    def get_queryset(self, request):
        return visible_questions(request.user, super().get_queryset(request))


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "slug",
        "species_group",
        "is_core",
        "order",
        "pass_percent",
        "is_published",
    ]
    list_editable = ["order", "is_published"]
    list_filter = ["is_core", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [LessonInline, QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 2
    fields = ["order", "text", "is_correct"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "module", "kind", "is_active", "source_report"]
    list_filter = ["module", "kind", "is_active"]
    search_fields = ["prompt", "listing_title", "listing_text"]
    readonly_fields = ["source_report", "created_by", "created_at"]
    inlines = [ChoiceInline]

    def get_queryset(self, request):
        return visible_questions(request.user, super().get_queryset(request))


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "module",
        "role",
        "started_at",
        "submitted_at",
        "score_percent",
        "passed",
    ]
    list_filter = ["module", "passed", "role"]
    list_select_related = ["user", "module"]
    search_fields = ["user__email"]
    exclude = ["layout"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["user", "issued_at", "expires_at", "revoked"]
    list_filter = ["revoked"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    actions = ["revoke"]

    def get_actions(self, request):
        # The change permission is off, so allow the action explicitly for programme admins.
        actions = super().get_actions(request)
        if not request.user.is_programme_admin:
            actions.pop("revoke", None)
        return actions

    @admin.action(description=_("Revoke the selected certificates"))
    def revoke(self, request, queryset):
        for certificate in queryset:
            services.revoke_certificate(certificate=certificate, actor=request.user)
        self.message_user(request, _("Certificates revoked."), messages.SUCCESS)
