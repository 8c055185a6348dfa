"""The caller's own account, training and accuracy; programme figures for admins."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from quality.selectors import volunteer_accuracy
from quality.stats import AccuracyEstimate
from reports import selectors
from spotter.models import Role, User
from training import selectors as training

from ..models import ApiToken
from ..permissions import IsProgrammeAdmin, IsVolunteer
from ..serializers.me import (
    AccuracySerializer,
    CertificationSerializer,
    HeadlineSerializer,
    MeSerializer,
    ModuleProgressSerializer,
    VolunteerAccuracySerializer,
)


def accuracy_data(accuracy: AccuracyEstimate) -> dict:
    return {
        "confirmed": accuracy.confirmed,
        "rejected": accuracy.rejected,
        "decided": accuracy.decided,
        "rate": accuracy.rate,
        "percent": accuracy.percent,
    }


class MeView(APIView):
    @extend_schema(summary="Who am I", responses=MeSerializer, tags=["account"])
    def get(self, request):
        user = request.user
        return Response(
            MeSerializer(
                {
                    "email": user.email,
                    "display_name": user.public_name,
                    "role": user.role,
                    "company": user.company.slug if user.company_id else None,
                    "pseudonym": user.pseudonym,
                    "country": user.country,
                    "auth": "token" if isinstance(request.auth, ApiToken) else "session",
                }
            ).data
        )


class MyAccuracyView(APIView):
    permission_classes = [IsVolunteer]

    @extend_schema(
        summary="Your accuracy (volunteer)",
        description="confirmed ÷ (confirmed + rejected) over your decided reports.",
        responses=AccuracySerializer,
        tags=["account"],
    )
    def get(self, request):
        return Response(accuracy_data(volunteer_accuracy(request.user)))


class TrainingProgressView(APIView):
    @extend_schema(
        summary="Your training progress, per published module",
        responses=ModuleProgressSerializer(many=True),
        tags=["training"],
    )
    def get(self, request):
        progress = training.learner_progress(request.user)
        return Response(ModuleProgressSerializer(progress, many=True).data)


class CertificationView(APIView):
    @extend_schema(
        summary="Your certification status",
        description="Volunteers need a valid spotter certificate to submit reports; `problem` "
        "says why not.",
        responses=CertificationSerializer,
        tags=["training"],
    )
    def get(self, request):
        user = request.user
        status = training.certification_status(user, training.learner_progress(user))
        certificate = status.certificate
        data = {
            "certified": certificate is not None,
            "certificate": {
                "issued_at": certificate.issued_at,
                "expires_at": certificate.expires_at,
            }
            if certificate
            else None,
            "expiring": status.expiring,
            "core_done": status.core_done,
            "species_done": status.species_done,
            "can_submit_reports": user.role == Role.VOLUNTEER and status.problem is None,
            "problem": status.problem,
        }
        return Response(CertificationSerializer(data).data)


class HeadlineView(APIView):
    permission_classes = [IsProgrammeAdmin]

    @extend_schema(
        summary="Headline figures (admin)",
        description="The overview page's counts (reports.selectors.headline_counts).",
        responses=HeadlineSerializer,
        tags=["stats"],
    )
    def get(self, request):
        counts = selectors.headline_counts()
        counts["accuracy"] = accuracy_data(counts["accuracy"])
        return Response(HeadlineSerializer(counts).data)


class VolunteerAccuracyView(APIView):
    permission_classes = [IsProgrammeAdmin]

    @extend_schema(
        summary="One volunteer's accuracy, by pseudonym (admin)",
        responses=VolunteerAccuracySerializer,
        tags=["stats"],
    )
    def get(self, request, pseudonym):
        volunteer = get_object_or_404(User, pseudonym=pseudonym, role=Role.VOLUNTEER)
        data = accuracy_data(volunteer_accuracy(volunteer))
        return Response({"pseudonym": volunteer.pseudonym, **data})
