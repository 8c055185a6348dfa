"""Query filters of the list endpoints (django-filter); a bad value is a 400 naming it."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Q

from reports.models import FORWARDED_STATUSES, Outcome, ReportStatus, Species, Verdict


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class PlatformMixin:
    def filter_platform(self, queryset, name, value):
        if value == "non-member":
            return queryset.filter(company__isnull=True)
        return queryset.filter(company__slug=value)


class ReportFilter(PlatformMixin, filters.FilterSet):
    status = filters.MultipleChoiceFilter(
        choices=ReportStatus.choices, help_text="One or more statuses (repeat the parameter)."
    )
    verdict = filters.ChoiceFilter(choices=Verdict.choices)
    outcome = filters.ChoiceFilter(choices=Outcome.choices)
    group = filters.CharFilter(
        field_name="species__group__slug", max_length=50, help_text="Species group slug."
    )
    species = IntegerFilter(field_name="species_id", help_text="Species id.")
    product_type = filters.CharFilter(
        field_name="product_type__slug", max_length=50, help_text="Product type slug."
    )
    platform = filters.CharFilter(
        method="filter_platform",
        max_length=50,
        help_text="Member company slug, or 'non-member'.",
    )
    submitted_after = filters.IsoDateTimeFilter(field_name="submitted_at", lookup_expr="gte")
    submitted_before = filters.IsoDateTimeFilter(field_name="submitted_at", lookup_expr="lt")


class QueueFilter(PlatformMixin, filters.FilterSet):
    group = filters.CharFilter(field_name="species__group__slug", max_length=50)
    platform = filters.CharFilter(
        method="filter_platform",
        max_length=50,
        help_text="Member company slug, or 'non-member'.",
    )
    claimed = filters.ChoiceFilter(
        choices=[("unclaimed", "unclaimed"), ("mine", "mine"), ("others", "others")],
        method="filter_claimed",
        help_text="unclaimed: waiting; mine: claimed by you; others: claimed by other experts.",
    )

    def filter_claimed(self, queryset, name, value):
        user = self.request.user
        if value == "unclaimed":
            return queryset.filter(claimed_by__isnull=True)
        if value == "mine":
            return queryset.filter(claimed_by=user)
        return queryset.filter(claimed_by__isnull=False).exclude(claimed_by=user)


class CompanyReportFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=[(s.value, s.label) for s in FORWARDED_STATUSES])
    outcome = filters.ChoiceFilter(choices=Outcome.choices)
    forwarded_after = filters.IsoDateTimeFilter(
        field_name="forwarded_at",
        lookup_expr="gt",
        help_text="Only reports forwarded after this time (first sync; then follow `next`).",
    )


class SpeciesFilter(filters.FilterSet):
    group = filters.CharFilter(field_name="group__slug", max_length=50)
    cites_appendix = filters.ChoiceFilter(choices=Species._meta.get_field("cites_appendix").choices)
    q = filters.CharFilter(method="search", max_length=100, help_text="Part of a name.")

    class Meta:
        model = Species
        fields = ["group", "cites_appendix"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(scientific_name__icontains=value)
            | Q(common_name_en__icontains=value)
            | Q(common_name_zh__icontains=value)
            | Q(common_name_fr__icontains=value)
        )
