"""The evaluation pages wired to the unit predikat, the curve and the objections.

- **Unit predikat** (`/plans/evaluations/units/`): the units' predikat of a year and a
  sub-period (0: the year) as the API scopes them (``UnitPredikat.objects.within``), one unit's
  suggestion with its basis, the recommendations, the predikat set, the distribution against
  the curve and the finalisation; an Excel export of the list.
- **Objections**: lodged from the evaluation's panel (the employee, within the deadline),
  decided by the evaluator's superior (or the personnel office when the plan records none) from
  "Objections to decide", read across agencies on the overrides page; the audited reopening.

Every write goes through ``services.unit_predikat`` or ``services.objections`` with the version
shown; a refusal comes back as the service's message with nothing saved, a stale version as the
conflict message.

As the other evaluation pages (``views.evaluation``), the pages keep their read-only HTML
(``{% kept %}``) until the next audited write and hand it its rows lazily; what a page reads
for its forms (the unit predikat within reach and who may set or finalise it, the objections to
decide, the units of the open form) is kept under the same rule; the forms are rendered each
time."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView, View

from kinerja.audit.freshness import kept as kept_for
from kinerja.core.excel import Report
from kinerja.core.pagination import CappedPaginator
from kinerja.core.scope import Action
from kinerja.organisations.models import OrgUnit, Position
from kinerja.organisations.selectors import held_posts

from .. import selectors_unit_predikat as sel
from ..curve_rules import _label
from ..evaluation_rules import Rating
from ..forms.evaluation_wire import (
    FinaliseForm,
    ObjectionDecideForm,
    ObjectionFileForm,
    RecommendForm,
    ReopenForm,
    SetForm,
    UnitPredikatOpenForm,
)
from ..models import (
    ObjectionStatus,
    Period,
    UnitPredikat,
    UnitPredikatStatus,
)
from ..selectors_evaluation import evaluations_for, objections_for, reads_oversight
from ..services import Conflict
from ..services import objections as objection_svc
from ..services import unit_predikat as predikat_svc
from .evaluation import (
    PER_PAGE,
    EvaluationPageMixin,
    _download,
    _lazy_years,
    _period,
    _query,
    _when_label,
)

DECIDE_FIELDS = ("decision", "reason", "results_rating", "behaviour_rating")
UNIT_ROLES = frozenset({"leadership", "bappeda", "bkd", "inspektorat", "system_admin"})


def uses_unit_predikat(scope) -> bool:
    """The nav entry: who sets, recommends, finalises or keeps the unit's plans (cheap: no
    query); the page itself shows only what ``UnitPredikat.objects.within`` reaches."""
    return bool(
        scope.instansi_id
        and (
            scope.roles & UNIT_ROLES
            or (scope.employee_id and scope.has_reports)
            or scope.can_anywhere(Action.MANAGE_PLANS)
        )
    )


def keep_typed(request, key: str, fields: tuple[str, ...]) -> None:
    """Keep what was typed in a refused form for the page it goes back to (once)."""
    request.session[f"typed:{key}"] = {f: request.POST.get(f, "")[:5000] for f in fields}


def typed(request, key: str) -> dict[str, str]:
    """What was typed in a refused form (``keep_typed``), read once; {} if nothing."""
    name = f"typed:{key}"
    if name not in request.session:
        return {}
    return request.session.pop(name)


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_refused(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# Objections ---------------------------------------------------------------------------------


def _evaluation(request, pk):
    return get_object_or_404(
        evaluations_for(request.scope).select_related("plan__period", "plan__unit"), pk=pk
    )


def _back(request, evaluation):
    if request.POST.get("next") == "mine":
        url = reverse("performance:evaluation_mine")
        return redirect(f"{url}?{urlencode({'year': evaluation.plan.period.year})}")
    return redirect("performance:evaluation_detail", evaluation.pk)


class ObjectionFileView(LoginRequiredMixin, View):
    """The employee objects to a final rating (reasons, evidence, links)."""

    def post(self, request, pk):
        evaluation = _evaluation(request, pk)
        if not objection_svc.may_file(request.scope, evaluation.plan):
            raise PermissionDenied
        form = ObjectionFileForm(request.POST)
        kept = ("reasons", "evidence", "links")
        if not form.is_valid():
            _form_refused(request, form)
            keep_typed(request, f"objection-{evaluation.pk}", kept)
            return _back(request, evaluation)
        try:
            objection_svc.objection_file(
                actor=request.user,
                scope=request.scope,
                evaluation=evaluation,
                reasons=form.cleaned_data["reasons"],
                evidence=form.cleaned_data["evidence"],
                links=form.link_list(),
            )
        except ValidationError as exc:
            _refused(request, exc)
            keep_typed(request, f"objection-{evaluation.pk}", kept)
        else:
            messages.success(request, gettext("Your objection has been filed."))
        return _back(request, evaluation)


def _objections(scope):
    """The objections within reach (their evaluation's plan within reach, as the API)."""
    return objections_for(scope)


class ObjectionDecideView(LoginRequiredMixin, View):
    """The evaluator's superior (or the personnel office) decides: uphold or change."""

    def post(self, request, pk):
        objection = get_object_or_404(
            _objections(request.scope).select_related("evaluation__plan"), pk=pk
        )
        evaluation = objection.evaluation
        if not objection_svc.may_decide(request.scope, evaluation.plan):
            raise PermissionDenied
        form = ObjectionDecideForm(request.POST)
        back = request.POST.get("next") == "list"
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection_svc.objection_decide(
                    actor=request.user,
                    scope=request.scope,
                    objection=objection,
                    version=data["version"],
                    decision=data["decision"],
                    reason=data["reason"],
                    results_rating=data["results_rating"] or None,
                    behaviour_rating=data["behaviour_rating"] or None,
                )
            except ValidationError as exc:
                _refused(request, exc)
                keep_typed(request, f"decide-{objection.pk}", DECIDE_FIELDS)
            else:
                messages.success(request, gettext("The objection has been decided."))
        else:
            _form_refused(request, form)
            keep_typed(request, f"decide-{objection.pk}", DECIDE_FIELDS)
        if back:
            return redirect("performance:objection_decide_list")
        return redirect("performance:evaluation_detail", evaluation.pk)


class EvaluationReopenView(LoginRequiredMixin, View):
    """The audited reopening of a final evaluation (the superior or the personnel office)."""

    def post(self, request, pk):
        evaluation = _evaluation(request, pk)
        if not objection_svc.may_reopen(request.scope, evaluation.plan):
            raise PermissionDenied
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                objection_svc.evaluation_reopen(
                    actor=request.user,
                    scope=request.scope,
                    evaluation=evaluation,
                    version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                _refused(request, exc)
                keep_typed(request, f"reopen-{evaluation.pk}", ("reason",))
            else:
                messages.success(request, gettext("The evaluation has been reopened."))
        else:
            _form_refused(request, form)
        return redirect("performance:evaluation_detail", evaluation.pk)


def _to_decide(scope):
    """The open objections the caller decides: the plan records the caller as the evaluator's
    superior, or records none and the caller is the personnel office."""
    mine = (
        Q(evaluation__plan__evaluator_superior_id=scope.employee_id)
        if scope.employee_id
        else Q(pk__in=[])
    )
    if scope.instansi_id and objection_svc.personnel_office(scope, scope.instansi_id):
        mine |= Q(evaluation__plan__evaluator_superior_id__isnull=True)
    return (
        _objections(scope)
        .filter(mine, status=ObjectionStatus.OPEN)
        .select_related(
            "evaluation__plan__employee", "evaluation__plan__unit", "evaluation__plan__period"
        )
        .order_by("filed_at", "pk")
    )


def _kept_page(name: str, request, rows) -> Page:
    """The page of ``rows()`` the query asks for (``page``), kept until the next write: its
    rows (a list) and the paginator's count, with no query on a kept answer."""
    wanted = request.GET.get("page")

    def read():
        page = CappedPaginator(rows(), PER_PAGE).get_page(wanted)
        return list(page.object_list), page.number, page.paginator.count, page.paginator.capped

    listed, number, count, capped = kept_for(
        name, read, scope=request.scope, request=request, parts=(wanted, PER_PAGE)
    )
    paginator = CappedPaginator(listed, PER_PAGE)
    paginator.count, paginator.capped = count, capped
    return Page(listed, number, paginator)


class ObjectionDecideListView(EvaluationPageMixin, TemplateView):
    """Objections to decide, oldest first, each with a decide form (rendered each time, with
    what was typed in a refused one; what the objection says is kept)."""

    template_name = "performance/objection_decide.html"
    nav_active = "objections_to_decide"

    def get_context_data(self, **kwargs):
        request = self.request
        page = _kept_page(
            "performance.objections_to_decide", request, lambda: _to_decide(request.scope)
        )
        for o in page.object_list:
            o.when_label = _when_label(o.evaluation)
            o.typed = typed(request, f"decide-{o.pk}")
        return super().get_context_data(
            page_obj=page,
            query=_query(self.request.GET),
            rating_choices=Rating.choices,
            **kwargs,
        )


def oversight_objections(request):
    """The objections across agencies (BKD, Inspektorat, leadership) as the filters say:
    ``agency`` (its subtree), ``year``, ``kind`` and ``ostatus`` (the objection's status)."""
    scope, get = request.scope, request.GET
    if not reads_oversight(scope):
        raise PermissionDenied
    rows = _objections(scope).select_related(
        "evaluation__plan__employee", "evaluation__plan__unit", "evaluation__plan__period"
    )
    agency = get.get("agency", "")
    if agency.isdigit():
        unit = OrgUnit.objects.within(scope, Action.VIEW_PLANNING).filter(pk=int(agency)).first()
        if unit is not None:
            rows = rows.filter(evaluation__plan__unit__path__startswith=unit.path)
    year = get.get("year", "")
    if year.isascii() and year.isdigit() and len(year) == 4:
        rows = rows.filter(evaluation__plan__period__year=int(year))
    if get.get("kind") in ("periodic", "annual"):
        rows = rows.filter(evaluation__kind=get["kind"])
    if get.get("ostatus") in ObjectionStatus.values:
        rows = rows.filter(status=get["ostatus"])
    return rows.order_by("-filed_at", "-pk")


class ObjectionReport(Report):
    title = gettext_lazy("Objections")
    columns = (
        gettext_lazy("Year"),
        gettext_lazy("Unit"),
        gettext_lazy("Employee"),
        gettext_lazy("NIP"),
        gettext_lazy("Evaluation"),
        gettext_lazy("Filed at"),
        gettext_lazy("Reasons"),
        gettext_lazy("Status"),
        gettext_lazy("Predikat before"),
        gettext_lazy("Predikat after"),
        gettext_lazy("Reason for the decision"),
        gettext_lazy("Decided at"),
    )
    widths = (8, 36, 30, 20, 16, 14, 50, 22, 24, 24, 50, 14)

    def __init__(self, rows):
        self.rows_in = rows

    def rows(self):
        for o in self.rows_in.iterator(chunk_size=2000):
            plan = o.evaluation.plan
            yield (
                plan.period.year,
                plan.unit.name,
                plan.employee.display_name,
                plan.employee.nip or "",
                _when_label(o.evaluation),
                timezone.localtime(o.filed_at).date(),
                o.reasons,
                o.get_status_display(),
                o.get_predikat_before_display(),
                o.get_predikat_after_display(),
                o.decision_reason,
                timezone.localtime(o.decided_at).date() if o.decided_at else None,
            )


class ObjectionExportView(LoginRequiredMixin, View):
    """The objections across agencies as the overrides page filters them, every row."""

    def get(self, request):
        return _download(ObjectionReport(oversight_objections(request)), "keberatan", request)


# Unit predikat -------------------------------------------------------------------------------


def _sub_period(raw: str) -> int:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 2 else 0


def _unit_queryset(scope, period, number):
    if period is None:
        return UnitPredikat.objects.none()
    return (
        UnitPredikat.objects.within(scope)
        .filter(period=period, sub_period=number)
        .select_related("unit", "period")
        .order_by("unit__sort_key", "unit__name", "pk")
    )


def _unit_rows(request):
    period = _period(request)
    number = _sub_period(request.GET.get("sub_period", ""))
    return period, number, _unit_queryset(request.scope, period, number)


def _openable_units(scope, period):
    """The units the caller may open a predikat for, offered in the form: the units one level
    below a unit the caller heads today, the agencies at the top for the leadership, and the
    units whose plans the caller keeps (at most 200; the service checks again)."""
    if period is None:
        return []
    q = Q(pk__in=[])
    if scope.employee_id:
        held = held_posts(scope.employee_id, timezone.localdate())
        headed = Position.objects.filter(pk__in=held, is_head=True).values("unit_id")
        q |= Q(parent_id__in=headed)
    if "leadership" in scope.roles:
        q |= Q(parent_id__isnull=True)
    units = OrgUnit.objects.filter(q, instansi_id=period.instansi_id)
    if scope.can_anywhere(Action.MANAGE_PLANS):
        units = units | OrgUnit.objects.within(scope, Action.MANAGE_PLANS)
    return list(units.distinct().only("pk", "name").order_by("sort_key", "name")[:200])


class UnitPredikatListView(EvaluationPageMixin, TemplateView):
    """The units' predikat of a year and a sub-period within reach, and the form to open one."""

    template_name = "performance/unit_predikat_list.html"
    nav_active = "unit_predikat"

    def get_context_data(self, **kwargs):
        scope, request = self.request.scope, self.request
        period = _period(request)
        number = _sub_period(request.GET.get("sub_period", ""))
        # The units of the open form (a form: rendered each time), kept until the next write.
        units = kept_for(
            "performance.openable_units",
            lambda: [{"pk": u.pk, "name": u.name} for u in _openable_units(scope, period)],
            scope=scope,
            request=request,
            parts=(period.pk if period else None,),
        )
        return super().get_context_data(
            period=period,
            number=number,
            years=_lazy_years(scope),
            # Read only when the kept list is rendered anew.
            subs=SimpleLazyObject(
                lambda: list(period.sub_periods.order_by("number")) if period else []
            ),
            page_obj=SimpleLazyObject(
                lambda: CappedPaginator(_unit_queryset(scope, period, number), PER_PAGE).get_page(
                    request.GET.get("page")
                )
            ),
            query=_query(request.GET),
            units=units,
            expectations=Rating.choices,
            export_query=urlencode({"year": period.year if period else "", "sub_period": number}),
            **kwargs,
        )


class UnitPredikatReport(Report):
    title = gettext_lazy("Unit predikat")
    columns = (
        gettext_lazy("Year"),
        gettext_lazy("Sub-period"),
        gettext_lazy("Unit"),
        gettext_lazy("Action plan progress (%)"),
        gettext_lazy("Actions without progress (%)"),
        gettext_lazy("PK achievement (%)"),
        gettext_lazy("Suggested predikat"),
        gettext_lazy("Predikat"),
        gettext_lazy("Reason"),
        gettext_lazy("Status"),
        gettext_lazy("Set by"),
    )
    widths = (8, 10, 36, 14, 14, 14, 28, 28, 50, 10, 30)

    def __init__(self, rows):
        self.rows_in = rows

    def rows(self):
        for r in self.rows_in.iterator(chunk_size=2000):
            yield (
                r.period.year,
                r.sub_period or gettext("Annual"),
                r.unit.name,
                r.progress,
                r.no_progress,
                r.achievement,
                r.get_suggested_display(),
                r.get_predikat_display(),
                r.reason,
                r.get_status_display(),
                r.set_by_name,
            )


class UnitPredikatExportView(LoginRequiredMixin, View):
    def get(self, request):
        _period, _number, rows = _unit_rows(request)
        return _download(UnitPredikatReport(rows), "predikat-unit", request)


class UnitPredikatOpenView(LoginRequiredMixin, View):
    """Open a unit's predikat with the suggestion (the leader one level up, or who keeps the
    unit's plans)."""

    def post(self, request):
        scope = request.scope
        form = UnitPredikatOpenForm(request.POST)
        url = reverse("performance:unit_predikat_list")
        if not form.is_valid():
            _form_refused(request, form)
            return redirect(url)
        data = form.cleaned_data
        back = f"{url}?{urlencode({'year': data['year'], 'sub_period': data['sub_period']})}"
        unit = OrgUnit.objects.within(scope, Action.VIEW_PLANNING).filter(pk=data["unit"]).first()
        period = Period.objects.within(scope).filter(year=data["year"]).first()
        if unit is None or period is None:
            messages.error(request, gettext("No such unit."))
            return redirect(back)
        try:
            row = predikat_svc.unit_predikat_open(
                actor=request.user,
                scope=scope,
                unit=unit,
                period=period,
                sub_period=data["sub_period"],
                expectation=data["expectation"],
            )
        except ValidationError as exc:
            _refused(request, exc)
            return redirect(back)
        messages.success(request, gettext("The unit's predikat has been opened."))
        return redirect("performance:unit_predikat_detail", row.pk)


def _unit_predikats(scope):
    return (
        UnitPredikat.objects.within(scope)
        .select_related("unit", "period", "distribution")
        .prefetch_related("recommendations")
    )


def _unit_predikat(request, pk) -> UnitPredikat:
    return get_object_or_404(_unit_predikats(request.scope), pk=pk)


def _bands(found):
    breached = {b.band for b in found.found}
    return [
        {
            "label": _label(r.band),
            "count": r.count,
            "min": r.min,
            "max": r.max,
            "room": r.room,
            "needed": r.needed,
            "width": 0 if not r.max else min(100, round(100 * r.count / r.max)),
            "breach": r.band in breached,
        }
        for r in found.rooms
    ]


class UnitPredikatDetailView(EvaluationPageMixin, TemplateView):
    """One unit's predikat: the suggestion and its basis, the recommendations, the predikat
    set, the distribution against the curve and the forms the caller may use."""

    template_name = "performance/unit_predikat_detail.html"
    nav_active = "unit_predikat"

    def get_context_data(self, **kwargs):
        scope, request, pk = self.request.scope, self.request, self.kwargs["pk"]

        def read():
            row = _unit_predikats(scope).filter(pk=pk).first()
            if row is None or row.status == UnitPredikatStatus.FINAL:
                return row, False, False
            may_set = predikat_svc.may_set(scope, row.unit)
            may_finalise = bool(row.predikat) and predikat_svc.may_finalise(scope, row.unit)
            return row, may_set, may_finalise

        # The unit predikat within reach (404 otherwise) and whether the caller may set or
        # finalise it (who heads which unit today: the day is in the key), kept until the
        # next write.
        row, may_set, may_finalise = kept_for(
            "performance.unit_predikat", read, scope=scope, request=request, parts=(pk,)
        )
        if row is None:
            raise Http404
        # Read when the kept distribution is rendered anew, or for the finalise form.
        found = SimpleLazyObject(
            lambda: sel.distribution(row.unit, row.period, row.sub_period, row.predikat)
        )
        final = row.status == UnitPredikatStatus.FINAL
        recorded = getattr(row, "distribution", None) if final else None
        return super().get_context_data(
            row=row,
            found=found,
            bands=lambda: _bands(found),
            breaches=lambda: [b.message for b in found.found],
            recorded=recorded,
            may_set=may_set,
            may_finalise=may_finalise,
            sources=[] if final else predikat_svc.sources_of(scope),
            predikat_choices=UnitPredikat._meta.get_field("predikat").choices,
            typed_set=typed(request, f"up-{row.pk}-set"),
            typed_finalise=typed(request, f"up-{row.pk}-finalise"),
            **kwargs,
        )


class UnitPredikatStepView(LoginRequiredMixin, View):
    """A step on a unit's predikat (POST with the version shown): recommend, set, finalise."""

    step = ""
    FORMS = {"recommend": RecommendForm, "set": SetForm, "finalise": FinaliseForm}
    DONE = {
        "recommend": gettext_lazy("The recommendation has been saved."),
        "set": gettext_lazy("The unit's predikat has been set."),
        "finalise": gettext_lazy("The distribution is final."),
    }

    def post(self, request, pk):
        row = _unit_predikat(request, pk)
        form = self.FORMS[self.step](request.POST)
        kept = ("predikat", "reason", "justification", "note")
        if not form.is_valid():
            _form_refused(request, form)
            keep_typed(request, f"up-{row.pk}-{self.step}", kept)
            return redirect("performance:unit_predikat_detail", row.pk)
        data = form.cleaned_data
        common = {
            "actor": request.user,
            "scope": request.scope,
            "unit_predikat": row,
            "version": data["version"],
        }
        try:
            if self.step == "recommend":
                predikat_svc.unit_predikat_recommend(
                    **common,
                    predikat=data["predikat"],
                    note=data["note"],
                    source=data["source"] or None,
                )
            elif self.step == "set":
                predikat_svc.unit_predikat_set(
                    **common, predikat=data["predikat"], reason=data["reason"]
                )
            else:
                predikat_svc.distribution_finalise(**common, justification=data["justification"])
        except Conflict as exc:  # the page shows the current state: nothing kept
            _refused(request, exc)
        except ValidationError as exc:
            _refused(request, exc)
            keep_typed(request, f"up-{row.pk}-{self.step}", kept)
        else:
            messages.success(request, self.DONE[self.step])
        return redirect("performance:unit_predikat_detail", row.pk)


def decides_objections(scope) -> bool:
    """The nav entry of Objections to decide: a superior (someone with reports) or the
    personnel office."""
    if not scope.instansi_id:
        return False
    return bool(
        (scope.employee_id and scope.has_reports)
        or objection_svc.personnel_office(scope, scope.instansi_id)
    )
