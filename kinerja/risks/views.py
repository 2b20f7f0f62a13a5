"""Pages of the risk register (``/risks/``): the register, the heat map, a risk with its
mitigations and history, the forms, and raising an at-risk target from the early warning.

Readers (`selectors.may_read`) see the risks within their reach; another signed-in role gets
403, a risk out of reach 404. Writing needs ``manage_plans`` over the risk's unit (the
services check it again); a reader who may not write gets 403 on a form."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView

from kinerja.audit.models import AuditEvent
from kinerja.audit.templatetags.audit_tags import describe_events
from kinerja.core.excel import export_response
from kinerja.core.pagination import CappedPaginator, cap_for
from kinerja.core.scope import Action
from kinerja.organisations.models import Instansi, OrgUnit

from . import selectors, services
from .choices import ObjectKind
from .excel import HeatmapReport, RiskRegisterReport, threatened_label
from .filters import LIVE, RiskFilter
from .forms import CloseForm, MitigationForm, RaiseForm, RiskForm
from .models import Mitigation, Risk
from .policy import risk_policy

PER_PAGE = 50
NAV = "risks"
HISTORY_LIMIT = 50


class RiskPageMixin(LoginRequiredMixin):
    """Signed in, and a reader of the register (else 403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not selectors.may_read(request.scope):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_active", NAV)
        return super().get_context_data(**kwargs)


def _risk(request, pk) -> Risk:
    return get_object_or_404(
        Risk.objects.within(request.scope).select_related(
            "unit__agency",
            "target__indicator",
            "goal",
            "project",
            "owner_position__unit",
            "owner_employee",
        ),
        pk=pk,
    )


def _managed_risk(request, pk) -> Risk:
    risk = _risk(request, pk)
    if not services.may_manage(request.scope, risk.unit):
        raise PermissionDenied
    return risk


def _filtered(request, *, live_default: bool = False):
    qs = Risk.objects.within(request.scope)
    data = request.GET.copy()
    if live_default and "status" not in data:
        data["status"] = LIVE
    filterset = RiskFilter(data, queryset=qs)
    rows = filterset.qs if filterset.is_valid() else qs.none()
    return filterset, rows


def _agencies(request):
    return (
        OrgUnit.objects.within(request.scope, Action.VIEW_PLANNING)
        .agencies()
        .order_by("sort_key", "name")
        .only("pk", "name")
    )


def _filter_context(request, filterset) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    policy = risk_policy()
    return {
        "filter": filterset,
        "query": query.urlencode(),
        "agencies": _agencies(request),
        "kinds": ObjectKind.choices,
        "bands": [(b.key, b.label) for b in policy.bands],
        "statuses": filterset.filters["status"].extra["choices"](),
        "categories": policy.category_choices(),
        "policy": policy,
        "treatment_band": policy.band_by_key(policy.treatment_required_from),
    }


def _decorate(risks) -> None:
    for risk in risks:
        risk.threatened_label = threatened_label(risk)
        risk.kind_label = ObjectKind(risk.kind).label
        risk.category_label = risk.policy.category_label(risk.category)
        risk.band_obj = risk.band
        risk.residual_band_obj = risk.residual_band
        risk.untreated = (
            risk.is_live
            and risk.policy.needs_treatment(risk.level)
            and not getattr(risk, "active_mitigations", 0)
        )


# What the register's kept part reads of its listing (`RiskListView`).
LISTING = (
    "page_obj",
    "filter",
    "agencies",
    "kinds",
    "bands",
    "statuses",
    "categories",
    "policy",
    "treatment_band",
)


def _item(listing, key):
    return listing()[key]


class RiskListView(RiskPageMixin, TemplateView):
    """The register: filtered by agency, what is threatened, band, status, category and
    source; the highest level first; paged."""

    template_name = "risks/risk_list.html"

    def get_context_data(self, **kwargs):
        request = self.request

        # The filters, their options and the page are built only when the page's kept part is
        # not kept yet ({% kept %} in the template): the template calls these when it reads them.
        @functools.cache
        def listing() -> dict:
            filterset, rows = _filtered(request)
            rows = selectors.register_rows(rows).by_level()
            page = CappedPaginator(rows, PER_PAGE, cap=cap_for(request.GET)).get_page(
                request.GET.get("page")
            )
            _decorate(page)
            return {"page_obj": page, **_filter_context(request, filterset)}

        query = request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            **{key: functools.partial(_item, listing, key) for key in LISTING},
            query=query.urlencode(),
            may_add=selectors.may_add(request.scope),
            **kwargs,
        )


class RiskExportView(RiskPageMixin, TemplateView):
    """The register's rows under the same filters, as a workbook."""

    def get(self, request, *args, **kwargs):
        _filterset, rows = _filtered(request)
        rows = selectors.register_rows(rows).by_level()
        return export_response(RiskRegisterReport(rows), filename="register-risiko")


def _matrix(request):
    filterset, rows = _filtered(request, live_default=True)
    basis = request.GET.get("basis", "")
    basis = selectors.RESIDUAL if basis == selectors.RESIDUAL else ""
    policy = risk_policy()
    return filterset, basis, selectors.heatmap(rows, policy, basis), policy


class HeatmapView(RiskPageMixin, TemplateView):
    """The 5x5 heat map of the register's live risks (or those of the status asked for), by
    inherent or residual level, with its table and the table's workbook."""

    template_name = "risks/heatmap.html"

    def get_context_data(self, **kwargs):
        filterset, basis, matrix, policy = _matrix(self.request)
        query = self.request.GET.copy()
        query.pop("basis", None)
        if "status" not in query:
            query["status"] = LIVE
        return super().get_context_data(
            matrix=matrix,
            chart=selectors.chart_data(matrix),
            basis=basis,
            cell_query=query.urlencode(),
            **_filter_context(self.request, filterset),
            **kwargs,
        )


class HeatmapExportView(RiskPageMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        _filterset, basis, matrix, _policy = _matrix(request)
        name = "peta-risiko-residual" if basis else "peta-risiko"
        return export_response(HeatmapReport(matrix), filename=name)


def _mitigation_history(request, risk, mitigations) -> dict:
    """The audit events of the risk's mitigations (one query), shown where the caller reads
    the risk's own history (``view_audit`` on its unit)."""
    path = getattr(risk.unit, "path", None)
    if not path or not request.scope.can(Action.VIEW_AUDIT, path) or not mitigations:
        return {"show": False}
    events = list(
        AuditEvent.objects.within(request.scope)
        .filter(
            target_type=Mitigation._meta.label_lower,
            target_id__in=[str(m.pk) for m in mitigations],
        )
        .order_by("-sequence")[: HISTORY_LIMIT + 1]
    )
    more = len(events) > HISTORY_LIMIT
    events = events[:HISTORY_LIMIT]
    describe_events(events)
    return {"show": True, "events": events, "more": more}


class RiskDetailView(RiskPageMixin, TemplateView):
    """A risk: what it threatens, its levels, owner, source, mitigations and history."""

    template_name = "risks/risk_detail.html"

    def get_context_data(self, **kwargs):
        request, pk = self.request, self.kwargs["pk"]
        # What decides access and the page's heading; the rest of the page is kept
        # ({% kept %} in the template) and read only when it is not kept yet.
        risk = get_object_or_404(Risk.objects.within(request.scope).select_related("unit"), pk=pk)
        risk.kind_label = ObjectKind(risk.kind).label

        @functools.cache
        def shown() -> Risk:
            full = _risk(request, pk)
            _decorate([full])
            return full

        @functools.cache
        def mitigations():
            rows = list(
                shown().mitigations.select_related("responsible_position").order_by("due_on", "pk")
            )
            today = timezone.localdate()
            for m in rows:
                m.overdue = m.status in ("planned", "in_progress") and m.due_on < today
            return rows

        manage = services.may_manage(request.scope, risk.unit)
        return super().get_context_data(
            risk=risk,
            shown=shown,
            mitigations=mitigations,
            may_manage=manage and risk.is_live,
            mitigation_history=SimpleLazyObject(
                lambda: _mitigation_history(request, shown(), mitigations())
            ),
            likelihood_label=lambda: risk.policy.likelihood_label(risk.likelihood),
            impact_label=lambda: risk.policy.impact_label(risk.impact),
            **kwargs,
        )


class _FormView(RiskPageMixin, TemplateView):
    """GET shows the form, POST calls the service; its refusals go beside the fields."""

    template_name = "risks/form.html"
    success_message = ""

    def form(self, data=None):
        raise NotImplementedError

    def save(self, form):
        raise NotImplementedError

    def page(self) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        self.setup_object()
        return self.render_to_response(self.get_context_data(form=self.form(), **self.page()))

    def post(self, request, *args, **kwargs):
        self.setup_object()
        form = self.form(request.POST)
        if form.is_valid():
            try:
                obj = self.save(form)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, self.success_message)
                return redirect(obj)
        context = self.get_context_data(form=form, **self.page())
        return self.render_to_response(context, status=400)

    def setup_object(self) -> None:
        pass

    def call(self) -> dict:
        return {"actor": self.request.user, "scope": self.request.scope}


class RiskPickView(RiskPageMixin, TemplateView):
    """Find what a new risk threatens: targets, goals and projects whose unit the caller
    manages, by code or name."""

    template_name = "risks/risk_pick.html"

    def get_context_data(self, **kwargs):
        if not selectors.may_add(self.request.scope):
            raise PermissionDenied
        q = self.request.GET.get("q", "")[:200]
        try:
            year = int(self.request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 1900), 2999)
        return super().get_context_data(
            q=q, year=year, found=selectors.pick(self.request.scope, q, year), **kwargs
        )


class RiskCreateView(_FormView):
    success_message = gettext_lazy("The risk has been registered.")

    def setup_object(self):
        kind = self.kwargs["kind"]
        self.obj = selectors.threatened_object(self.request.scope, kind, self.kwargs["pk"])
        self.unit = services.owning_unit(self.obj)
        if not services.may_manage(self.request.scope, self.unit):
            raise PermissionDenied
        self.instansi = get_object_or_404(Instansi, pk=self.obj.instansi_id)

    def form(self, data=None):
        return RiskForm(
            data,
            policy=risk_policy(),
            posts=selectors.owner_posts(self.obj.instansi_id, self.unit),
            initial={"identified_on": timezone.localdate()},
        )

    def save(self, form):
        data = form.service_data()
        data[self.kwargs["kind"]] = self.obj
        return services.risk_create(**self.call(), instansi=self.instansi, data=data)

    def page(self):
        return {
            "heading": gettext("Register a risk"),
            "pretitle": str(self.obj),
            "threatened": self.obj,
            "cancel_url": reverse("risks:risk_pick"),
            "submit_label": gettext("Register"),
        }


class RiskUpdateView(_FormView):
    success_message = gettext_lazy("The risk has been saved.")

    def setup_object(self):
        self.risk = _managed_risk(self.request, self.kwargs["pk"])
        if not self.risk.is_live:
            raise PermissionDenied

    def form(self, data=None):
        r = self.risk
        initial = {
            "title": r.title,
            "category": r.category,
            "cause": r.cause,
            "impact_description": r.impact_description,
            "likelihood": str(r.likelihood),
            "impact": str(r.impact),
            "residual_likelihood": str(r.residual_likelihood or ""),
            "residual_impact": str(r.residual_impact or ""),
            "owner_position": r.owner_position_id,
            "review_on": r.review_on,
            "status": r.status,
        }
        return RiskForm(
            data,
            policy=r.policy,
            posts=selectors.owner_posts(r.instansi_id, r.unit),
            update=True,
            initial=initial,
        )

    def save(self, form):
        data = form.service_data()
        if data.get("owner_position") is None:
            data.pop("owner_position")  # left empty: the owner stays who it is
        return services.risk_update(
            **self.call(), risk=self.risk, data=data, reason=form.cleaned_data.get("reason", "")
        )

    def page(self):
        return {
            "heading": gettext("Edit the risk"),
            "pretitle": self.risk.title,
            "cancel_url": self.risk.get_absolute_url(),
            "submit_label": gettext("Save"),
        }


class RiskCloseView(_FormView):
    success_message = gettext_lazy("The risk has been closed.")

    def setup_object(self):
        self.risk = _managed_risk(self.request, self.kwargs["pk"])
        if not self.risk.is_live:
            raise PermissionDenied

    def form(self, data=None):
        return CloseForm(data, initial={"closed_on": timezone.localdate()})

    def save(self, form):
        d = form.cleaned_data
        return services.risk_close(
            **self.call(),
            risk=self.risk,
            status=d.get("status") or "",
            reason=d.get("reason") or "",
            on=d.get("closed_on"),
        )

    def page(self):
        return {
            "heading": gettext("Close the risk"),
            "pretitle": self.risk.title,
            "cancel_url": self.risk.get_absolute_url(),
            "submit_label": gettext("Close the risk"),
        }


class MitigationCreateView(_FormView):
    success_message = gettext_lazy("The mitigation has been added.")

    def setup_object(self):
        self.risk = _managed_risk(self.request, self.kwargs["pk"])
        if not self.risk.is_live:
            raise PermissionDenied

    def form(self, data=None):
        return MitigationForm(
            data, posts=selectors.owner_posts(self.risk.instansi_id, self.risk.unit)
        )

    def save(self, form):
        data = {k: v for k, v in form.cleaned_data.items()}
        services.mitigation_add(**self.call(), risk=self.risk, data=data)
        return self.risk

    def page(self):
        return {
            "heading": gettext("Add a mitigation"),
            "pretitle": self.risk.title,
            "cancel_url": self.risk.get_absolute_url(),
            "submit_label": gettext("Add"),
        }


class MitigationUpdateView(_FormView):
    success_message = gettext_lazy("The mitigation has been saved.")

    def setup_object(self):
        self.mitigation = get_object_or_404(
            Mitigation.objects.within(self.request.scope).select_related("risk__unit"),
            pk=self.kwargs["pk"],
        )
        self.risk = self.mitigation.risk
        if not services.may_manage(self.request.scope, self.risk.unit) or not self.risk.is_live:
            raise PermissionDenied

    def form(self, data=None):
        m = self.mitigation
        initial = {
            "action": m.action,
            "responsible_position": m.responsible_position_id,
            "responsible_name": m.responsible_name,
            "due_on": m.due_on,
            "status": m.status,
            "progress_percent": m.progress_percent,
            "progress_note": m.progress_note,
        }
        return MitigationForm(
            data,
            posts=selectors.owner_posts(self.risk.instansi_id, self.risk.unit),
            initial=initial,
        )

    def save(self, form):
        data = {k: v for k, v in form.cleaned_data.items()}
        services.mitigation_update(**self.call(), mitigation=self.mitigation, data=data)
        return self.risk

    def page(self):
        return {
            "heading": gettext("Update the mitigation"),
            "pretitle": self.risk.title,
            "cancel_url": self.risk.get_absolute_url(),
            "submit_label": gettext("Save"),
        }


class RiskFromTargetView(_FormView):
    """Raise an at-risk target as a risk in one step. The early warning links here with the
    target and its projection (``?projected=72&threshold=90``); nothing is recomputed. The
    page shows what will be registered (title, likelihood, impact, level and band by the
    policy) and any risk the target already has."""

    template_name = "risks/risk_from_target.html"
    success_message = gettext_lazy("The at-risk target has been raised as a risk.")

    def setup_object(self):
        self.target = selectors.threatened_object(
            self.request.scope, ObjectKind.TARGET, self.kwargs["target"]
        )
        self.unit = self.target.indicator.unit
        if not services.may_manage(self.request.scope, self.unit):
            raise PermissionDenied
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        self.projected = source.get("projected_percent", source.get("projected", ""))
        self.threshold = source.get("threshold", "")

    def form(self, data=None):
        return RaiseForm(
            data,
            posts=selectors.owner_posts(self.target.instansi_id, self.unit),
            initial={"projected_percent": self.projected, "threshold": self.threshold},
        )

    def save(self, form):
        d = form.cleaned_data
        return services.risk_raise_from_warning(
            **self.call(),
            target=self.target,
            projected_percent=d.get("projected_percent") or "",
            threshold=d.get("threshold") or "",
            cause=d.get("cause") or "",
            impact_description=d.get("impact_description") or "",
            owner_position=d.get("owner_position"),
        )

    def page(self):
        preview, problem = None, None
        try:
            preview = services.warning_preview(
                target=self.target, projected_percent=self.projected, threshold=self.threshold
            )
        except ValidationError as exc:
            problem = exc.messages
        existing = services.open_warning_risk(self.target)
        others = list(
            Risk.objects.within(self.request.scope)
            .filter(target=self.target)
            .live()
            .order_by("-level", "pk")[:20]
        )
        return {
            "heading": gettext("Raise an at-risk target as a risk"),
            "pretitle": f"{self.target.indicator.code} {self.target.indicator.name} "
            f"({self.target.year})",
            "target": self.target,
            "preview": preview,
            "problem": problem,
            "existing": existing,
            "others": others,
            "default_owner": services.head_post(self.unit),
            "submit_label": gettext("Raise as a risk"),
            "cancel_url": reverse("risks:risk_list"),
        }
