"""The API's JSON parser: DRF's, with a limit on nesting.

Python's JSON decoder recurses once per nesting level, so ``[[[[…]]]]`` five thousand levels deep
raises RecursionError, which DRF does not catch (a server error). Every request body of this API
is a flat object; a document nested deeper than ``MAX_DEPTH`` is refused as a 400 in the API's
error shape, whether the decoder gave up or not.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def nesting_depth(value) -> int:
    """How deeply lists and objects are nested in ``value`` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth + 1)
            stack.extend((child, depth + 1) for child in item)
    return deepest


class TooDeep(ParseError):
    default_code = "too_deep"

    def __init__(self):
        message = _("The JSON body is nested too deeply (at most %(depth)d levels).")
        super().__init__(message % {"depth": MAX_DEPTH})


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise TooDeep() from exc
        if nesting_depth(data) > MAX_DEPTH:
            raise TooDeep()
        return data
