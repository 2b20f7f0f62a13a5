"""Pages of the organisation registry: the unit tree, units, the employee list and records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView, View

from kinerja.audit.freshness import kept
from kinerja.core.excel import export_response
from kinerja.core.pagination import CappedPaginator, cap_for
from kinerja.core.scope import Action, Scope
from kinerja.core.views import PartialTemplateMixin, is_partial, share_rows

from . import retirement, selectors, services
from .choices import EmployeeStatus, PositionKind
from .figures import set_headcounts, unit_whole, whole_headcounts
from .filters import (
    ACTING_CURRENT,
    ActingFilter,
    EmployeeFilter,
    OrgUnitFilter,
    PositionFilter,
    acting_status_choices,
    position_kind_choices,
)
from .forms import (
    ActingEndForm,
    ActingForm,
    EmployeeForm,
    EmployeeUpdateForm,
    ReportingLineForm,
    UnitCreateForm,
    UnitForm,
)
from .leadership import STRUCTURAL_KINDS, grade_group_choices, vacant_structural_posts
from .lookups import (
    employee_options,
    position_options,
    superior_options,
    unit_label,
    unit_options,
)
from .models import (
    ActingAssignment,
    Assignment,
    Employee,
    Instansi,
    OrgUnit,
    Position,
    ReportingLine,
)
from .reports import EmployeeReport, NominatifReport, RetirementReport
from .retirement import MONTH_CHOICES, add_months, reaching_bup, with_dates
from .selectors import holder_rows, visible_employee_ids
from .validators import parse_nip

T = TypeVar("T")
EMPLOYEES_PER_PAGE = 50
UNIT_SEARCH_LIMIT = 100
EMPLOYEE_SORTS = {
    "name": ("name", "pk"),
    "nip": ("nip", "pk"),
    "unit": ("unit__sort_key", "name", "pk"),
    "status": ("status", "name", "pk"),
}


def once(compute: Callable[[], T]) -> Callable[[], T]:
    """Return ``compute`` run at most once: what a page's lazy context values share.

    A page hands its template lazy values (``SimpleLazyObject``, callables) that read from
    one computation; a part of the page kept by ``{% kept %}`` is not rendered, and then the
    computation never runs.
    """
    done: list[T] = []

    def run() -> T:
        if not done:
            done.append(compute())
        return done[0]

    return run


def subtree_headcounts_whole(unit: OrgUnit, default: int) -> int:
    """The active employees of ``unit``'s whole subtree (a count only; see figures.py)."""
    return whole_headcounts([unit]).get(unit.pk, default)


class ScopedPageMixin(LoginRequiredMixin):
    """Require sign-in, and the ``required_action`` somewhere in the caller's scope (else 403)."""

    required_action: str | None = None
    nav_active = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_action and not request.scope.can_anywhere(self.required_action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_active", self.nav_active)
        return super().get_context_data(**kwargs)


class UnitTreeView(PartialTemplateMixin, ScopedPageMixin, TemplateView):
    """The agencies in the caller's scope; each opens its sub-units on demand."""

    required_action = Action.VIEW_ORG
    nav_active = "units"
    template_name = "organisations/unit_tree.html"
    partial_template_name = "organisations/partials/_unit_tree.html"

    def get_context_data(self, **kwargs):
        # Read only when the tree is rendered: the template keeps it (``{% kept %}``) until the
        # next write, and a kept answer reads none of this.
        tree = once(self.tree)
        return super().get_context_data(
            units=SimpleLazyObject(lambda: tree()["units"]),
            total=lambda: tree()["total"],
            roots_are_agencies=lambda: tree()["roots_are_agencies"],
            searching=lambda: tree()["searching"],
            limit=UNIT_SEARCH_LIMIT,
            q=self.request.GET.get("q", ""),
            **kwargs,
        )

    def tree(self) -> dict[str, Any]:
        scope = self.request.scope
        visible = OrgUnit.objects.within(scope)
        filterset = OrgUnitFilter(self.request.GET, queryset=visible)
        searching = bool(self.request.GET.get("q", "").strip()) and filterset.is_valid()
        if searching:
            matches = filterset.qs.select_related("agency", "parent").order_by("sort_key", "path")
            total = matches.count()
            units = list(matches[:UNIT_SEARCH_LIMIT])
        else:
            visible_ids = OrgUnit.objects.within(scope).active_on().values("pk")
            roots = visible.active_on().exclude(parent__in=visible_ids).order_by("sort_key", "name")
            units = list(with_children_flag(roots, scope))
            total = len(units)
        set_headcounts(scope, units, self.request)
        return {
            "units": units,
            "total": total,
            # The roots of an agency-wide reach are agencies; a narrower one starts lower down.
            "roots_are_agencies": all(unit.parent_id is None for unit in units),
            "searching": searching,
        }


def with_children_flag(queryset, scope: Scope):
    """Annotate ``has_children``: whether the unit has active sub-units the caller may view."""
    children = OrgUnit.objects.within(scope).active_on().filter(parent=OuterRef("pk"))
    return queryset.annotate(has_children=Exists(children))


class UnitChildrenView(ScopedPageMixin, TemplateView):
    """The sub-units of one unit, as a fragment for the tree."""

    required_action = Action.VIEW_ORG
    template_name = "organisations/partials/_unit_children.html"

    def get(self, request, *args, **kwargs):
        parent = get_object_or_404(OrgUnit.objects.within(request.scope), pk=kwargs["pk"])
        if not is_partial(request):
            return redirect(parent)
        children = list(
            with_children_flag(
                OrgUnit.objects.within(request.scope).active_on().filter(parent=parent),
                request.scope,
            ).order_by("sort_key", "name")
        )
        set_headcounts(request.scope, children, request)
        return self.render_to_response(self.get_context_data(parent=parent, units=children))


class UnitDetailView(LoginRequiredMixin, TemplateView):
    """One unit: identity, lineage, head, sub-units, positions, head-count and history."""

    template_name = "organisations/unit_detail.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        visible = OrgUnit.objects.within(scope)
        unit = get_object_or_404(
            visible.select_related("parent", "agency", "region"), pk=self.kwargs["pk"]
        )
        positions = list(
            Position.objects.within(scope)
            .filter(unit=unit)
            .order_by("-is_active", "-is_head", "title")
        )
        holders = defaultdict(list)
        for employee in (
            Employee.objects.within(scope)
            .filter(position__in=[p.pk for p in positions], is_active=True)
            .order_by("name")
        ):
            holders[employee.position_id].append(employee)
        for position in positions:
            position.current_holders = holders.get(position.pk, [])
        head_position = next((p for p in positions if p.is_head and p.is_active), None)
        acting_heads = []
        if head_position is not None:
            acting_heads = list(
                ActingAssignment.objects.active_on(timezone.localdate())
                .filter(position=head_position)
                .select_related("employee")
                .order_by("-valid_from")
            )
            seen = visible_employee_ids(scope, [a.employee_id for a in acting_heads])
            for acting in acting_heads:
                acting.visible = acting.employee_id in seen
        sub_units = list(visible.filter(parent=unit).order_by("valid_to", "sort_key", "name"))
        set_headcounts(scope, sub_units, self.request)
        staff = Employee.objects.within(scope).filter(
            unit__path__startswith=unit.path, is_active=True
        )
        # The unit's staff by status within the caller's reach, kept until the next write.
        by_status = kept(
            "unit.by_status",
            staff.count_by_status,
            scope=scope,
            request=self.request,
            parts=(unit.pk,),
        )
        headcount = sum(by_status.values())
        # A viewer whose reach does not cover the whole unit sees "within your access" beside
        # each figure, with the unit's whole figure (figures.py says why that is not personal).
        org_whole = scope.can(Action.VIEW_ORG, unit.path)
        people_whole = scope.can(Action.VIEW_PEOPLE, unit.path)
        whole = None if org_whole and people_whole else unit_whole(unit)
        headcount_total = headcount if people_whole else subtree_headcounts_whole(unit, headcount)
        return super().get_context_data(
            unit=unit,
            nav_active="units",
            head_position=head_position,
            acting_heads=acting_heads,
            head=head_position.current_holders[0]
            if head_position and head_position.current_holders
            else None,
            positions=positions,
            sub_units=sub_units,
            predecessors=visible.filter(pk__in=unit.predecessors.values("pk")).order_by("name"),
            successors=visible.filter(pk__in=unit.successors.values("pk")).order_by("name"),
            status_rows=share_rows(by_status, EmployeeStatus.choices),
            headcount=headcount,
            headcount_total=headcount_total,
            headcount_partial=headcount_total != headcount,
            whole=whole,
            org_partial=not org_whole,
            is_active_today=unit.is_active_on(timezone.localdate()),
            can_list_people=scope.can(Action.VIEW_PEOPLE, unit.path),
            can_change_org=scope.can(Action.CHANGE_ORG, unit.path),
            can_change_people=scope.can(Action.CHANGE_PEOPLE, unit.path),
            parent_visible=bool(unit.parent_id) and visible.filter(pk=unit.parent_id).exists(),
            agency_visible=visible.filter(pk=unit.agency_id).exists(),
            **kwargs,
        )


class EmployeeListMixin:
    """The scoped, filtered and ordered employee queryset shared by the list and the export."""

    action = Action.VIEW_PEOPLE

    def get_filterset(self) -> EmployeeFilter:
        queryset = Employee.objects.within(self.request.scope, self.action)
        return EmployeeFilter(self.request.GET, queryset=queryset)

    def get_sort(self) -> str:
        sort = self.request.GET.get("sort", "name")
        return sort if sort.lstrip("-") in EMPLOYEE_SORTS else "name"

    def filtered_queryset(self):
        filterset = self.get_filterset()
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        sort = self.get_sort()
        fields = EMPLOYEE_SORTS[sort.lstrip("-")]
        if sort.startswith("-"):
            fields = tuple(f"-{field}" for field in fields)
        return filterset, queryset.order_by(*fields)


# What a page about one employee reads before its kept parts: its title and whether it opens.
EMPLOYEE_HEAD_FIELDS = ("id", "name", "front_title", "back_title", "is_active", "unit")

# The columns the employee table shows, and no more: a page of 50 loads four models a row, and
# their other fields (timestamps, duties) cost more to read than the rest of the page.
EMPLOYEE_LIST_FIELDS = (
    *("nip", "name", "front_title", "back_title", "status", "grade", "is_active"),
    *("instansi_id", "unit__name", "unit__path", "unit__agency__name"),
    *("position__title", "position__eselon"),
)


class EmployeeListView(PartialTemplateMixin, ScopedPageMixin, EmployeeListMixin, TemplateView):
    """The employees in scope: search, filters, sortable columns and 50 a page."""

    required_action = Action.VIEW_PEOPLE
    nav_active = "employees"
    template_name = "organisations/employee_list.html"
    partial_template_name = "organisations/partials/_employee_table.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        # The filters, the count and the page are read only when the table is rendered: the
        # template keeps the filters and the table (``{% kept %}``) until the next write.
        listing = once(self.listing)
        params = self.request.GET.copy()
        params.pop("page", None)
        sort_params = params.copy()
        sort_params.pop("sort", None)
        export_params = params.copy()
        export_params.pop("format", None)
        return super().get_context_data(
            filterset=SimpleLazyObject(lambda: listing()[0]),
            page_obj=SimpleLazyObject(lambda: listing()[1]),
            employees=SimpleLazyObject(lambda: listing()[1].object_list),
            sort=self.get_sort(),
            query=params.urlencode(),
            sort_query=sort_params.urlencode(),
            export_query=export_params.urlencode(),
            can_export=scope.can_anywhere(Action.EXPORT),
            can_add_employee=scope.can_anywhere(Action.CHANGE_PEOPLE),
            unit_choices=lambda: self.unit_choices(listing()[0]),
            status_choices=EmployeeStatus.choices,
            grade_group_choices=grade_group_choices,
            position_kind_choices=position_kind_choices,
            **kwargs,
        )

    def listing(self):
        """The filter set and the page of employees asked for."""
        filterset, queryset = self.filtered_queryset()
        queryset = queryset.select_related("unit", "unit__agency", "position").only(
            *EMPLOYEE_LIST_FIELDS
        )
        paginator = CappedPaginator(queryset, EMPLOYEES_PER_PAGE, cap=cap_for(self.request.GET))
        return filterset, paginator.get_page(self.request.GET.get("page"))

    def unit_choices(self, filterset):
        """The units the unit filter holds in the page: the tops of the caller's reach (the
        agencies, for a province-wide role) and the chosen unit. Without JavaScript that is the
        filter; with it, any other unit is found by searching (the filter-units lookup)."""
        scope = self.request.scope
        reach = OrgUnit.objects.within(scope, Action.VIEW_PEOPLE)
        fields = ("sort_key", "path", "pk", "name", "code")

        def tops():
            units = reach.active_on().exclude(parent__in=reach.values("pk"))
            return list(units.order_by("sort_key", "path").values_list(*fields))

        # The tops of a reach change only with a write to the units: kept until then.
        units = kept("employee_list.unit_tops", tops, scope=scope, request=self.request)
        chosen = filterset.form.data.get("unit")
        known = {str(pk) for _key, _path, pk, _name, _code in units}
        if chosen and str(chosen).isdigit() and len(str(chosen)) < 19 and str(chosen) not in known:
            units = sorted([*units, *reach.filter(pk=chosen).values_list(*fields)])
        return [
            (pk, unit_label(OrgUnit(name=name, code=code))) for _key, _path, pk, name, code in units
        ]


class EmployeeExportView(ScopedPageMixin, EmployeeListMixin, View):
    """The filtered employee list as an Excel workbook (or CSV with ``?format=csv``)."""

    required_action = Action.EXPORT
    action = Action.EXPORT

    def get(self, request, *args, **kwargs):
        _filterset, queryset = self.filtered_queryset()
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        filename = f"pegawai-{timezone.localtime():%Y%m%d-%H%M}"
        return export_response(EmployeeReport(queryset), filename=filename, fmt=fmt)


def _retirement_months(request) -> int:
    """The window asked for (6, 12 or 24 months); 12 for anything else."""
    value = request.GET.get("months", "")
    return int(value) if value.isdigit() and int(value) in MONTH_CHOICES else MONTH_CHOICES[1]


def _retirement_unit(request) -> OrgUnit | None:
    """The unit subtree asked for (``unit``), when the caller may see it; None for all."""
    value = request.GET.get("unit", "")
    if not (value.isascii() and value.isdigit() and 0 < len(value) < 19):
        return None
    return OrgUnit.objects.within(request.scope).filter(pk=int(value)).first()


def _retiring(request, action: str, today) -> tuple[Any, int, OrgUnit | None]:
    """The civil servants in reach reaching BUP in the chosen window, in the chosen subtree."""
    months, unit = _retirement_months(request), _retirement_unit(request)
    employees = Employee.objects.within(request.scope, action)
    if unit is not None:
        employees = employees.filter(unit__path__startswith=unit.path)
    return reaching_bup(employees, today=today, months=months), months, unit


class EmployeeNominatifView(ScopedPageMixin, EmployeeListMixin, View):
    """The filtered employee list as a nominatif (No., NIP, Nama, Pangkat/Gol, Jabatan, Unit,
    OPD) in Excel, or CSV with ``?format=csv``."""

    required_action = Action.EXPORT
    action = Action.EXPORT

    def get(self, request, *args, **kwargs):
        _filterset, queryset = self.filtered_queryset()
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        filename = f"nominatif-pegawai-{timezone.localtime():%Y%m%d-%H%M}"
        return export_response(NominatifReport(queryset), filename=filename, fmt=fmt)


class LookupView(ScopedPageMixin, View):
    """Search for the options of a searchable select: JSON ``{"results": [...], "more": bool}``.

    Each result is ``{"value": id, "text": label, "hint": detail}``, at most ``LOOKUP_LIMIT``;
    ``q`` searches. A caller without ``required_action`` anywhere gets 403; what they may not
    reach is simply not found.
    """

    def options(self, request, query: str):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        results, more = self.options(request, request.GET.get("q", ""))
        response = JsonResponse({"results": [o.as_json() for o in results], "more": more})
        response["Cache-Control"] = "private, no-store"
        return response


class EmployeeUnitLookupView(LookupView):
    """Units open today that the caller may assign people to (the employee form's unit)."""

    required_action = Action.CHANGE_PEOPLE

    def options(self, request, query):
        return unit_options(request.scope, Action.CHANGE_PEOPLE, query)


class EmployeePositionLookupView(LookupView):
    """Active posts the caller may assign people to; ``unit`` keeps to that unit's posts."""

    required_action = Action.CHANGE_PEOPLE

    def options(self, request, query):
        unit = request.GET.get("unit", "")
        if unit and not (unit.isascii() and unit.isdigit() and len(unit) < 19):
            return [], False
        unit_id = int(unit) if unit else None
        return position_options(request.scope, Action.CHANGE_PEOPLE, query, unit_id=unit_id)


class EmployeeFilterUnitLookupView(LookupView):
    """Units for the employee list's unit filter: those whose staff the caller may list."""

    required_action = Action.VIEW_PEOPLE

    def options(self, request, query):
        return unit_options(request.scope, Action.VIEW_PEOPLE, query)


class RetirementListView(PartialTemplateMixin, ScopedPageMixin, TemplateView):
    """Civil servants in scope who reach the retirement age (BUP) within 6, 12 or 24 months."""

    required_action = Action.VIEW_PEOPLE
    nav_active = "retirement"
    template_name = "organisations/retirement_list.html"
    partial_template_name = "organisations/partials/_retirement_table.html"

    def get_context_data(self, **kwargs):
        today = retirement.today()
        queryset, months, unit = _retiring(self.request, Action.VIEW_PEOPLE, today)
        # Who reaches BUP, in order, is worked out over the whole reach (each employee's age
        # rule, then a sort by retirement month): kept until the next write, the list then
        # pages through ids.
        ids = kept(
            "retirement.ids",
            lambda: list(queryset.values_list("pk", flat=True)),
            scope=self.request.scope,
            request=self.request,
            parts=(months, unit.pk if unit else ""),
            on=today,
        )
        page = Paginator(ids, EMPLOYEES_PER_PAGE).get_page(self.request.GET.get("page"))
        found = queryset.select_related("unit", "position").in_bulk(list(page.object_list))
        page.object_list = [found[pk] for pk in page.object_list if pk in found]
        query = urlencode({"months": months, **({"unit": unit.pk} if unit else {})})
        return super().get_context_data(
            months=months,
            unit=unit,
            month_choices=MONTH_CHOICES,
            horizon=add_months(today, months),
            page_obj=page,
            rows=with_dates(page.object_list, today=today),
            query=query,
            can_export=self.request.scope.can_anywhere(Action.EXPORT),
            **kwargs,
        )


class RetirementExportView(ScopedPageMixin, View):
    """The retirement list of the chosen window as an Excel workbook (every row, not a page)."""

    required_action = Action.EXPORT

    def get(self, request, *args, **kwargs):
        today = retirement.today()
        queryset, months, _unit = _retiring(request, Action.EXPORT, today)
        filename = f"pensiun-{months}-bulan-{today:%Y%m%d}"
        return export_response(RetirementReport(queryset, today=today), filename=filename)


class EmployeeMeView(LoginRequiredMixin, View):
    """Send the caller to their own employee record."""

    def get(self, request, *args, **kwargs):
        if not request.scope.employee_id:
            raise Http404
        return redirect("organisations:employee_detail", pk=request.scope.employee_id)


class EmployeeDetailView(LoginRequiredMixin, TemplateView):
    """One employee: identity (with the NIP's parts), post, assignment history and audit."""

    template_name = "organisations/employee_detail.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        # Read now: whether the caller may see the employee (404), and the title's fields.
        employee = get_object_or_404(
            Employee.objects.within(scope)
            .only(*EMPLOYEE_HEAD_FIELDS)
            .annotate(unit_path=F("unit__path")),
            pk=self.kwargs["pk"],
        )
        # The record and its parts are read only when rendered: the template keeps them
        # (``{% kept %}``) until the next write, and a kept answer reads none of them.
        record = once(
            lambda: (
                Employee.objects.within(scope)
                .select_related("unit", "unit__agency", "position")
                .get(pk=employee.pk)
            )
        )
        details = once(lambda: self.details(record()))
        lazy = {
            name: (lambda name=name: details()[name])
            for name in (
                *("acting", "acting_now", "position_visible", "superior", "superior_2"),
                *("nip_parts", "appointment", "assignments", "grade_label", "position_tmt"),
                *("retires", "unit_visible"),
            )
        }
        return super().get_context_data(
            employee=employee,
            record=SimpleLazyObject(record),
            can_change=scope.can(Action.CHANGE_PEOPLE, employee.unit_path),
            nav_active="me" if employee.pk == scope.employee_id else "employees",
            **lazy,
            **kwargs,
        )

    def details(self, employee: Employee) -> dict[str, Any]:
        scope = self.request.scope
        nip_parts = None
        if employee.nip:
            try:
                nip_parts = parse_nip(employee.nip, pppk=employee.status == EmployeeStatus.PPPK)
            except ValidationError:
                nip_parts = None
        assignments = list(
            Assignment.objects.within(scope)
            .filter(employee=employee)
            .select_related("unit", "position")
            .order_by("-valid_from", "-pk")
        )
        # The TMT of the post is the start of the open assignment (kept once, with its history).
        position_tmt = next((a.valid_from for a in assignments if a.valid_to is None), None)
        retires = None
        if employee.birth_date and employee.status in retirement.BUP_STATUSES:
            post = employee.position
            age = retirement.bup_age(
                post.kind if post else "",
                post.eselon if post else "",
                post.title if post else "",
                on=retirement.today(),
            )
            retires = {"age": age, "date": retirement.retirement_date(employee.birth_date, age)}
        appointment = None
        if nip_parts and nip_parts.appointment_month:
            appointment = dt.date(nip_parts.appointment_year, nip_parts.appointment_month, 1)
        superiors = holder_rows(scope, selectors.chain_up(employee, timezone.localdate())[:2])
        superiors += [None] * (2 - len(superiors))
        acting = _mark_acting(
            scope,
            ActingAssignment.objects.filter(employee=employee)
            .select_related("employee", "position", "position__unit")
            .order_by("-valid_from", "-pk"),
        )
        return {
            "acting": acting,
            "acting_now": [a for a in acting if a.is_current],
            "position_visible": bool(_visible_position_ids(scope, [employee.position_id])),
            "superior": superiors[0],
            "superior_2": superiors[1],
            "nip_parts": nip_parts,
            "appointment": appointment,
            "assignments": assignments,
            "grade_label": services.grade_label(employee.grade),
            "position_tmt": position_tmt,
            "retires": retires,
            "unit_visible": OrgUnit.objects.within(scope).filter(pk=employee.unit_id).exists(),
        }


class MyReportsView(LoginRequiredMixin, TemplateView):
    """The caller's direct reports today: the people whose superior (evaluator) they are."""

    template_name = "organisations/my_reports.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        if not scope.employee_id:
            raise Http404
        today = timezone.localdate()
        reports = selectors.direct_reports(scope.employee_id, today)
        posts = Position.objects.select_related("unit").in_bulk([r.position_id for r in reports])
        seen = visible_employee_ids(scope, [r.employee.pk for r in reports])
        rows = [
            {
                "employee": r.employee,
                "position": posts[r.position_id],
                "visible": r.employee.pk in seen,
            }
            for r in reports
        ]
        return super().get_context_data(reports=rows, today=today, nav_active="reports", **kwargs)


# Write pages ------------------------------------------------------------------------------------
# Thin: find the object in the caller's scope, check the right, bind the form, call one service.


def _changeable_employee(request, pk, *, head: bool = False) -> Employee:
    """The employee the caller may change; 403 if they may only view them, else 404.

    With ``head``, only the fields of a page's title are read (``EMPLOYEE_HEAD_FIELDS``).
    """
    scope = request.scope
    employees = Employee.objects.within(scope, Action.CHANGE_PEOPLE)
    if head:
        employees = employees.only(*EMPLOYEE_HEAD_FIELDS)
    else:
        employees = employees.select_related("unit", "position")
    employee = employees.filter(pk=pk).first()
    if employee is not None:
        return employee
    if Employee.objects.within(scope).filter(pk=pk).exists():
        raise PermissionDenied
    raise Http404


def _changeable_unit(request, pk) -> OrgUnit:
    """The unit the caller may change; 403 if they may only view it, else 404."""
    unit = get_object_or_404(OrgUnit.objects.within(request.scope), pk=pk)
    if not request.scope.can(Action.CHANGE_ORG, unit.path):
        raise PermissionDenied
    return unit


def warn_formation(request, employee: Employee) -> None:
    """Show a warning (not a refusal) when the employee's post is now past its formation."""
    warning = services.formation_warning(employee.position)
    if warning:
        messages.warning(request, warning)


class FormPageView(LoginRequiredMixin, TemplateView):
    """Render a form page (GET) or handle its POST; subclasses say what the form is and does."""

    template_name = "organisations/object_form.html"
    nav_active = ""
    # Whether the fields of the empty form (a GET) are kept (``{% kept %}``) until the next
    # write: they show the object as stored, what the path names, and the caller's reach. The
    # form's own tag, its CSRF token and any posted form with its errors are never kept.
    keep_fields = False

    def get_object(self):
        return None

    def get_form(self, obj, data=None):
        raise NotImplementedError

    def save(self, form, obj):
        """Call the service; return the object to redirect to."""
        raise NotImplementedError

    def page_context(self, obj) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        page = {**self.page_context(obj), "keep_fields": self.keep_fields}
        return self.render_form(self.get_form(obj), page)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        page = self.page_context(obj)  # before the service call, which may change ``obj``
        form = self.get_form(obj, data=request.POST)
        lookup = request.POST.get("_lookup")
        if lookup and hasattr(form, "offer_search_results"):
            return self.render_form(self.search_form(obj, form, lookup), page)
        if form.is_valid():
            try:
                target = self.save(form, obj)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, self.success_message)
                return redirect(target)
        return self.render_form(form, page, status=400)

    def search_form(self, obj, posted, field_name: str):
        """The form again, unsaved and unchecked, holding what was posted and the matches of
        ``field_name``'s search: the search of a searchable select without JavaScript."""
        form = self.get_form(obj)
        form.initial.update({name: posted[name].data for name in posted.fields})
        form.offer_search_results(posted.data, field_name)
        return form

    def render_form(self, form, page: dict, status=200):
        context = self.get_context_data(form=form, nav_active=self.nav_active, **page)
        return self.render_to_response(context, status=status)


class EmployeeUpdateView(FormPageView):
    nav_active = "employees"
    success_message = gettext_lazy("The employee has been saved.")
    keep_fields = True

    def get(self, request, *args, **kwargs):
        # Read now: whether the caller may change the employee (403, 404), and the title's
        # fields. The record and its form only when the fields are rendered: they are kept.
        head = _changeable_employee(request, self.kwargs["pk"], head=True)
        form = once(lambda: self.get_form(self.get_object()))
        page = {**self.page_context(head), "keep_fields": True, "uses_lookups": True}
        return self.render_form(SimpleLazyObject(form), page)

    def get_object(self):
        return _changeable_employee(self.request, self.kwargs["pk"])

    def get_form(self, obj, data=None):
        initial = {name: getattr(obj, name) for name in EmployeeUpdateForm.data_fields}
        return EmployeeUpdateForm(data, initial=initial, scope=self.request.scope)

    def save(self, form, obj):
        employee = services.employee_update(
            actor=self.request.user,
            scope=self.request.scope,
            employee=obj,
            data=form.service_data(),
            reason=form.cleaned_data["reason"],
            effective=form.cleaned_data["effective"],
        )
        warn_formation(self.request, employee)
        return employee

    def page_context(self, obj):
        return {
            "pretitle": gettext("Edit employee"),
            "heading": obj.display_name,
            "cancel_url": obj.get_absolute_url(),
            "submit_label": gettext("Save"),
        }


class EmployeeCreateView(ScopedPageMixin, FormPageView):
    required_action = Action.CHANGE_PEOPLE
    nav_active = "employees"
    success_message = gettext_lazy("The employee has been added.")

    def get_form(self, obj, data=None):
        return EmployeeForm(data, scope=self.request.scope)

    def save(self, form, obj):
        scope = self.request.scope
        employee = services.employee_create(
            actor=self.request.user,
            scope=scope,
            instansi=get_object_or_404(Instansi, pk=scope.instansi_id),
            data=form.service_data(),
            valid_from=form.cleaned_data["start_date"],
        )
        warn_formation(self.request, employee)
        return employee

    def page_context(self, obj):
        return {
            "pretitle": gettext("Employees"),
            "heading": gettext("Add employee"),
            "cancel_url": reverse("organisations:employee_list"),
            "submit_label": gettext("Add employee"),
        }


class UnitUpdateView(FormPageView):
    nav_active = "units"
    success_message = gettext_lazy("The unit has been saved.")

    def get_object(self):
        return _changeable_unit(self.request, self.kwargs["pk"])

    def get_form(self, obj, data=None):
        initial = {name: getattr(obj, name) for name in UnitForm.data_fields}
        return UnitForm(data, initial=initial, scope=self.request.scope, unit=obj)

    def save(self, form, obj):
        return services.unit_update(
            actor=self.request.user,
            scope=self.request.scope,
            unit=obj,
            data=form.service_data(),
            reason=form.cleaned_data["reason"],
        )

    def page_context(self, obj):
        return {
            "pretitle": gettext("Edit unit"),
            "heading": obj.name,
            "cancel_url": obj.get_absolute_url(),
            "submit_label": gettext("Save"),
        }


class UnitCreateView(FormPageView):
    nav_active = "units"
    success_message = gettext_lazy("The sub-unit has been added.")

    def get_object(self):
        return _changeable_unit(self.request, self.kwargs["pk"])

    def get_form(self, obj, data=None):
        return UnitCreateForm(data, scope=self.request.scope)

    def save(self, form, obj):
        return services.unit_create(
            actor=self.request.user,
            scope=self.request.scope,
            instansi=obj.instansi,
            data={**form.service_data(), "parent": obj},
        )

    def page_context(self, obj):
        return {
            "pretitle": obj.name,
            "heading": gettext("Add sub-unit"),
            "cancel_url": obj.get_absolute_url(),
            "submit_label": gettext("Add sub-unit"),
        }


class VacantPostListView(PartialTemplateMixin, ScopedPageMixin, TemplateView):
    """The vacant structural posts in the caller's reach, by unit subtree and kind of post."""

    required_action = Action.VIEW_ORG
    nav_active = "units"
    template_name = "organisations/position_vacant.html"
    partial_template_name = "organisations/partials/_position_vacant_table.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        filterset = PositionFilter(self.request.GET, queryset=vacant_structural_posts(scope))
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        queryset = queryset.select_related("unit").order_by("unit__path", "-is_head", "title", "pk")
        page = Paginator(queryset, EMPLOYEES_PER_PAGE).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        chosen = filterset.form.data.get("unit")
        unit = None
        if chosen and str(chosen).isdigit():
            unit = OrgUnit.objects.within(scope).filter(pk=chosen).first()
        return super().get_context_data(
            filterset=filterset,
            page_obj=page,
            positions=page.object_list,
            query=params.urlencode(),
            unit=unit,
            kind_choices=[(k, label) for k, label in PositionKind.choices if k in STRUCTURAL_KINDS],
            **kwargs,
        )


# Posts, reporting lines and acting officials -----------------------------------------------------

ACTING_PER_PAGE = 50


def _visible_position_ids(scope: Scope, ids) -> set[int]:
    """Return which of the posts ``ids`` the caller may open (one query)."""
    ids = sorted({pk for pk in ids if pk})
    if not ids:
        return set()
    return set(Position.objects.within(scope).filter(pk__in=ids).values_list("pk", flat=True))


def _in_force(row, day: dt.date) -> bool:
    """Whether a dated row (both ends inclusive, an open end empty) runs on ``day``."""
    return row.valid_from <= day and (row.valid_to is None or row.valid_to >= day)


def _mark_acting(scope: Scope, rows) -> list:
    """Mark each acting assignment with whether its employee and its post may be opened."""
    rows = list(rows)
    people = visible_employee_ids(scope, [a.employee_id for a in rows])
    posts = _visible_position_ids(scope, [a.position_id for a in rows])
    today = timezone.localdate()
    for acting in rows:
        acting.employee_visible = acting.employee_id in people
        acting.position_visible = acting.position_id in posts
        acting.is_current = _in_force(acting, today)
        acting.is_planned = acting.valid_from > today
        running = acting.valid_to is None or acting.valid_to >= today
        acting.can_end = running and scope.can(Action.CHANGE_PEOPLE, acting.position.unit.path)
    return rows


class PositionDetailView(LoginRequiredMixin, TemplateView):
    """One post: its unit, holders, the dated history of its reporting line, the posts that
    report to it today and its acting officials (Plt, Plh)."""

    template_name = "organisations/position_detail.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        position = get_object_or_404(
            Position.objects.within(scope).select_related("unit"), pk=self.kwargs["pk"]
        )
        today = timezone.localdate()
        lines = list(
            ReportingLine.objects.filter(position=position)
            .select_related("reports_to", "reports_to__unit")
            .order_by("-valid_from", "-pk")
        )
        below = list(
            ReportingLine.objects.within(scope)
            .active_on(today)
            .filter(reports_to=position)
            .select_related("position", "position__unit")
            .order_by("position__unit__sort_key", "-position__is_head", "position__title")
        )
        shown = _visible_position_ids(scope, [line.reports_to_id for line in lines])
        for line in lines:
            line.is_current = _in_force(line, today)
            line.is_planned = line.valid_from > today
            line.target_visible = line.reports_to_id in shown
        holders = list(
            Employee.objects.within(scope)
            .filter(position=position, is_active=True)
            .order_by("name", "pk")
        )
        acting = _mark_acting(
            scope,
            ActingAssignment.objects.filter(position=position)
            .select_related("employee", "position__unit")
            .order_by("-valid_from", "-pk"),
        )
        return super().get_context_data(
            position=position,
            lines=lines,
            below=below,
            holders=holders,
            acting=acting,
            unit_visible=OrgUnit.objects.within(scope).filter(pk=position.unit_id).exists(),
            can_change_org=scope.can(Action.CHANGE_ORG, position.unit.path),
            can_change_people=scope.can(Action.CHANGE_PEOPLE, position.unit.path),
            nav_active="units",
            **kwargs,
        )


class ReportingLineSetView(FormPageView):
    """Set a post's reporting line from a date, with a reason (`services.reporting_line_set`)."""

    nav_active = "units"
    success_message = gettext_lazy("The reporting line has been set.")

    def get_object(self):
        position = get_object_or_404(
            Position.objects.within(self.request.scope).select_related("unit"),
            pk=self.kwargs["pk"],
        )
        if not self.request.scope.can(Action.CHANGE_ORG, position.unit.path):
            raise PermissionDenied
        return position

    def get_form(self, obj, data=None):
        initial = {"valid_from": timezone.localdate()}
        return ReportingLineForm(data, initial=initial, scope=self.request.scope, position=obj)

    def save(self, form, obj):
        return services.reporting_line_set(
            actor=self.request.user,
            scope=self.request.scope,
            position=obj,
            reports_to=form.cleaned_data["reports_to"],
            valid_from=form.cleaned_data["valid_from"],
            reason=form.cleaned_data["reason"],
        )

    def page_context(self, obj):
        return {
            "pretitle": f"{obj.title} · {obj.unit.name}",
            "heading": gettext("Set the reporting line"),
            "cancel_url": obj.get_absolute_url(),
            "submit_label": gettext("Set the line"),
        }


class SuperiorLookupView(LookupView):
    """Posts that ``position`` may report to: its unit's and those of the units above it."""

    required_action = Action.CHANGE_ORG

    def options(self, request, query):
        value = request.GET.get("position", "")
        if not (value.isascii() and value.isdigit() and len(value) < 19):
            return [], False
        position = (
            Position.objects.within(request.scope).select_related("unit").filter(pk=value).first()
        )
        if position is None:
            return [], False
        return superior_options(request.scope, position, query)


class ActingEmployeeLookupView(LookupView):
    """Active employees the caller may see, by name or NIP: who may be appointed acting."""

    required_action = Action.CHANGE_PEOPLE

    def options(self, request, query):
        return employee_options(request.scope, Action.VIEW_PEOPLE, query)


class ActingListView(PartialTemplateMixin, ScopedPageMixin, TemplateView):
    """Acting officials (Plt, Plh) of the posts in the caller's reach: current, planned, ended."""

    required_action = Action.VIEW_PEOPLE
    nav_active = "acting"
    template_name = "organisations/acting_list.html"
    partial_template_name = "organisations/partials/_acting_list_table.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        data = self.request.GET.copy()
        if "status" not in data:
            data["status"] = ACTING_CURRENT
        queryset = ActingAssignment.objects.within(scope, Action.VIEW_PEOPLE)
        filterset = ActingFilter(data, queryset=queryset)
        rows = filterset.qs if filterset.is_valid() else queryset.none()
        rows = rows.select_related("employee", "position", "position__unit").order_by(
            "-valid_from", "-pk"
        )
        page = Paginator(rows, ACTING_PER_PAGE).get_page(self.request.GET.get("page"))
        params = data.copy()
        params.pop("page", None)
        unit = None
        chosen = filterset.form.data.get("unit")
        if chosen and str(chosen).isascii() and str(chosen).isdigit() and len(str(chosen)) < 19:
            unit = OrgUnit.objects.within(scope).filter(pk=chosen).first()
        return super().get_context_data(
            filterset=filterset,
            status=filterset.form.data.get("status"),
            status_choices=[("", gettext("All")), *acting_status_choices()],
            unit=unit,
            page_obj=page,
            rows=_mark_acting(scope, page.object_list),
            query=params.urlencode(),
            can_appoint=scope.can_anywhere(Action.CHANGE_PEOPLE),
            **kwargs,
        )


class ActingCreateView(ScopedPageMixin, FormPageView):
    """Appoint an acting official (`services.acting_create`); ``?position=`` fills in the post."""

    required_action = Action.CHANGE_PEOPLE
    nav_active = "units"
    success_message = gettext_lazy("The acting official has been appointed.")

    def get_form(self, obj, data=None):
        initial = {"valid_from": timezone.localdate()}
        chosen = self.request.GET.get("position", "")
        if chosen.isascii() and chosen.isdigit() and len(chosen) < 19:
            initial["position"] = chosen
        return ActingForm(data, initial=initial, scope=self.request.scope)

    def save(self, form, obj):
        data = form.cleaned_data
        acting = services.acting_create(
            actor=self.request.user,
            scope=self.request.scope,
            employee=data["employee"],
            position=data["position"],
            kind=data["kind"],
            decree_number=data["decree_number"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            reason=data["reason"],
        )
        return acting.position

    def page_context(self, obj):
        return {
            "pretitle": gettext("Acting officials"),
            "heading": gettext("Appoint an acting official"),
            "cancel_url": reverse("organisations:acting_list"),
            "submit_label": gettext("Appoint"),
        }


class ActingEndView(FormPageView):
    """End an acting assignment on a date (`services.acting_end`)."""

    nav_active = "units"
    success_message = gettext_lazy("The acting assignment has been ended.")

    def get_object(self):
        scope = self.request.scope
        acting = get_object_or_404(
            ActingAssignment.objects.within(scope, Action.VIEW_PEOPLE).select_related(
                "employee", "position", "position__unit"
            ),
            pk=self.kwargs["pk"],
        )
        if not scope.can(Action.CHANGE_PEOPLE, acting.position.unit.path):
            raise PermissionDenied
        return acting

    def get_form(self, obj, data=None):
        initial = {"valid_to": obj.valid_to or timezone.localdate()}
        return ActingEndForm(data, initial=initial)

    def save(self, form, obj):
        acting = services.acting_end(
            actor=self.request.user,
            scope=self.request.scope,
            acting=obj,
            on=form.cleaned_data["valid_to"],
            reason=form.cleaned_data["reason"],
        )
        return acting.position

    def page_context(self, obj):
        return {
            "pretitle": f"{obj.get_kind_display()} {obj.position.title}",
            "heading": gettext("End the acting assignment of %(name)s")
            % {"name": obj.employee.display_name},
            "cancel_url": obj.position.get_absolute_url(),
            "submit_label": gettext("End"),
        }
