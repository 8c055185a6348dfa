"""Bulk intake through the API: the upload's input and a batch's representation."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from intake import conf
from intake.mapping import FIELDS
from intake.models import ImportBatch
from intake.parsing import ENCODINGS
from intake.selectors import error_rows
from intake.services import missing_fields

PROBLEM_ROWS = 100  # rows with errors listed in a batch's representation


class IntakeUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,
        use_url=False,
        help_text=f"A CSV or XLSX file of flagged listings with a header row (at most "
        f"{conf.INTAKE_MAX_FILE_BYTES // 1_000_000} MB, {conf.INTAKE_MAX_ROWS} rows).",
    )
    mapping = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Optional JSON object: field name → column number (0-based) or header text, "
        'e.g. {"listing_url": 0, "species": "Espèce"}. Fields: ' + ", ".join(FIELDS) + ". "
        "Without it the columns are guessed from the headers (English, French, Chinese).",
    )
    encoding = serializers.ChoiceField(
        choices=[(e, e) for e in ENCODINGS],
        required=False,
        allow_blank=True,
        help_text="CSV only; detected when left out (UTF-8 with or without BOM, then "
        "GB18030, then Windows-1252).",
    )

    def validate_mapping(self, value: str):
        if not value.strip():
            return None
        try:
            mapping = json.loads(value)
        except ValueError as exc:
            raise serializers.ValidationError(_("Give the mapping as a JSON object.")) from exc
        if not isinstance(mapping, dict):
            raise serializers.ValidationError(_("Give the mapping as a JSON object."))
        return mapping


class IntakeMappingSerializer(serializers.Serializer):
    mapping = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Field name → column number (0-based) or header text.",
    )


class RowProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(source="number", help_text="Line in the file (header = 1).")
    status = serializers.CharField()
    problems = serializers.ListField(
        source="errors",
        child=serializers.DictField(child=serializers.CharField()),
        help_text='Each {"field", "message"}.',
    )


class ImportBatchSerializer(serializers.ModelSerializer):
    progress_percent = serializers.IntegerField(source="percent", read_only=True)
    missing_fields = serializers.SerializerMethodField()
    rows_with_problems = serializers.SerializerMethodField(
        help_text=f"The first {PROBLEM_ROWS} rows with errors (preview) or skipped at import."
    )

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "file_name",
            "file_format",
            "sha256",
            "encoding",
            "delimiter",
            "headers",
            "mapping",
            "missing_fields",
            "status",
            "total_rows",
            "valid_rows",
            "error_rows",
            "imported_rows",
            "skipped_rows",
            "progress_percent",
            "created_at",
            "started_at",
            "finished_at",
            "rows_with_problems",
        ]
        read_only_fields = fields

    def get_missing_fields(self, batch) -> list[str]:
        return missing_fields(batch.mapping)

    @extend_schema_field(RowProblemSerializer(many=True))
    def get_rows_with_problems(self, batch) -> list[dict]:
        rows = error_rows(batch)[:PROBLEM_ROWS]
        return RowProblemSerializer(rows, many=True).data
