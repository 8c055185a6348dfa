"""The keyword library's member feed (keywords.feed builds it; these describe it)."""

from __future__ import annotations

from rest_framework import serializers

from keywords.models import TermKind, TermStatus


class FeedTermSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField(help_text="The term as traders write it.")
    normalized = serializers.CharField(
        help_text="Its normal form (NFKC, case-folded, Traditional → Simplified Chinese, "
        "separators between single letters dropped): match listings on this."
    )
    language = serializers.CharField(help_text="en, zh-hans, fr, … (la: scientific name).")
    kind = serializers.ChoiceField(choices=TermKind.choices)
    species_groups = serializers.ListField(
        child=serializers.CharField(), help_text="Species group slugs."
    )
    product_type = serializers.CharField(allow_null=True, help_text="Product type slug.")
    status = serializers.ChoiceField(
        choices=TermStatus.choices,
        help_text="approved; in a change log also retired (remove it) or proposed after "
        "having been approved (stop using it).",
    )
    updated_at = serializers.DateTimeField()


class FeedSerializer(serializers.Serializer):
    release = serializers.IntegerField(help_text="The latest release number (0 before the first).")
    released_at = serializers.DateTimeField(allow_null=True)
    since = serializers.IntegerField(
        allow_null=True, help_text="The release the change log starts after (?since=)."
    )
    terms = FeedTermSerializer(many=True)
