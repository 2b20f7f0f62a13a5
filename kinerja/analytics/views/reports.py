"""Pages of the reports (``/dashboards/reports/``): the list, an agency's yearly performance
report in the LKjIP structure with its PDF and workbook, the province summary with its PDF
and workbook, and the open-data export (CSV, JSON).

Readers: whoever reads planning somewhere (`reports_lkjip.may_read_reports`; anyone else
403). An agency out of the caller's planning reach answers 404. A year that is not a year is
refused with a message (a page shows it and the default year; a download answers 400)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views import View

from kinerja.audit.freshness import kept
from kinerja.core.excel import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from kinerja.core.pdf import pdf_filename, render_pdf_response
from kinerja.organisations.models import Instansi
from kinerja.performance.models import Rollup, RollupKind

from ..opendata import OpenDataExport
from ..reports_lkjip import (
    YEAR_ROW,
    LkjipReport,
    YearError,
    agencies_within,
    agency_for,
    default_year,
    lkjip_report,
    lkjip_workbook,
    may_read_reports,
    parse_year,
    period_years,
)
from ..reports_province import province_report, province_workbook


def _reader(request) -> None:
    if not may_read_reports(request.scope):
        raise PermissionDenied


def _years(request) -> tuple[list[int], int]:
    """The instansi's period years and the default year, kept until the next audited write."""
    instansi_id = request.scope.instansi_id
    return kept(
        "analytics.report_years",
        lambda: (period_years(instansi_id), default_year(instansi_id)),
        scope=request.scope,
        request=request,
    )


def _page_year(request) -> int:
    """The year asked for; a bad one is reported and the default year shown."""
    try:
        year = parse_year(request.GET.get("year"))
    except YearError as error:
        messages.error(request, str(error))
        year = None
    return year or _years(request)[1]


def _agency(request, pk: int):
    """The agency ``pk`` in the caller's planning reach (404 otherwise), looked up once per
    reach until the next audited write."""
    return kept(
        "analytics.report_agency",
        lambda: agency_for(request.scope, pk),
        scope=request.scope,
        request=request,
        parts=(pk,),
    )


def _lkjip(request, agency, year: int) -> LkjipReport:
    """The agency's LKjIP of ``year``, kept until the next audited write of the instansi."""
    report = kept(
        "analytics.lkjip",
        lambda: lkjip_report(agency, year),
        scope=request.scope,
        request=request,
        parts=(agency.pk, year, get_language()),
    )
    report.generated_at = timezone.now()
    return report


class _YearDownload(View):
    def dispatch(self, request, *args, **kwargs):
        _reader(request)
        try:
            year = parse_year(request.GET.get("year"))
        except YearError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        self.year = year or _years(request)[1]
        return super().dispatch(request, *args, **kwargs)


class _Download(LoginRequiredMixin, _YearDownload):
    """A download for the signed-in readers: a bad year answers 400 with the message."""


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"
    return response


def _instansi_name(request) -> str:
    return (
        Instansi.objects.filter(pk=request.scope.instansi_id).values_list("name", flat=True).first()
        or ""
    )


class ReportListView(LoginRequiredMixin, View):
    """The agencies within reach with their year's achievement, each linking to its report;
    the province summary and the open-data files."""

    def get(self, request):
        _reader(request)
        year = _page_year(request)
        agencies = list(agencies_within(request.scope).values("pk", "code", "name"))
        figures = {
            r.object_id: r
            for r in Rollup.objects.filter(
                kind=RollupKind.AGENCY,
                object_id__in=[a["pk"] for a in agencies],
                year=year,
                sub_period=YEAR_ROW,
            )
        }
        for agency in agencies:
            agency["rollup"] = figures.get(agency["pk"])
        return render(
            request,
            "analytics/report_list.html",
            {
                "year": year,
                "years": period_years(request.scope.instansi_id),
                "agencies": agencies,
                "nav_active": "analytics_reports",
            },
        )


class LkjipView(LoginRequiredMixin, View):
    """An agency's yearly performance report (LKjIP) as a page, with links to its PDF and
    workbook."""

    def get(self, request, pk):
        _reader(request)
        agency = _agency(request, pk)
        year = _page_year(request)
        return render(
            request,
            "analytics/report_lkjip.html",
            {
                "agency": agency,
                # Built only when the page's report is not kept yet ({% kept %} in the template).
                "report": SimpleLazyObject(lambda: _lkjip(request, agency, year)),
                "year": year,
                "years": _years(request)[0],
                "nav_active": "analytics_reports",
            },
        )


class LkjipPdfView(_Download):
    def get(self, request, pk):
        agency = _agency(request, pk)
        report = _lkjip(request, agency, self.year)
        return render_pdf_response(
            "analytics/report_lkjip_pdf.html",
            {"report": report},
            pdf_filename("LKjIP", self.year, agency.name),
        )


class LkjipXlsxView(_Download):
    def get(self, request, pk):
        agency = _agency(request, pk)
        report = _lkjip(request, agency, self.year)
        name = pdf_filename("LKjIP", self.year, agency.name)[:-4] + ".xlsx"
        return _xlsx(lkjip_workbook(report), name)


class ProvinceReportView(LoginRequiredMixin, View):
    def get(self, request):
        _reader(request)
        year = _page_year(request)
        report = province_report(request.scope, year, instansi_name=_instansi_name(request))
        return render(
            request,
            "analytics/report_province.html",
            {
                "report": report,
                "year": year,
                "years": period_years(request.scope.instansi_id),
                "nav_active": "analytics_reports",
            },
        )


class ProvinceReportPdfView(_Download):
    def get(self, request):
        name = _instansi_name(request)
        report = province_report(request.scope, self.year, instansi_name=name)
        return render_pdf_response(
            "analytics/report_province_pdf.html",
            {"report": report},
            pdf_filename("ringkasan-kinerja", self.year, name),
        )


class ProvinceReportXlsxView(_Download):
    def get(self, request):
        name = _instansi_name(request)
        report = province_report(request.scope, self.year, instansi_name=name)
        filename = pdf_filename("ringkasan-kinerja", self.year, name)[:-4] + ".xlsx"
        return _xlsx(province_workbook(report), filename)


class OpenDataCsvView(_Download):
    """The open-data rows as CSV (UTF-8, header row, ISO dates), streamed."""

    def get(self, request):
        export = OpenDataExport(request.scope, self.year)
        response = StreamingHttpResponse(export.to_csv(), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, f"indikator-kinerja-{self.year}.csv"
        )
        response["Cache-Control"] = "no-store"
        return response


class OpenDataJsonView(_Download):
    """The open-data rows as JSON with their metadata block."""

    def get(self, request):
        export = OpenDataExport(request.scope, self.year)
        response = JsonResponse(export.to_json(), json_dumps_params={"ensure_ascii": False})
        response["Content-Disposition"] = content_disposition_header(
            False, f"indikator-kinerja-{self.year}.json"
        )
        response["Cache-Control"] = "no-store"
        return response
