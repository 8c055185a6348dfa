"""Cursor pagination: stable pages while reports keep arriving, no counts, no deep offsets."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import Cursor, CursorPagination


class ReportCursorPagination(CursorPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-submitted_at"

    def get_page_size(self, request):
        """``page_size`` is a whole number from 1 to ``max_page_size``; anything else is a 400
        naming it (DRF would quietly use the default)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        raw = raw.strip()
        number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0
        if not 1 <= number <= self.max_page_size:
            message = _("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            raise exceptions.ValidationError({self.page_size_query_param: [message]})
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as exc:
            # A bad cursor is a bad request parameter, not a missing resource.
            raise exceptions.ValidationError(
                {self.cursor_query_param: [_("Invalid cursor.")]}
            ) from exc

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError) as exc:
            # A well-formed cursor holding a position that is not a valid value of the field.
            raise exceptions.ValidationError(
                {self.cursor_query_param: [_("Invalid cursor.")]}
            ) from exc


class QueueCursorPagination(ReportCursorPagination):
    ordering = "submitted_at"  # oldest first, as in the review queue page


class FeedCursorPagination(ReportCursorPagination):
    """Forwarded reports, oldest first, for integrations that poll.

    Unlike plain cursor pagination, ``next`` is also given on the last page: it points just
    after the newest report returned, so an integration stores it and asks again later for
    only the reports forwarded since."""

    ordering = "forwarded_at"

    def get_next_link(self):
        if self.has_next:
            return super().get_next_link()
        if self.page and not (self.cursor and self.cursor.reverse):
            position = self._get_position_from_instance(self.page[-1], self.ordering)
            return self.encode_cursor(Cursor(offset=0, reverse=False, position=position))
        if not self.page and self.cursor and not self.cursor.reverse:
            return self.encode_cursor(self.cursor)  # nothing new yet: keep the same place
        return None
