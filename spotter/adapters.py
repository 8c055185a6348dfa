from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation

from .languages import stated_language
from .models import Role, User
from .siteurl import absolute_url

# Links allauth puts in these emails' context from the request's host (not through an adapter
# hook); ours all come from the public base URL. (The reset email's own "password_reset_url" is
# the from-key link, which get_reset_password_from_key_url already makes.)
_CONTEXT_LINKS = {
    "account/email/unknown_account": {"signup_url": "account_signup"},
    "account/email/account_already_exists": {
        "signup_url": "account_signup",
        "password_reset_url": "account_reset_password",
    },
}


class AccountAdapter(DefaultAccountAdapter):
    """Open sign-up creates volunteers only; experts and company staff are invited by admins."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.role = Role.VOLUNTEER
        user.company = None
        user.is_staff = False
        user.is_superuser = False
        if commit:
            user.save()
        return user

    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        # allauth's own shape: one opaque "<uidb36>-<token>" key in the uidb36/key route.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", key))

    def send_mail(self, template_prefix, email, context):
        """Every allauth email (confirmation, password reset, codes, notifications) in the
        recipient's language when their account says it; else the page's language."""
        links = _CONTEXT_LINKS.get(template_prefix, {})
        context = {**context, **{name: absolute_url(reverse(url)) for name, url in links.items()}}
        recipient = context.get("user")
        if not isinstance(recipient, User):
            recipient = User.objects.filter(email__iexact=email).first()
        language = stated_language(recipient) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
