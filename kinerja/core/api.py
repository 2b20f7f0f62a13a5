"""Shared API pieces: the exception handler that turns Django errors into clear 4xx answers,
and the schema class that documents the error answers every operation can give.

The JSON parser lives in `kinerja.core.parsers`: DRF imports parsers while this module's
imports are still loading."""

import math

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kinerja.core.filters import ID_SCHEMA


def exception_handler(exc, context):
    """Map a service's ValidationError to 400 with field errors, PermissionDenied to 403."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {
                ("non_field_errors" if field == "__all__" else field): [str(m) for m in msgs]
                for field, msgs in exc.message_dict.items()
            }
        else:
            data = {"non_field_errors": [str(m) for m in exc.messages]}
        # A write based on a stale version of its row (optimistic locking) is a conflict.
        if getattr(exc, "is_conflict", False):
            return Response(data, status=status.HTTP_409_CONFLICT)
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        wait = math.ceil(exc.wait)
        detail = _("Too many requests. Try again in %(wait)d seconds.") % {"wait": wait}
        exc.detail = exceptions.ErrorDetail(detail, code="throttled")
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
    """An error that concerns the whole request: not signed in, not allowed, not found."""

    detail = serializers.CharField()


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Field names (or non_field_errors) with their messages; `detail` when the "
    "request as a whole is malformed (unreadable JSON, NUL characters, ids beyond 64 bits).",
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {},
}


class AutoSchema(SpectacularAutoSchema):
    """Document the 400, 401, 403 and 404 answers beside each operation's own responses, and
    the range of ids in paths (one beyond 64 bits is a 400)."""

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if getattr(self.view, "idempotent", False) and self.method in ("POST", "PUT", "PATCH"):
            from .idempotency import PARAMETER

            parameters.append(PARAMETER)
        return parameters

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if schema.get("type") == "integer":
                schema.update(minimum=ID_SCHEMA["minimum"], maximum=ID_SCHEMA["maximum"])
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        component = ResolvedComponent(
            name="ValidationError",
            type=ResolvedComponent.SCHEMA,
            object="ValidationError",
            schema=VALIDATION_ERROR_SCHEMA,
        )
        self.registry.register_on_missing(component)
        errors = [
            ("400", component.ref, "Invalid input: the messages say what to change."),
            ("401", ErrorSerializer, "No valid token or session."),
            ("403", ErrorSerializer, "Your roles do not allow this here."),
        ]
        if "{" in self.path:
            errors.append(("404", ErrorSerializer, "No such object within your reach."))
        elif self.method == "GET" and (
            self._is_list_view() or getattr(self.view, "pagination_class", None) is not None
        ):
            # A plain view that pages its own rows (a paginator of its own) answers 404 too.
            errors.append(("404", ErrorSerializer, "No such page of results."))
        # A view whose rows carry a version (optimistic locking) refuses a stale write.
        locked = getattr(self.view, "optimistic_lock", False) and "{" in self.path
        if locked and self.method not in ("GET", "HEAD"):
            errors.append(("409", component.ref, "The row changed since the version you read."))
        if getattr(self.view, "idempotent", False) and self.method in ("POST", "PUT", "PATCH"):
            errors.append(
                ("422", ErrorSerializer, "The Idempotency-Key was used for another request.")
            )
        for code, schema, description in errors:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(schema, description=description), code, direction=direction
                )
        return responses
