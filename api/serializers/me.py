"""The caller's own account, training progress, certification and accuracy; admin figures."""

from __future__ import annotations

from rest_framework import serializers


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    display_name = serializers.CharField()
    role = serializers.CharField()
    company = serializers.CharField(allow_null=True, help_text="Company slug (company staff).")
    pseudonym = serializers.CharField(allow_null=True)
    country = serializers.CharField()
    auth = serializers.ChoiceField(choices=["session", "token"])


class AccuracySerializer(serializers.Serializer):
    confirmed = serializers.IntegerField()
    rejected = serializers.IntegerField()
    decided = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="confirmed ÷ decided; null if none.")
    percent = serializers.CharField()


class VolunteerAccuracySerializer(AccuracySerializer):
    pseudonym = serializers.CharField()


class HeadlineSerializer(serializers.Serializer):
    submitted = serializers.IntegerField()
    awaiting_review = serializers.IntegerField()
    needs_info = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    rejected = serializers.IntegerField()
    forwarded = serializers.IntegerField()
    removed = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    non_member_waiting = serializers.IntegerField()
    accuracy = AccuracySerializer()


class ModuleProgressSerializer(serializers.Serializer):
    module = serializers.CharField(source="module.slug")
    title = serializers.CharField(source="module.__str__", help_text="In the request language.")
    is_core = serializers.BooleanField(source="module.is_core")
    species_group = serializers.CharField(
        source="module.species_group.slug", allow_null=True, default=None
    )
    lessons_total = serializers.IntegerField()
    lessons_read = serializers.IntegerField()
    lessons_percent = serializers.IntegerField()
    attempts = serializers.IntegerField()
    best_score = serializers.IntegerField(allow_null=True)
    passed = serializers.BooleanField()
    last_passed_at = serializers.DateTimeField(allow_null=True)
    pass_is_current = serializers.BooleanField()


class CertificateSerializer(serializers.Serializer):
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class CertificationSerializer(serializers.Serializer):
    certified = serializers.BooleanField()
    certificate = CertificateSerializer(allow_null=True)
    expiring = serializers.BooleanField(help_text="Expires within 30 days: time for the refresher.")
    core_done = serializers.BooleanField()
    species_done = serializers.BooleanField()
    can_submit_reports = serializers.BooleanField()
    problem = serializers.CharField(allow_null=True, help_text="Why reports cannot be submitted.")
