"""Reports: submit, list, read, edit while more information is needed, withdraw, and the
expert's review actions. Every change goes through reports.services, like the pages do."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from reports import services
from reports.actions import RESUBMIT, allowed_actions
from reports.permissions import visible_reports
from reports.views import common as report_pages
from spotter.errors import InvalidState

from ..filters import ReportFilter
from ..pagination import ReportCursorPagination
from ..permissions import IsExpert, IsVolunteer
from ..serializers.actions import ConfirmSerializer, NeedsInfoSerializer, RejectSerializer
from ..serializers.listing import ReportCreateSerializer, ReportEditSerializer
from ..serializers.reports import ReportSerializer
from .base import (
    FirstRendererNegotiation,
    cached_list,
    fetch_report,
    reload_report,
    report_queryset,
)

REVIEW_ACTIONS = {"claim", "release", "confirm", "reject", "needs_info"}

CREATE_EXAMPLE = OpenApiExample(
    "Pangolin scales",
    request_only=True,
    media_type="multipart/form-data",
    value={
        "listing_url": "https://www.ebay.com/itm/1234",
        "listing_title": "Pangolin scales 500 g",
        "species": 12,
        "product_type": "scales",
        "price": "120.00",
        "currency": "USD",
        "screenshots": "(binary PNG)",
    },
)


class PNGRenderer(BaseRenderer):
    """Names the media type of the evidence download; the view streams the file itself."""

    media_type = "image/png"
    format = "png"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReportSerializer
    lookup_field = "reference"
    lookup_value_converter = "ref"
    pagination_class = ReportCursorPagination
    filterset_class = ReportFilter
    filter_backends = [*viewsets.GenericViewSet.filter_backends, OrderingFilter]
    ordering_fields = ["submitted_at", "updated_at"]
    ordering = ["-submitted_at"]

    @property
    def throttle_scope(self):
        # Creation has no scope here: SUBMISSIONS_PER_HOUR, counted by reports.services for the
        # form and the API together, is its limit.
        if self.action in REVIEW_ACTIONS:
            return "review"
        return None

    def get_permissions(self):
        if self.action in ("partial_update", "withdraw"):
            return [IsVolunteer()]
        if self.action in REVIEW_ACTIONS:
            return [IsExpert()]
        return [IsAuthenticated()]

    def get_parsers(self):
        # Called before self.action is set (ViewSetMixin.initialize_request), hence the lookup.
        action_name = getattr(self, "action", None) or getattr(self, "action_map", {}).get(
            getattr(self.request, "method", "").lower()
        )
        if action_name in ("create", "partial_update"):
            return [MultiPartParser()]
        return super().get_parsers()

    def get_queryset(self):
        return visible_reports(self.request.user, report_queryset())

    def get_object(self):
        return fetch_report(self.request.user, self.kwargs["reference"])

    def _respond(self, report, code=status.HTTP_200_OK) -> Response:
        return Response(
            ReportSerializer(reload_report(report), context=self.get_serializer_context()).data,
            status=code,
        )

    @extend_schema(
        summary="List reports you can see",
        description="Volunteers: their own reports. Experts: every report but their own, "
        "withdrawn ones and decisions they may still check in a blind second review "
        "(docs/quality.md; the queue is /api/v1/review/queue/). Company staff: their "
        "platform's forwarded reports. Admins: all. Newest first; cursor-paginated.",
        tags=["reports"],
    )
    def list(self, request, *args, **kwargs):
        return cached_list(self, request, *args, **kwargs)

    @extend_schema(summary="One report", tags=["reports"])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Submit a report (volunteer)",
        description="multipart/form-data with 1 to 5 `screenshots`. Certified volunteers only "
        "(403 with the reason otherwise). If the same listing is already open, the report is "
        "created as `duplicate` with `duplicate_of` set. At most `SUBMISSIONS_PER_HOUR` (30) "
        "reports an hour per volunteer, web form and API together: 429 with `Retry-After`.",
        request={"multipart/form-data": ReportCreateSerializer},
        responses={201: ReportSerializer},
        examples=[CREATE_EXAMPLE],
        tags=["reports"],
    )
    def create(self, request, *args, **kwargs):
        services.ensure_can_submit(request.user)  # 403 with the training message
        serializer = ReportCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        images, names = serializer.images()
        report = services.submit_report(
            volunteer=request.user,
            details=serializer.listing_details(),
            images=images,
            image_names=names,
        )
        return self._respond(report, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a report that needs more information (volunteer)",
        description="Only while the report is `needs_info`; change any listing field except the "
        "URL and add screenshots. The report goes back to the expert queue.",
        request={"multipart/form-data": ReportEditSerializer},
        responses={200: ReportSerializer},
        tags=["reports"],
    )
    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        if RESUBMIT not in allowed_actions(report, request.user):
            raise InvalidState(_("This report is not waiting for more information."))
        serializer = ReportEditSerializer(
            data=request.data,
            partial=True,
            context={**self.get_serializer_context(), "report": report},
        )
        serializer.is_valid(raise_exception=True)
        images, names = serializer.images()
        report = services.resubmit_report(
            report=report,
            volunteer=request.user,
            details=serializer.listing_details(report),
            images=images,
            image_names=names,
        )
        return self._respond(report)

    @extend_schema(
        summary="Withdraw your report (volunteer)",
        description="While it is `submitted` or `needs_info`.",
        request=None,
        tags=["reports"],
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, reference=None):
        report = services.withdraw_report(report=self.get_object(), volunteer=request.user)
        return self._respond(report)

    @extend_schema(
        summary="Download one screenshot",
        description="The re-encoded image (metadata stripped). Viewing by experts, companies and "
        "admins is written to the audit log.",
        parameters=[OpenApiParameter("evidence_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY, description="PNG image"),
        },
        tags=["reports"],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="evidence/<id:evidence_id>",
        url_name="evidence",
        renderer_classes=[JSONRenderer, PNGRenderer],
        content_negotiation_class=FirstRendererNegotiation,
        pagination_class=None,
        filter_backends=[],
    )
    def evidence(self, request, reference=None, evidence_id=None):
        # The page view does the permission check (404), the audit event and the safe headers.
        return report_pages.evidence_image(request._request, reference, evidence_id)

    # --- Review (experts) -----------------------------------------------------------------

    @extend_schema(summary="Claim a report for review (expert)", request=None, tags=["review"])
    @action(detail=True, methods=["post"])
    def claim(self, request, reference=None):
        report = services.claim_report(report=self.get_object(), expert=request.user)
        return self._respond(report)

    @extend_schema(
        summary="Give a claimed report back to the queue (expert)", request=None, tags=["review"]
    )
    @action(detail=True, methods=["post"])
    def release(self, request, reference=None):
        report = services.release_report(report=self.get_object(), expert=request.user)
        return self._respond(report)

    @extend_schema(
        summary="Confirm a claimed report (expert)",
        description=(
            "Optionally correct the species and the product type. Member platforms get the "
            "notice at once."
        ),
        request=ConfirmSerializer,
        examples=[
            OpenApiExample("Keep species", value={"note": "Clear photos of scales."}),
            OpenApiExample("Correct species", value={"species": 14, "note": ""}),
            OpenApiExample("Correct product type", value={"product_type": "ivory", "note": ""}),
        ],
        tags=["review"],
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, reference=None):
        report = self.get_object()
        data = self._valid(ConfirmSerializer)
        report = services.confirm_report(
            report=report,
            expert=request.user,
            species=data["species"],
            product_type=data["product_type"],
            note=data["note"],
        )
        return self._respond(report)

    @extend_schema(
        summary="Reject a claimed report (expert)",
        request=RejectSerializer,
        examples=[OpenApiExample("Replica", value={"reason": "legal_trade", "note": "Resin."})],
        tags=["review"],
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, reference=None):
        report = self.get_object()
        data = self._valid(RejectSerializer)
        report = services.reject_report(
            report=report, expert=request.user, reason=data["reason"], note=data["note"]
        )
        return self._respond(report)

    @extend_schema(
        summary="Ask the volunteer for more information (expert)",
        request=NeedsInfoSerializer,
        examples=[
            OpenApiExample("Need price", value={"message": "Add a screenshot of the price."})
        ],
        tags=["review"],
    )
    @action(detail=True, methods=["post"], url_path="needs-info")
    def needs_info(self, request, reference=None):
        report = self.get_object()
        data = self._valid(NeedsInfoSerializer)
        report = services.request_info(report=report, expert=request.user, message=data["message"])
        return self._respond(report)

    def _valid(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
