"""Serializer fields shared by the API's inputs."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from spotter.text import clean_text

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


class SafePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id is a whole number: ``2``, or ``"2"`` in a form. ``2.9`` (which the database lookup
    would quietly truncate to 2), ``true`` or ``"2.0"`` are refused naming the field; ids too
    large for the database are 'does not exist', not a server error."""

    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "incorrect_type": _("An id is a whole number."),
    }

    def to_internal_value(self, data):
        is_int = isinstance(data, int) and not isinstance(data, bool)
        is_digits = isinstance(data, str) and data.strip().isascii() and data.strip().isdigit()
        if not (is_int or is_digits):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            return super().to_internal_value(data)
        except OverflowError:
            self.fail("does_not_exist", pk_value=data)


class SafeSlugRelatedField(serializers.SlugRelatedField):
    """A slug is a string of ``[-a-zA-Z0-9_]``; anything else cannot exist and is not looked up
    (a NUL byte in the query is a server error on PostgreSQL)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if not data or not SLUG.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class NoteField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 5000)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return clean_text(super().to_internal_value(data))
