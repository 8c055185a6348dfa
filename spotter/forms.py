from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .languages import country_choices, reading_language_choices
from .models import User
from .text import clean_text


class ProfileFields(forms.Form):
    """Display name, country and reading languages: chosen from lists (names in the visitor's
    language), stored as ISO codes."""

    display_name = forms.CharField(label=_("Display name"), max_length=80, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages you read listings in"),
        choices=reading_language_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )

    def clean_display_name(self):
        return clean_text(self.cleaned_data.get("display_name"), multiline=False)

    def clean_languages(self):
        return ",".join(self.cleaned_data.get("languages") or [])


class SignupProfileForm(ProfileFields):
    """Extra fields on allauth's sign-up form. Sign-up always creates a volunteer."""

    def signup(self, request, user):
        user.display_name = self.cleaned_data.get("display_name") or ""
        user.country = self.cleaned_data.get("country") or ""
        user.languages = self.cleaned_data.get("languages") or ""
        chosen = getattr(request, "LANGUAGE_CODE", "")
        user.language = chosen if chosen in dict(settings.LANGUAGES) else ""
        user.save()


class ProfileForm(ProfileFields):
    language = forms.ChoiceField(
        label=_("Interface language"),
        choices=[("", _("Follow my browser"))] + list(settings.LANGUAGES),
        required=False,
        help_text=_("Pages and the emails we send you use this language."),
    )

    def __init__(self, *args, instance: User, **kwargs):
        self.instance = instance
        initial = {
            "display_name": instance.display_name,
            "country": instance.country,
            "languages": [c for c in (instance.languages or "").split(",") if c],
            "language": instance.language,
        }
        super().__init__(*args, initial=initial, **kwargs)

    def save(self) -> User:
        user = self.instance
        user.display_name = self.cleaned_data["display_name"]
        user.country = self.cleaned_data["country"]
        user.languages = self.cleaned_data["languages"]
        user.save(update_fields=["display_name", "country", "languages"])
        return user


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
