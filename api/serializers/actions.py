"""Bodies of the review and company actions (JSON)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from reports.models import Outcome, ProductType, RejectionReason, Species
from spotter.text import clean_text

from .fields import NoteField, SafePrimaryKeyRelatedField, SafeSlugRelatedField


class ConfirmSerializer(serializers.Serializer):
    species = SafePrimaryKeyRelatedField(
        queryset=Species.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Correct the species (id); omit to keep the reported one.",
    )
    product_type = SafeSlugRelatedField(
        slug_field="slug",
        queryset=ProductType.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Correct the product type (slug); omit to keep the reported one.",
    )
    note = NoteField(help_text="Shown to the volunteer.")


class RejectSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=RejectionReason.choices)
    note = NoteField(help_text="Explanation for the volunteer; required when reason is 'other'.")

    def validate(self, attrs):
        if attrs["reason"] == RejectionReason.OTHER and not attrs.get("note"):
            raise serializers.ValidationError({"note": _("Explain the reason in the note.")})
        return attrs


class NeedsInfoSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=5000, help_text="What the volunteer should add.")

    def validate_message(self, value):
        value = clean_text(value)
        if not value:
            raise serializers.ValidationError(_("Say what information is needed."))
        return value


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = NoteField(help_text="Required when outcome is 'other'.")

    def validate(self, attrs):
        if attrs["outcome"] == Outcome.OTHER and not attrs.get("note"):
            raise serializers.ValidationError({"note": _("Describe the outcome.")})
        return attrs
