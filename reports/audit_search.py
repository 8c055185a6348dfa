"""The admins' audit search (``/ops/audit/``): the filter form and the query.

Newest first, a page at a time by id (``before``: the smallest id of the previous page), so a
page costs the same on the first page as on the thousandth and nothing counts the whole log.
Each filter is answered by an index on spotter's AuditEvent: an object (type + id, or a report's
reference) by (object_type, object_id, id); an action by (action, id); dates by created_at; the
actor's role through the actor_id index. Reason text is a substring match on the rows the other
filters leave.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from spotter.models import AuditEvent, Role

from .models import Report

PAGE_SIZE = 50
SYSTEM = "system"


class AuditSearchForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=60)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=40)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=40)
    reference = forms.CharField(label=_("Report reference"), required=False, max_length=20)
    role = forms.ChoiceField(label=_("Actor role"), required=False)
    date_from = forms.DateField(label=_("From (date)"), required=False)
    date_to = forms.DateField(label=_("To (date)"), required=False)
    reason = forms.CharField(
        label=_("Text in reason"), required=False, min_length=3, max_length=100
    )
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            ("", _("Any role")),
            *Role.choices,
            (SYSTEM, _("System (no person)")),
        ]
        self.fields["date_from"].widget.input_type = "date"
        self.fields["date_to"].widget.input_type = "date"

    def clean_reference(self) -> Report | None:
        reference = (self.cleaned_data.get("reference") or "").strip().upper()
        if not reference:
            return None
        report = Report.objects.filter(reference=reference).only("pk", "reference").first()
        if report is None:
            raise forms.ValidationError(_("There is no report with this reference."))
        return report

    def clean(self):
        data = super().clean()
        object_type = (data.get("object_type") or "").strip()
        object_id = (data.get("object_id") or "").strip()
        data["object_type"], data["object_id"] = object_type, object_id
        if object_id and not object_type:
            self.add_error("object_type", _("Give the object type with the object id."))
        if data.get("reference") and object_type and object_type != "report":
            self.add_error("reference", _("A report reference needs the object type 'report'."))
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_from", _("The first day must not be after the last one."))
        return data


def search_events(data: dict) -> QuerySet[AuditEvent]:
    """The events matching the cleaned form ``data``, newest first (not yet sliced)."""
    filters = Q()
    report = data.get("reference")
    if report is not None:
        filters &= Q(object_type="report", object_id=str(report.pk))
    elif data.get("object_type"):
        filters &= Q(object_type=data["object_type"])
        if data.get("object_id"):
            filters &= Q(object_id=data["object_id"])
    if data.get("action"):
        filters &= Q(action=data["action"].strip())
    role = data.get("role")
    if role == SYSTEM:
        filters &= Q(actor__isnull=True)
    elif role:
        filters &= Q(actor__role=role)
    if data.get("date_from"):
        filters &= Q(created_at__gte=datetime.combine(data["date_from"], time.min, tzinfo=UTC))
    if data.get("date_to"):
        day_after = data["date_to"] + timedelta(days=1)
        filters &= Q(created_at__lt=datetime.combine(day_after, time.min, tzinfo=UTC))
    if data.get("reason"):
        filters &= Q(reason__icontains=data["reason"])
    if data.get("before"):
        filters &= Q(id__lt=data["before"])
    return AuditEvent.objects.filter(filters).select_related("actor").order_by("-id")
