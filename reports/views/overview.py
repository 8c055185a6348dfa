from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotter.decorators import role_required
from spotter.models import Role

from .. import forwarding, selectors
from ..figures import figure_reports
from ..forwarding import alerts
from ..fragments import cached_fragment
from ..models import Delivery, DeliveryStatus, Report, ReportStatus
from ..panels import render_overview_panels

LIST_LIMIT = 50
# What the dead deliveries' table shows.
DEAD_FIELDS = (
    "channel",
    "attempts",
    "last_attempt_at",
    "last_error",
    "report__reference",
    "company__name",
)


@role_required(Role.ADMIN)
def overview(request):
    now = timezone.now()
    # The beat-scheduled check runs on the worker, so it cannot see the worker die: look here.
    # (At most every HEARTBEAT_PAGE_CHECK_SECONDS: a heartbeat is stale only after minutes.)
    alerts.check_heartbeats_now_and_then(now)
    dead = (
        Delivery.objects.filter(status=DeliveryStatus.DEAD)
        .select_related("report", "company")
        .only(*DEAD_FIELDS)
        .order_by("-last_attempt_at")
    )
    # Only the two small states: the (status, next_attempt_at) index answers without reading the
    # sent deliveries, which grow with every forwarded report.
    outbox = dict(
        Delivery.objects.filter(status__in=[DeliveryStatus.DEAD, DeliveryStatus.PENDING])
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by("status")
    )
    counts = selectors.headline_counts()
    dead_count = outbox.get(DeliveryStatus.DEAD, 0)
    alert_count = alerts.open_alert_count_cached()

    def render_lists() -> dict:
        non_member = (
            Report.objects.filter(status=ReportStatus.CONFIRMED, company__isnull=True)
            .select_related("species", "product_type")
            .order_by("decided_at")[:LIST_LIMIT]
        )
        # The overdue figure's own filter: the number, this table and its full list agree.
        overdue = (
            figure_reports("overdue", now=now)
            .select_related("company", "species")
            .order_by("forwarded_at")
        )
        overdue_count = overdue.count()
        context = {
            "counts": counts,
            "non_member": non_member,
            "overdue": overdue[:LIST_LIMIT],
            "overdue_count": overdue_count,
            "now": now,
        }
        html = render_to_string("reports/includes/overview_lists.html", context, request)
        return {"html": html, "overdue_count": overdue_count}

    return render(
        request,
        "reports/overview.html",
        {
            "counts": counts,
            # Both report lists change only with a transition (reports/fragments.py); "overdue"
            # also with time, so they are at most PAGE_FRAGMENT_SECONDS old.
            "lists": cached_fragment(
                "overview", ["all"], [counts.get("non_member_waiting")], render_lists
            ),
            # Read only when the count says there are some (usually none): one query fewer.
            "dead": list(dead[:LIST_LIMIT]) if dead_count else [],
            "dead_count": dead_count,
            "pending_count": outbox.get(DeliveryStatus.PENDING, 0),
            "alert_count": alert_count,
            "ops_alert_count": alert_count,  # the header's badge: the same read
            "panels": render_overview_panels(request.user),
            "now": now,
        },
    )


@require_POST
@role_required(Role.ADMIN)
def retry_delivery(request, delivery_id):
    """The overview's one-click retry of a dead delivery (the outbox retries it from scratch)."""
    delivery = get_object_or_404(Delivery.objects.select_related("report"), pk=delivery_id)
    if delivery.status != DeliveryStatus.DEAD:
        messages.warning(
            request,
            _("Delivery of %(ref)s is %(status)s, not dead: nothing to retry.")
            % {"ref": delivery.report.reference, "status": delivery.get_status_display().lower()},
        )
    else:
        forwarding.retry_dead_delivery(delivery=delivery, actor=request.user)
        messages.success(
            request,
            _("Delivery of %(ref)s (%(channel)s) queued again.")
            % {"ref": delivery.report.reference, "channel": delivery.get_channel_display()},
        )
    return redirect("reports:overview")
