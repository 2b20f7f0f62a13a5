"""The reports under ``/api/v1/``, scoped exactly like their pages (`kinerja.analytics.views.
reports`): readers of planning only (403 otherwise), an agency out of reach 404, a bad year 400
with its message.

- ``GET reports/agencies/{id}/lkjip/?year=``: the agency's yearly performance report (LKjIP)
  as data: its performance table, budget and shared targets;
- ``GET reports/province/?year=``: the province summary;
- ``GET open-data/indicators.json?year=`` and ``open-data/indicators.csv?year=``: the open-data
  export (the JSON with its metadata block)."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kinerja.core.excel import CSV_CONTENT_TYPE
from kinerja.organisations.models import Instansi

from ..opendata import OpenDataExport
from ..reports_lkjip import (
    YearError,
    agency_for,
    as_json,
    default_year,
    lkjip_report,
    may_read_reports,
    parse_year,
    report_data,
)
from ..reports_province import province_data, province_report

YEAR = OpenApiParameter(
    "year",
    OpenApiTypes.INT,
    description="The year (four digits); by default the current year when the instansi has a "
    "period for it, else its latest period's year. Anything else answers 400.",
)


class _ReportView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def year(self, request) -> int:
        if not may_read_reports(request.scope):
            raise PermissionDenied
        try:
            year = parse_year(request.query_params.get("year"))
        except YearError as error:
            raise ValidationError({"year": [str(error)]}) from error
        return year or default_year(request.scope.instansi_id)


class AgencyLkjipView(_ReportView):
    @extend_schema(
        operation_id="reports_agency_lkjip",
        tags=["reports"],
        summary="An agency's yearly performance report (LKjIP) as data",
        parameters=[YEAR],
        description="The report's tables: per indicator of the agency's current PK (else its "
        "Renstra targets of the year) the target, the verified realisation and the achievement "
        "read from the maintained roll-ups, the same indicator's earlier years, the Renstra's "
        "medium-term target, the supporting and obstructing factors of the verified "
        "realisations, the action plan's budget, spending, absorption and efficiency "
        "(achievement over absorption); the budget by program; the shared targets the agency "
        "leads or joined with its weight; the agency's roll-up. Decimals are strings. "
        "`national_benchmark` is always null: the plans record none. Readers of planning; an "
        "agency out of reach is 404.",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, pk):
        year = self.year(request)
        agency = agency_for(request.scope, pk)
        return Response(as_json(report_data(lkjip_report(agency, year))))


class ProvinceSummaryView(_ReportView):
    @extend_schema(
        operation_id="reports_province",
        tags=["reports"],
        summary="The province summary of a year",
        parameters=[YEAR],
        description="The province's key indicators (the governor's PK, else the province's IKU "
        "set, else the regional plan's indicators) with target, realisation, achievement and "
        "the year before; the province's roll-up; how many of the year's targets stand at or "
        "above 100 %, below, or without a figure (the whole province); the agencies within the "
        "caller's reach ranked by their achievement, with `agencies_total` the province's "
        "number of agencies.",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        year = self.year(request)
        name = Instansi.objects.filter(pk=request.scope.instansi_id).values_list("name", flat=True)
        report = province_report(request.scope, year, instansi_name=name.first() or "")
        return Response(as_json(province_data(report)))


class OpenDataJsonView(_ReportView):
    @extend_schema(
        operation_id="open_data_indicators_json",
        tags=["open-data"],
        summary="Indicators and achievements as open data (JSON with metadata)",
        parameters=[YEAR],
        description="Satu Data Indonesia (Perpres 39/2019): `metadata` (title, publisher, "
        "licence, update time, the field dictionary with each field's type and definition) "
        "and `data`, one row per target and period (sub_period 0 the year, then each "
        "sub-period with a verified figure) of the goal tree's indicators (RPJMD, Renstra, "
        "PK) within the caller's reach; never an employee's plan. Numbers are JSON numbers, "
        "dates ISO 8601.",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        year = self.year(request)
        return Response(OpenDataExport(request.scope, year).to_json())


class OpenDataCsvView(_ReportView):
    @extend_schema(
        operation_id="open_data_indicators_csv",
        tags=["open-data"],
        summary="Indicators and achievements as open data (CSV)",
        parameters=[YEAR],
        description="The same rows and fields as the JSON's `data`, as UTF-8 CSV with a header "
        "row and ISO dates; the field dictionary is the JSON's `metadata.fields`.",
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        year = self.year(request)
        response = StreamingHttpResponse(
            OpenDataExport(request.scope, year).to_csv(), content_type=CSV_CONTENT_TYPE
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"indikator-kinerja-{year}.csv"
        )
        return response
