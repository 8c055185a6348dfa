"""Rounds in the Django admin: read-only (every change goes through rounds.services, from the
round pages), for looking things up."""

from django.contrib import admin

from spotter.readonly_admin import ReadOnlyAdmin

from .models import Participant, Round, Team


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ("title", "starts_on", "ends_on", "enrolment", "weekly_target_listings")
    list_filter = ("enrolment",)
    search_fields = ("title", "slug")


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ("name", "round")


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ("volunteer", "round", "status", "team", "reminded_week")
    list_filter = ("status",)
    list_select_related = ("volunteer", "round", "team")
