"""API of the consequences: the TPP rows of a month (read-only, paged). Personnel data: an
agency's staff for its own roles, everyone for the instansi-wide ones (BKD, leadership...)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions

from ...models import Plan
from ...selectors_consequences import may_read_tpp, tpp_query, tpp_rows
from ...services import FIRST_YEAR, LAST_YEAR
from ..serializers.consequences import TppRowSerializer


class TppView(generics.GenericAPIView):
    serializer_class = TppRowSerializer
    queryset = Plan.objects.none()  # for the schema: the rows are computed, not a queryset
    filter_backends = []  # filtered by year, month and unit only
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="tpp_list",
        tags=["tpp"],
        summary="The TPP performance component of each employee for a month",
        responses=TppRowSerializer(many=True),
        description="One row per employee of the units within reach (under `unit` when "
        "given) for `month` of `year` (the current month by default): the final periodic "
        "evaluation of the sub-period holding the month, the percent the policy gives its "
        "predikat, the performance weight and the component (percent x weight / 100). A plan "
        "without a final evaluation gives `state` no_final_evaluation and no component; an "
        "active employee without a plan, no_plan.",
        parameters=[
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
                description="the current year when left out",
            ),
            OpenApiParameter(
                "month",
                {"type": "integer", "minimum": 1, "maximum": 12},
                description="the current month when left out",
            ),
            OpenApiParameter(
                "unit",
                {"type": "integer", "minimum": 1},
                description="a unit's id: its subtree only (400 when out of reach)",
            ),
        ],
    )
    def get(self, request, *args, **kwargs):
        scope = request.scope
        if not may_read_tpp(scope):
            raise PermissionDenied
        year, month, unit = tpp_query(scope, request.query_params, timezone.localdate())
        rows = tpp_rows(scope, year=year, month=month, unit=unit)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(TppRowSerializer(page, many=True).data)
