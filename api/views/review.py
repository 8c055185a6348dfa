"""The expert's verification queue (same selector as the queue page)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from reports import selectors
from reports.models import Report

from ..filters import QueueFilter
from ..pagination import QueueCursorPagination
from ..permissions import IsExpert
from ..serializers.reports import ReportSerializer


@extend_schema(
    summary="The review queue (expert)",
    description="Submitted and in-review reports, oldest first, never your own. Claim one with "
    "POST /api/v1/reports/{reference}/claim/.",
    tags=["review"],
)
class ReviewQueueView(generics.ListAPIView):
    serializer_class = ReportSerializer
    permission_classes = [IsExpert]
    pagination_class = QueueCursorPagination
    filterset_class = QueueFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Report.objects.none()
        return (
            selectors.expert_queue(expert=self.request.user)
            .select_related("volunteer", "duplicate_of")
            .prefetch_related("evidence")
        )
