"""Excel exports of planning data (CSV with ``?format=csv``), within the caller's reach."""

from __future__ import annotations

from django.utils import timezone
from django.views.generic import View

from kinerja.core.excel import export_response
from kinerja.core.scope import Action

from ..exports import AgreementReport, GoalReport, IndicatorReport, TargetReport, TemplateReport
from ..filters import AgreementFilter
from ..models import Agreement, Goal, Indicator, IndicatorTemplate, Target
from . import PlanningPageMixin


class PlanningExportView(PlanningPageMixin, View):
    """An export: ``report(request)`` builds the report of the rows within reach."""

    required_action = Action.EXPORT
    name = "perencanaan"

    def report(self, request):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        filename = f"{self.name}-{timezone.localtime():%Y%m%d-%H%M}"
        return export_response(self.report(request), filename=filename, fmt=fmt)


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) == 4 else None


class GoalExportView(PlanningExportView):
    name = "pohon-kinerja"

    def report(self, request):
        return GoalReport(Goal.objects.within(request.scope))


class IndicatorExportView(PlanningExportView):
    name = "indikator"

    def report(self, request):
        return IndicatorReport(Indicator.objects.within(request.scope))


class TargetExportView(PlanningExportView):
    """The targets (of ``year`` when given)."""

    name = "target"

    def report(self, request):
        targets = Target.objects.within(request.scope)
        year = _year(request)
        if year is not None:
            targets = targets.filter(year=year)
        return TargetReport(targets)


class TemplateExportView(PlanningExportView):
    name = "pustaka-indikator"

    def report(self, request):
        return TemplateReport(IndicatorTemplate.objects.within(request.scope))


class AgreementExportView(PlanningExportView):
    """The agreements as the list shows them (its filters; current revisions by default)."""

    name = "perjanjian-kinerja"

    def report(self, request):
        data = request.GET.copy()
        data.setdefault("current", "true")
        qs = Agreement.objects.within(request.scope)
        filterset = AgreementFilter(data, queryset=qs)
        rows = filterset.qs if filterset.is_valid() else qs.none()
        return AgreementReport(
            rows.order_by("-year", "unit__sort_key", "unit__name", "-revision", "pk")
        )
