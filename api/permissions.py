"""DRF permission classes that defer to spotter.permissions, the one permission layer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from spotter.models import Role
from spotter.permissions import is_role

ROLE_MESSAGES = {
    (Role.VOLUNTEER,): _("Only volunteers can do this."),
    (Role.EXPERT,): _("Only wildlife experts can do this."),
    (Role.COMPANY_STAFF,): _("Only company enforcement staff can do this."),
    (Role.ADMIN,): _("Only programme admins can do this."),
}


def role_permission(*roles: str) -> type[BasePermission]:
    """A permission class letting through active users of one of ``roles`` (like role_required)."""

    class HasRole(BasePermission):
        message = ROLE_MESSAGES.get(tuple(roles), _("Your role cannot do this."))

        def has_permission(self, request, view):
            return is_role(request.user, *roles)

    HasRole.__name__ = "HasRole_" + "_".join(roles)
    return HasRole


IsVolunteer = role_permission(Role.VOLUNTEER)
IsExpert = role_permission(Role.EXPERT)
IsCompanyStaff = role_permission(Role.COMPANY_STAFF)
IsProgrammeAdmin = role_permission(Role.ADMIN)
