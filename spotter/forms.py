from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .text import clean_text


class ProfileFields(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80, required=False)
    country = forms.RegexField(
        label=_("Country"),
        regex=r"^[A-Za-z]{2}$",
        max_length=2,
        required=False,
        help_text=_("Two-letter country code, e.g. US, FR, CN."),
        error_messages={"invalid": _("Use a two-letter country code such as US, FR or CN.")},
    )
    languages = forms.CharField(
        label=_("Languages"),
        max_length=120,
        required=False,
        help_text=_("Languages you can read listings in, e.g. en, zh."),
    )


class SignupProfileForm(ProfileFields):
    """Extra fields on allauth's sign-up form. Sign-up always creates a volunteer."""

    def signup(self, request, user):
        user.display_name = clean_text(self.cleaned_data.get("display_name"), multiline=False)
        user.country = (self.cleaned_data.get("country") or "").upper()
        user.languages = clean_text(self.cleaned_data.get("languages"), multiline=False)
        user.save()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "country", "languages"]

    def clean_display_name(self):
        return clean_text(self.cleaned_data.get("display_name"), multiline=False)

    def clean_country(self):
        value = (self.cleaned_data.get("country") or "").strip().upper()
        if value and (len(value) != 2 or not value.isalpha()):
            raise forms.ValidationError(_("Use a two-letter country code such as US, FR or CN."))
        return value

    def clean_languages(self):
        return clean_text(self.cleaned_data.get("languages"), multiline=False)


class CloseAccountForm(forms.Form):
    """Closing an account cannot be undone: ask for the password and a typed confirmation."""

    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )
    confirm = forms.CharField(
        label=_('Type "CLOSE" to confirm'),
        max_length=10,
        help_text=_(
            "Your reports stay, shown as “former volunteer”; everything else about you "
            "is deleted. This cannot be undone."
        ),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your current password."))
        return password

    def clean_confirm(self):
        value = (self.cleaned_data.get("confirm") or "").strip()
        if value.upper() != "CLOSE":
            raise forms.ValidationError(_('Type "CLOSE" to confirm.'))
        return value
