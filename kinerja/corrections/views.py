"""Pages of correction requests: the employee's own, the agency's queue, one request."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.generic import TemplateView, View

from kinerja.core.scope import Action
from kinerja.organisations.models import Employee

from . import services
from .forms import CorrectionRequestForm, DecisionForm
from .models import CorrectionRequest

PER_PAGE = 50


def _me(request) -> Employee:
    """The caller's own employee record; 404 for an account without one."""
    scope = request.scope
    if not scope.employee_id:
        raise Http404
    return get_object_or_404(Employee.objects.within(scope), pk=scope.employee_id)


class MyCorrectionsView(LoginRequiredMixin, TemplateView):
    """The caller's own requests and their outcomes, with the form to file another."""

    template_name = "corrections/mine.html"

    def get(self, request, *args, **kwargs):
        me = _me(request)
        return self.render_to_response(self.context(me, CorrectionRequestForm()))

    def post(self, request, *args, **kwargs):
        me = _me(request)
        form = CorrectionRequestForm(request.POST)
        if form.is_valid():
            try:
                services.request_correction(
                    actor=request.user,
                    scope=request.scope,
                    employee=me,
                    field=form.cleaned_data["field"],
                    proposed_value=form.cleaned_data["proposed_value"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, gettext("Your request has been sent."))
                return redirect("corrections:mine")
        return self.render_to_response(self.context(me, form), status=400)

    def context(self, me, form):
        # ``me`` is the caller's own record, found within their scope by `_me`.
        requests = CorrectionRequest.objects.filter(employee=me).select_related("decided_by")
        return self.get_context_data(me=me, form=form, requests=requests, nav_active="me")


class CorrectionQueueView(LoginRequiredMixin, TemplateView):
    """The pending requests the caller may decide on, oldest first."""

    template_name = "corrections/queue.html"

    def get(self, request, *args, **kwargs):
        if not request.scope.can_anywhere(Action.CHANGE_PEOPLE):
            raise PermissionDenied
        queryset = (
            CorrectionRequest.objects.to_decide(request.scope)
            .select_related("employee", "employee__unit")
            .order_by("created_at", "pk")
        )
        page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
        return self.render_to_response(
            self.get_context_data(
                page_obj=page, requests=page.object_list, query="", nav_active="corrections"
            )
        )


def _visible(request, pk) -> CorrectionRequest:
    return get_object_or_404(
        CorrectionRequest.objects.within(request.scope).select_related(
            "employee", "employee__unit", "decided_by", "requested_by"
        ),
        pk=pk,
    )


def _can_decide(request, correction) -> bool:
    scope = request.scope
    return (
        correction.is_pending
        and scope.can(Action.CHANGE_PEOPLE, correction.employee.unit.path)
        and scope.employee_id != correction.employee_id
    )


class CorrectionDetailView(LoginRequiredMixin, TemplateView):
    """One request: what was asked and why, its outcome, and the decision for those who decide."""

    template_name = "corrections/detail.html"

    def get_context_data(self, **kwargs):
        correction = kwargs.pop("correction", None) or _visible(self.request, self.kwargs["pk"])
        kwargs.setdefault("form", DecisionForm())
        return super().get_context_data(
            correction=correction, can_decide=_can_decide(self.request, correction), **kwargs
        )


class DecisionView(LoginRequiredMixin, View):
    """Accept or refuse a request (POST only); errors show on the request's page."""

    decision = ""

    def post(self, request, *args, **kwargs):
        correction = _visible(request, kwargs["pk"])
        if not request.scope.can(Action.CHANGE_PEOPLE, correction.employee.unit.path):
            raise PermissionDenied
        form = DecisionForm(request.POST)
        if form.is_valid():
            service = (
                services.accept_correction
                if self.decision == "accept"
                else services.refuse_correction
            )
            try:
                service(
                    actor=request.user,
                    scope=request.scope,
                    correction=correction,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    gettext("The request has been accepted and the record changed.")
                    if self.decision == "accept"
                    else gettext("The request has been refused."),
                )
                return redirect("corrections:queue")
        view = CorrectionDetailView(request=request, kwargs=kwargs)
        context = view.get_context_data(correction=correction, form=form)
        return view.render_to_response(context, status=400)
