"""The dashboards' data under ``/api/v1/dashboards/`` (docs/analytics-dashboards.md), scoped
exactly like the pages: the province for the instansi-wide readers of planning; an agency or a
unit for whoever holds ``view_planning`` on it through a unit grant (403 for another role, 404
for one out of reach); ``me`` for whoever has an employee record. ``year`` and ``sub_period``
choose the period (the page's default when left out); a bad one answers 400 naming it."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ..selectors_dashboards import (
    agencies_for,
    agency_dashboard,
    may_read_province,
    my_dashboard,
    province_dashboard,
    reads_units,
    resolve_filters,
    unit_dashboard,
    units_for,
)

PARAMETERS = [
    OpenApiParameter(
        "year",
        OpenApiTypes.INT,
        description="The performance year (a period of the instansi); by default this year, "
        "else the latest before it.",
    ),
    OpenApiParameter(
        "sub_period",
        OpenApiTypes.INT,
        description="The sub-period's number (a quarter or a month, as the year is split); "
        "0 or left out: the whole year.",
    ),
]
SHAPE = (
    "`filters` (the year and sub-period shown, with the choices), `has_data` (false when the "
    "period has no roll-up row at all: `message` then says so, and no figure is a 0), "
    "`headline` (the roll-up's `percent`, `computed`, `not_computed`; `has_row` false for no "
    "data), and `tables`: per table its `key`, `title`, `columns` and `rows`, the numbers of "
    "the page's chart and table (decimals as strings, null for no figure)."
)


class _DashboardAPI(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def filters(self, request):
        filters = resolve_filters(
            request.scope.instansi_id,
            request.query_params.get("year"),
            request.query_params.get("sub_period"),
        )
        if filters.errors:
            raise ValidationError(filters.errors)
        return filters


class ProvinceDashboardAPI(_DashboardAPI):
    @extend_schema(
        operation_id="dashboards_province",
        tags=["dashboards"],
        summary="The province dashboard",
        description="For the instansi-wide readers of planning (leadership, Bappeda, BKD, "
        "BPSDM, Inspektorat, the system administrator). Tables: `key-indicators`, "
        "`key-indicator-trend`, `agencies` (ranked, with the band), `goals`, `themes`, "
        "`areas` and `areas-funding` (once the regional app offers them: `areas_available`), "
        "`training`. " + SHAPE,
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        if not may_read_province(request.scope):
            raise PermissionDenied
        return Response(province_dashboard(request.scope, self.filters(request)).as_dict())


class AgencyDashboardAPI(_DashboardAPI):
    @extend_schema(
        operation_id="dashboards_agency",
        tags=["dashboards"],
        summary="An agency's dashboard",
        description="For the agency's head and administrator and the instansi-wide readers; "
        "another agency answers 404. Tables: `agreement` (the PK's targets), `units`, `plans` "
        "(the staff by the step of their plan), `predikat` (against the curve; `distribution` "
        "has the unit predikat, drafts and breaches). " + SHAPE,
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, pk: int):
        if not reads_units(request.scope):
            raise PermissionDenied
        agency = agencies_for(request.scope).filter(pk=pk).first()
        if agency is None:
            raise Http404
        data = agency_dashboard(request.scope, agency, self.filters(request)).as_dict()
        return Response({"agency": {"id": agency.pk, "name": agency.name}, **data})


class UnitDashboardAPI(_DashboardAPI):
    @extend_schema(
        operation_id="dashboards_unit",
        tags=["dashboards"],
        summary="A unit's dashboard",
        description="For whoever reaches the unit through a unit grant; out of reach 404. "
        "Tables: `units` (the unit's own staff and each sub-unit) and `staff-plans` (the "
        "first 200 current plans by name; `plans_total` counts them all). " + SHAPE,
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, pk: int):
        if not reads_units(request.scope):
            raise PermissionDenied
        unit = units_for(request.scope).filter(pk=pk).first()
        if unit is None:
            raise Http404
        data = unit_dashboard(request.scope, unit, self.filters(request)).as_dict()
        return Response({"unit": {"id": unit.pk, "name": unit.name}, **data})


class MyDashboardAPI(_DashboardAPI):
    @extend_schema(
        operation_id="dashboards_me",
        tags=["dashboards"],
        summary="My dashboard: my targets and my training",
        description="For whoever has an employee record: their latest current plan of the "
        "year (`plan`), tables `my-targets` (achievement per sub-period), `my-hours` (against "
        "the yearly minimum), `my-events` and `my-action-plans`. " + SHAPE,
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        if not request.scope.employee_id:
            raise PermissionDenied
        return Response(my_dashboard(request.scope, self.filters(request)).as_dict())
