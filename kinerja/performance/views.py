"""Pages of performance planning: the goal tree, the indicator library, the periods."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView, View

from kinerja.core.pagination import CappedPaginator, cap_for
from kinerja.core.scope import Action
from kinerja.organisations.choices import PositionKind
from kinerja.organisations.models import Instansi, OrgUnit

from . import selectors, services
from .filters import IndicatorTemplateFilter
from .forms import LateEntryForm, PeriodForm, SubPeriodStatusForm
from .models import IndicatorTemplate, LateEntryWindow, Period, SubPeriod

TEMPLATES_PER_PAGE = 50


class PlanningPageMixin(LoginRequiredMixin):
    """Require sign-in and ``required_action`` somewhere in the caller's scope (else 403)."""

    required_action: str = Action.VIEW_PLANNING
    nav_active = "planning"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.scope.can_anywhere(self.required_action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_active", self.nav_active)
        return super().get_context_data(**kwargs)


def _refusal(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class GoalTreeView(PlanningPageMixin, TemplateView):
    """The regional plan (RPJMD) with the agencies' Renstra under its targets, and their
    indicators: three queries for the tree whatever its size."""

    template_name = "performance/goal_tree.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        agencies = OrgUnit.objects.within(scope, Action.VIEW_PLANNING).agencies()
        unit = None
        chosen = self.request.GET.get("unit", "")
        if chosen.isascii() and chosen.isdigit() and len(chosen) < 19:
            unit = agencies.filter(pk=chosen).first()
        return super().get_context_data(
            roots=selectors.goal_tree(scope=scope, unit=unit),
            agencies=agencies.order_by("sort_key", "name").only("pk", "name"),
            unit=unit,
            **kwargs,
        )


class TemplateListView(PlanningPageMixin, TemplateView):
    """The indicator library, searchable; a search also shows the closest existing
    indicators, so a planner reuses one before writing another."""

    nav_active = "indicator_library"
    template_name = "performance/template_list.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        queryset = IndicatorTemplate.objects.within(scope)
        filterset = IndicatorTemplateFilter(self.request.GET, queryset=queryset)
        rows = filterset.qs if filterset.is_valid() else queryset.none()
        rows = rows.order_by("position_kind", "name", "pk")
        page = CappedPaginator(rows, TEMPLATES_PER_PAGE, cap=cap_for(self.request.GET)).get_page(
            self.request.GET.get("page")
        )
        q = (self.request.GET.get("q") or "").strip()[:500]
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(
            filterset=filterset,
            page_obj=page,
            rows=page.object_list,
            q=q,
            similar=selectors.similar_indicators(scope=scope, name=q) if q else [],
            kind_choices=PositionKind.choices,
            query=params.urlencode(),
            **kwargs,
        )


class PeriodListView(PlanningPageMixin, TemplateView):
    """The instansi's years; an administrator (manage_periods) opens the next one."""

    nav_active = "periods"
    template_name = "performance/period_list.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        kwargs.setdefault("form", PeriodForm())
        return super().get_context_data(
            periods=Period.objects.within(scope).order_by("-year"),
            can_manage=scope.paths_for(Action.MANAGE_PERIODS) is None,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = PeriodForm(request.POST)
        if form.is_valid():
            try:
                period = services.period_create(
                    actor=request.user,
                    scope=request.scope,
                    instansi=Instansi.objects.get(pk=request.scope.instansi_id),
                    year=form.cleaned_data["year"],
                    data={"frequency": form.cleaned_data["frequency"] or None},
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, gettext("The year has been opened."))
                return redirect(period.get_absolute_url())
        context = self.get_context_data(form=form)
        return self.render_to_response(context, status=400)


class PeriodDetailView(PlanningPageMixin, TemplateView):
    """A year's sub-periods (open or closed) and late-entry windows."""

    nav_active = "periods"
    template_name = "performance/period_detail.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        period = get_object_or_404(Period.objects.within(scope), pk=self.kwargs["pk"])
        subs = list(SubPeriod.objects.filter(period=period).select_related("period"))
        windows = (
            LateEntryWindow.objects.within(scope)
            .filter(sub_period__period=period)
            .select_related("unit", "sub_period", "sub_period__period")
        )
        can_manage = scope.can_anywhere(Action.MANAGE_PERIODS)
        if can_manage:
            kwargs.setdefault(
                "window_form",
                LateEntryForm(
                    units=OrgUnit.objects.within(scope, Action.MANAGE_PERIODS).agencies(),
                    sub_periods=subs,
                ),
            )
        return super().get_context_data(
            period=period,
            sub_periods=subs,
            windows=windows,
            can_manage=can_manage,
            can_manage_all=scope.paths_for(Action.MANAGE_PERIODS) is None,
            **kwargs,
        )


class SubPeriodStatusView(PlanningPageMixin, View):
    """Open or close a sub-period (`services.sub_period_set_status`)."""

    required_action = Action.MANAGE_PERIODS

    def post(self, request, pk):
        sub_period = get_object_or_404(SubPeriod.objects.within(request.scope), pk=pk)
        form = SubPeriodStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Choose open or closed."))
        else:
            services.sub_period_set_status(
                actor=request.user,
                scope=request.scope,
                sub_period=sub_period,
                status=form.cleaned_data["status"],
            )
            messages.success(request, gettext("The sub-period has been updated."))
        return redirect(sub_period.period.get_absolute_url())


class LateEntryCreateView(PlanningPageMixin, View):
    """Open a late-entry window for a unit (`services.late_entry_open`)."""

    required_action = Action.MANAGE_PERIODS
    success_message = gettext_lazy("The late-entry window has been opened.")

    def post(self, request, pk):
        scope = request.scope
        period = get_object_or_404(Period.objects.within(scope), pk=pk)
        subs = list(SubPeriod.objects.filter(period=period).select_related("period"))
        form = LateEntryForm(
            request.POST,
            units=OrgUnit.objects.within(scope, Action.MANAGE_PERIODS),
            sub_periods=subs,
        )
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["sub_period"] = next(s for s in subs if s.pk == data["sub_period"])
            try:
                services.late_entry_open(actor=request.user, scope=scope, **data)
            except ValidationError as exc:
                _refusal(request, exc)
            else:
                messages.success(request, self.success_message)
                return redirect(period.get_absolute_url())
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return redirect(period.get_absolute_url())
