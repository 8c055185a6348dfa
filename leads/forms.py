"""Forms of the leads pages; their validation is the services' (one rule for form and API)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from spotter.errors import InvalidInput

from . import conf, services
from .models import PreScreenVerdict


class _ServiceValidated(forms.Form):
    def _run(self, field: str, check):
        try:
            return check(self.cleaned_data.get(field))
        except InvalidInput as error:
            raise forms.ValidationError(error.messages) from error


class PreScreenForm(_ServiceValidated):
    verdict = forms.ChoiceField(
        label=_("Your pre-screen"), choices=PreScreenVerdict.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note for the expert (optional)"),
        required=False,
        max_length=conf.LEAD_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_verdict(self):
        return self._run("verdict", services.clean_verdict)

    def clean_note(self):
        return self._run(
            "note", lambda text: services.clean_text(text, field="note", required=False)
        )


class TextForm(_ServiceValidated):
    text = forms.CharField(
        label=_("Your question"),
        max_length=conf.LEAD_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_text(self):
        return self._run(
            "text", lambda text: services.clean_text(text, field="text", required=True)
        )


class AnswerForm(TextForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Your answer")
