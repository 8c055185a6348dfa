from django.shortcuts import render

from spotter.decorators import role_required
from spotter.models import Role

from .. import selectors
from ..models import Report, ReportStatus


@role_required(Role.ADMIN)
def overview(request):
    non_member = (
        Report.objects.filter(status=ReportStatus.CONFIRMED, company__isnull=True)
        .select_related("species", "product_type")
        .order_by("decided_at")[:50]
    )
    return render(
        request,
        "reports/overview.html",
        {"counts": selectors.headline_counts(), "non_member": non_member},
    )
