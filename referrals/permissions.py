"""Who may do what with referrals: one selector per rule, used by views, templates and panels.

Partners, referrals, the "no route" list and the domain tool are the coalition admins' work.
Experts see a report's referrals and their outcomes on the review page (partner and outcome only;
nothing a partner receives names the volunteer). Volunteers and company staff see none of it:
a referral to a police unit is not news for the platform, nor for the volunteer.
"""

from __future__ import annotations

from spotter.models import Role, User


def may_manage_referrals(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_programme_admin


def may_see_referrals(user: User) -> bool:
    return may_manage_referrals(user) or (
        user.is_authenticated and user.is_active and user.role == Role.EXPERT
    )
