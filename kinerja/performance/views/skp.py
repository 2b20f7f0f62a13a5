"""Pages of the employee plan (SKP): the list, a plan, its forms and its steps. Any signed-in
user reaches their own plans and those they evaluate; planning readers reach their units'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView, View

from kinerja.audit.freshness import kept
from kinerja.core.pagination import CappedPaginator, cap_for, rows_of_page
from kinerja.core.scope import Action
from kinerja.organisations.models import Employee, OrgUnit
from kinerja.organisations.views import FormPageView

from ..forms.skp import BehaviourForm, IndicatorForm, PlanForm, PlanStepForm, ResultForm
from ..models import Period, Plan, PlanResult, PlanStatus
from ..plan_selectors import plan_content, plans_for, revisions_of, serveable_results
from ..services import skp, skp_extra
from . import _instansi, _refusal

PLANS_PER_PAGE = 50


def _plan(request, pk) -> Plan:
    return get_object_or_404(
        plans_for(request.scope).select_related("employee", "unit", "period", "position"), pk=pk
    )


def _writable(request, pk) -> Plan:
    plan = _plan(request, pk)
    if not skp.may_write(request.scope, plan):
        raise PermissionDenied
    return plan


class PlanPageMixin(LoginRequiredMixin):
    nav_active = "plans"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_active", self.nav_active)
        return super().get_context_data(**kwargs)


class PlanListView(PlanPageMixin, TemplateView):
    """The plans within reach (current revisions), by year, unit and status."""

    template_name = "performance/skp_list.html"

    def get_context_data(self, **kwargs):
        scope, get = self.request.scope, self.request.GET
        year, unit, status = get.get("year", ""), get.get("unit", ""), get.get("status", "")
        query = get.copy()
        query.pop("page", None)
        units = OrgUnit.objects.within(scope, Action.VIEW_PLANNING).agencies()
        return super().get_context_data(
            # Read only when the list is not kept ({% kept %} in the template).
            page_obj=SimpleLazyObject(lambda: self._page(year, unit, status)),
            query=query.urlencode(),
            statuses=PlanStatus.choices,
            years=Period.objects.filter(instansi_id=scope.instansi_id).values_list(
                "year", flat=True
            ),
            units=units.order_by("sort_key", "name") if scope.instansi_id else [],
            chosen={"year": year, "unit": unit, "status": status},
            **kwargs,
        )

    def _page(self, year: str, unit: str, status: str):
        scope = self.request.scope
        rows = plans_for(scope).current().select_related("employee", "unit", "period")
        if year.isdigit():
            rows = rows.filter(period__year=int(year))
        if unit.isdigit():
            chosen = OrgUnit.objects.filter(pk=int(unit), instansi_id=scope.instansi_id).first()
            rows = rows.filter(unit__path__startswith=chosen.path) if chosen else rows.none()
        if status in PlanStatus.values:
            rows = rows.filter(status=status)
        keys = rows.order_by(
            "-period__year", "unit__sort_key", "employee__name", "starts", "pk"
        ).values_list("pk", flat=True)
        return rows_of_page(self._page_of_keys(keys, (year, unit, status)), rows)

    def _page_of_keys(self, keys, filters):
        """The page asked for, of the ordered plan keys. The keys up to the count's cap are kept
        until the next audited write (ordering the largest agency's 64,000 plans by unit and
        name costs 100 ms or more a page); a page past them reads the database."""
        get = self.request.GET
        cap = cap_for(get)
        head = kept(
            "skp.list.keys",
            lambda: list(keys[: cap + 1]),
            scope=self.request.scope,
            request=self.request,
            parts=(*filters, cap),
        )
        paginator = CappedPaginator(head[:cap], PLANS_PER_PAGE, cap=cap)
        page = paginator.get_page(get.get("page"))
        if len(head) <= cap:
            return page
        wanted = get.get("page", "")
        if wanted.isascii() and wanted.isdigit() and int(wanted) * PLANS_PER_PAGE >= cap:
            return CappedPaginator(keys, PLANS_PER_PAGE, cap=cap).get_page(wanted)
        paginator.capped = True  # more rows than the kept keys: "more than" the cap
        return page


class PlanDetailView(PlanPageMixin, TemplateView):
    """One plan: the parties, results with indicators, targets and actions, the behaviours,
    the annexes, the steps the caller may take and the revisions."""

    template_name = "performance/skp_detail.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        plan = get_object_or_404(  # no post: the page shows the title the plan keeps
            plans_for(scope).select_related("employee", "unit", "period"), pk=self.kwargs["pk"]
        )
        own_side = skp.may_write(scope, plan)
        evaluator_side = skp.may_evaluate(scope, plan)
        steps = []
        if plan.is_current:
            if plan.status == PlanStatus.DRAFT and own_side:
                steps.append(("submit", gettext("Submit")))
            if plan.status == PlanStatus.SUBMITTED and evaluator_side:
                steps.append(("approve", gettext("Approve")))
            if plan.status == PlanStatus.APPROVED and evaluator_side:
                steps.append(("sign", gettext("Sign")))
        may_edit = plan.is_draft and plan.is_current and own_side
        # The results, behaviours and revisions are read only when the page's parts are not
        # kept ({% kept %} in the template).
        return super().get_context_data(
            plan=plan,
            content=SimpleLazyObject(lambda: plan_content(plan)),
            revisions=lambda: revisions_of(plan),
            steps=steps,
            may_edit=may_edit,
            may_set_behaviours=plan.is_draft and plan.is_current and (own_side or evaluator_side),
            may_return=plan.status == PlanStatus.SUBMITTED and evaluator_side,
            may_revise=plan.is_signed and plan.is_current and own_side,
            may_cascade=own_side and plan.is_current,
            may_dialogue=skp_extra.may_read_dialogue(scope, plan),
            **kwargs,
        )


class PlanStepView(PlanPageMixin, View):
    """Submit, approve, sign, send back or revise a plan (POST with the version shown)."""

    SERVICES = {
        "submit": (skp.plan_submit, gettext_lazy("The plan has been submitted.")),
        "approve": (skp.plan_approve, gettext_lazy("The plan has been approved.")),
        "sign": (skp.plan_sign, gettext_lazy("The plan has been signed.")),
        "return": (skp.plan_return, gettext_lazy("The plan has been sent back to draft.")),
        "revise": (skp.plan_revise, gettext_lazy("A revision has been started.")),
    }

    def post(self, request, pk, step):
        plan = _plan(request, pk)
        if step not in self.SERVICES:
            raise Http404
        service, done = self.SERVICES[step]
        form = PlanStepForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Reload the page and try again."))
            return redirect(plan)
        extra = {"reason": form.cleaned_data["reason"]} if step in ("return", "revise") else {}
        try:
            result = service(
                actor=request.user,
                scope=request.scope,
                plan=plan,
                version=form.cleaned_data["version"],
                **extra,
            )
        except ValidationError as exc:
            _refusal(request, exc)
            return redirect(plan)
        messages.success(request, done)
        return redirect(result)


class PlanFormView(PlanPageMixin, FormPageView):
    template_name = "performance/object_form.html"


class PlanCreateView(PlanFormView):
    """Start a plan: the caller's own, or an employee's of a unit the caller keeps plans of."""

    success_message = gettext_lazy("The plan has been started.")

    def get_object(self):
        scope = self.request.scope
        if not (
            scope.employee_id or scope.can_anywhere(Action.MANAGE_PLANS) or skp.may_delegate(scope)
        ):
            raise PermissionDenied

    def get_form(self, obj, data=None):
        scope = self.request.scope
        everyone = Employee.objects.filter(instansi_id=scope.instansi_id, is_active=True)
        offered = everyone.filter(pk=scope.employee_id)
        if skp.may_delegate(scope) or scope.can_anywhere(Action.MANAGE_PLANS):
            reach = Employee.objects.within(scope, Action.MANAGE_PLANS).values("pk")
            if skp.may_delegate(scope):
                reach = everyone.values("pk")
            offered = everyone.filter(pk__in=reach) | offered
        periods = Period.objects.filter(instansi_id=scope.instansi_id)
        initial = {"employee": scope.employee_id, "period": getattr(periods.first(), "pk", None)}
        # Any employee of the instansi is accepted (the service says who may start whose
        # plan); the choices offered are those the caller may start.
        form = PlanForm(data, initial=initial, employees=everyone, periods=periods)
        form.fields["employee"].widget.choices = [("", "---------")] + [
            (e.pk, f"{e.display_name} ({e.nip or '-'})") for e in offered.order_by("name")[:500]
        ]
        return form

    def save(self, form, obj):
        return skp.plan_create(
            actor=self.request.user,
            scope=self.request.scope,
            instansi=_instansi(self.request),
            data=form.service_data(),
        )

    def page_context(self, obj):
        return {
            "pretitle": gettext("Employee plans (SKP)"),
            "heading": gettext("New employee plan"),
            "cancel_url": reverse("performance:plan_list"),
            "submit_label": gettext("Start the plan"),
        }


class PlanUpdateView(PlanFormView):
    """Edit a draft: dates, approach, annexes; the evaluator is read again for the dates."""

    success_message = gettext_lazy("The plan has been saved.")

    def get_object(self):
        return _writable(self.request, self.kwargs["pk"])

    def get_form(self, obj, data=None):
        initial = {name: getattr(obj, name) for name in PlanForm.data_fields if hasattr(obj, name)}
        initial["version"] = obj.version
        return PlanForm(data, initial=initial)

    def save(self, form, obj):
        data = form.service_data()
        return skp.plan_update(
            actor=self.request.user,
            scope=self.request.scope,
            plan=obj,
            version=form.cleaned_data["version"],
            data=data,
        )

    def page_context(self, obj):
        return {
            "pretitle": gettext("Edit the draft"),
            "heading": str(obj),
            "cancel_url": obj.get_absolute_url(),
            "submit_label": gettext("Save"),
        }


class PlanResultCreateView(PlanFormView):
    """Add a result with its first indicator and target, in one transaction."""

    success_message = gettext_lazy("The result has been added.")

    def get_object(self):
        return _writable(self.request, self.kwargs["pk"])

    def get_form(self, obj, data=None):
        return ResultForm(
            data,
            initial={"version": obj.version},
            serveable=serveable_results(obj),
            jpt=obj.is_jpt,
            qualitative=obj.approach == "qualitative",
        )

    def save(self, form, obj):
        call = {"actor": self.request.user, "scope": self.request.scope}
        with transaction.atomic():
            result = skp.plan_result_add(
                **call, plan=obj, version=form.cleaned_data["version"], data=form.result_data()
            )
            obj.refresh_from_db(fields=["version"])
            skp.plan_indicator_add(
                **call, result=result, version=obj.version, data=form.indicator_data()
            )
        return obj

    def page_context(self, obj):
        return {
            "pretitle": str(obj),
            "heading": gettext("Add a result"),
            "cancel_url": obj.get_absolute_url(),
            "submit_label": gettext("Add"),
        }


class PlanIndicatorCreateView(PlanFormView):
    """Add an individual indicator (IKI) with its target to a result."""

    success_message = gettext_lazy("The indicator has been added.")

    def get_object(self):
        result = get_object_or_404(PlanResult.objects.select_related("plan"), pk=self.kwargs["pk"])
        _writable(self.request, result.plan_id)
        return result

    def get_form(self, obj, data=None):
        return IndicatorForm(
            data,
            initial={"version": obj.plan.version},
            jpt=obj.plan.is_jpt,
            qualitative=obj.plan.approach == "qualitative",
        )

    def save(self, form, obj):
        skp.plan_indicator_add(
            actor=self.request.user,
            scope=self.request.scope,
            result=obj,
            version=form.cleaned_data["version"],
            data=form.indicator_data(),
        )
        return obj.plan

    def page_context(self, obj):
        return {
            "pretitle": str(obj.plan),
            "heading": gettext("Add an indicator to “%(result)s”") % {"result": obj},
            "cancel_url": obj.plan.get_absolute_url(),
            "submit_label": gettext("Add"),
        }


class PlanBehaviourView(PlanFormView):
    """The superior's specific expectation for each BerAKHLAK value."""

    success_message = gettext_lazy("The expected behaviours have been saved.")

    def get_object(self):
        plan = _plan(self.request, self.kwargs["pk"])
        if not (
            skp.may_write(self.request.scope, plan) or skp.may_evaluate(self.request.scope, plan)
        ):
            raise PermissionDenied
        return plan

    def get_form(self, obj, data=None):
        initial = {f"b_{k}": v for k, v in obj.behaviours.values_list("value", "expectation")}
        initial["version"] = obj.version
        return BehaviourForm(data, initial=initial, values=skp.berakhlak())

    def save(self, form, obj):
        return skp.plan_set_behaviours(
            actor=self.request.user,
            scope=self.request.scope,
            plan=obj,
            version=form.cleaned_data["version"],
            expectations=form.expectations(),
        )

    def page_context(self, obj):
        return {
            "pretitle": str(obj),
            "heading": gettext("Expected behaviours (BerAKHLAK)"),
            "cancel_url": obj.get_absolute_url(),
            "submit_label": gettext("Save"),
        }
