"""Bulk intake (monitoring staff: experts and admins): upload a CSV/XLSX, see the preview's
problems, start the import, follow its progress. The same services and rules as the pages
(intake.services, intake.permissions)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from intake import conf, services
from intake.models import ImportBatch
from intake.permissions import INTAKE_ROLES, access_batch, can_import, visible_batches
from spotter.errors import InvalidInput, NotAllowed

from ..permissions import role_permission
from ..serializers.intake import (
    ImportBatchSerializer,
    IntakeMappingSerializer,
    IntakeUploadSerializer,
)

IsMonitoringStaff = role_permission(*INTAKE_ROLES)


def _own_batch(user, batch_id: int) -> ImportBatch:
    """A batch its uploader may change: 404 when invisible, 403 for another's."""
    batch = access_batch(user, batch_id)
    if not can_import(user, batch):
        raise NotAllowed(_("Only the person who uploaded this file can change its import."))
    return batch


def _batch_response(batch: ImportBatch, code=status.HTTP_200_OK) -> Response:
    batch = ImportBatch.objects.get(pk=batch.pk)
    return Response(ImportBatchSerializer(batch).data, status=code)


class IntakeListView(generics.ListAPIView):
    serializer_class = ImportBatchSerializer
    permission_classes = [IsMonitoringStaff]
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImportBatch.objects.none()
        return visible_batches(self.request.user).order_by("-created_at", "-id")

    @extend_schema(
        summary="Your bulk imports (monitoring staff)",
        description="Experts see their own batches, admins every batch; newest first.",
        tags=["intake"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Upload a CSV or XLSX of flagged listings (monitoring staff)",
        description="multipart/form-data with `file` and optionally `mapping` (JSON) and "
        "`encoding`. Every row is checked with the report form's rules (URL, species, "
        "product type, price, duplicates in the file and against open reports); the batch "
        "comes back in `preview` with its counts and the rows with problems. Nothing is "
        "imported until POST …/{id}/import. A bad file or mapping is a 400 naming `file`, "
        "`encoding` or `mapping.<field>`.",
        request={"multipart/form-data": IntakeUploadSerializer},
        responses={201: ImportBatchSerializer},
        tags=["intake"],
    )
    def post(self, request, *args, **kwargs):
        serializer = IntakeUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > conf.INTAKE_MAX_FILE_BYTES:
            raise InvalidInput(
                _("The file is larger than %(size)s MB.")
                % {"size": round(conf.INTAKE_MAX_FILE_BYTES / 1_000_000, 1)},
                field="file",
            )
        batch = services.create_batch(
            uploader=request.user,
            file_name=upload.name or "upload",
            data=upload.read(),
            encoding=serializer.validated_data.get("encoding") or "",
            mapping=serializer.validated_data.get("mapping"),
        )
        return _batch_response(batch, status.HTTP_201_CREATED)


class IntakeDetailView(APIView):
    permission_classes = [IsMonitoringStaff]

    @extend_schema(
        summary="A bulk import: status, progress and counts",
        responses={200: ImportBatchSerializer},
        tags=["intake"],
    )
    def get(self, request, batch_id: int):
        return _batch_response(access_batch(request.user, batch_id))


class IntakeMappingView(APIView):
    permission_classes = [IsMonitoringStaff]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Correct the column mapping of a batch in preview (its uploader)",
        description="Every row is checked again. 409 once the import has started.",
        request=IntakeMappingSerializer,
        responses={200: ImportBatchSerializer},
        tags=["intake"],
    )
    def post(self, request, batch_id: int):
        batch = _own_batch(request.user, batch_id)
        serializer = IntakeMappingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        batch = services.remap_batch(
            batch=batch, actor=request.user, mapping=serializer.validated_data["mapping"]
        )
        return _batch_response(batch)


class IntakeImportView(APIView):
    permission_classes = [IsMonitoringStaff]

    @extend_schema(
        summary="Import the valid rows as reports (its uploader)",
        description="Starts the one background job; poll GET …/{id}/ for its progress. "
        "Re-running never duplicates a report; a failed job resumes where it stopped. "
        "409 when already started or nothing is valid; 400 naming `mapping.<field>` when a "
        "required field has no column.",
        request=None,
        responses={202: ImportBatchSerializer},
        tags=["intake"],
    )
    def post(self, request, batch_id: int):
        batch = _own_batch(request.user, batch_id)
        batch = services.start_import(batch=batch, actor=request.user)
        return _batch_response(batch, status.HTTP_202_ACCEPTED)
