"""``GET /api/v1/training-events/{id}/impact/``: the impact report of an event as JSON, with
the page's scoping (`kinerja.training.impact`): readers only (403 otherwise), an event out of
reach 404, the rows naming a participant only within the caller's reach."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from ..impact import events_for, impact_report, may_read_impact


def as_json(value: Any) -> Any:
    """Decimals as strings (as the API's serializers give them: exact, two decimals)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: as_json(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value


class EventImpactView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="training_event_impact",
        tags=["training-events"],
        summary="The impact report of an event (Kirkpatrick's four levels)",
        description="`reaction` and `learning` (the feedback forms and the pre/post tests), "
        "`behaviour` (the share of action plans on track at 3, 6 and 12 months), each with "
        "`available` false until that capability is installed; `results`: per participant "
        "the achievement of the targets linked to the action plan against the unlinked ones "
        "(`vs_unlinked`) and against the same indicators' earlier years (`vs_trend`), the "
        "means with their counts, the comparison with the heads who did not attend, and "
        "`provisional` until the year's annual results are in. For the organiser, "
        "leadership, BKD, Bappeda and the agencies that nominate; `rows` name only the "
        "participants within the caller's reach.",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, pk):
        if not may_read_impact(request.scope):
            raise PermissionDenied
        event = events_for(request.scope).filter(pk=pk).first()
        if event is None:
            raise Http404
        return Response(as_json(impact_report(event, scope=request.scope)))
