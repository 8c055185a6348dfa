"""Forms of the referrals pages. Each rule is the service's own check (one validation)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reports.forwarding.webhooks import check_webhook_url
from reports.models import MemberCompany
from spotter.errors import InvalidInput

from . import services
from .models import ReferralOutcome, ReferralPartner


def _field_errors(form: forms.Form, exc: InvalidInput, default: str) -> None:
    fields = exc.errors if getattr(exc, "errors", None) else {exc.field: exc.messages}
    for name, messages in fields.items():
        target = name if name in form.fields else default
        for message in messages:
            form.add_error(target, message)


class PartnerForm(forms.ModelForm):
    webhook_url = forms.URLField(
        label=_("webhook URL"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = ReferralPartner
        fields = [
            "name",
            "kind",
            "worldwide",
            "jurisdictions",
            "email",
            "send_email_notice",
            "send_package_link",
            "webhook_url",
            "webhook_enabled",
            "notice_language",
            "is_active",
        ]
        widgets = {"jurisdictions": forms.SelectMultiple(attrs={"size": 8})}

    def clean_webhook_url(self):
        url = self.cleaned_data.get("webhook_url", "")
        if url:
            # Resolved again (and pinned) at every send; here only its shape.
            check_webhook_url(url, resolve=False)
        return url

    def clean(self):
        data = super().clean()
        if not data.get("worldwide") and not data.get("jurisdictions"):
            self.add_error(
                "jurisdictions", _("Choose the countries the partner covers, or worldwide.")
            )
        if (data.get("send_email_notice") or data.get("send_package_link")) and not data.get(
            "email"
        ):
            self.add_error("email", _("An email channel needs the partner's contact email."))
        if data.get("webhook_enabled") and not data.get("webhook_url"):
            self.add_error("webhook_url", _("Enter the webhook URL, or turn the webhook off."))
        has_channel = (data.get("send_email_notice") or data.get("send_package_link")) or data.get(
            "webhook_enabled"
        )
        if not has_channel:
            raise ValidationError(_("Choose at least one channel."))
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReferralOutcome.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When it happened (today if empty)."),
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            services.check_outcome(data["outcome"], data.get("note", ""), data.get("on"))
        except InvalidInput as exc:
            _field_errors(self, exc, "outcome")
        return data


class DomainForm(forms.Form):
    company = forms.ModelChoiceField(
        label=_("Member company"), queryset=MemberCompany.objects.filter(is_active=True)
    )
    domain = forms.CharField(
        label=_("Registrable domain"),
        max_length=253,
        help_text=_("e.g. ebay.co.uk — the domain without www. or a path."),
    )

    def clean_domain(self):
        try:
            return services.check_platform_domain(self.cleaned_data["domain"])
        except InvalidInput as exc:
            raise ValidationError(exc.messages) from exc
