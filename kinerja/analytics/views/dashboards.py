"""The dashboards' pages and the Excel export of each of their tables (``/dashboards/``).

Readers (`kinerja.analytics.selectors_dashboards`): the province for the instansi-wide readers
of planning; an agency or a unit for whoever holds ``view_planning`` on it through a unit grant
(its head and administrator, the instansi-wide readers); "my dashboard" for whoever has an
employee record. Another role gets 403; an agency or unit out of reach 404. The year and the
sub-period come from the query string (``year``, ``sub_period``) and every link keeps them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from kinerja.audit.freshness import kept
from kinerja.core.excel import export_response

from ..charts import chart_specs
from ..selectors_dashboards import (
    Dashboard,
    Filters,
    agency_dashboard,
    agency_in_reach,
    may_read_province,
    my_dashboard,
    my_unit,
    province_dashboard,
    reads_units,
    resolve_filters,
    unit_dashboard,
    units_for,
)


class _DashboardView(LoginRequiredMixin, View):
    """Build the dashboard of the request; ``template`` renders it, ``key`` exports a table."""

    template = ""
    export_name = "dasbor"
    export_url_name = ""
    headline_label = ""

    def dashboard(self, request, **kwargs) -> tuple[Filters, Callable[[], Dashboard], dict]:
        """The page's filters, how to build its dashboard, and the rest of its context.

        Who may read what is settled here, before anything is built."""
        raise NotImplementedError

    def filters(self, request) -> Filters:
        year, sub_period = request.GET.get("year"), request.GET.get("sub_period")
        return kept(
            "analytics.dashboard_filters",
            lambda: resolve_filters(request.scope.instansi_id, year, sub_period),
            scope=request.scope,
            request=request,
            parts=(year, sub_period, get_language()),
        )

    def get(self, request, key: str | None = None, **kwargs):
        filters, build, context = self.dashboard(request, **kwargs)
        if key is not None:
            table = build().table(key)
            if table is None:
                raise Http404
            name = f"{self.export_name}-{table.key}-{filters.year or ''}"
            if filters.sub_period:
                name += f"-{filters.sub_period}"
            return export_response(table.report(), filename=slugify(name))
        for message in filters.errors.values():
            messages.error(request, message)
        query = filters.query()

        def built() -> Dashboard:
            dash = build()
            for table in dash.sectioned():
                url = reverse(self.export_url_name, kwargs={**kwargs, "key": table.key})
                table.export_url = f"{url}?{query}" if query else url
            return dash

        # Built only when the page's kept parts are not kept yet ({% kept %} in the templates).
        dash = SimpleLazyObject(built)
        context.update(
            {
                "dashboard": dash,
                "filters": filters,
                # Callables: the template calls them when it reads them.
                "tables": lambda: dash.by_key,
                "charts": lambda: chart_specs(dash.tables),
                "query": query,
                "headline_label": self.headline_label,
            }
        )
        return render(request, self.template, context)


def _agency_or_404(request, pk: int):
    if not reads_units(request.scope):
        raise PermissionDenied
    agency = agency_in_reach(request.scope, pk, request)
    if agency is None:
        raise Http404
    return agency


def _unit_or_404(request, pk: int):
    """The unit the caller may open and its ancestors as far as the caller reaches (the
    breadcrumb), kept with the page."""
    if not reads_units(request.scope):
        raise PermissionDenied

    def find():
        unit = units_for(request.scope).select_related("parent").filter(pk=pk).first()
        if unit is None or not unit.parent_id:
            return unit, []
        prefixes = [unit.path[:i] for i in range(9, len(unit.path), 9)]
        return unit, list(units_for(request.scope).filter(path__in=prefixes).order_by("depth"))

    unit, ancestors = kept(
        "analytics.dashboard_unit",
        find,
        scope=request.scope,
        request=request,
        parts=(pk,),
    )
    if unit is None:
        raise Http404
    return unit, ancestors


class ProvinceDashboardView(_DashboardView):
    export_url_name = "analytics:dashboard_province_xlsx"
    headline_label = _("Province achievement")
    template = "analytics/dashboard_province.html"
    export_name = "dasbor-provinsi"

    def dashboard(self, request, **kwargs):
        if not may_read_province(request.scope):
            raise PermissionDenied
        filters = self.filters(request)
        return filters, lambda: province_dashboard(request.scope, filters), {}


class AgencyDashboardView(_DashboardView):
    export_url_name = "analytics:dashboard_agency_xlsx"
    headline_label = _("Agency achievement")
    template = "analytics/dashboard_agency.html"
    export_name = "dasbor-pd"

    def dashboard(self, request, pk: int, **kwargs):
        agency = _agency_or_404(request, pk)
        context = {"agency": agency, "province": may_read_province(request.scope)}
        filters = self.filters(request)
        return filters, lambda: agency_dashboard(request.scope, agency, filters), context


class UnitDashboardView(_DashboardView):
    export_url_name = "analytics:dashboard_unit_xlsx"
    headline_label = _("Achievement of the unit's own staff")
    template = "analytics/dashboard_unit.html"
    export_name = "dasbor-unit"

    def dashboard(self, request, pk: int, **kwargs):
        unit, ancestors = _unit_or_404(request, pk)
        context = {
            "unit": unit,
            "ancestors": ancestors,
            "province": may_read_province(request.scope),
        }
        filters = self.filters(request)
        return filters, lambda: unit_dashboard(request.scope, unit, filters), context


class MyDashboardView(_DashboardView):
    export_url_name = "analytics:dashboard_me_xlsx"
    headline_label = _("My plan's achievement")
    template = "analytics/dashboard_me.html"
    export_name = "dasbor-saya"

    def dashboard(self, request, **kwargs):
        if not request.scope.employee_id:
            raise PermissionDenied
        filters = self.filters(request)
        return filters, lambda: my_dashboard(request.scope, filters), {}


class MyAgencyView(LoginRequiredMixin, View):
    """The dashboard of the caller's own agency, or of the unit their grant is on (the menu's
    "Agency dashboard")."""

    def get(self, request) -> HttpResponse:
        if not reads_units(request.scope):
            raise PermissionDenied
        unit = my_unit(request.scope)
        if unit is None:
            if may_read_province(request.scope):
                return redirect("analytics:dashboard_province")
            raise Http404
        page = "dashboard_agency" if unit.parent_id is None else "dashboard_unit"
        response = redirect(f"analytics:{page}", pk=unit.pk)
        query = request.GET.urlencode()
        if query:
            response["Location"] += f"?{query}"
        return response
