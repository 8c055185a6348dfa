"""Operations alerts for admins: the list (with the worker / beat heartbeats) and acknowledging."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotter.decorators import role_required
from spotter.models import Role

from ..forwarding import alerts
from ..models import OpsAlert

LIST_LIMIT = 200
RESOLVED_LIMIT = 20


def _rows(queryset):
    return [(alert, *alerts.describe(alert)) for alert in queryset]


@role_required(Role.ADMIN)
def alert_list(request):
    # A worker-run check cannot see its own worker die: look at the heartbeats here too.
    alerts.check_heartbeats()
    open_alerts = OpsAlert.objects.filter(resolved_at__isnull=True).select_related(
        "acknowledged_by"
    )
    return render(
        request,
        "reports/ops_alerts.html",
        {
            "open_alerts": _rows(
                open_alerts.order_by("acknowledged_at", "-opened_at")[:LIST_LIMIT]
            ),
            "open_count": open_alerts.count(),
            "resolved": _rows(
                OpsAlert.objects.filter(resolved_at__isnull=False).order_by("-resolved_at")[
                    :RESOLVED_LIMIT
                ]
            ),
            "heartbeats": alerts.heartbeats(),
            "embedded": alerts.embedded(),
            "now": timezone.now(),
        },
    )


@require_POST
@role_required(Role.ADMIN)
def acknowledge(request):
    raw = request.POST.get("alert", "")
    alert_id = int(raw) if raw.isdigit() and len(raw) < 19 else None
    if alert_id is None:
        messages.error(request, _("Choose an alert to acknowledge."))
        return redirect("reports:ops_alerts")
    alert, changed = alerts.acknowledge_alert(alert_id=alert_id, actor=request.user)
    if alert is None:
        messages.error(request, _("That alert does not exist."))
    elif changed:
        messages.success(
            request, _("Alert acknowledged: %(title)s") % {"title": alerts.describe(alert)[0]}
        )
    else:
        messages.info(request, _("That alert was already acknowledged."))
    return redirect("reports:ops_alerts")
