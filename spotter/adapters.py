from allauth.account.adapter import DefaultAccountAdapter

from .models import Role


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
