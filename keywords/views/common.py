"""Small helpers the library's pages share."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from spotter.models import Role, User


def report_page(user: User, reference: str) -> str:
    """Where ``user`` reads a report: experts on the review page, everyone else on its detail."""
    name = "reports:review" if user.role == Role.EXPERT else "reports:detail"
    return reverse(name, kwargs={"reference": reference})


def report_url_prefix(user: User) -> str:
    return report_page(user, "X").removesuffix("X/")


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
