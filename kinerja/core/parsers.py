"""The API's JSON parser: DRF's, but a body nested too deeply or holding a NUL character is a 400.

Kept apart from `kinerja.core.api` because DRF loads its parser classes while `rest_framework.views`
is being imported, which that module imports.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers

# Deeper than any payload of this API needs; refusing it early keeps the recursion of the
# decoder and of everything after it far from Python's limit.
MAX_JSON_DEPTH = 32


def refusal(data, limit: int) -> str | None:
    """Return why a parsed body cannot be taken, or None: lists and objects nested deeper than
    ``limit``, or a NUL character in any text (PostgreSQL can neither store nor compare one).

    Walks the body with a stack, not recursion.
    """
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return "nul"
            continue
        if isinstance(value, dict):
            if any("\x00" in key for key in value):
                return "nul"
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return "depth"
        stack.extend((item, depth + 1) for item in value if isinstance(item, dict | list | str))
    return None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, but a body nested too deeply or holding a NUL character is a 400,
    never a RecursionError or a database error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data, reason = None, "depth"
        else:
            reason = refusal(data, MAX_JSON_DEPTH)
        if reason == "depth":
            raise exceptions.ParseError(
                _("The request body is nested too deeply (more than %(limit)d levels).")
                % {"limit": MAX_JSON_DEPTH}
            )
        if reason == "nul":
            raise exceptions.ParseError(
                _("The request body contains a NUL character (code 0), which no field accepts.")
            )
        return data
