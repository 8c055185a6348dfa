"""Reference data, read-only: species groups, species, product types, member companies."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from reports.models import MemberCompany, ProductType, Species, SpeciesGroup

from ..filters import SpeciesFilter
from ..serializers.reference import (
    CompanySerializer,
    ProductTypeSerializer,
    SpeciesGroupSerializer,
    SpeciesSerializer,
)


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    # Small, bounded catalogues: returned whole, no pagination.
    pagination_class = None


@extend_schema_view(
    list=extend_schema(summary="List species groups", tags=["reference"]),
    retrieve=extend_schema(summary="One species group", tags=["reference"]),
)
class SpeciesGroupViewSet(ReferenceViewSet):
    queryset = SpeciesGroup.objects.all()
    serializer_class = SpeciesGroupSerializer
    lookup_field = "slug"
    lookup_value_converter = "slug"
    filter_backends = []


@extend_schema_view(
    list=extend_schema(summary="List species (CITES catalogue)", tags=["reference"]),
    retrieve=extend_schema(summary="One species", tags=["reference"]),
)
class SpeciesViewSet(ReferenceViewSet):
    queryset = Species.objects.select_related("group")
    serializer_class = SpeciesSerializer
    filterset_class = SpeciesFilter
    lookup_value_converter = "id"


@extend_schema_view(
    list=extend_schema(summary="List product types", tags=["reference"]),
    retrieve=extend_schema(summary="One product type", tags=["reference"]),
)
class ProductTypeViewSet(ReferenceViewSet):
    queryset = ProductType.objects.all()
    serializer_class = ProductTypeSerializer
    lookup_field = "slug"
    lookup_value_converter = "slug"
    filter_backends = []


@extend_schema_view(
    list=extend_schema(
        summary="List member companies",
        description="Contact and delivery settings are null unless you are a programme admin; "
        "webhook secrets are never returned.",
        tags=["reference"],
    ),
    retrieve=extend_schema(summary="One member company", tags=["reference"]),
)
class CompanyViewSet(ReferenceViewSet):
    queryset = MemberCompany.objects.prefetch_related("domains")
    serializer_class = CompanySerializer
    lookup_field = "slug"
    lookup_value_converter = "slug"
    filter_backends = []
