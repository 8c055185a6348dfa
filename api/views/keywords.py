"""The keyword library's member feed for companies' nightly sync with a personal API token.

The rows, release numbering, ``?since=`` change log and ETag are keywords.feed's, the same as
the session feed at /keywords/feed.json.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from keywords.feed import feed_document, feed_version, not_modified, since_release
from spotter.models import Role

from ..permissions import role_permission
from ..schema import ErrorSerializer
from ..serializers.keywords import FeedSerializer


class KeywordFeedView(APIView):
    permission_classes = [role_permission(Role.COMPANY_STAFF, Role.EXPERT, Role.ADMIN)]
    throttle_scope = "company"

    @extend_schema(
        summary="The keyword library feed (company staff, experts, admins)",
        description=(
            "Every approved term of the coalition's keyword library, or with `since` the change "
            "log after that release (added, changed and retired terms; a retired term comes "
            "with `status: retired`, remove it). Send the `ETag` of your last sync back in "
            "`If-None-Match`: while the library is unchanged the answer is 304 with no body. "
            "`X-Library-Release` carries the latest release number."
        ),
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=False,
                description="A release number: only the terms changed after it.",
            ),
            OpenApiParameter(
                "If-None-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="The ETag of your last copy.",
            ),
        ],
        responses={
            200: OpenApiResponse(FeedSerializer, description="The feed."),
            304: OpenApiResponse(description="Unchanged since the ETag you sent."),
            400: OpenApiResponse(ErrorSerializer, description="`since` is not a release."),
        },
        examples=[
            OpenApiExample(
                "Feed",
                value={
                    "release": 12,
                    "released_at": "2026-11-01T09:00:00+00:00",
                    "since": None,
                    "terms": [
                        {
                            "id": 41,
                            "text": "象牙手镯",
                            "normalized": "象牙手镯",
                            "language": "zh-hans",
                            "kind": "product_term",
                            "species_groups": ["elephants"],
                            "product_type": "ivory",
                            "status": "approved",
                            "updated_at": "2026-10-30T12:00:00+00:00",
                        }
                    ],
                },
                response_only=True,
            )
        ],
        tags=["reference"],
    )
    def get(self, request):
        since = since_release(request.query_params.get("since"))  # InvalidInput → 400 "since"
        version = feed_version("json", since)
        if not_modified(request.headers.get("If-None-Match", ""), version):
            response = Response(status=304)
        else:
            response = Response(FeedSerializer(feed_document(version)).data)
        response["ETag"] = version.etag
        response["X-Library-Release"] = str(version.number)
        response["Cache-Control"] = "private, no-cache"
        return response
