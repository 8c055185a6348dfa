"""Spotting rounds (four weeks, a focus, weekly targets), their teams and who is enrolled.

WWF Singapore's Cyber Spotters work in rounds: a few weeks with a focus (species groups,
platforms, languages, regions), at least a few hours and a minimum of listings a week. A round's
title and briefing are written in English with their French and Chinese beside them
(``translations``, the same ``Translatable`` mixin as the training content).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import MemberCompany, SpeciesGroup
from training.models import Translatable


class Enrolment(models.TextChoices):
    OPEN = "open", _("Open: any certified volunteer may join")
    INVITED = "invited", _("By invitation only")


class Round(Translatable):
    TRANSLATED = ("title", "briefing")

    slug = models.SlugField(unique=True)
    title = models.CharField(_("title"), max_length=150)
    briefing = models.TextField(
        _("briefing"), blank=True, help_text=_("What to look for and how, shown to participants.")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    enrolment = models.CharField(
        _("enrolment"), max_length=10, choices=Enrolment.choices, default=Enrolment.OPEN
    )
    weekly_target_listings = models.PositiveIntegerField(_("listings flagged per week"), default=10)
    weekly_target_hours = models.PositiveSmallIntegerField(_("hours per week"), default=3)
    # Focus: empty means "any".
    focus_species_groups = models.ManyToManyField(
        SpeciesGroup, blank=True, related_name="+", verbose_name=_("species groups")
    )
    focus_companies = models.ManyToManyField(
        MemberCompany, blank=True, related_name="+", verbose_name=_("platforms")
    )
    focus_languages = models.JSONField(
        _("listing languages"), default=list, blank=True, help_text=_("Language codes.")
    )
    focus_countries = models.JSONField(
        _("regions"), default=list, blank=True, help_text=_("ISO country codes.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("spotting round")
        verbose_name_plural = _("spotting rounds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="round_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_running(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on

    def week_of(self, day: date) -> int:
        """1-based week number of ``day`` within the round (weeks start on ``starts_on``)."""
        return (day - self.starts_on).days // 7 + 1

    def week_bounds(self, week: int) -> tuple[date, date]:
        """First and last day of the round's ``week`` (the last week may be short)."""
        first = self.starts_on + timedelta(days=7 * (week - 1))
        return first, min(first + timedelta(days=6), self.ends_on)

    @property
    def weeks(self) -> int:
        return self.week_of(self.ends_on)


class Team(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="team_name_unique_in_round")
        ]

    def __str__(self) -> str:
        return self.name


class ParticipantStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Taking part")
    LEFT = "left", _("Left the round")


class Participant(models.Model):
    """One volunteer in one round (invited, taking part, or left)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participants")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="round_participations"
    )
    status = models.CharField(
        max_length=10, choices=ParticipantStatus.choices, default=ParticipantStatus.ACTIVE
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # Last week a "you are behind" reminder was sent for (one per week at most).
    reminded_week = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "volunteer"], name="one_participation_per_round"
            )
        ]
        indexes = [models.Index(fields=["volunteer", "status"])]

    def __str__(self) -> str:
        return f"{self.volunteer_id} in {self.round_id}"
