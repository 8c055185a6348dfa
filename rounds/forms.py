"""The admin's round form (all three languages), the invitation form and the team forms.

The form only collects; ``rounds.services.check_round_data`` is the one validation (its
refusals are put back on the fields by ``reports.forms.add_errors``)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import MemberCompany, SpeciesGroup

from . import conf
from .models import Enrolment, Participant, Round, Team
from .services import RoundData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _codes(text: str) -> list[str]:
    return [part for part in text.replace(";", ",").replace(" ", ",").split(",") if part]


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title (English)"), max_length=150)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=150, required=False)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=150, required=False)
    briefing = forms.CharField(
        label=_("Briefing (English)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("What to look for and how, shown to participants."),
    )
    briefing_fr = forms.CharField(
        label=_("Briefing (French)"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    briefing_zh = forms.CharField(
        label=_("Briefing (Chinese)"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    starts_on = forms.DateField(label=_("First day"), widget=DATE)
    ends_on = forms.DateField(
        label=_("Last day"), widget=DATE, help_text=_("A round usually lasts four weeks.")
    )
    enrolment = forms.ChoiceField(label=_("Enrolment"), choices=Enrolment.choices)
    weekly_target_listings = forms.IntegerField(
        label=_("Listings flagged per week"), min_value=1, max_value=1000, initial=10
    )
    weekly_target_hours = forms.IntegerField(
        label=_("Hours per week"), min_value=0, max_value=80, initial=3
    )
    species_groups = forms.ModelMultipleChoiceField(
        label=_("Species groups"),
        queryset=SpeciesGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any species."),
    )
    companies = forms.ModelMultipleChoiceField(
        label=_("Platforms"),
        queryset=MemberCompany.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("None chosen: any platform."),
    )
    languages = forms.CharField(
        label=_("Listing languages"),
        required=False,
        help_text=_("Language codes separated by commas, e.g. en, zh, vi. Empty: any."),
    )
    countries = forms.CharField(
        label=_("Regions"),
        required=False,
        help_text=_(
            "Two-letter country codes of the platforms, separated by commas, e.g. SG, CN. "
            "Empty: any."
        ),
    )

    def __init__(self, *args, round: Round | None = None, **kwargs):
        if round is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(round)
        elif round is None and "initial" not in kwargs:
            today = timezone.localdate()
            kwargs["initial"] = {
                "starts_on": today,
                "ends_on": today + timedelta(days=conf.ROUND_DEFAULT_DAYS - 1),
            }
        super().__init__(*args, **kwargs)

    def round_data(self) -> RoundData:
        data = self.cleaned_data
        translations = {
            "fr": {"title": data.get("title_fr", ""), "briefing": data.get("briefing_fr", "")},
            "zh-hans": {
                "title": data.get("title_zh", ""),
                "briefing": data.get("briefing_zh", ""),
            },
        }
        return RoundData(
            title=data["title"],
            briefing=data.get("briefing", ""),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            enrolment=data["enrolment"],
            weekly_target_listings=data["weekly_target_listings"],
            weekly_target_hours=data["weekly_target_hours"],
            species_groups=list(data.get("species_groups") or []),
            companies=list(data.get("companies") or []),
            languages=_codes(data.get("languages", "")),
            countries=_codes(data.get("countries", "")),
            translations=translations,
        )


def initial_for(round: Round) -> dict:
    translations = round.translations or {}
    return {
        "title": round.title,
        "title_fr": translations.get("fr", {}).get("title", ""),
        "title_zh": translations.get("zh-hans", {}).get("title", ""),
        "briefing": round.briefing,
        "briefing_fr": translations.get("fr", {}).get("briefing", ""),
        "briefing_zh": translations.get("zh-hans", {}).get("briefing", ""),
        "starts_on": round.starts_on,
        "ends_on": round.ends_on,
        "enrolment": round.enrolment,
        "weekly_target_listings": round.weekly_target_listings,
        "weekly_target_hours": round.weekly_target_hours,
        "species_groups": list(round.focus_species_groups.all()),
        "companies": list(round.focus_companies.all()),
        "languages": ", ".join(round.focus_languages),
        "countries": ", ".join(round.focus_countries),
    }


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line (or separated by commas). Only existing volunteer accounts."),
    )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=80)


class AssignForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=_("Participant"), queryset=Participant.objects.none()
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("No team")
    )

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.filter(round=round)
        self.fields["team"].queryset = Team.objects.filter(round=round)
