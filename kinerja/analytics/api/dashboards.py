"""The dashboards' data under ``/api/v1/dashboards/`` (docs/analytics-dashboards.md), scoped
exactly like the pages: the province for the instansi-wide readers of planning; an agency or a
unit for whoever holds ``view_planning`` on it through a unit grant (403 for another role, 404
for one out of reach); ``me`` for whoever has an employee record. ``year`` and ``sub_period``
choose the period (the page's default when left out); a bad one answers 400 naming it.

Each answer is kept, serialised, until the next audited write of the caller's instansi
(`kinerja.audit.freshness.kept`): filed under the caller's reach, the path, the query string
and the language, so a kept answer costs one lookup."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from kinerja.audit.freshness import kept

from ..selectors_dashboards import (
    Filters,
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

    def answer(
        self,
        request,
        build: Callable[[Filters, Any], dict[str, Any]],
        find: Callable[[], Any] = lambda: True,
    ) -> HttpResponse:
        """The answer ``build`` gives for the request's filters and what ``find`` found (it
        answers None for "not found", before the filters are read), kept. A JSON answer is
        kept as its bytes, as rendered; another (the browsable API) as its data."""
        renderer = getattr(request, "accepted_renderer", None)
        media_type = getattr(request, "accepted_media_type", "")
        as_json = type(renderer) is JSONRenderer

        def compute() -> dict[str, Any]:
            found = find()
            if found is None:
                return {"data": None}
            filters = resolve_filters(
                request.scope.instansi_id,
                request.query_params.get("year"),
                request.query_params.get("sub_period"),
            )
            if filters.errors:
                return {"errors": {key: str(text) for key, text in filters.errors.items()}}
            data = build(filters, found)
            if as_json:
                return {"json": renderer.render(data, media_type, self.get_renderer_context())}
            return {"data": data}

        kept_answer = kept(
            "analytics.api.dashboard",
            compute,
            scope=request.scope,
            request=request,
            parts=(
                request.path,
                request.META.get("QUERY_STRING", ""),
                get_language(),
                media_type if as_json else "data",
            ),
        )
        if "errors" in kept_answer:
            raise ValidationError(kept_answer["errors"])
        if "json" in kept_answer:
            return HttpResponse(kept_answer["json"], content_type=media_type)
        if kept_answer["data"] is None:
            raise Http404
        return Response(kept_answer["data"])


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
        return self.answer(
            request, lambda filters, _found: province_dashboard(request.scope, filters).as_dict()
        )


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

        def build(filters, agency):
            data = agency_dashboard(request.scope, agency, filters).as_dict()
            return {"agency": {"id": agency.pk, "name": agency.name}, **data}

        # Out of reach: not found (kept with the answer: the reach is part of its key).
        return self.answer(
            request, build, find=lambda: agencies_for(request.scope).filter(pk=pk).first()
        )


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

        def build(filters, unit):
            data = unit_dashboard(request.scope, unit, filters).as_dict()
            return {"unit": {"id": unit.pk, "name": unit.name}, **data}

        return self.answer(
            request, build, find=lambda: units_for(request.scope).filter(pk=pk).first()
        )


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
        return self.answer(
            request, lambda filters, _found: my_dashboard(request.scope, filters).as_dict()
        )
