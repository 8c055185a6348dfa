from .forwarding import alerts


def ops_alerts(request):
    """For admins: ``ops_alert_count``, the open alerts nobody acknowledged (header badge).

    A callable, so the one COUNT runs only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_programme_admin:
        return {}
    return {"ops_alert_count": alerts.open_alert_count}
