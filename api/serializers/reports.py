"""Reports as each role may see them.

One shape for every role; what a role may not see is ``null``: companies never see who
flagged a listing (nor the volunteer's notes to the expert), experts see only a pseudonym
(reports.permissions.can_see_volunteer_identity decides)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from reports.forwarding.sla import is_overdue
from reports.models import Evidence, Outcome, RejectionReason, Report, Verdict
from reports.notices import prohibition_explanation
from reports.permissions import can_see_volunteer_identity
from spotter.models import Role

from .reference import SpeciesBriefSerializer


class StatusLabelField(serializers.CharField):
    """A report's status label, like ``get_status_display`` but with the labels translated once
    per serializer (so per request and language): Django's get_FOO_display rebuilds and hashes
    every lazy label on each call, a few hundred gettext calls per list page."""

    def __init__(self, **kwargs):
        super().__init__(source="status", **kwargs)
        self._labels = None

    def to_representation(self, value):
        if self._labels is None:
            self._labels = {
                key: str(label) for key, label in Report._meta.get_field("status").flatchoices
            }
        return self._labels.get(value, value)


class EvidenceSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="original_sha256", help_text="SHA-256 of the upload.")
    image_sha256 = serializers.CharField(help_text="SHA-256 of the re-encoded image served.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "sha256", "image_sha256", "width", "height", "uploaded_at", "url"]

    _url_template = None

    @extend_schema_field(serializers.URLField())
    def get_url(self, evidence) -> str:
        # One reverse() per serializer, then a format string per screenshot: a reverse() for
        # each screenshot of each listed report was a visible share of an API list's time.
        # References and ids are [A-Za-z0-9-] and digits, nothing to quote.
        if self._url_template is None:
            url = reverse(
                "api:report-evidence",
                kwargs={"reference": "REFERENCE", "evidence_id": 987654321},
                request=self.context.get("request"),
            )
            self._url_template = url.replace("REFERENCE", "{0}").replace("987654321", "{1}")
        return self._url_template.format(evidence.report.reference, evidence.pk)


class VolunteerSerializer(serializers.Serializer):
    pseudonym = serializers.CharField(allow_null=True)
    display_name = serializers.CharField(allow_null=True, help_text="Volunteer and admins only.")
    email = serializers.EmailField(allow_null=True, help_text="Volunteer and admins only.")


# Fields a company never sees: they are for the programme, not the notice.
PROGRAMME_ONLY = ("notes", "species_reported", "expert_note", "info_request", "duplicate_of")


class ReportSerializer(serializers.ModelSerializer):
    status_display = StatusLabelField()
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    company_name = serializers.CharField(source="company.name", allow_null=True, default=None)
    species = SpeciesBriefSerializer(allow_null=True)
    species_reported = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    product_type = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    duplicate_of = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True
    )
    # Blank until decided / answered; declared so the schema admits "" (DRF drops allow_blank
    # from read-only model fields).
    verdict = serializers.ChoiceField(choices=Verdict.choices, allow_blank=True, read_only=True)
    rejection_reason = serializers.ChoiceField(
        choices=RejectionReason.choices, allow_blank=True, read_only=True
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)
    notes = serializers.CharField(allow_null=True)
    expert_note = serializers.CharField(allow_null=True)
    info_request = serializers.CharField(allow_null=True)
    volunteer = serializers.SerializerMethodField()
    claimed = serializers.SerializerMethodField()
    claimed_by_you = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Report
        fields = [
            "reference",
            "status",
            "status_display",
            "listing_url",
            "normalized_url",
            "domain",
            "company",
            "company_name",
            "listing_title",
            "listing_text",
            "listing_language",
            "price",
            "currency",
            "seller_handle",
            "quantity",
            "listing_location",
            "notes",
            "species",
            "species_reported",
            "species_other",
            "product_type",
            "duplicate_of",
            "volunteer",
            "claimed",
            "claimed_by_you",
            "claimed_at",
            "verdict",
            "rejection_reason",
            "expert_note",
            "info_request",
            "decided_at",
            "forwarded_at",
            "acknowledged_at",
            "outcome",
            "outcome_note",
            "outcome_at",
            "closed_at",
            "ack_due_at",
            "act_due_at",
            "submitted_at",
            "updated_at",
            "evidence",
        ]
        read_only_fields = fields

    def _user(self):
        request = self.context.get("request")
        return request.user if request is not None else None

    @extend_schema_field(VolunteerSerializer(allow_null=True))
    def get_volunteer(self, report) -> dict | None:
        user = self._user()
        if user is None:
            return None
        if can_see_volunteer_identity(user, report):
            volunteer = report.volunteer
            return {
                "pseudonym": volunteer.pseudonym,
                "display_name": volunteer.public_name,
                "email": volunteer.email,
            }
        if user.role == Role.EXPERT:
            return {"pseudonym": report.volunteer.pseudonym, "display_name": None, "email": None}
        return None

    def get_claimed(self, report) -> bool:
        return report.claimed_by_id is not None

    def get_claimed_by_you(self, report) -> bool:
        user = self._user()
        return user is not None and report.claimed_by_id == user.pk

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self._user()
        if user is None or user.role == Role.COMPANY_STAFF:
            for name in PROGRAMME_ONLY:
                data[name] = None
        return data


class CompanyReportSerializer(ReportSerializer):
    """A forwarded report as a notice to the platform (see docs/webhooks.md for the push form)."""

    explanation = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = ReportSerializer.Meta.fields + ["explanation", "overdue"]
        read_only_fields = fields

    def get_explanation(self, report) -> str:
        return prohibition_explanation(report)

    def get_overdue(self, report) -> bool:
        return bool(is_overdue(report))
