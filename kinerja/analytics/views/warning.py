"""Early-warning pages (``/dashboards/warning/``): the at-risk list of the goal tree's targets in
reach (with the caller's own plan), the staff plans' flagged targets, one target's projection,
and their Excel exports.

Readers: whoever reads plans somewhere (`selectors_warning.may_read`), an employee for their own
plan; anyone else 403. A target, or an agency filter, out of reach answers 404."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View

from kinerja.audit.freshness import kept
from kinerja.core.excel import Report, export_response
from kinerja.core.pagination import CappedPaginator
from kinerja.core.scope import Action
from kinerja.organisations.models import OrgUnit
from kinerja.performance.models import Target

from .. import selectors_warning as sel
from ..models import WarningStatus
from ..warning_rules import Status

PER_PAGE = 50
STATUSES = ("flagged", Status.AT_RISK.value, Status.SILENT.value, "all")


class WarningFilters:
    """The list's filters from the query string: year, agency (in reach), status, page."""

    def __init__(self, request, *, staff: bool = False):
        scope = request.scope
        # The choices (the years, the agencies in reach): kept until the next audited write.
        self.known, self.agencies = kept(
            "analytics.warning_choices",
            lambda: (
                sel.years(scope),
                list(
                    OrgUnit.objects.within(scope, Action.VIEW_PLANNING)
                    .agencies()
                    .order_by("sort_key", "name")
                    .values_list("pk", "name")
                ),
            ),
            scope=scope,
            request=request,
        )
        raw_year = request.GET.get("year", "")
        year = int(raw_year) if raw_year.isdigit() and int(raw_year) in self.known else None
        self.year = year or sel.default_year(self.known)
        raw_agency = request.GET.get("agency", "")
        self.agency = None
        if raw_agency:
            if not raw_agency.isdigit() or int(raw_agency) not in dict(self.agencies):
                raise Http404
            self.agency = int(raw_agency)
        choices = ("all", *WarningStatus.values) if staff else STATUSES
        state = request.GET.get("status", "")
        self.status = state if state in choices else choices[0] if staff else "flagged"
        self.page = request.GET.get("page", "1")

    def query(self) -> str:
        params = {"year": self.year, "status": self.status}
        if self.agency:
            params["agency"] = self.agency
        return urlencode(params)

    def keep(self, rows: list[sel.WarningRow]) -> list[sel.WarningRow]:
        if self.status == "all":
            return rows
        if self.status == "flagged":
            return [r for r in rows if r.flagged]
        return [r for r in rows if r.status.value == self.status]


def _readable(request) -> None:
    if not sel.may_read(request.scope):
        raise PermissionDenied


def goal_list(request, filters: WarningFilters) -> list[sel.WarningRow]:
    """The goal tree's rows in reach, filtered (what the page, its export and the API show)."""
    if not request.scope.can_anywhere(Action.VIEW_PLANNING):
        return []
    rows = sel.goal_rows(request.scope, filters.year, agency=filters.agency, request=request)
    return filters.keep(rows)


class WarningListView(LoginRequiredMixin, View):
    """The at-risk list: the goal tree's targets in reach (the province's and the agencies'
    for the leadership and Bappeda, the agency's for its head) and the caller's own plan."""

    def get(self, request):
        _readable(request)
        filters = WarningFilters(request)
        scope = request.scope

        def build() -> dict:
            every = (
                sel.goal_rows(scope, filters.year, agency=filters.agency, request=request)
                if scope.can_anywhere(Action.VIEW_PLANNING)
                else []
            )
            page = Paginator(filters.keep(every), PER_PAGE).get_page(filters.page)
            return {
                "page_obj": page,
                "own": sel.own_rows(scope, filters.year),
                "counts": sel.counts(every),
            }

        # Built only when the page's list is not kept yet ({% kept %} in the template).
        built = SimpleLazyObject(build)
        return render(
            request,
            "analytics/warning_list.html",
            {
                "filters": filters,
                # Callables: the template calls them when it reads them.
                "page_obj": lambda: built["page_obj"],
                "rows": lambda: built["page_obj"].object_list,
                "own": lambda: built["own"],
                "counts": lambda: built["counts"],
                "threshold": sel.threshold_for(filters.year),
                "query": filters.query(),
                "reads_staff": sel.reads_staff(scope),
                # Raising an at-risk target as a risk (the risk register) is for its planners;
                # the register's page checks the target's own unit.
                "raises_risks": scope.can_anywhere(Action.MANAGE_PLANS),
                "statuses": _status_choices(),
            },
        )


def _status_choices(staff: bool = False):
    if staff:
        return [("all", _("At risk or silent")), *WarningStatus.choices]
    return [
        ("flagged", _("At risk or silent")),
        (Status.AT_RISK.value, _("At risk")),
        (Status.SILENT.value, _("Silent")),
        ("all", _("Every target")),
    ]


class WarningReport(Report):
    """The rows of a warning list as a workbook."""

    title = "Peringatan dini"
    columns = (
        _("Status"),
        _("Kind"),
        _("Indicator code"),
        _("Indicator"),
        _("Owner"),
        _("Unit"),
        _("Agency"),
        _("Year"),
        _("Target"),
        _("Unit of measure"),
        _("Projected value"),
        _("Projected achievement (%)"),
        _("Threshold (%)"),
        _("Projected along"),
        _("Method"),
        _("Latest sub-period verified"),
        _("Sub-periods due without a report"),
        _("Last update"),
        _("Why not projected"),
    )
    widths = (14, 18, 14, 50, 30, 30, 30, 8, 12, 12, 14, 14, 10, 30, 30, 12, 20, 20, 30)

    def __init__(self, rows: list[sel.WarningRow]):
        self.data = rows

    def rows(self):
        for r in self.data:
            value = r.projection.value
            yield (
                r.status_label,
                r.kind_label,
                r.code,
                r.name,
                r.owner,
                r.unit_name,
                r.agency_name,
                r.year,
                r.target_display,
                r.measure_unit,
                round(float(value), 4) if value is not None else None,
                float(r.percent) if r.percent is not None else None,
                float(r.threshold),
                r.basis_label,
                r.method_label,
                r.projection.through,
                ", ".join(str(n) for n in r.silent),
                r.last_update,
                r.reason_label,
            )


class WarningExportView(LoginRequiredMixin, View):
    def get(self, request):
        _readable(request)
        filters = WarningFilters(request)
        rows = goal_list(request, filters) + sel.own_rows(request.scope, filters.year)
        return export_response(WarningReport(rows), filename=f"peringatan-dini-{filters.year}")


class StaffWarningListView(LoginRequiredMixin, View):
    """The staff plans' (SKP) targets flagged at the last scan, in reach, paged; each row of the
    page projected again now."""

    def get(self, request):
        if not sel.reads_staff(request.scope):
            raise PermissionDenied
        filters = WarningFilters(request, staff=True)
        state = None if filters.status == "all" else filters.status
        flags = sel.staff_flags(request.scope, filters.year, agency=filters.agency, state=state)
        keys = flags.order_by("status", "percent", "target_id").values_list("target_id", flat=True)
        page = CappedPaginator(keys, PER_PAGE).get_page(filters.page)
        ids = list(page.object_list)
        found = sel.project_targets(Target.objects.filter(pk__in=ids)) if ids else []
        live = {r.target_id: r for r in found}
        return render(
            request,
            "analytics/warning_staff.html",
            {
                "filters": filters,
                "page_obj": page,
                "rows": [live[pk] for pk in ids if pk in live],
                "counts": sel.staff_counts(request.scope, filters.year, agency=filters.agency),
                "scanned_at": sel.last_scan(request.scope.instansi_id, filters.year),
                "threshold": sel.threshold_for(filters.year),
                "query": filters.query(),
                "statuses": _status_choices(staff=True),
            },
        )


class StaffWarningReport(Report):
    """The staff plans' flags as the last scan left them (no projection per row: a whole
    agency's flags stream out)."""

    title = "Peringatan dini SKP"
    columns = (
        _("Status"),
        _("Indicator code"),
        _("Indicator"),
        _("Employee"),
        _("Unit"),
        _("Agency"),
        _("Year"),
        _("Projected achievement (%)"),
        _("Sub-periods due without a report"),
        _("Scanned at"),
    )
    widths = (12, 14, 50, 30, 30, 30, 8, 14, 12, 20)

    def __init__(self, flags):
        self.flags = flags
        self.labels = dict(WarningStatus.choices)

    def rows(self):
        for row in (
            self.flags.order_by("status", "percent", "target_id")
            .values_list(
                "status",
                "target__indicator__code",
                "target__indicator__name",
                "target__indicator__result__plan__employee__name",
                "target__indicator__unit__name",
                "target__indicator__unit__agency__name",
                "year",
                "percent",
                "silent",
                "scanned_at",
            )
            .iterator(chunk_size=2000)
        ):
            state, *rest = row
            percent = rest[6]
            rest[6] = float(percent) if percent is not None else None
            yield (str(self.labels.get(state, state)), *rest)


class StaffWarningExportView(LoginRequiredMixin, View):
    def get(self, request):
        if not sel.reads_staff(request.scope):
            raise PermissionDenied
        filters = WarningFilters(request, staff=True)
        state = None if filters.status == "all" else filters.status
        flags = sel.staff_flags(request.scope, filters.year, agency=filters.agency, state=state)
        return export_response(
            StaffWarningReport(flags), filename=f"peringatan-dini-skp-{filters.year}"
        )


def target_row(request, pk: int) -> sel.WarningRow:
    """The projection of one target in reach (404 otherwise), with its sub-periods' labels."""
    _readable(request)
    target = sel.target_in_reach(request.scope, pk)
    if target is None:
        raise Http404
    rows = sel.project_targets(Target.objects.filter(pk=target.pk))
    if not rows:
        raise Http404
    row = rows[0]
    row.labels = sel.sub_period_labels(target.instansi_id, target.year)
    return row


class WarningTargetView(LoginRequiredMixin, View):
    """One target's projection: the plan per sub-period, what was verified, what is projected,
    along what, and the achievement it gives against the threshold."""

    def get(self, request, pk):
        row = target_row(request, pk)
        return render(
            request,
            "analytics/warning_target.html",
            {"row": row, "today": timezone.localdate()},
        )
