from functools import cache

from spotter.models import Role

from . import gates, selectors
from .forwarding import alerts
from .fragments import cached_fragment


def ops_alerts(request):
    """For admins: ``ops_alert_count``, the open alerts nobody acknowledged (header badge).

    A callable, so the one COUNT runs only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_programme_admin:
        return {}
    return {"ops_alert_count": alerts.open_alert_count_cached}


def volunteer_status(request):
    """For volunteers, what every page's links depend on:

    - ``may_submit``: the one "may this volunteer flag a listing?" rule (reports.gates, where
      training registers certification), so no template shows a "Flag a listing" link that
      would only bounce an uncertified volunteer to an error;
    - ``submission_problem``: why not (the message to show), or None;
    - ``needs_input_count``: how many of their reports await their answer (header badge), kept
      in the cache under the volunteer's version (reports/fragments.py: any transition of one
      of their reports replaces it).

    Both are callables computed once per request and only when a template asks (a page that
    shows neither runs no query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role != Role.VOLUNTEER:
        return {}
    problem = cache(lambda: gates.submission_problem(user))
    return {
        "submission_problem": problem,
        "may_submit": lambda: problem() is None,
        "needs_input_count": cache(
            lambda: cached_fragment(
                "needs-input",
                [f"volunteer:{user.pk}"],
                [user.pk],
                lambda: selectors.needs_input_count(user),
            )
        ),
    }
