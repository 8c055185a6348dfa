"""Account changes: creating users with a role, changing roles, invitations."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .audit import record_event
from .languages import user_language
from .models import Role, User
from .signals import role_changed
from .siteurl import absolute_url


def _apply_role(user: User, role: str, company) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    user.role = role
    user.company = company if role == Role.COMPANY_STAFF else None
    user.is_staff = role in (Role.ADMIN, Role.EXPERT)
    if role != Role.ADMIN:
        user.is_superuser = False
    user.full_clean(exclude=["password", "pseudonym"])


def create_user_with_role(
    *,
    email: str,
    role: str,
    password: str | None = None,
    company=None,
    display_name: str = "",
    country: str = "",
    actor: User | None = None,
    verified: bool = True,
) -> User:
    """Create an account (operators, scripts, admins inviting experts and company staff)."""
    email = email.strip().lower()
    with transaction.atomic():
        user = User(email=email, display_name=display_name, country=country.upper())
        _apply_role(user, role, company)
        if role == Role.ADMIN:
            user.is_superuser = True
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        role_changed.send(sender=User, user=user)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
        record_event(
            actor=actor,
            action="user.created",
            target=user,
            to_state=role,
            data={"company": company.slug if company else None},
        )
    return user


def change_role(*, user: User, role: str, company=None, actor: User | None = None) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = (user.role, user.company.slug if user.company else None)
        _apply_role(user, role, company)
        if role == Role.ADMIN:
            user.is_superuser = True
        user.save()
        role_changed.send(sender=User, user=user)
        after = (user.role, user.company.slug if user.company else None)
        if before != after:
            record_event(
                actor=actor,
                action="user.role_changed",
                target=user,
                from_state=before[0],
                to_state=after[0],
                data={"company_before": before[1], "company_after": after[1]},
            )
    return user


def invitation_link(user: User) -> str:
    """Where an invited user sets their password: allauth's own password-reset-from-key page."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return absolute_url(path)


def send_invitation(*, user: User, actor: User | None = None) -> str:
    link = invitation_link(user)
    with translation.override(user_language(user)):
        role = Role(user.role).label
        subject = _("You are invited to Cyber Spotter")
        body = _(
            'You have been given the role "%(role)s" on Cyber Spotter.\n\n'
            "Choose your password here: %(link)s\n\n"
            "You will then be asked to set up two-factor authentication."
        ) % {"role": role, "link": link}
    send_mail(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    record_event(actor=actor, action="user.invited", target=user, to_state=user.role)
    return link


def set_interface_language(*, user: User, language: str) -> User:
    """Remember the interface language on the profile (empty: follow the browser)."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("This language is not available.")})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.language == language:
            return locked
        before = locked.language
        locked.language = language
        locked.save(update_fields=["language"])
        record_event(
            actor=user,
            action="user.language_changed",
            target=locked,
            data={"from": before, "to": language},
        )
    user.language = language
    return locked
