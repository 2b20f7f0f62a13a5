"""The early warning under ``/api/v1/early-warning/``: the at-risk list, the staff plans' flagged
targets and one target's projection, scoped exactly as the pages (`views/warning.py`): the
same filters, the same rows in the same order, 403 for a caller who reads no plans, 404 for a
target or an agency filter out of reach."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from kinerja.core.pagination import CappedPageNumberPagination
from kinerja.performance.models import Target

from .. import selectors_warning as sel
from ..views.warning import WarningFilters, goal_list, target_row


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def row_json(row: sel.WarningRow, *, steps: bool = False) -> dict[str, Any]:
    """A warning row as the API answers it: decimals as exact strings."""
    p = row.projection
    out: dict[str, Any] = {
        "target": row.target_id,
        "year": row.year,
        "indicator_code": row.code,
        "indicator_name": row.name,
        "measure_unit": row.measure_unit,
        "target_display": row.target_display,
        "kind": row.kind,
        "owner": row.owner,
        "unit": row.unit_name,
        "agency": row.agency_id,
        "agency_name": row.agency_name,
        "plan": row.plan_id,
        "agreement": row.agreement_id,
        "last_update": row.last_update.isoformat() if row.last_update else None,
        "status": row.status.value,
        "projected_value": _num(
            p.value.quantize(Decimal("0.0001")) if p.value is not None else None
        ),
        "projected_percent": _num(p.percent),
        "threshold_percent": str(row.threshold),
        "basis": p.basis.value if p.basis else None,
        "method": p.method.value if p.method else None,
        "through_sub_period": p.through,
        "not_projectable_reason": p.reason.value if p.reason else None,
        "silent_sub_periods": list(row.silent),
    }
    if steps:
        out["steps"] = [
            {
                "sub_period": s.number,
                "label": row.labels.get(s.number, str(s.number)),
                "planned": _num(
                    s.planned.quantize(Decimal("0.0001")) if s.planned is not None else None
                ),
                "realised": _num(s.realised),
                "projected": _num(
                    s.projected.quantize(Decimal("0.0001")) if s.projected is not None else None
                ),
            }
            for s in p.steps
        ]
    return out


# The choice sets the schema names (settings.SPECTACULAR_SETTINGS).
METHODS = ["pace", "trend", "mean"]
KINDS = ["province", "agency", "skp"]
STATUSES = ["at_risk", "silent", "not_projectable", "on_track"]


class StepSerializer(serializers.Serializer):
    """One sub-period of a projection (documentation of the answer)."""

    sub_period = serializers.IntegerField()
    label = serializers.CharField()
    planned = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    realised = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    projected = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)


class WarningRowSerializer(serializers.Serializer):
    """A row of the early warning (documentation of the answer)."""

    target = serializers.IntegerField()
    year = serializers.IntegerField()
    indicator_code = serializers.CharField()
    indicator_name = serializers.CharField()
    measure_unit = serializers.CharField()
    target_display = serializers.CharField()
    kind = serializers.ChoiceField(choices=KINDS)
    owner = serializers.CharField()
    unit = serializers.CharField()
    agency = serializers.IntegerField(allow_null=True)
    agency_name = serializers.CharField()
    plan = serializers.IntegerField(allow_null=True)
    agreement = serializers.IntegerField(allow_null=True)
    last_update = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(choices=STATUSES)
    projected_value = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    projected_percent = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    threshold_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    basis = serializers.ChoiceField(
        choices=["action_plan", "sub_period_targets", "baseline_path", "year_target", "even"],
        allow_null=True,
    )
    method = serializers.ChoiceField(choices=METHODS, allow_null=True)
    through_sub_period = serializers.IntegerField(allow_null=True)
    not_projectable_reason = serializers.ChoiceField(
        choices=["qualitative", "no_realisation", "zero_target_rated"], allow_null=True
    )
    silent_sub_periods = serializers.ListField(child=serializers.IntegerField())


class WarningTargetSerializer(WarningRowSerializer):
    steps = StepSerializer(many=True)


def _paged(name: str):
    return inline_serializer(
        name,
        fields={
            "count": serializers.IntegerField(),
            "count_capped": serializers.BooleanField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": WarningRowSerializer(many=True),
        },
    )


FILTERS = [
    OpenApiParameter("year", int, description="The year (default: this year, else the latest)."),
    OpenApiParameter("agency", int, description="An agency in reach (404 otherwise)."),
    OpenApiParameter("page", int),
]
ROW_DOC = (
    "Each row: the target and its indicator, `kind` (province, agency, skp), the `owner` "
    "(agency, or the employee and `unit` for a plan's target), `last_update` (the latest "
    "realisation's change), `status` (at_risk, silent, not_projectable, on_track), the "
    "`projected_value` at the year's end and the `projected_percent` it achieves (rated with "
    "the SAKIP formulas; null when `not_projectable_reason` says why), the year's "
    "`threshold_percent`, `basis` (action_plan, sub_period_targets, baseline_path, "
    "year_target, even), `method` (pace, trend, mean), `through_sub_period` (the latest "
    "verified) and `silent_sub_periods` (due without a report)."
)


class WarningListView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = CappedPageNumberPagination

    @extend_schema(
        operation_id="early_warning_list",
        tags=["early-warning"],
        summary="The at-risk list: the regional and agency plans' targets in reach",
        description="The same rows as the page `/dashboards/warning/`, in the same order (at "
        "risk first, lowest projected achievement first): the province's RPJMD targets and "
        "every agency's PK/Renstra targets for the instansi-wide readers, the agency's for its "
        "head or administrator. `status`: `flagged` (the default: at risk or silent), "
        "`at_risk`, `silent` or `all`. " + ROW_DOC,
        parameters=[
            *FILTERS,
            OpenApiParameter("status", str, enum=["flagged", "at_risk", "silent", "all"]),
            OpenApiParameter(
                "mine",
                bool,
                description="`true`: the targets of the caller's own current plans instead "
                "(the page's \"My plan's targets\"; every status unless `status` is given).",
            ),
        ],
        responses={200: _paged("PaginatedEarlyWarningList")},
    )
    def get(self, request):
        if not sel.may_read(request.scope):
            raise PermissionDenied
        filters = WarningFilters(request)
        if request.query_params.get("mine") in ("true", "1"):
            rows = sel.own_rows(request.scope, filters.year)
            if request.query_params.get("status"):
                rows = filters.keep(rows)
        else:
            rows = goal_list(request, filters)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response([row_json(r) for r in page])


class StaffWarningListView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = CappedPageNumberPagination

    @extend_schema(
        operation_id="early_warning_staff",
        tags=["early-warning"],
        summary="The staff plans' targets flagged at the last scan, in reach",
        description="The same rows as the page `/dashboards/warning/staff/`: the employee "
        "plans' (SKP) targets that the last scan flagged (`manage.py warning_scan`, nightly "
        "and before each digest), each projected again at the request. `status`: `all` (the "
        "default), `at_risk` or `silent`. " + ROW_DOC,
        parameters=[*FILTERS, OpenApiParameter("status", str, enum=["all", "at_risk", "silent"])],
        responses={200: _paged("PaginatedEarlyWarningStaffList")},
    )
    def get(self, request):
        if not sel.reads_staff(request.scope):
            raise PermissionDenied
        filters = WarningFilters(request, staff=True)
        state = None if filters.status == "all" else filters.status
        flags = sel.staff_flags(request.scope, filters.year, agency=filters.agency, state=state)
        keys = flags.order_by("status", "percent", "target_id").values_list("target_id", flat=True)
        paginator = self.pagination_class()
        ids = list(paginator.paginate_queryset(keys, request, view=self))
        found = sel.project_targets(Target.objects.filter(pk__in=ids)) if ids else []
        live = {r.target_id: r for r in found}
        return paginator.get_paginated_response([row_json(live[pk]) for pk in ids if pk in live])


class WarningTargetView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="early_warning_target",
        tags=["early-warning"],
        summary="One target's projection to the year's end",
        description="The row of the lists with `steps`: per sub-period the `planned` value "
        "(the share of the year's target for a cumulative indicator, the path's level "
        "otherwise), the `realised` (verified) value and the `projected` one. " + ROW_DOC,
        responses={200: WarningTargetSerializer},
    )
    def get(self, request, pk):
        if not sel.may_read(request.scope):
            raise PermissionDenied
        return Response(row_json(target_row(request, pk), steps=True))
