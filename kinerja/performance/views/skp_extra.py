"""Pages around the employee plan (SKP): the bulk cascade of a result to the owner's reports,
the cascade tree (an HTMX fragment), a result's dialogue and work log, the SKP document (PDF)
and its e-Kinerja workbook."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.generic import View

from kinerja.core.pdf import pdf_response

from ..choices import ResultKind
from ..forms.skp_extra import CascadeForm, DialogueForm, WorkLogForm
from ..models import DialogueKind, Period, WorkLogEntry
from ..selectors_skp_extra import (
    cascade_candidates,
    cascade_tree,
    dialogue_of,
    flatten,
    result_within,
)
from ..services import skp, skp_extra
from ..skp_documents import (
    ekinerja_workbook,
    plan_pdf,
    plan_pdf_name,
    plan_xlsx_name,
)
from . import _refusal
from .skp import _plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _result(request, pk):
    result = result_within(request.scope, pk)
    if result is None:
        raise Http404
    return result


class PlanCascadeView(LoginRequiredMixin, View):
    """Give a result to many direct reports at once: a checkbox list; the answer says who got
    it and who was skipped, and why."""

    template_name = "performance/skp_cascade.html"

    def _source(self, request, pk):
        result = _result(request, pk)
        if not skp.may_write(request.scope, result.plan):
            raise PermissionDenied
        return result

    def _page(self, request, result, form, report=None, status=200):
        rows = cascade_candidates(result.plan)
        return render(
            request,
            self.template_name,
            {
                "nav_active": "plans",
                "result": result,
                "plan": result.plan,
                "form": form,
                "rows": rows,
                "kinds": ResultKind.choices,
                "report": report,
            },
            status=status,
        )

    def get(self, request, pk):
        result = self._source(request, pk)
        return self._page(request, result, CascadeForm(initial={"kind": ResultKind.MAIN}))

    def post(self, request, pk):
        result = self._source(request, pk)
        form = CascadeForm(request.POST)
        if not form.is_valid():
            return self._page(request, result, form)
        try:
            out = skp_extra.plan_cascade(
                actor=request.user,
                scope=request.scope,
                result=result,
                employees=form.cleaned_data["employees"],
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            _refusal(request, exc)
            return self._page(request, result, form)
        from kinerja.organisations.models import Employee

        names = dict(
            Employee.objects.filter(
                pk__in=[e for e, _p, _r in out["created"]] + [e for e, _w in out["skipped"]]
            ).values_list("pk", "name")
        )
        reasons = skp_extra.skip_reasons()
        report = {
            "created": [names.get(e, e) for e, _p, _r in out["created"]],
            "skipped": [(names.get(e, e), reasons[why]) for e, why in out["skipped"]],
        }
        messages.success(
            request,
            gettext("The result has been given to %(n)d plans.") % {"n": len(out["created"])},
        )
        return self._page(
            request, result, CascadeForm(initial={"kind": form.cleaned_data["kind"]}), report
        )


class PlanResultTreeView(LoginRequiredMixin, View):
    """The plans serving a result, directly or through others (a fragment for HTMX)."""

    def get(self, request, pk):
        result = _result(request, pk)
        nodes = flatten(cascade_tree(result, request.scope))
        return render(
            request, "performance/partials/_skp_tree.html", {"root": result, "nodes": nodes}
        )


class PlanDialogueView(LoginRequiredMixin, View):
    """A result's performance dialogue and feedback: read by the plan's employee, evaluator
    and the evaluator's superior; written by the first two (a fragment for HTMX)."""

    template_name = "performance/partials/_skp_dialogue.html"

    def _page(self, request, result, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "result": result,
                "entries": dialogue_of(result),
                "form": form,
                "may_write": skp_extra.may_write_dialogue(request.scope, result.plan),
                "kinds": DialogueKind.choices,
            },
            status=status,
        )

    def _readable(self, request, pk):
        result = _result(request, pk)
        if not skp_extra.may_read_dialogue(request.scope, result.plan):
            raise PermissionDenied
        return result

    def get(self, request, pk):
        return self._page(request, self._readable(request, pk), DialogueForm())

    def post(self, request, pk):
        result = self._readable(request, pk)
        form = DialogueForm(request.POST)
        if form.is_valid():
            try:
                skp_extra.dialogue_add(
                    actor=request.user, scope=request.scope, result=result, data=form.cleaned_data
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form = DialogueForm()
        return self._page(request, result, form)


class PlanWorkLogView(LoginRequiredMixin, View):
    """A result's daily work log: read by whoever reads the plan; kept by its employee (or who
    acts for the agency) while the instansi keeps a work log in the plan's year."""

    template_name = "performance/partials/_skp_work_log.html"

    def _page(self, request, result, form):
        plan = result.plan
        return render(
            request,
            self.template_name,
            {
                "result": result,
                "entries": WorkLogEntry.objects.filter(result=result).order_by("-on", "-pk")[:200],
                "form": form,
                "enabled": skp_extra.work_log_enabled(plan.period),
                "may_write": request.scope.employee_id == plan.employee_id
                or skp.acts_for_agency(request.scope, plan.unit),
            },
        )

    def get(self, request, pk):
        return self._page(request, _result(request, pk), WorkLogForm())

    def post(self, request, pk):
        result = _result(request, pk)
        plan = result.plan
        if not (
            request.scope.employee_id == plan.employee_id
            or skp.acts_for_agency(request.scope, plan.unit)
        ):
            raise PermissionDenied
        form = WorkLogForm(request.POST)
        if form.is_valid():
            try:
                skp_extra.work_log_add(
                    actor=request.user, scope=request.scope, result=result, data=form.cleaned_data
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form = WorkLogForm()
        return self._page(request, result, form)


class WorkLogSettingView(LoginRequiredMixin, View):
    """Turn a year's daily work log on or off (POST ``enabled``)."""

    def post(self, request, pk):
        period = get_object_or_404(Period, pk=pk, instansi_id=request.scope.instansi_id)
        skp_extra.work_log_set(
            actor=request.user,
            scope=request.scope,
            period=period,
            enabled=request.POST.get("enabled") in ("1", "on", "true"),
        )
        messages.success(request, gettext("The work log setting has been saved."))
        return redirect("performance:period_detail", pk=period.pk)


class PlanPdfView(LoginRequiredMixin, View):
    """The SKP in the official layout (PermenPAN-RB 6/2022), in Indonesian."""

    def get(self, request, pk):
        plan = _plan(request, pk)
        return pdf_response(plan_pdf(plan), plan_pdf_name(plan))


class PlanExportView(LoginRequiredMixin, View):
    """The SKP as an e-Kinerja workbook: one row per individual indicator."""

    def get(self, request, pk):
        plan = _plan(request, pk)
        response = HttpResponse(ekinerja_workbook([plan]), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{plan_xlsx_name(plan)}"'
        return response
