"""Pages of performance planning: the goal tree, the indicator library, the periods."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView, View

from kinerja.core.pagination import CappedPaginator, cap_for
from kinerja.core.scope import Action
from kinerja.organisations.choices import PositionKind
from kinerja.organisations.models import Instansi, OrgUnit
from kinerja.organisations.selectors import caller_instansi
from kinerja.organisations.views import FormPageView, LookupView

from .. import selectors, services
from ..choices import AgreementStatus, DataType, GoalLevel, KeySetStatus, TagKind, TargetShape
from ..filters import AgreementFilter, IndicatorTemplateFilter
from ..forms import (
    AgreementForm,
    AgreementStepForm,
    GoalForm,
    IndicatorForm,
    KeySetIndicatorForm,
    LateEntryForm,
    PeriodForm,
    SubPeriodStatusForm,
    TargetForm,
    TemplateForm,
)
from ..lookups import template_options
from ..models import (
    Agreement,
    AgreementTarget,
    Goal,
    Indicator,
    IndicatorTemplate,
    KeyIndicatorSet,
    KeyIndicatorSetItem,
    LateEntryWindow,
    Period,
    SubPeriod,
    Target,
)
from ..services import FIRST_YEAR, LAST_YEAR

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
            # Read only when the page's tree is not kept ({% kept %} in the template).
            tree=SimpleLazyObject(lambda: _goal_tree(scope, unit)),
            agencies=agencies.order_by("sort_key", "name").only("pk", "name"),
            unit=unit,
            can_add_mission=may_change(scope, Action.MANAGE_GOALS, None),
            this_year=timezone.localdate().year,
            **kwargs,
        )


def _goal_tree(scope, unit) -> dict:
    """The goal tree's roots with the goals the caller may edit and extend."""
    roots = selectors.goal_tree(scope=scope, unit=unit)
    editable, extendable = set(), set()
    plans_anywhere = scope.can_anywhere(Action.MANAGE_PLANS)
    stack = list(roots)
    while stack:
        node = stack.pop()
        goal = node.goal
        stack.extend(node.children)
        if may_change(scope, goal_action(goal.level), goal.unit):
            editable.add(goal.pk)
        if goal.level == GoalLevel.TARGET:
            if plans_anywhere:
                extendable.add(goal.pk)
        elif goal.level != GoalLevel.AGENCY_TARGET and goal.pk in editable:
            extendable.add(goal.pk)
    return {"roots": roots, "editable": editable, "extendable": extendable}


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
            can_manage=may_change(scope, Action.MANAGE_GOALS, None),
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
                    instansi=caller_instansi(request.scope),
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


# Editing pages ------------------------------------------------------------------------------
# Thin: find the object within the caller's reach (else 404), check the right to change it
# as the services do (else 403), bind the form, call the service; its refusals go on the
# fields they name.


def may_change(scope, action: str, unit: OrgUnit | None) -> bool:
    """Mirror of the services' check: ``action`` on ``unit``, or across the instansi for the
    province's own rows (no unit)."""
    if unit is None:
        return scope.paths_for(action) is None
    return scope.can(action, unit.path)


def goal_action(level: str) -> str:
    return Action.MANAGE_GOALS if level in GoalLevel.regional() else Action.MANAGE_PLANS


def _changeable_goal(request, pk) -> Goal:
    goal = get_object_or_404(Goal.objects.within(request.scope).select_related("unit"), pk=pk)
    if not may_change(request.scope, goal_action(goal.level), goal.unit):
        raise PermissionDenied
    return goal


def _instansi(request) -> Instansi:
    return get_object_or_404(Instansi, pk=request.scope.instansi_id)


class PlanningFormView(PlanningPageMixin, FormPageView):
    """A planning form page: `FormPageView`'s GET and POST, signed-in planning roles only."""

    template_name = "performance/object_form.html"
    nav_active = "planning"


class GoalCreateView(PlanningFormView):
    """Add a goal under ``pk`` (a mission at the top when there is none): the levels the parent
    allows; a strategic objective names its agency, a strategic target is its objective's."""

    success_message = gettext_lazy("The goal has been added.")

    def get_object(self):
        scope = self.request.scope
        parent = None
        if "pk" in self.kwargs:
            parent = get_object_or_404(
                Goal.objects.within(scope).select_related("unit"), pk=self.kwargs["pk"]
            )
        parent_level = parent.level if parent else None
        levels = [v for v in GoalLevel.values if GoalLevel.parent_level(v) == parent_level]
        if not levels:
            raise Http404  # nothing goes under a strategic target
        level = levels[0]
        if level == GoalLevel.AGENCY_OBJECTIVE:
            allowed = scope.can_anywhere(Action.MANAGE_PLANS)
        elif level == GoalLevel.AGENCY_TARGET:
            allowed = may_change(scope, Action.MANAGE_PLANS, parent.unit)
        else:
            allowed = may_change(scope, Action.MANAGE_GOALS, None)
        if not allowed:
            raise PermissionDenied
        return parent

    def get_form(self, obj, data=None):
        agencies = (
            OrgUnit.objects.within(self.request.scope, Action.MANAGE_PLANS)
            .agencies()
            .order_by("sort_key", "name")
        )
        return GoalForm(data, parent=obj, level=None, agencies=agencies)

    def save(self, form, obj):
        data = {**form.service_data(), "parent": obj}
        if data["level"] == GoalLevel.AGENCY_TARGET:
            data["unit"] = obj.unit
        return services.goal_create(
            actor=self.request.user,
            scope=self.request.scope,
            instansi=_instansi(self.request),
            data=data,
            rb_themes=form.cleaned_data["rb_themes"],
            development_areas=form.cleaned_data["development_areas"],
        )

    def page_context(self, obj):
        return {
            "pretitle": str(obj) if obj else gettext("Regional plan (RPJMD)"),
            "heading": gettext("Add goal"),
            "cancel_url": obj.get_absolute_url() if obj else reverse("performance:goal_tree"),
            "submit_label": gettext("Add goal"),
        }


class GoalUpdateView(PlanningFormView):
    success_message = gettext_lazy("The goal has been saved.")

    def get_object(self):
        return _changeable_goal(self.request, self.kwargs["pk"])

    def get_form(self, obj, data=None):
        agencies = (
            OrgUnit.objects.within(self.request.scope, Action.MANAGE_PLANS)
            .agencies()
            .order_by("sort_key", "name")
        )
        tags = list(obj.tags.all())
        initial = {
            "level": obj.level,
            "code": obj.code,
            "name": obj.name,
            "description": obj.description,
            "unit": obj.unit_id,
            "rb_themes": [t.code for t in tags if t.kind == TagKind.RB_THEME],
            "development_areas": [t.code for t in tags if t.kind == TagKind.DEVELOPMENT_AREA],
        }
        return GoalForm(data, initial=initial, parent=None, level=obj.level, agencies=agencies)

    def save(self, form, obj):
        return services.goal_update(
            actor=self.request.user,
            scope=self.request.scope,
            goal=obj,
            data=form.service_data(),
            rb_themes=form.cleaned_data["rb_themes"],
            development_areas=form.cleaned_data["development_areas"],
        )

    def page_context(self, obj):
        return {
            "pretitle": gettext("Edit goal"),
            "heading": str(obj),
            "cancel_url": obj.get_absolute_url(),
            "submit_label": gettext("Save"),
        }


class TemplateFormMixin:
    nav_active = "indicator_library"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_change(
            request.scope, Action.MANAGE_GOALS, None
        ):
            if "pk" in kwargs:
                get_object_or_404(IndicatorTemplate.objects.within(request.scope), pk=kwargs["pk"])
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TemplateCreateView(TemplateFormMixin, PlanningFormView):
    """Add an entry to the indicator library (manage_goals across the instansi)."""

    success_message = gettext_lazy("The library entry has been added.")

    def get_form(self, obj, data=None):
        return TemplateForm(data)

    def save(self, form, obj):
        services.template_create(
            actor=self.request.user,
            scope=self.request.scope,
            instansi=_instansi(self.request),
            data=form.service_data(),
        )
        return reverse("performance:template_list")

    def page_context(self, obj):
        return {
            "pretitle": gettext("Indicator library"),
            "heading": gettext("Add library entry"),
            "cancel_url": reverse("performance:template_list"),
            "submit_label": gettext("Add library entry"),
        }


class TemplateUpdateView(TemplateFormMixin, PlanningFormView):
    success_message = gettext_lazy("The library entry has been saved.")

    def get_object(self):
        return get_object_or_404(
            IndicatorTemplate.objects.within(self.request.scope), pk=self.kwargs["pk"]
        )

    def get_form(self, obj, data=None):
        initial = {name: getattr(obj, name) for name in TemplateForm.data_fields}
        return TemplateForm(data, initial=initial)

    def save(self, form, obj):
        services.template_update(
            actor=self.request.user,
            scope=self.request.scope,
            template=obj,
            data=form.service_data(),
        )
        return reverse("performance:template_list")

    def page_context(self, obj):
        return {
            "pretitle": gettext("Edit library entry"),
            "heading": obj.name,
            "cancel_url": reverse("performance:template_list"),
            "submit_label": gettext("Save"),
        }


class IndicatorFormMixin:
    """The indicator form shows the closest existing indicators: after a submit that did not
    save, after the no-JavaScript "check the name" button (``_similar``), and as the name is
    typed through `IndicatorSimilarView` (HTMX)."""

    def post(self, request, *args, **kwargs):
        if "_similar" in request.POST:
            # A check of the name, not a save: the form comes back unchecked, as posted.
            obj = self.get_object()
            form = self.get_form(obj)
            form.initial.update({name: request.POST.get(name) for name in form.fields})
            return self.render_form(form, self.page_context(obj))
        return super().post(request, *args, **kwargs)

    def render_form(self, form, page: dict, status=200):
        name = (self.request.POST.get("name") or "").strip()[:500]
        page = {
            **page,
            "similar_url": reverse("performance:indicator_similar"),
            "similar": selectors.similar_indicators(scope=self.request.scope, name=name)
            if name
            else None,
        }
        return super().render_form(form, page, status=status)


class IndicatorCreateView(IndicatorFormMixin, PlanningFormView):
    """Add an indicator with its manual to the goal ``pk``."""

    success_message = gettext_lazy("The indicator has been added.")

    def get_object(self):
        return _changeable_goal(self.request, self.kwargs["pk"])

    def get_form(self, obj, data=None):
        return IndicatorForm(data, scope=self.request.scope)

    def save(self, form, obj):
        indicator = services.indicator_create(
            actor=self.request.user,
            scope=self.request.scope,
            instansi=_instansi(self.request),
            data={**form.service_data(), "goal": obj},
        )
        return obj.get_absolute_url().replace(f"#goal-{obj.pk}", f"#indicator-{indicator.pk}")

    def page_context(self, obj):
        return {
            "pretitle": str(obj),
            "heading": gettext("Add indicator"),
            "cancel_url": obj.get_absolute_url(),
            "submit_label": gettext("Add indicator"),
        }


def _changeable_indicator(request, pk) -> Indicator:
    indicator = get_object_or_404(
        Indicator.objects.within(request.scope).select_related("goal", "unit"), pk=pk
    )
    if not may_change(request.scope, goal_action(indicator.goal.level), indicator.unit):
        raise PermissionDenied
    return indicator


class IndicatorUpdateView(IndicatorFormMixin, PlanningFormView):
    success_message = gettext_lazy("The indicator has been saved.")

    def get_object(self):
        return _changeable_indicator(self.request, self.kwargs["pk"])

    def get_form(self, obj, data=None):
        initial = {
            name: getattr(obj, name) for name in IndicatorForm.data_fields if name != "template"
        }
        return IndicatorForm(data, initial=initial, scope=self.request.scope, editing=True)

    def save(self, form, obj):
        services.indicator_update(
            actor=self.request.user,
            scope=self.request.scope,
            indicator=obj,
            data=form.service_data(),
            reason=form.cleaned_data["reason"],
        )
        return reverse("performance:goal_tree") + f"#indicator-{obj.pk}"

    def page_context(self, obj):
        return {
            "pretitle": gettext("Edit indicator"),
            "heading": str(obj),
            "cancel_url": reverse("performance:goal_tree") + f"#indicator-{obj.pk}",
            "submit_label": gettext("Save"),
        }


class TemplateLookupView(LookupView):
    """Library entries for the indicator form's searchable select (JSON)."""

    required_action = Action.VIEW_PLANNING

    def options(self, request, query):
        return template_options(request.scope, query)


class IndicatorSimilarView(PlanningPageMixin, TemplateView):
    """The closest existing indicators to ``name`` (an HTMX fragment of the indicator form)."""

    template_name = "performance/partials/_similar.html"

    def get_context_data(self, **kwargs):
        name = (self.request.GET.get("name") or "").strip()[:500]
        return super().get_context_data(
            similar=selectors.similar_indicators(scope=self.request.scope, name=name)
            if name
            else None,
            **kwargs,
        )


class TargetEditView(PlanningFormView):
    """An indicator's target for ``year`` and its sub-period values, in one form and one
    transaction: a refusal of either writes nothing."""

    success_message = gettext_lazy("The target has been saved.")

    def get_object(self):
        if not FIRST_YEAR <= self.kwargs["year"] <= LAST_YEAR:
            raise Http404
        indicator = _changeable_indicator(self.request, self.kwargs["pk"])
        year = self.kwargs["year"]
        period = Period.objects.within(self.request.scope).filter(year=year).first()
        self.numbers = (
            list(SubPeriod.objects.filter(period=period).values_list("number", flat=True))
            if period
            else []
        )
        self.target = (
            Target.objects.filter(indicator=indicator, year=year)
            .prefetch_related("values", "values__sub_period")
            .first()
        )
        return indicator

    def get_form(self, obj, data=None):
        initial = {}
        target = self.target
        if target is not None:
            initial = {name: getattr(target, name) for name in TargetForm.data_fields}
            for row in target.values.all():
                n = row.sub_period.number
                initial.update(
                    {f"value_{n}": row.value, f"low_{n}": row.low, f"high_{n}": row.high}
                )
        elif obj.data_type == DataType.QUALITATIVE:
            initial["shape"] = TargetShape.QUALITATIVE
        return TargetForm(data, initial=initial, numbers=self.numbers)

    def save(self, form, obj):
        call = {"actor": self.request.user, "scope": self.request.scope}
        reason = form.cleaned_data["reason"]
        with transaction.atomic():
            target = services.target_set(
                **call,
                indicator=obj,
                year=self.kwargs["year"],
                data=form.service_data(),
                reason=reason,
            )
            values = form.sub_period_values()
            if values is not None:
                services.target_set_values(**call, target=target, values=values, reason=reason)
        return self.request.path

    def page_context(self, obj):
        return {
            "pretitle": str(obj),
            "heading": gettext("Target for %(year)d") % {"year": self.kwargs["year"]},
            "cancel_url": reverse("performance:goal_tree") + f"#indicator-{obj.pk}",
            "submit_label": gettext("Save target"),
            "indicator": obj,
            "year": self.kwargs["year"],
            "target_form": True,
        }


class KeySetListView(PlanningPageMixin, TemplateView):
    """The key-indicator (IKU) sets of the province and of each agency within reach, with
    their indicators and targets per year; a planner adds and removes indicators of a draft.
    Four queries whatever the number of sets."""

    nav_active = "key_sets"
    template_name = "performance/key_set_list.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        sets = list(
            KeyIndicatorSet.objects.within(scope)
            .select_related("unit")
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=KeyIndicatorSetItem.objects.select_related("indicator").order_by(
                        "position", "pk"
                    ),
                )
            )
            .order_by("unit__sort_key", "unit__name", "-first_year", "pk")
        )
        indicator_ids = {item.indicator_id for s in sets for item in s.items.all()}
        targets = {
            (t.indicator_id, t.year): t
            for t in Target.objects.filter(indicator_id__in=indicator_ids)
        }
        candidates: dict[int | None, list[Indicator]] = {}
        for indicator in Indicator.objects.within(scope).key().order_by("code"):
            candidates.setdefault(indicator.unit_id, []).append(indicator)
        rows = []
        for key_set in sets:
            items = list(key_set.items.all())
            in_set = {item.indicator_id for item in items}
            changeable = key_set.status == KeySetStatus.DRAFT and may_change(
                scope,
                Action.MANAGE_GOALS if key_set.unit_id is None else Action.MANAGE_PLANS,
                key_set.unit,
            )
            rows.append(
                {
                    "set": key_set,
                    "years": list(key_set.years),
                    "items": [
                        {
                            "indicator": item.indicator,
                            "targets": [targets.get((item.indicator_id, y)) for y in key_set.years],
                        }
                        for item in items
                    ],
                    "changeable": changeable,
                    "candidates": [
                        i for i in candidates.get(key_set.unit_id, []) if i.pk not in in_set
                    ]
                    if changeable
                    else [],
                }
            )
        return super().get_context_data(rows=rows, **kwargs)


class KeySetIndicatorView(PlanningPageMixin, View):
    """Add an indicator to a draft key-indicator set, or take one out (``remove``)."""

    remove = False

    def post(self, request, pk):
        scope = request.scope
        key_set = get_object_or_404(
            KeyIndicatorSet.objects.within(scope).select_related("unit"), pk=pk
        )
        action = Action.MANAGE_GOALS if key_set.unit_id is None else Action.MANAGE_PLANS
        if not may_change(scope, action, key_set.unit):
            raise PermissionDenied
        form = KeySetIndicatorForm(request.POST, indicators=Indicator.objects.within(scope))
        back = reverse("performance:key_set_list") + f"#key-set-{key_set.pk}"
        if not form.is_valid():
            messages.error(request, gettext("Choose a key indicator of the set's owner."))
            return redirect(back)
        service = services.key_set_remove if self.remove else services.key_set_add
        try:
            service(
                actor=request.user,
                scope=scope,
                key_set=key_set,
                indicator=form.cleaned_data["indicator"],
            )
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(
                request,
                gettext("The indicator has been taken out of the set.")
                if self.remove
                else gettext("The indicator has been added to the set."),
            )
        return redirect(back)


# Performance agreements (Perjanjian Kinerja) ------------------------------------------------

AGREEMENTS_PER_PAGE = 50


def agreement_action(unit: OrgUnit | None) -> str:
    return Action.MANAGE_GOALS if unit is None else Action.MANAGE_PLANS


def _agreement(request, pk) -> Agreement:
    return get_object_or_404(
        Agreement.objects.within(request.scope).select_related("unit", "previous"), pk=pk
    )


class AgreementListView(PlanningPageMixin, TemplateView):
    """The agreements within reach, by year, unit and status (current revisions unless
    ``current`` is off)."""

    nav_active = "agreements"
    template_name = "performance/agreement_list.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        data = self.request.GET.copy()
        data.setdefault("current", "true")
        qs = Agreement.objects.within(scope).select_related("unit")
        filterset = AgreementFilter(data, queryset=qs)
        rows = filterset.qs if filterset.is_valid() else qs.none()
        rows = rows.order_by("-year", "unit__sort_key", "unit__name", "-revision", "pk")
        paginator = CappedPaginator(rows, AGREEMENTS_PER_PAGE, cap=cap_for(self.request.GET))
        page = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        may_add = scope.can_anywhere(Action.MANAGE_PLANS) or may_change(
            scope, Action.MANAGE_GOALS, None
        )
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            query=query.urlencode(),
            statuses=AgreementStatus.choices,
            may_add=may_add,
            **kwargs,
        )


class AgreementDetailView(PlanningPageMixin, TemplateView):
    """One agreement: its parties, targets, programs and budget, the steps the caller may
    take, and the revisions of the same owner and year."""

    nav_active = "agreements"
    template_name = "performance/agreement_detail.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        agreement = get_object_or_404(  # the page shows no previous revision's fields
            Agreement.objects.within(scope).select_related("unit"), pk=self.kwargs["pk"]
        )
        first_side = may_change(scope, agreement_action(agreement.unit), agreement.unit)
        second_side = first_side  # manage_plans over the unit (or Bappeda); the province's
        status = agreement.status
        steps = []
        if agreement.is_current:
            if status == AgreementStatus.DRAFT and first_side:
                steps.append(("submit", gettext("Submit")))
            if status == AgreementStatus.SUBMITTED and second_side:
                steps.append(("approve", gettext("Approve")))
            if status == AgreementStatus.APPROVED and second_side:
                steps.append(("sign", gettext("Sign")))
        # The targets, programs and revisions are read only when the page's parts are not
        # kept ({% kept %} in the template).
        return super().get_context_data(
            agreement=agreement,
            content=SimpleLazyObject(lambda: _agreement_content(agreement)),
            revisions=lambda: list(
                Agreement.objects.within(scope)
                .filter(instansi_id=agreement.instansi_id, unit=agreement.unit, year=agreement.year)
                .order_by("-revision")
            ),
            steps=steps,
            may_edit=agreement.is_draft and first_side,
            may_revise=agreement.is_signed and agreement.is_current and first_side,
            **kwargs,
        )


def _agreement_content(agreement: Agreement) -> dict:
    targets = list(
        AgreementTarget.objects.filter(agreement=agreement)
        .select_related("target__indicator", "goal")
        .order_by("position", "pk")
    )
    programs = list(agreement.programs.order_by("position", "pk"))
    total = sum((p.budget for p in programs), start=0)
    return {"targets": targets, "programs": programs, "total": total}


class AgreementStepView(PlanningPageMixin, View):
    """Submit, approve, sign or revise an agreement (POST with the version shown)."""

    SERVICES = {
        "submit": (services.agreement_submit, gettext_lazy("The agreement has been submitted.")),
        "approve": (services.agreement_approve, gettext_lazy("The agreement has been approved.")),
        "sign": (services.agreement_sign, gettext_lazy("The agreement has been signed.")),
        "revise": (services.agreement_revise, gettext_lazy("A revision has been started.")),
    }

    def post(self, request, pk, step):
        agreement = _agreement(request, pk)
        if step not in self.SERVICES:
            raise Http404
        if not may_change(request.scope, agreement_action(agreement.unit), agreement.unit):
            raise PermissionDenied
        service, done = self.SERVICES[step]
        form = AgreementStepForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Reload the page and try again."))
            return redirect(agreement)
        extra = {"reason": form.cleaned_data["reason"]} if step == "revise" else {}
        try:
            result = service(
                actor=request.user,
                scope=request.scope,
                agreement=agreement,
                version=form.cleaned_data["version"],
                **extra,
            )
        except ValidationError as exc:
            _refusal(request, exc)
            return redirect(agreement)
        messages.success(request, done)
        return redirect(result)


class AgreementCreateView(PlanningFormView):
    """Start a draft: an agency within the caller's manage_plans reach, or the province."""

    success_message = gettext_lazy("The agreement has been started.")

    def get_object(self):
        scope = self.request.scope
        if not (
            scope.can_anywhere(Action.MANAGE_PLANS) or may_change(scope, Action.MANAGE_GOALS, None)
        ):
            raise PermissionDenied

    def get_form(self, obj, data=None):
        scope = self.request.scope
        units = OrgUnit.objects.within(scope, Action.MANAGE_PLANS).active_on()
        initial = {"year": timezone.localdate().year, "agreement_date": timezone.localdate()}
        return AgreementForm(data, initial=initial, units=units, scope=scope)

    def save(self, form, obj):
        return services.agreement_create(
            actor=self.request.user,
            scope=self.request.scope,
            instansi=_instansi(self.request),
            data=form.service_data(),
        )

    def page_context(self, obj):
        return {
            "pretitle": gettext("Performance agreements"),
            "heading": gettext("New performance agreement"),
            "cancel_url": reverse("performance:agreement_list"),
            "submit_label": gettext("Start the agreement"),
        }


class AgreementUpdateView(PlanningFormView):
    """Edit a draft: date, parties named by hand, targets and the program table, in one
    transaction under the version shown."""

    success_message = gettext_lazy("The agreement has been saved.")

    def get_object(self):
        agreement = _agreement(self.request, self.kwargs["pk"])
        if not may_change(self.request.scope, agreement_action(agreement.unit), agreement.unit):
            raise PermissionDenied
        return agreement

    def get_form(self, obj, data=None):
        from ..forms import programs_text

        targets = (
            services.eligible_targets(obj).select_related("indicator").order_by("indicator__code")
        )
        initial = {
            name: getattr(obj, name)
            for name in AgreementForm.data_fields
            if name not in ("unit", "year")
        }
        initial.update(
            version=obj.version,
            targets=list(obj.targets.values_list("target_id", flat=True)),
            programs=programs_text(obj),
        )
        return AgreementForm(data, initial=initial, targets=targets)

    def save(self, form, obj):
        call = {"actor": self.request.user, "scope": self.request.scope}
        data = form.service_data()
        with transaction.atomic():
            agreement = services.agreement_update(
                **call, agreement=obj, version=form.cleaned_data["version"], data=data
            )
            agreement = services.agreement_set_targets(
                **call,
                agreement=agreement,
                version=agreement.version,
                targets=list(form.cleaned_data["targets"]),
            )
            agreement = services.agreement_set_programs(
                **call,
                agreement=agreement,
                version=agreement.version,
                programs=form.cleaned_data["programs"],
            )
        return agreement

    def page_context(self, obj):
        return {
            "pretitle": gettext("Edit the draft"),
            "heading": str(obj),
            "cancel_url": obj.get_absolute_url(),
            "submit_label": gettext("Save"),
        }
