"""The company portal's forms: the list's filters (GET), assigning a notice, a thread post."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportStatus
from .notice_models import NOTICE_MESSAGE_MAX_LENGTH

SORT_CHOICES = [
    ("due", _("Most urgent first")),
    ("-due", _("Least urgent first")),
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
]


class PortalFilterForm(forms.Form):
    """GET parameters of the portal; a bad value is a form error, never a server error."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Reference, listing title or URL"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            (ReportStatus.FORWARDED, _("New")),
            (ReportStatus.ACKNOWLEDGED, _("Acknowledged")),
            (ReportStatus.CLOSED, _("Closed")),
        ],
    )
    forwarded_from = forms.DateField(
        label=_("Forwarded from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    forwarded_to = forms.DateField(
        label=_("Forwarded until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("forwarded_from"), cleaned.get("forwarded_to")
        if start and end and start > end:
            self.add_error("forwarded_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters (an invalid field is left out, and shown as an error)."""
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or "",
            "search": (data.get("q") or "").strip(),
            "forwarded_from": data.get("forwarded_from"),
            "forwarded_to": data.get("forwarded_to") if "forwarded_to" in data else None,
            "sort": data.get("sort") or "due",
        }


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assigned to"), required=False, coerce=int)

    def __init__(self, *args, colleagues=(), viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Nobody"))]
        for person in colleagues:
            label = _("me") if viewer is not None and person.pk == viewer.pk else person.public_name
            choices.append((person.pk, label))
        self.fields["assignee"].choices = choices
        self.fields["assignee"].empty_value = None


class NoticeMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=NOTICE_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
