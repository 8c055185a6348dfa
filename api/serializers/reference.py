"""Reference data: species groups, species (CITES catalogue), product types, member companies."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.models import MemberCompany, ProductType, Species, SpeciesGroup


# Names follow the request's language (Accept-Language, or the signed-in user's interface
# language), English where a translation is missing: reports.catalogue.
def localized_name_field() -> serializers.CharField:
    return serializers.CharField(
        source="localized_name",
        read_only=True,
        help_text="Name in the request's language (Accept-Language: en, fr, zh-hans).",
    )


def common_name_field() -> serializers.CharField:
    return serializers.CharField(
        read_only=True,
        help_text="Common name in the request's language (Accept-Language: en, fr, zh-hans).",
    )


class SpeciesGroupSerializer(serializers.ModelSerializer):
    name = localized_name_field()

    class Meta:
        model = SpeciesGroup
        fields = ["slug", "name", "order"]


class SpeciesSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    cites_plain_words = serializers.CharField(read_only=True)
    common_name = common_name_field()
    cites_note = serializers.CharField(
        source="localized_cites_note",
        read_only=True,
        help_text="How the species is listed, in the request's language (may be empty).",
    )

    class Meta:
        model = Species
        fields = [
            "id",
            "scientific_name",
            "common_name",
            "common_name_en",
            "common_name_zh",
            "common_name_fr",
            "group",
            "cites_appendix",
            "cites_note",
            "cites_plain_words",
        ]


class SpeciesBriefSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    common_name = common_name_field()

    class Meta:
        model = Species
        fields = [
            "id",
            "scientific_name",
            "common_name",
            "common_name_en",
            "group",
            "cites_appendix",
        ]


class ProductTypeSerializer(serializers.ModelSerializer):
    name = localized_name_field()

    class Meta:
        model = ProductType
        fields = ["slug", "name", "order"]


# Contact and delivery settings: admins only. The webhook secret is never exposed by the API.
ADMIN_COMPANY_FIELDS = (
    "enforcement_email",
    "escalation_email",
    "notify_by_email",
    "daily_digest",
    "webhook_url",
    "webhook_enabled",
    "ack_sla_hours",
    "act_sla_hours",
)


class CompanySerializer(serializers.ModelSerializer):
    """Everyone sees the public facts; the contact and delivery fields are null unless the
    caller is a programme admin."""

    domains = serializers.SerializerMethodField()
    # CharField, not EmailField/URLField: these may be blank ("") and the schema must say so.
    enforcement_email = serializers.CharField(allow_null=True, read_only=True)
    escalation_email = serializers.CharField(allow_null=True, read_only=True)
    notify_by_email = serializers.BooleanField(allow_null=True, read_only=True)
    daily_digest = serializers.BooleanField(allow_null=True, read_only=True)
    webhook_url = serializers.CharField(allow_null=True, read_only=True)
    webhook_enabled = serializers.BooleanField(allow_null=True, read_only=True)
    ack_sla_hours = serializers.IntegerField(allow_null=True, read_only=True)
    act_sla_hours = serializers.IntegerField(allow_null=True, read_only=True)

    class Meta:
        model = MemberCompany
        fields = ["slug", "name", "local_name", "country", "is_active", "domains"] + list(
            ADMIN_COMPANY_FIELDS
        )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_domains(self, company) -> list[str]:
        return [d.domain for d in company.domains.all()]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not request.user.is_programme_admin:
            for name in ADMIN_COMPANY_FIELDS:
                data[name] = None
        return data
