"""GET /api/v1/rounds/: the spotting rounds the caller may see (volunteers and admins), read
only. The pages and this endpoint read the same selectors and permission rule."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from rounds import selectors
from rounds.models import Participant
from spotter.models import Role

from .permissions import role_permission

STATUSES = ("running", "upcoming", "over")
MAX_ROUNDS = 100


class RoundSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField(help_text="In the caller's language, English as fallback.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    status = serializers.ChoiceField(choices=STATUSES)
    enrolment = serializers.CharField()
    weekly_target_listings = serializers.IntegerField()
    weekly_target_hours = serializers.IntegerField()
    species_groups = serializers.ListField(child=serializers.SlugField())
    platforms = serializers.ListField(child=serializers.SlugField())
    languages = serializers.ListField(child=serializers.CharField())
    regions = serializers.ListField(child=serializers.CharField())
    my_status = serializers.CharField(allow_null=True, help_text="invited, active, left or null")
    url = serializers.CharField()


def _status(round, today) -> str:
    if round.starts_on > today:
        return "upcoming"
    return "over" if round.ends_on < today else "running"


class RoundListView(APIView):
    permission_classes = [role_permission(Role.VOLUNTEER, Role.ADMIN)]

    @extend_schema(
        summary="Spotting rounds you may see (volunteers, admins)",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=STATUSES, required=False),
        ],
        responses=RoundSerializer(many=True),
        tags=["rounds"],
    )
    def get(self, request):
        wanted = request.query_params.get("status")
        if wanted is not None and wanted not in STATUSES:
            raise exceptions.ValidationError(
                {"status": [_("Choose one of: %(values)s.") % {"values": ", ".join(STATUSES)}]}
            )
        today = timezone.localdate()
        mine = Participant.objects.filter(round=OuterRef("pk"), volunteer=request.user)
        rounds = (
            selectors.visible_rounds(request.user)
            .annotate(my_status=Subquery(mine.values("status")[:1]))
            .prefetch_related("focus_species_groups", "focus_companies")
        )
        if wanted == "running":
            rounds = rounds.filter(starts_on__lte=today, ends_on__gte=today)
        elif wanted == "upcoming":
            rounds = rounds.filter(starts_on__gt=today)
        elif wanted == "over":
            rounds = rounds.filter(ends_on__lt=today)
        rows = [
            {
                "slug": round.slug,
                "title": round.tr("title"),
                "starts_on": round.starts_on,
                "ends_on": round.ends_on,
                "status": _status(round, today),
                "enrolment": round.enrolment,
                "weekly_target_listings": round.weekly_target_listings,
                "weekly_target_hours": round.weekly_target_hours,
                "species_groups": [g.slug for g in round.focus_species_groups.all()],
                "platforms": [c.slug for c in round.focus_companies.all()],
                "languages": round.focus_languages,
                "regions": round.focus_countries,
                "my_status": round.my_status,
                "url": f"/rounds/{round.slug}/",
            }
            for round in rounds[:MAX_ROUNDS]
        ]
        return Response(RoundSerializer(rows, many=True).data)
