"""The TPP export page: the performance component of each employee for a month, as a workbook
(CSV with ``?format=csv``), scoped like the API (`selectors_consequences.tpp_rows`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.utils import timezone
from django.views.generic import View

from kinerja.core.excel import export_response
from kinerja.core.scope import Action

from ..selectors_consequences import may_read_tpp, tpp_query, tpp_rows
from ..tpp_export import TppReport, tpp_filename
from . import PlanningPageMixin


class TppExportView(PlanningPageMixin, View):
    """``?year=&month=&unit=`` (the current month by default); a unit out of reach is 404."""

    required_action = Action.EXPORT

    def get(self, request, *args, **kwargs):
        if not may_read_tpp(request.scope):
            raise PermissionDenied
        try:
            year, month, unit = tpp_query(request.scope, request.GET, timezone.localdate())
        except ValidationError as exc:
            if "unit" in exc.message_dict:
                raise Http404 from exc
            return HttpResponseBadRequest(" ".join(exc.messages))
        rows = tpp_rows(request.scope, year=year, month=month, unit=unit)
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        report = TppReport(rows, year=year, month=month)
        return export_response(report, filename=tpp_filename(year, month), fmt=fmt)
