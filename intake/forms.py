"""The upload form and the column-mapping form (one choice of column per listing field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from spotter.errors import InvalidInput, SpotterError

from .mapping import FIELDS, REQUIRED
from .parsing import ENCODINGS

ENCODING_CHOICES = [("", _("Detect automatically"))] + [(e, e.upper()) for e in ENCODINGS]


def put_error(form: forms.Form, exc: SpotterError) -> None:
    """A service's refusal on the form: ``mapping.<field>`` on that field, the rest on top."""
    errors = exc.errors if isinstance(exc, InvalidInput) else {None: exc.messages}
    for name, messages in errors.items():
        if name and name.startswith("mapping."):
            name = name.split(".", 1)[1]
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of flagged listings"),
        help_text=_("CSV (UTF-8, GB18030 or Windows-1252; comma, semicolon or tab) or XLSX."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    encoding = forms.ChoiceField(
        label=_("Text encoding (CSV)"), choices=ENCODING_CHOICES, required=False
    )


def column_label(index: int, header: str) -> str:
    return f"{index + 1}. {header or '—'}"


class MappingForm(forms.Form):
    """One select per field; the choices are the file's columns."""

    def __init__(self, *args, headers: list[str], mapping: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [
            (str(i), column_label(i, h)) for i, h in enumerate(headers)
        ]
        for name, label in FIELDS.items():
            initial = mapping.get(name)
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                initial="" if initial is None else str(initial),
            )
            # Required to import, not to save (a mapping may be corrected in several steps).
            self.fields[name].needed = name in REQUIRED
            if name in REQUIRED:
                self.fields[name].widget.attrs["aria-required"] = "true"

    def mapping(self) -> dict[str, int]:
        return {name: int(v) for name, v in self.cleaned_data.items() if v not in ("", None)}
