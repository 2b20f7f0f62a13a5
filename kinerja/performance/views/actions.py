"""Pages of the action plan (rencana aksi) under a performance agreement: the plan as a tree
with schedule weights, budget and progress; an action and its schedule in one form; the
progress of a sub-period entered in place (HTMX); the plan as a workbook."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView, View

from kinerja.organisations.models import OrgUnit

from ..forms.actions import ActionForm, ProgressForm
from ..models import MAX_ACTION_DEPTH, Action, AgreementTarget, Period, SubPeriod
from ..selectors_actions import action_progress, action_tree, agreement_progress, plan_actions
from ..services import actions as svc
from . import PlanningFormView, PlanningPageMixin, _agreement, agreement_action, may_change


def _sub_periods(agreement) -> list[SubPeriod]:
    period = Period.objects.filter(instansi_id=agreement.instansi_id, year=agreement.year).first()
    if period is None:
        return []
    return list(period.sub_periods.select_related("period").order_by("number"))


def _may_plan(request, agreement) -> bool:
    return may_change(request.scope, agreement_action(agreement.unit), agreement.unit)


class ActionPlanView(PlanningPageMixin, TemplateView):
    """An agreement's action plan: under each target its actions as a tree, with the weights
    of the schedule, the budget, the spending and the weighted progress."""

    nav_active = "agreements"
    template_name = "performance/action_plan.html"

    def get_context_data(self, **kwargs):
        agreement = _agreement(self.request, self.kwargs["pk"])
        targets = list(
            AgreementTarget.objects.filter(agreement=agreement)
            .select_related("target__indicator", "goal")
            .order_by("position", "pk")
        )
        actions = plan_actions(agreement)
        tree = action_tree(actions)
        summary = agreement_progress(agreement)
        sections = [
            {
                "row": row,
                "nodes": tree.get(row.pk, []),
                "progress": summary.by_target.get(row.pk),
            }
            for row in targets
        ]
        may_edit = agreement.is_draft and _may_plan(self.request, agreement)
        enterable = {
            a.pk
            for a in actions
            if agreement.is_current and svc.may_enter_progress(self.request.scope, a)
        }
        return super().get_context_data(
            agreement=agreement,
            sections=sections,
            sub_periods=_sub_periods(agreement),
            summary=summary,
            budget=sum((a.budget for a in actions if a.parent_id is None), start=0),
            spending=sum((a.spending for a in actions if a.parent_id is None), start=0),
            may_edit=may_edit,
            enterable=enterable,
            max_depth=MAX_ACTION_DEPTH,
            **kwargs,
        )


class ActionFormMixin:
    success_message = gettext_lazy("The action has been saved.")

    def _form(self, agreement, row_pk, data=None, initial=None, exclude=None):
        parents = Action.objects.filter(
            agreement=agreement, agreement_target_id=row_pk, level__lt=MAX_ACTION_DEPTH
        ).order_by("code")
        if exclude is not None:
            parents = parents.exclude(pk=exclude)
        units = OrgUnit.objects.filter(instansi_id=agreement.instansi_id)
        if agreement.unit_id is not None:
            units = units.filter(path__startswith=agreement.unit.path)
        return ActionForm(
            data,
            initial=initial or {},
            parents=parents,
            units=units.order_by("path"),
            sub_periods=_sub_periods(agreement),
        )

    def page_context(self, obj):
        agreement = obj.agreement
        return {
            "pretitle": gettext("Action plan"),
            "heading": str(agreement),
            "cancel_url": reverse("performance:action_plan", args=[agreement.pk]),
            "submit_label": gettext("Save"),
        }


class ActionCreateView(ActionFormMixin, PlanningFormView):
    """Add an action under a target of a draft agreement (``?parent=`` under an action)."""

    def get_object(self):
        row = get_object_or_404(
            AgreementTarget.objects.select_related("agreement__unit"),
            pk=self.kwargs["pk"],
            agreement__in=_agreement_qs(self.request),
        )
        if not _may_plan(self.request, row.agreement):
            raise PermissionDenied
        return row

    def get_form(self, obj, data=None):
        parent = self.request.GET.get("parent", "")
        initial = {"parent": int(parent)} if parent.isascii() and parent.isdigit() else {}
        return self._form(obj.agreement, obj.pk, data, initial)

    def save(self, form, obj):
        action = svc.action_create(
            actor=self.request.user,
            scope=self.request.scope,
            agreement_target=obj,
            data=form.service_data(),
            schedule=form.schedule(),
        )
        return reverse("performance:action_plan", args=[obj.agreement_id]) + f"#action-{action.pk}"


class ActionUpdateView(ActionFormMixin, PlanningFormView):
    """Change an action of a draft agreement and its schedule, under the version shown."""

    def get_object(self):
        action = get_object_or_404(
            Action.objects.within(self.request.scope).select_related("agreement__unit"),
            pk=self.kwargs["pk"],
        )
        if not _may_plan(self.request, action.agreement):
            raise PermissionDenied
        return action

    def get_form(self, obj, data=None):
        initial = {name: getattr(obj, name) for name in ActionForm.data_fields}
        initial["version"] = obj.version
        for row in obj.schedule.select_related("sub_period"):
            initial[f"output_{row.sub_period.number}"] = row.planned_output
            initial[f"weight_{row.sub_period.number}"] = row.weight
        return self._form(obj.agreement, obj.agreement_target_id, data, initial, exclude=obj.pk)

    def save(self, form, obj):
        action = svc.action_update(
            actor=self.request.user,
            scope=self.request.scope,
            action=obj,
            version=form.cleaned_data["version"],
            data=form.service_data(),
            schedule=form.schedule(),
        )
        return reverse("performance:action_plan", args=[action.agreement_id]) + (
            f"#action-{action.pk}"
        )


def _agreement_qs(request):
    from ..models import Agreement

    return Agreement.objects.within(request.scope)


class ActionProgressView(PlanningPageMixin, View):
    """The progress of one action in one sub-period: GET the form (a fragment for HTMX), POST
    it; HTMX swaps the action's progress cells in place."""

    def _action(self, request, pk) -> Action:
        action = get_object_or_404(
            Action.objects.within(request.scope).select_related("agreement", "unit"), pk=pk
        )
        if not svc.may_enter_progress(request.scope, action):
            raise PermissionDenied
        return action

    def _sub_period(self, action, number) -> SubPeriod:
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 0
        return get_object_or_404(
            SubPeriod.objects.select_related("period"),
            instansi_id=action.instansi_id,
            period__year=action.agreement.year,
            number=number,
        )

    def _render(self, request, template, status=200, **context):
        from django.template.loader import render_to_string

        return HttpResponse(render_to_string(template, context, request=request), status=status)

    def get(self, request, pk):
        action = self._action(request, pk)
        number = request.GET.get("sub_period")
        if not number:  # the first sub-period the action plans for
            first = action.schedule.order_by("sub_period__number").select_related("sub_period")
            number = first[0].sub_period.number if first else 0
        sub = self._sub_period(action, number)
        row = action.progress.filter(sub_period=sub).first()
        initial = {"sub_period": sub.number, "version": row.version if row else None}
        if row:
            initial.update(progress=row.progress, note=row.note, evidence_url=row.evidence_url)
        form = ProgressForm(initial=initial)
        return self._render(
            request,
            "performance/partials/_action_progress_form.html",
            action=action,
            sub=sub,
            form=form,
        )

    def post(self, request, pk):
        action = self._action(request, pk)
        form = ProgressForm(request.POST)
        sub = self._sub_period(action, request.POST.get("sub_period"))
        if form.is_valid():
            try:
                svc.action_progress_enter(
                    actor=request.user,
                    scope=request.scope,
                    action=action,
                    sub_period=sub,
                    data=form.service_data(),
                    version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                if not request.htmx:
                    messages.success(request, gettext("The progress has been saved."))
                    return redirect(
                        reverse("performance:action_plan", args=[action.agreement_id])
                        + f"#action-{action.pk}"
                    )
                action = plan_actions_one(action)
                return self._render(
                    request,
                    "performance/partials/_action_progress_cells.html",
                    action=action,
                    progress=action_progress(action),
                    sub_periods=_sub_periods(action.agreement),
                    enterable={action.pk},
                )
        if not request.htmx:
            for message in form.errors.values():
                messages.error(request, " ".join(message))
            return redirect(reverse("performance:action_plan", args=[action.agreement_id]))
        return self._render(
            request,
            "performance/partials/_action_progress_form.html",
            status=200,
            action=action,
            sub=sub,
            form=form,
        )


def plan_actions_one(action: Action) -> Action:
    return next(a for a in plan_actions(action.agreement) if a.pk == action.pk)


class ActionPlanExportView(PlanningPageMixin, View):
    """The agreement's action plan as a workbook, in the columns the importer reads."""

    def get(self, request, pk):
        from ..action_excel import export_action_plan

        agreement = _agreement(request, pk)
        content = export_action_plan(agreement)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"rencana-aksi-{agreement.year}-{agreement.pk}-rev{agreement.revision}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
