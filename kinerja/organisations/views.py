"""Pages of the organisation registry: the unit tree, units, the employee list and records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView, View

from kinerja.core.excel import export_response
from kinerja.core.pagination import CappedPaginator
from kinerja.core.scope import Action, Scope
from kinerja.core.views import share_rows

from . import services
from .choices import EmployeeStatus
from .filters import EmployeeFilter, OrgUnitFilter
from .forms import EmployeeForm, EmployeeUpdateForm, UnitCreateForm, UnitForm
from .models import PATH_STEP, Assignment, Employee, Instansi, OrgUnit, Position
from .nip import format_nip
from .reports import EmployeeReport
from .validators import parse_nip

EMPLOYEES_PER_PAGE = 50
UNIT_SEARCH_LIMIT = 100
# Units offered in the employee list's unit filter: agencies and two levels below.
UNIT_CHOICE_MAX_DEPTH = 2
EMPLOYEE_SORTS = {
    "name": ("name", "pk"),
    "nip": ("nip", "pk"),
    "unit": ("unit__name", "name", "pk"),
    "status": ("status", "name", "pk"),
}


def subtree_headcounts(scope: Scope, units) -> dict[int, int]:
    """Return {unit pk: active employees in the unit and all units below it} for ``units``.

    One grouped query over the units' subtrees, then sums along each path in Python, so the cost
    is one row per unit with staff, not one query per unit.
    """
    units = list(units)
    if not units:
        return {}
    q = Q()
    for unit in units:
        q |= Q(unit__path__startswith=unit.path)
    per_path = (
        Employee.objects.within(scope)
        .filter(q, is_active=True)
        .values_list("unit__path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    step = PATH_STEP + 1
    by_prefix: dict[str, int] = defaultdict(int)
    for path, n in per_path:
        for end in range(step, len(path) + 1, step):
            by_prefix[path[:end]] += n
    return {unit.pk: by_prefix.get(unit.path, 0) for unit in units}


def is_partial(request) -> bool:
    """An HTMX request that wants a fragment (not a history restore, which needs the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


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


class UnitTreeView(ScopedPageMixin, TemplateView):
    """The agencies in the caller's scope; each opens its sub-units on demand."""

    required_action = Action.VIEW_ORG
    nav_active = "units"
    template_name = "organisations/unit_tree.html"
    partial_template_name = "organisations/partials/_unit_tree.html"

    def get_template_names(self):
        return [self.partial_template_name if is_partial(self.request) else self.template_name]

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        visible = OrgUnit.objects.within(scope)
        filterset = OrgUnitFilter(self.request.GET, queryset=visible)
        searching = bool(self.request.GET.get("q", "").strip()) and filterset.is_valid()
        if searching:
            matches = filterset.qs.select_related("agency", "parent").order_by("path")
            total = matches.count()
            units = list(matches[:UNIT_SEARCH_LIMIT])
        else:
            visible_ids = OrgUnit.objects.within(scope).active().values("pk")
            roots = visible.active().exclude(parent__in=visible_ids).order_by("name")
            units = list(with_children_flag(roots, scope))
            total = len(units)
        counts = subtree_headcounts(scope, units)
        for unit in units:
            unit.subtree_headcount = counts.get(unit.pk, 0)
        return super().get_context_data(
            units=units,
            total=total,
            searching=searching,
            limit=UNIT_SEARCH_LIMIT,
            q=self.request.GET.get("q", ""),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


def with_children_flag(queryset, scope: Scope):
    """Annotate ``has_children``: whether the unit has active sub-units the caller may view."""
    children = OrgUnit.objects.within(scope).active().filter(parent=OuterRef("pk"))
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
                OrgUnit.objects.within(request.scope).active().filter(parent=parent), request.scope
            ).order_by("name")
        )
        counts = subtree_headcounts(request.scope, children)
        for unit in children:
            unit.subtree_headcount = counts.get(unit.pk, 0)
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
        sub_units = list(visible.filter(parent=unit).order_by("valid_to", "name"))
        counts = subtree_headcounts(scope, sub_units)
        for sub in sub_units:
            sub.subtree_headcount = counts.get(sub.pk, 0)
        staff = Employee.objects.within(scope).filter(
            unit__path__startswith=unit.path, is_active=True
        )
        by_status = staff.count_by_status()
        return super().get_context_data(
            unit=unit,
            nav_active="units",
            head_position=head_position,
            head=head_position.current_holders[0]
            if head_position and head_position.current_holders
            else None,
            positions=positions,
            sub_units=sub_units,
            predecessors=visible.filter(pk__in=unit.predecessors.values("pk")).order_by("name"),
            successors=visible.filter(pk__in=unit.successors.values("pk")).order_by("name"),
            status_rows=share_rows(by_status, EmployeeStatus.choices),
            headcount=sum(by_status.values()),
            is_active_today=unit.is_active_on(timezone.localdate()),
            can_list_people=scope.can(Action.VIEW_PEOPLE, unit.path),
            can_change_org=scope.can(Action.CHANGE_ORG, unit.path),
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


class EmployeeListView(ScopedPageMixin, EmployeeListMixin, TemplateView):
    """The employees in scope: search, filters, sortable columns and 50 a page."""

    required_action = Action.VIEW_PEOPLE
    nav_active = "employees"
    template_name = "organisations/employee_list.html"
    partial_template_name = "organisations/partials/_employee_table.html"

    def get_template_names(self):
        return [self.partial_template_name if is_partial(self.request) else self.template_name]

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        filterset, queryset = self.filtered_queryset()
        queryset = queryset.select_related("unit", "position")
        page = CappedPaginator(queryset, EMPLOYEES_PER_PAGE).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        sort_params = params.copy()
        sort_params.pop("sort", None)
        export_params = params.copy()
        export_params.pop("format", None)
        return super().get_context_data(
            filterset=filterset,
            page_obj=page,
            employees=page.object_list,
            sort=self.get_sort(),
            query=params.urlencode(),
            sort_query=sort_params.urlencode(),
            export_query=export_params.urlencode(),
            can_export=scope.can_anywhere(Action.EXPORT),
            can_add_employee=scope.can_anywhere(Action.CHANGE_PEOPLE),
            unit_choices=self.unit_choices(filterset),
            status_choices=EmployeeStatus.choices,
            **kwargs,
        )

    def unit_choices(self, filterset):
        units = (
            OrgUnit.objects.within(self.request.scope)
            .active()
            .filter(depth__lte=UNIT_CHOICE_MAX_DEPTH)
        )
        chosen = filterset.form.data.get("unit")
        if chosen and str(chosen).isdigit():
            units = units | OrgUnit.objects.within(self.request.scope).filter(pk=chosen)
        units = list(units.order_by("path").only("pk", "name", "depth"))
        for unit in units:
            indent = "\u00a0\u00a0\u00a0" * unit.depth
            unit.indented_name = f"{indent}└ {unit.name}" if unit.depth else unit.name
        return units

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


class EmployeeExportView(ScopedPageMixin, EmployeeListMixin, View):
    """The filtered employee list as an Excel workbook (or CSV with ``?format=csv``)."""

    required_action = Action.EXPORT
    action = Action.EXPORT

    def get(self, request, *args, **kwargs):
        _filterset, queryset = self.filtered_queryset()
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        filename = f"pegawai-{timezone.localtime():%Y%m%d-%H%M}"
        return export_response(EmployeeReport(queryset), filename=filename, fmt=fmt)


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
        employee = get_object_or_404(
            Employee.objects.within(scope).select_related("unit", "unit__agency", "position"),
            pk=self.kwargs["pk"],
        )
        nip_parts = None
        if employee.nip:
            try:
                nip_parts = parse_nip(employee.nip, pppk=employee.status == EmployeeStatus.PPPK)
            except ValidationError:
                nip_parts = None
        assignments = (
            Assignment.objects.within(scope)
            .filter(employee=employee)
            .select_related("unit", "position")
            .order_by("-start_date", "-pk")
        )
        is_self = employee.pk == scope.employee_id
        appointment = None
        if nip_parts and nip_parts.appointment_month:
            appointment = dt.date(nip_parts.appointment_year, nip_parts.appointment_month, 1)
        return super().get_context_data(
            employee=employee,
            nip_parts=nip_parts,
            nip_display=format_nip(employee.nip),
            appointment=appointment,
            assignments=assignments,
            unit_visible=OrgUnit.objects.within(scope).filter(pk=employee.unit_id).exists(),
            can_change=scope.can(Action.CHANGE_PEOPLE, employee.unit.path),
            nav_active="me" if is_self else "employees",
            **kwargs,
        )


# Write pages ------------------------------------------------------------------------------------
# Thin: find the object in the caller's scope, check the right, bind the form, call one service.


def _changeable_employee(request, pk) -> Employee:
    """The employee the caller may change; 403 if they may only view them, else 404."""
    scope = request.scope
    employee = (
        Employee.objects.within(scope, Action.CHANGE_PEOPLE)
        .select_related("unit", "position")
        .filter(pk=pk)
        .first()
    )
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


class FormPageView(LoginRequiredMixin, TemplateView):
    """Render a form page (GET) or handle its POST; subclasses say what the form is and does."""

    template_name = "organisations/object_form.html"
    nav_active = ""

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
        return self.render_form(self.get_form(obj), self.page_context(obj))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        page = self.page_context(obj)  # before the service call, which may change ``obj``
        form = self.get_form(obj, data=request.POST)
        if form.is_valid():
            try:
                target = self.save(form, obj)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, self.success_message)
                return redirect(target)
        return self.render_form(form, page, status=400)

    def render_form(self, form, page: dict, status=200):
        context = self.get_context_data(form=form, nav_active=self.nav_active, **page)
        return self.render_to_response(context, status=status)


class EmployeeUpdateView(FormPageView):
    nav_active = "employees"
    success_message = gettext_lazy("The employee has been saved.")

    def get_object(self):
        return _changeable_employee(self.request, self.kwargs["pk"])

    def get_form(self, obj, data=None):
        initial = {name: getattr(obj, name) for name in EmployeeUpdateForm.data_fields}
        return EmployeeUpdateForm(data, initial=initial, scope=self.request.scope)

    def save(self, form, obj):
        return services.employee_update(
            actor=self.request.user,
            scope=self.request.scope,
            employee=obj,
            data=form.service_data(),
            reason=form.cleaned_data["reason"],
            effective=form.cleaned_data["effective"],
        )

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
        return services.employee_create(
            actor=self.request.user,
            scope=scope,
            instansi=get_object_or_404(Instansi, pk=scope.instansi_id),
            data=form.service_data(),
            start_date=form.cleaned_data["start_date"],
        )

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
