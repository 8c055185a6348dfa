"""The public tip form and the triager's forms.

The listing URL goes through reports.validation (the same rules as a volunteer's report and the
API), the screenshot through reports.evidence (decoded, size and pixel limits, re-encoded, no
metadata). The abuse checks that need the request (proof of work, rate limits) are the view's
and the service's; the honeypot and the field limits are here.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports import validation as rules
from reports.evidence import process_image
from reports.forms import ListingForm, ScreenshotsMixin
from reports.urlnorm import MAX_URL_LENGTH
from spotter.errors import InvalidInput
from spotter.text import clean_text

from .conf import setting
from .models import DismissReason

HONEYPOT_FIELD = "website"


class TipForm(forms.Form):
    listing_url = forms.CharField(
        label=_("Listing URL"),
        max_length=MAX_URL_LENGTH,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
        help_text=_(
            "The address of the listing as shown in your browser. We never open it automatically."
        ),
    )
    note = forms.CharField(
        label=_("What did you see? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text=_(
            "For example the species, the product, code words used. At most 2,000 characters."
        ),
    )
    screenshot = forms.FileField(
        label=_("Screenshot (optional)"),
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_("One JPEG, PNG or WebP image. We remove its metadata (such as location)."),
    )
    email = forms.EmailField(
        label=_("Your email, if you want to hear what happened (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(label="", required=False)
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    challenge = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    pow_nonce = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    staged = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.processed_screenshot = None
        days = setting("TIPS_RETENTION_DAYS")
        self.fields["consent"].label = _(
            "I agree that the programme keeps this email address to tell me what happened to "
            "my tip. It is used for nothing else and erased after %(days)d days."
        ) % {"days": days}
        self.fields["note"].max_length = setting("TIPS_NOTE_MAX_CHARS")

    def clean_listing_url(self):
        try:
            value, self.normalized_url = rules.clean_listing_url(self.cleaned_data["listing_url"])
        except InvalidInput as exc:
            raise forms.ValidationError(exc.messages) from exc
        return value

    def clean_note(self):
        return clean_text(self.cleaned_data.get("note") or "")

    def clean_website(self):
        if self.cleaned_data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(
                _(
                    "This tip looks automated: a field meant to stay empty was filled in. If "
                    "you are a person, clear the field named “Leave this field empty”."
                )
            )
        return ""

    def clean_screenshot(self):
        upload = self.cleaned_data.get("screenshot")
        if not upload:
            return None
        limit = setting("TIPS_MAX_UPLOAD_BYTES")
        if upload.size > limit:
            raise forms.ValidationError(
                _("The screenshot is larger than %(mb).1f MB.") % {"mb": limit / 1_048_576}
            )
        name = clean_text(upload.name, multiline=False)[:255]
        try:
            self.processed_screenshot = (process_image(upload.read(), name), name)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.messages) from exc
        return upload

    def clean(self):
        data = super().clean()
        if data.get("email") and not data.get("consent"):
            self.add_error(
                "consent", _("Tick this box to let us keep your email, or leave the email empty.")
            )
        return data


class ConvertTipForm(ScreenshotsMixin, ListingForm):
    """The report a triager completes from a tip: the listing form, URL fixed to the tip's."""

    field_order = ["listing_url", "listing_title", "species", "species_other", "product_type"]

    def __init__(self, *args, tip, **kwargs):
        self.tip = tip
        self.tip_screenshots = 1 if hasattr(tip, "screenshot") else 0
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("listing_url", tip.listing_url)
        initial.setdefault("notes", tip.note)
        super().__init__(*args, **kwargs)
        self.fields["listing_url"].disabled = True
        self.min_screenshots = 0 if self.tip_screenshots else 1

    def existing_screenshots(self) -> int:
        return self.tip_screenshots


class DismissTipForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DismissReason.choices)
