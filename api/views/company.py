"""Company enforcement staff: their platform's forwarded reports, acknowledge, outcome.

The action paths are promised in every webhook payload (reports.notices.notice_payload):
``/api/v1/company/reports/{reference}/acknowledge/`` and ``.../outcome/``. Keep them."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reports import services
from reports.permissions import visible_reports

from ..filters import CompanyReportFilter
from ..pagination import FeedCursorPagination
from ..permissions import IsCompanyStaff
from ..serializers.actions import OutcomeSerializer
from ..serializers.reports import CompanyReportSerializer
from .base import cached_list, fetch_report, reload_report, report_queryset


@extend_schema_view(
    list=extend_schema(
        summary="Your platform's forwarded reports (company staff)",
        description="Oldest forwarded first. `next` is given on the last page too: store it and "
        "call it later to get only the reports forwarded since.",
        tags=["company"],
    ),
    retrieve=extend_schema(summary="One forwarded report (company staff)", tags=["company"]),
)
class CompanyReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = CompanyReportSerializer
    permission_classes = [IsCompanyStaff]
    lookup_field = "reference"
    lookup_value_converter = "ref"
    pagination_class = FeedCursorPagination
    filterset_class = CompanyReportFilter
    throttle_scope = "company"

    def get_queryset(self):
        # visible_reports gives company staff their own company's forwarded reports only.
        return visible_reports(self.request.user, report_queryset())

    def get_object(self):
        return fetch_report(self.request.user, self.kwargs["reference"])

    def list(self, request, *args, **kwargs):
        return cached_list(self, request, *args, **kwargs)

    def _respond(self, report) -> Response:
        return Response(
            CompanyReportSerializer(
                reload_report(report), context=self.get_serializer_context()
            ).data
        )

    @extend_schema(summary="Acknowledge a forwarded report", request=None, tags=["company"])
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, reference=None):
        report = services.acknowledge_report(report=self.get_object(), staff=request.user)
        return self._respond(report)

    @extend_schema(
        summary="Record what the platform did (closes the report)",
        request=OutcomeSerializer,
        examples=[
            OpenApiExample("Removed", value={"outcome": "removed", "note": "Listing taken down."})
        ],
        tags=["company"],
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, reference=None):
        report = self.get_object()
        serializer = OutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.record_outcome(
            report=report,
            staff=request.user,
            outcome=serializer.validated_data["outcome"],
            note=serializer.validated_data["note"],
        )
        return self._respond(report)

    @extend_schema(
        summary="Correct the outcome of a closed report (within 30 days; audited)",
        request=OutcomeSerializer,
        examples=[OpenApiExample("Gone", value={"outcome": "already_gone", "note": ""})],
        tags=["company"],
    )
    @action(detail=True, methods=["post"], url_path="correct-outcome")
    def correct_outcome(self, request, reference=None):
        report = self.get_object()
        serializer = OutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.correct_outcome(
            report=report,
            staff=request.user,
            outcome=serializer.validated_data["outcome"],
            note=serializer.validated_data["note"],
        )
        return self._respond(report)
