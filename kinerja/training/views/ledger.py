"""Pages of the development-hours ledger: my hours, the agency's shortfall with its forecast,
the records list, the entry of other training and the exports (the importer's layout and the
national training-history layout)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from kinerja.core.excel import Report, export_response
from kinerja.core.pagination import CappedPaginator, cap_for
from kinerja.core.scope import Action
from kinerja.organisations.models import Employee
from kinerja.organisations.validators import normalise_nip

from ..filters_ledger import DevelopmentRecordFilter
from ..forms_ledger import DevelopmentRecordEditForm, DevelopmentRecordForm
from ..ledger_io import NATIONAL_KINDS, DevelopmentRecordReport, NationalReport
from ..ledger_rules import rules_for_year, unit_label
from ..models import DevelopmentRecord
from ..selectors_ledger import agencies_for, reads_shortfall, shortfall, year_summary
from ..services import ledger as services

PER_PAGE = 50
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(request) -> int:
    raw = request.GET.get("year", "")
    if raw.isascii() and raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw)
    return timezone.localdate().year


def _years(around: int) -> list[int]:
    this = timezone.localdate().year
    return sorted({*range(this - 4, this + 1), around}, reverse=True)


class MyHoursView(LoginRequiredMixin, TemplateView):
    """The caller's development hours of a year: the records, the total against the minimum."""

    template_name = "training/hours_mine.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        year = _year(self.request)
        summary = None
        if scope.employee_id:
            employee = Employee.objects.filter(pk=scope.employee_id).first()
            if employee is not None:
                summary = year_summary(employee, year)
        kwargs.setdefault("nav_active", "my_hours")
        return super().get_context_data(
            year=year, years=_years(year), summary=summary, unit_label=unit_label, **kwargs
        )


def _shortfall_filters(request) -> dict[str, Any]:
    scope = request.scope
    if not reads_shortfall(scope):
        raise PermissionDenied
    year = _year(request)
    agencies = list(agencies_for(scope).order_by("sort_key").only("pk", "name", "path"))
    agency = None
    raw = request.GET.get("agency", "")
    if raw.isascii() and raw.isdigit():
        agency = next((a for a in agencies if a.pk == int(raw)), None)
    unreachable = request.GET.get("forecast") == "unreachable"
    rows = shortfall(scope, year=year, agency=agency, unreachable_only=unreachable)
    query = {"year": year}
    if agency:
        query["agency"] = agency.pk
    if unreachable:
        query["forecast"] = "unreachable"
    return {
        "year": year,
        "agencies": agencies,
        "agency": agency,
        "unreachable_only": unreachable,
        "rows": rows,
        "query": urlencode(query),
    }


class ShortfallView(LoginRequiredMixin, TemplateView):
    """The staff within reach below the year's minimum, by agency, with the forecast."""

    template_name = "training/hours_shortfall.html"

    def get_context_data(self, **kwargs):
        found = _shortfall_filters(self.request)
        get = self.request.GET
        page = CappedPaginator(found["rows"], PER_PAGE, cap=cap_for(get)).get_page(get.get("page"))
        kwargs.setdefault("nav_active", "hours_shortfall")
        return super().get_context_data(
            **found,
            page_obj=page,
            years=_years(found["year"]),
            rules=rules_for_year(found["year"]),
            **kwargs,
        )


def _number(value) -> int | float:
    """A JP figure as a spreadsheet number (whole numbers without decimals)."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


class ShortfallReport(Report):
    title = _("Hours shortfall")
    columns = (
        "NIP",
        _("Name"),
        _("Agency"),
        _("Unit"),
        _("JP recorded"),
        _("JP in events enrolled"),
        _("JP missing"),
        _("Can no longer reach the minimum"),
    )
    widths = (20, 30, 30, 30, 12, 12, 12, 14)

    def __init__(self, rows) -> None:
        self.queryset = rows

    def rows(self):
        yes, no = gettext("Yes"), gettext("No")
        for e in self.queryset.iterator(chunk_size=2000):
            yield (
                e.nip or "",
                e.name,
                e.unit.agency.name if e.unit.agency_id else e.unit.name,
                e.unit.name,
                _number(e.total),
                _number(e.enrolled),
                _number(e.missing),
                yes if e.unreachable else no,
            )


class ShortfallExportView(LoginRequiredMixin, View):
    """The shortfall list as a workbook (CSV with ``?format=csv``), with the page's filters."""

    def get(self, request):
        if not request.scope.can_anywhere(Action.EXPORT):
            raise PermissionDenied
        found = _shortfall_filters(request)
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        name = f"kekurangan-jp-{found['year']}-{timezone.localtime():%Y%m%d-%H%M}"
        return export_response(ShortfallReport(found["rows"]), filename=name, fmt=fmt)


def _records(request):
    rows = DevelopmentRecord.objects.within(request.scope)
    filterset = DevelopmentRecordFilter(request.GET, queryset=rows)
    return filterset, (filterset.qs if filterset.is_valid() else rows.none())


class RecordListView(LoginRequiredMixin, TemplateView):
    """The records within reach, filtered like the API (year, agency, NIP, source, type)."""

    template_name = "training/hours_records.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        if not scope.can_anywhere(Action.VIEW_PEOPLE):
            raise PermissionDenied
        filterset, rows = _records(self.request)
        rows = rows.select_related("employee", "training_type").order_by(
            "-year", "employee__name", "starts_on", "pk"
        )
        get = self.request.GET
        page = CappedPaginator(rows, PER_PAGE, cap=cap_for(get)).get_page(get.get("page"))
        query = get.copy()
        query.pop("page", None)
        kwargs.setdefault("nav_active", "hours_records")
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            query=query.urlencode(),
            agencies=agencies_for(scope).order_by("sort_key").only("pk", "name"),
            may_enter=scope.can_anywhere(Action.CHANGE_PEOPLE),
            may_import=scope.can_anywhere(Action.IMPORT),
            national_kinds=NATIONAL_KINDS,
            unit_label=unit_label,
            **kwargs,
        )


class RecordExportView(LoginRequiredMixin, View):
    """The records within reach in the importer's layout (re-importable)."""

    def get(self, request):
        if not request.scope.can_anywhere(Action.EXPORT):
            raise PermissionDenied
        _filterset, rows = _records(request)
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        name = f"jam-pengembangan-{timezone.localtime():%Y%m%d-%H%M}"
        return export_response(DevelopmentRecordReport(rows), filename=name, fmt=fmt)


class NationalExportView(LoginRequiredMixin, View):
    """The records within reach in the national training-history layout: ``record`` "diklat"
    (formal training) or "kursus" (course, the default)."""

    def get(self, request):
        if not request.scope.can_anywhere(Action.EXPORT):
            raise PermissionDenied
        kind = request.GET.get("record", "kursus")
        if kind not in NATIONAL_KINDS:
            kind = "kursus"
        _filterset, rows = _records(request)
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        name = f"riwayat-{kind}-{timezone.localtime():%Y%m%d-%H%M}"
        return export_response(NationalReport(rows, kind), filename=name, fmt=fmt)


class RecordCreateView(LoginRequiredMixin, View):
    """Enter other training of an employee (who keeps the person's record: the agency
    administrator on their agency, BKD)."""

    template_name = "performance/object_form.html"

    def _allowed(self, request) -> None:
        if not request.scope.can_anywhere(Action.CHANGE_PEOPLE):
            raise PermissionDenied

    def _render(self, request, form, status=200):
        context = {
            "form": form,
            "heading": gettext("Enter other training"),
            "pretitle": gettext("Development hours"),
            "cancel_url": reverse("training:hours_records"),
            "submit_label": gettext("Save"),
            "nav_active": "hours_records",
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        self._allowed(request)
        return self._render(request, DevelopmentRecordForm(initial={"quantity_unit": "jp"}))

    def post(self, request):
        self._allowed(request)
        form = DevelopmentRecordForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = dict(form.cleaned_data)
        try:
            nip = normalise_nip(data.pop("nip"))
        except ValidationError as exc:
            form.add_error("nip", exc)
            return self._render(request, form, status=400)
        employee = (
            Employee.objects.within(request.scope, Action.VIEW_PEOPLE)
            .filter(nip=nip)
            .select_related("unit")
            .first()
        )
        if employee is None:
            form.add_error("nip", gettext("No employee with this NIP within your reach."))
            return self._render(request, form, status=400)
        try:
            created = services.development_record_create(
                actor=request.user, scope=request.scope, employee=employee, data=data
            )
        except PermissionDenied as exc:
            form.add_error("nip", str(exc))
            return self._render(request, form, status=400)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self._render(request, form, status=400)
        messages.success(
            request,
            gettext("%(hours)s JP recorded for %(name)s.")
            % {"hours": created.hours, "name": employee.name},
        )
        return redirect(f"{reverse('training:hours_records')}?nip={employee.nip}")


def _editable_record(request, pk) -> DevelopmentRecord:
    """The record, if the caller reaches it (else "not found") and keeps the person's record
    (else "forbidden")."""
    found = (
        DevelopmentRecord.objects.within(request.scope)
        .filter(pk=pk)
        .select_related("employee__unit", "training_type")
        .first()
    )
    if found is None:
        raise Http404
    if not services.may_enter(request.scope, found.employee):
        raise PermissionDenied
    return found


class RecordUpdateView(LoginRequiredMixin, View):
    """Change an entered or imported record (who keeps the person's record)."""

    template_name = "performance/object_form.html"

    def _render(self, request, form, found, status=200):
        context = {
            "form": form,
            "heading": found.title,
            "pretitle": f"{found.employee.name} · {gettext('Development hours')}",
            "cancel_url": f"{reverse('training:hours_records')}?nip={found.employee.nip or ''}",
            "submit_label": gettext("Save"),
            "nav_active": "hours_records",
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        found = _editable_record(request, pk)
        initial = {
            "training_type": found.training_type.code,
            "title": found.title,
            "organiser": found.organiser,
            "starts_on": found.starts_on,
            "ends_on": found.ends_on,
            "quantity": found.quantity,
            "quantity_unit": found.quantity_unit,
            "year": found.year,
            "certificate_number": found.certificate_number,
        }
        return self._render(request, DevelopmentRecordEditForm(initial=initial), found)

    def post(self, request, pk):
        found = _editable_record(request, pk)
        form = DevelopmentRecordEditForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, found, status=400)
        try:
            services.development_record_update(
                actor=request.user, scope=request.scope, record_=found, data=form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self._render(request, form, found, status=400)
        messages.success(request, gettext("The record has been saved."))
        return redirect(f"{reverse('training:hours_records')}?nip={found.employee.nip or ''}")


class RecordDeleteView(LoginRequiredMixin, View):
    """Remove an entered or imported record (POST, with an optional reason)."""

    def post(self, request, pk):
        found = _editable_record(request, pk)
        try:
            services.development_record_delete(
                actor=request.user,
                scope=request.scope,
                record_=found,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(reverse("training:hours_records"))
        messages.success(request, gettext("The record has been removed."))
        return redirect(f"{reverse('training:hours_records')}?nip={found.employee.nip or ''}")
