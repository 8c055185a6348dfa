"""A lead spotter's pre-screen through the API: the same service and validation as the page."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from leads import permissions, services
from spotter.errors import InvalidInput, NotAllowed

from ..permissions import IsVolunteer

PreScreenIn = inline_serializer(
    "PreScreenIn",
    {
        "verdict": serializers.ChoiceField(choices=["looks_good", "needs_evidence"]),
        "note": serializers.CharField(required=False, allow_blank=True),
    },
)


class PreScreenView(APIView):
    permission_classes = [IsVolunteer]

    @extend_schema(
        summary="Pre-screen a newer volunteer's report (lead spotters)",
        description="A first pass, never a decision: the report's status does not change. Only "
        "reports of newer volunteers in a running round you take part in, still waiting for an "
        "expert, once per report.",
        request=PreScreenIn,
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiResponse(description="Bad field")},
        tags=["leads"],
    )
    def post(self, request, reference: str):
        if not permissions.is_lead(request.user):
            raise NotAllowed(_("Only lead spotters pre-screen reports."))
        data = request.data
        if not hasattr(data, "get"):
            raise InvalidInput(_("Send a JSON object."), field=None)
        report = permissions.access_lead_report(request.user, reference)
        item = services.prescreen(
            lead=request.user,
            report=report,
            verdict=data.get("verdict"),
            note=data.get("note", ""),
        )
        return Response(
            {
                "report": report.reference,
                "verdict": item.verdict,
                "note": item.note,
                "created_at": item.created_at,
            },
            status=status.HTTP_201_CREATED,
        )
