from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import MemberCompany, SpeciesGroup

from .facts import month_start
from .filters import Filters, add_months
from .models import ReviewVerdict

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
NON_MEMBER = "non-member"
MAX_MONTHS = 240


def parse_month(value: str) -> date:
    match = MONTH_RE.match(value.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
        raise forms.ValidationError(_("Use a month like 2025-03."))
    return date(int(match[1]), int(match[2]), 1)


class DashboardFilterForm(forms.Form):
    """Whole months (the counters are kept per month; see docs/quality.md), a region
    (volunteer country), a species group and a platform."""

    # No max_length: the clean_* methods give one specific message for any malformed value.
    start = forms.CharField(label=_("From (month)"), required=False)
    end = forms.CharField(label=_("To (month)"), required=False)
    region = forms.CharField(label=_("Region (volunteer country)"), required=False)
    group = forms.ChoiceField(label=_("Species group"), required=False)
    company = forms.ChoiceField(label=_("Platform"), required=False)

    def __init__(
        self,
        data=None,
        *,
        groups: list[SpeciesGroup],
        companies: list[MemberCompany] | None,
        today: date | None = None,
    ):
        super().__init__(data)
        self.today = today or timezone.now().date()
        self.groups = {g.slug: g for g in groups}
        self.fields["group"].choices = [("", _("All species groups"))] + [
            (g.slug, str(g)) for g in groups
        ]
        self.fixed_company = companies is None
        if companies is None:
            del self.fields["company"]
        else:
            self.companies = {c.slug: c for c in companies}
            self.fields["company"].choices = (
                [("", _("All platforms"))]
                + [(c.slug, c.name) for c in companies]
                + [(NON_MEMBER, _("Non-member platforms"))]
            )

    def clean_start(self) -> date | None:
        value = self.cleaned_data.get("start") or ""
        return parse_month(value) if value else None

    def clean_end(self) -> date | None:
        value = self.cleaned_data.get("end") or ""
        return parse_month(value) if value else None

    def clean_region(self) -> str:
        value = (self.cleaned_data.get("region") or "").strip().upper()
        if value and not re.fullmatch(r"[A-Z]{2}", value):
            raise forms.ValidationError(_("Use a two-letter country code, e.g. US."))
        return value

    def clean(self):
        data = super().clean()
        end = data.get("end") or month_start(self.today)
        start = data.get("start") or add_months(end, -11)
        if "start" in self.errors or "end" in self.errors:
            return data
        if start > end:
            self.add_error("start", _("The first month must not be after the last one."))
        elif (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
            self.add_error("start", _("Choose at most %(n)d months.") % {"n": MAX_MONTHS})
        data["start"], data["end"] = start, end
        return data

    def filters(self, *, company_id: int | None = None) -> Filters:
        data = self.cleaned_data
        group = self.groups.get(data.get("group") or "")
        if not self.fixed_company:
            slug = data.get("company") or ""
            company_id = 0 if slug == NON_MEMBER else getattr(self.companies.get(slug), "pk", None)
        return Filters(
            start=data["start"],
            end=data["end"],
            country=data.get("region") or "",
            group_id=group.pk if group else None,
            company_id=company_id,
        )


class TransparencyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False)

    def __init__(self, data=None, *, today: date | None = None):
        super().__init__(data)
        self.today = today or timezone.now().date()

    def clean_year(self) -> int:
        year = self.cleaned_data.get("year") or self.today.year
        if not 2000 <= year <= self.today.year:
            raise forms.ValidationError(
                _("Choose a year from 2000 to %(y)d.") % {"y": self.today.year}
            )
        return year


class SecondReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Your verdict"), choices=ReviewVerdict.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SeniorDecisionForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Final verdict"), choices=ReviewVerdict.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Why"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


REFERENCE_RE = re.compile(r"^[A-Za-z0-9-]{1,20}$")  # spotter.converters.ReferenceConverter
FAST_TRACK_MAX = 100


class FastTrackForm(forms.Form):
    """One row's confirm button (``reference``) or the ticked rows (``selected``)."""

    reference = forms.CharField(required=False)
    selected = forms.CharField(required=False)  # read as a list in clean()

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.selected_values = data.getlist("selected") if data is not None else []

    def clean(self):
        cleaned = super().clean()
        one = (cleaned.get("reference") or "").strip()
        references = [one] if one else [value.strip() for value in self.selected_values]
        field = "reference" if one else "selected"
        if not references or not all(references):
            raise forms.ValidationError({field: _("Choose at least one report to confirm.")})
        if len(references) > FAST_TRACK_MAX:
            raise forms.ValidationError(
                {field: _("Confirm at most %(n)d reports at once.") % {"n": FAST_TRACK_MAX}}
            )
        if not all(REFERENCE_RE.match(value) for value in references):
            raise forms.ValidationError({field: _("That is not a report reference.")})
        cleaned["references"] = references
        return cleaned
