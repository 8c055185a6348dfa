"""Serializer fields shared by the API's inputs."""

from __future__ import annotations

from rest_framework import serializers

from spotter.text import clean_text


class SafePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """Ids too large for the database are 'does not exist', not a server error."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except OverflowError:
            self.fail("does_not_exist", pk_value=data)


class NoteField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 5000)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return clean_text(super().to_internal_value(data))
