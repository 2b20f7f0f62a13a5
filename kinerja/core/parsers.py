"""The API's JSON parser: DRF's, but a body nested too deeply is a 400, never a RecursionError.

Kept apart from `kinerja.core.api` because DRF loads its parser classes while `rest_framework.views`
is being imported, which that module imports.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers

# Deeper than any payload of this API needs; refusing it early keeps the recursion of the
# decoder and of everything after it far from Python's limit.
MAX_JSON_DEPTH = 32


def json_depth_exceeds(data, limit: int) -> bool:
    """Return whether lists and objects nest deeper than ``limit`` (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        stack.extend((item, depth + 1) for item in value if isinstance(item, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, but a body nested too deeply is a 400, never a RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            too_deep = True
        else:
            too_deep = json_depth_exceeds(data, MAX_JSON_DEPTH)
        if too_deep:
            raise exceptions.ParseError(
                _("The request body is nested too deeply (more than %(limit)d levels).")
                % {"limit": MAX_JSON_DEPTH}
            )
        return data
