from django.contrib import admin

from .models import Answer, PreScreen, Question


@admin.register(PreScreen)
class PreScreenAdmin(admin.ModelAdmin):
    list_display = ["report", "lead", "verdict", "outcome", "created_at"]
    list_filter = ["verdict", "outcome"]
    raw_id_fields = ["report", "lead"]
    readonly_fields = ["outcome", "expert_action", "outcome_at"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["report", "asked_by", "created_at", "answered_at"]
    raw_id_fields = ["report", "asked_by"]
    inlines = [AnswerInline]
