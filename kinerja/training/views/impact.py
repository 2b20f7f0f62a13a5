"""The impact report's page, its Excel workbook and its PDF (``/training/events/<id>/impact/``).

Readers: see `kinerja.training.impact.may_read_impact`. Another role gets 403; an event out of
reach (another instansi's, or a planned one for a non-organiser) 404. The rows naming a
participant are the reader's own reach (`impact_report(..., scope=...)`)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import View

from kinerja.core.excel import XLSX_CONTENT_TYPE
from kinerja.core.pdf import pdf_filename, render_pdf_response

from ..choices import EventStatus
from ..impact import events_for, impact_report, may_read_impact
from ..impact_tables import chart_json, impact_levels, impact_workbook

REPORTED = (EventStatus.RUNNING, EventStatus.FINISHED, EventStatus.EVALUATED)


class _ImpactMixin(LoginRequiredMixin):
    def report(self, request, pk):
        if not may_read_impact(request.scope):
            raise PermissionDenied
        event = events_for(request.scope).filter(pk=pk).first()
        if event is None:
            raise Http404
        report = impact_report(event, scope=request.scope)
        return event, report, impact_levels(report)


class ImpactEventListView(LoginRequiredMixin, View):
    """The events that have a report to read: running, finished or evaluated, newest first."""

    def get(self, request):
        if not may_read_impact(request.scope):
            raise PermissionDenied
        events = (
            events_for(request.scope)
            .filter(status__in=REPORTED)
            .select_related("programme")
            .order_by("-starts_on", "title")[:200]
        )
        return render(request, "training/impact_list.html", {"events": events})


class ImpactView(_ImpactMixin, View):
    def get(self, request, pk):
        event, report, levels = self.report(request, pk)
        return render(
            request,
            "training/impact.html",
            {"event": event, "report": report, "levels": levels, "charts": chart_json(levels)},
        )


class ImpactXlsxView(_ImpactMixin, View):
    def get(self, request, pk):
        event, report, levels = self.report(request, pk)
        response = HttpResponse(impact_workbook(report, levels), content_type=XLSX_CONTENT_TYPE)
        name = pdf_filename("dampak", event.title, event.starts_on.year)[:-4] + ".xlsx"
        response["Content-Disposition"] = content_disposition_header(True, name)
        response["Cache-Control"] = "no-store"
        return response


class ImpactPdfView(_ImpactMixin, View):
    def get(self, request, pk):
        event, report, levels = self.report(request, pk)
        context = {"event": event, "report": report, "levels": levels, "now": timezone.now()}
        return render_pdf_response(
            "training/impact_pdf.html",
            context,
            pdf_filename("dampak", event.title, event.starts_on.year),
        )
