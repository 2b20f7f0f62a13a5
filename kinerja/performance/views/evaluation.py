"""The evaluation pages: My evaluation (the employee's ratings and feedback), My team's
evaluations (the plans the caller rates in a sub-period or the year: open, rate, give
feedback, finalise, each with the version shown), the overrides of the suggested rating across
agencies (BKD, Inspektorat, leadership), and an Excel export of each list, scoped as the page.

Every page is scoped through ``plans_for`` (as the API) and reads a fixed number of queries
whatever the number of rows; every write goes through ``services.evaluation``.

The pages keep their read-only HTML (``{% kept %}``) until the next audited write of the
instansi: a view settles only who may read what (403, 404) and what its forms and panels need,
itself kept until the next write where it reads the database (``audit.freshness.kept``: the
period, the evaluation within reach), and hands the rest to the template lazily (callables,
``SimpleLazyObject``), read only when a kept part is rendered anew. The forms (with their CSRF
token) and the objection panels (what the caller typed in a refused form) are rendered each
time, outside the kept parts."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView, View

from kinerja.audit.freshness import kept
from kinerja.core.excel import Report, export_response
from kinerja.core.pagination import CappedPaginator
from kinerja.core.scope import Action
from kinerja.organisations.models import OrgUnit

from ..evaluation_rules import Predikat, Rating
from ..forms.evaluation import (
    EvaluationBehaviourForm,
    EvaluationFeedbackForm,
    EvaluationOpenForm,
    EvaluationRateForm,
    EvaluationVersionForm,
)
from ..models import Evaluation, EvaluationKind, EvaluationStatus, PlanResult
from ..plan_selectors import plans_for
from ..selectors_evaluation import (
    chosen_when,
    evaluations_for,
    my_evaluations,
    overrides,
    reads_oversight,
    team_plans,
    team_rows,
)
from ..selectors_workspace import chosen_period
from ..services import Conflict, skp
from ..services import evaluation as svc
from ..services.skp import berakhlak

__all__ = [
    "EvaluationDetailView",
    "EvaluationOpenView",
    "EvaluationOverrideExportView",
    "EvaluationOverrideView",
    "EvaluationStepView",
    "MyEvaluationExportView",
    "MyEvaluationView",
    "TeamEvaluationExportView",
    "TeamEvaluationView",
]

PER_PAGE = 50
STATES = (
    ("todo", gettext_lazy("Not opened")),
    ("draft", gettext_lazy("Draft")),
    ("final", gettext_lazy("Final")),
)


def _query(get) -> str:
    query = get.copy()
    query.pop("page", None)
    return query.urlencode()


def _years(scope) -> list[int]:
    from ..models import Period

    return list(
        Period.objects.filter(instansi_id=scope.instansi_id)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def _lazy_years(scope):
    """The years of the filter forms, read when a kept part is rendered anew."""
    return SimpleLazyObject(lambda: _years(scope))


def _period(request):
    """The period of ``year`` in the query (``chosen_period``), kept until the next write."""
    scope, year = request.scope, request.GET.get("year")
    return kept(
        "performance.chosen_period",
        lambda: chosen_period(scope.instansi_id, year),
        scope=scope,
        request=request,
        parts=(year,),
    )


def _value_names() -> dict[str, str]:
    return {v["code"]: v["name"] for v in berakhlak()}


def _when_label(evaluation_or_when) -> str:
    kind = evaluation_or_when.kind
    if kind == EvaluationKind.ANNUAL:
        return gettext("Annual")
    number = getattr(evaluation_or_when, "sub_period", None)
    if not isinstance(number, int):
        number = evaluation_or_when.number
    return gettext("Sub-period %(number)d") % {"number": number}


def _rating(code: str) -> str:
    return str(Rating(code).label) if code else ""


def _predikat(code: str) -> str:
    return str(Predikat(code).label) if code else ""


class EvaluationPageMixin(LoginRequiredMixin):
    nav_active = ""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_active", self.nav_active)
        return super().get_context_data(**kwargs)


def _download(report, name: str, request):
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return export_response(report, filename=f"{name}-{timezone.localtime():%Y%m%d-%H%M}", fmt=fmt)


# My evaluation -----------------------------------------------------------------------------


def _my_evaluations(request, period) -> list[Evaluation]:
    """The caller's own evaluations of the year (``my_evaluations``: the behaviour ratings,
    the feedback on results, the objections), kept until the next write. What is kept is read
    anew when the keys and versions of the evaluations or their objections change (one query
    of keys), whatever wrote them."""
    scope = request.scope
    if not scope.employee_id or period is None:
        return []
    seen = tuple(
        Evaluation.objects.filter(plan__employee_id=scope.employee_id, plan__period=period)
        .order_by("pk", "objections__pk")
        .values_list("pk", "version", "objections__pk", "objections__version")
    )

    def read() -> list[Evaluation]:
        names = _value_names()
        evaluations = my_evaluations(scope, period)
        for evaluation in evaluations:
            evaluation.value_rows = [
                (names.get(b.value, b.value), b) for b in evaluation.behaviours.all()
            ]
        return evaluations

    evaluations = kept(
        "performance.my_evaluations", read, scope=scope, request=request, parts=(period.pk, seen)
    )
    for evaluation in evaluations:
        evaluation.when_label = _when_label(evaluation)
    return evaluations


class MyEvaluationView(EvaluationPageMixin, TemplateView):
    """The caller's own evaluations of the year: the achievement, the suggested and given
    results rating (with the reason of an override), the behaviour rating and per value its
    rating and feedback, the feedback per result, the predikat and the status."""

    template_name = "performance/evaluation_mine.html"
    nav_active = "my_evaluation"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        period = _period(self.request)
        evaluations = _my_evaluations(self.request, period)
        return super().get_context_data(
            period=period,
            years=_lazy_years(scope),
            evaluations=evaluations,
            has_record=bool(scope.employee_id),
            **kwargs,
        )


class EvaluationReport(Report):
    """Evaluations, one line each: the employee, the plan, what is rated, the ratings, the
    reason of an override, the predikat and the status."""

    title = gettext_lazy("Employee evaluations")
    columns = (
        gettext_lazy("Year"),
        gettext_lazy("Unit"),
        gettext_lazy("Employee"),
        gettext_lazy("NIP"),
        gettext_lazy("Post"),
        gettext_lazy("Evaluation"),
        gettext_lazy("Achievement (%)"),
        gettext_lazy("Suggested results rating"),
        gettext_lazy("Results rating"),
        gettext_lazy("Reason for overriding the suggestion"),
        gettext_lazy("Behaviour rating"),
        gettext_lazy("Predikat"),
        gettext_lazy("Status"),
        gettext_lazy("Finalised at"),
    )
    widths = (8, 36, 30, 20, 36, 16, 12, 22, 22, 50, 22, 28, 10, 18)

    def __init__(self, rows):
        self.rows_in = rows

    def rows(self):
        for e in self.rows_in:
            plan = e.plan
            yield (
                plan.period.year,
                plan.unit.name,
                plan.employee.display_name,
                plan.employee.nip or "",
                plan.position_title,
                _when_label(e),
                e.achievement,
                _rating(e.suggested_rating),
                _rating(e.results_rating),
                e.override_reason,
                _rating(e.behaviour_rating),
                _predikat(e.predikat),
                e.get_status_display(),
                timezone.localtime(e.finalised_at).date() if e.finalised_at else None,
            )


def _report_rows(queryset):
    return queryset.select_related("plan__employee", "plan__unit", "plan__period").iterator(
        chunk_size=2000
    )


class MyEvaluationExportView(LoginRequiredMixin, View):
    """The caller's own evaluations of the year (as the page) as a workbook."""

    def get(self, request):
        scope = request.scope
        period = chosen_period(scope.instansi_id, request.GET.get("year"))
        rows = Evaluation.objects.none()
        if scope.employee_id and period is not None:
            rows = Evaluation.objects.filter(
                plan__employee_id=scope.employee_id, plan__period=period
            ).order_by("plan__starts", "plan_id", "-kind", "sub_period")
        return _download(EvaluationReport(_report_rows(rows)), "evaluasi-saya", request)


# My team's evaluations ---------------------------------------------------------------------


def _team_choice(request):
    scope, get = request.scope, request.GET
    year, wanted = get.get("year"), get.get("when", "")

    def choose():
        period = chosen_period(scope.instansi_id, year)
        return period, *chosen_when(period, wanted, timezone.localdate())

    # Kept until the next write (the day is in the key: the default sub-period turns with it).
    period, when, choices = kept(
        "performance.team_choice", choose, scope=scope, request=request, parts=(year, wanted)
    )
    state = get.get("state", "")
    state = state if state in dict(STATES) else ""
    return period, when, choices, state


class TeamEvaluationView(EvaluationPageMixin, TemplateView):
    """The plans the caller rates in a sub-period (or the year), a page at a time: each with
    its evaluation's status and ratings, or the achievement it would start from and the
    suggested rating, and a button to open it."""

    template_name = "performance/evaluation_team.html"
    nav_active = "team_evaluations"

    def get_context_data(self, **kwargs):
        scope, get = self.request.scope, self.request.GET
        period, when, choices, state = _team_choice(self.request)
        page = None
        if period is not None and when is not None:

            def paged():
                plans = team_plans(scope, period, when, state)
                ordered = plans.select_related("employee", "unit", "position").order_by(
                    "employee__name", "starts", "pk"
                )
                return CappedPaginator(ordered, PER_PAGE).get_page(get.get("page"))

            # The rows are read only when the kept table is rendered anew.
            page = SimpleLazyObject(paged)

        def rows():
            return team_rows(list(page.object_list), period, when) if page is not None else []

        return super().get_context_data(
            period=period,
            years=_lazy_years(scope),
            when=when,
            when_choices=[(c.key, _when_label(c)) for c in choices],
            when_label=_when_label(when) if when else "",
            states=STATES,
            state=state,
            page_obj=page,
            rows=rows,
            query=_query(get),
            export_query=urlencode(
                {"year": period.year if period else "", "when": when.key if when else ""}
                | ({"state": state} if state else {})
            ),
            **kwargs,
        )


class TeamEvaluationReport(Report):
    """The plans the caller rates in a sub-period or the year, with their evaluation."""

    title = gettext_lazy("Evaluations to give")
    columns = (
        gettext_lazy("Unit"),
        gettext_lazy("Employee"),
        gettext_lazy("NIP"),
        gettext_lazy("Post"),
        gettext_lazy("Plan dates"),
        gettext_lazy("Evaluation"),
        gettext_lazy("Achievement (%)"),
        gettext_lazy("Suggested results rating"),
        gettext_lazy("Results rating"),
        gettext_lazy("Reason for overriding the suggestion"),
        gettext_lazy("Behaviour rating"),
        gettext_lazy("Predikat"),
        gettext_lazy("Status"),
    )
    widths = (36, 30, 20, 36, 24, 16, 12, 22, 22, 50, 22, 28, 12)

    def __init__(self, plans, period, when):
        self.plans, self.period, self.when = plans, period, when

    def rows(self):
        label = _when_label(self.when)
        batch = []
        for plan in self.plans.iterator(chunk_size=1000):
            batch.append(plan)
            if len(batch) == 1000:
                yield from self._lines(batch, label)
                batch = []
        yield from self._lines(batch, label)

    def _lines(self, plans, label):
        if not plans:
            return
        for row in team_rows(plans, self.period, self.when):
            e, plan = row.evaluation, row.plan
            yield (
                plan.unit.name,
                plan.employee.display_name,
                plan.employee.nip or "",
                plan.position_title,
                f"{plan.starts:%d/%m/%Y}–{plan.ends:%d/%m/%Y}",
                label,
                row.achievement,
                _rating(row.suggestion),
                _rating(e.results_rating) if e else "",
                e.override_reason if e else "",
                _rating(e.behaviour_rating) if e else "",
                _predikat(e.predikat) if e else "",
                e.get_status_display() if e else gettext("Not opened"),
            )


class TeamEvaluationExportView(LoginRequiredMixin, View):
    """Every plan the caller rates in the chosen sub-period or year (not one page)."""

    def get(self, request):
        period, when, _choices, state = _team_choice(request)
        if period is None or when is None:
            raise Http404
        plans = (
            team_plans(request.scope, period, when, state)
            .select_related("employee", "unit", "position")
            .order_by("employee__name", "starts", "pk")
        )
        report = TeamEvaluationReport(plans, period, when)
        return _download(report, f"evaluasi-tim-{period.year}-{when.key}", request)


class EvaluationOpenView(LoginRequiredMixin, View):
    """Open the evaluation of a plan for a sub-period or the year (POST ``when``)."""

    def post(self, request, pk):
        scope = request.scope
        plan = get_object_or_404(plans_for(scope).select_related("unit", "period"), pk=pk)
        if not skp.may_evaluate(scope, plan):
            raise PermissionDenied
        form = EvaluationOpenForm(request.POST)
        when = form.cleaned_data["when"] if form.is_valid() else ""
        if when == "annual":
            kind, number = EvaluationKind.ANNUAL, None
        else:
            kind = EvaluationKind.PERIODIC
            number = int(when) if when.isascii() and when.isdigit() else None
        try:
            evaluation = svc.evaluation_open(
                actor=request.user, scope=scope, plan=plan, kind=kind, sub_period=number
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            url = reverse("performance:evaluation_team")
            return redirect(f"{url}?{urlencode({'year': plan.period.year, 'when': when})}")
        messages.success(request, gettext("The evaluation has been opened."))
        return redirect("performance:evaluation_detail", evaluation.pk)


# One evaluation ----------------------------------------------------------------------------


EVALUATION_RELATED = (
    "plan__employee",
    "plan__unit",
    "plan__period",
    "plan__position",
    "finalised_by",
)


def _evaluation(request, pk) -> Evaluation:
    return get_object_or_404(
        evaluations_for(request.scope).select_related(*EVALUATION_RELATED), pk=pk
    )


def _kept_evaluation(request, pk) -> Evaluation:
    """The evaluation ``pk`` within the caller's reach (404 otherwise) with its objections, as
    ``_evaluation``, kept until the next write: the page is read far more than it is written."""
    scope = request.scope

    def read() -> Evaluation | None:
        return (
            evaluations_for(scope)
            .select_related(*EVALUATION_RELATED)
            .defer("finalised_by__password")
            .prefetch_related("objections")
            .filter(pk=pk)
            .first()
        )

    evaluation = kept("performance.evaluation", read, scope=scope, request=request, parts=(pk,))
    if evaluation is None:
        raise Http404
    return evaluation


def _results(evaluation):
    return list(
        PlanResult.objects.filter(plan_id=evaluation.plan_id)
        .only("pk", "text", "kind", "position")
        .order_by("kind", "position", "pk")
    )


def _forms(evaluation, results, values, bound=None):
    """The step forms, filled from the evaluation; ``bound`` (step -> form) replaces one with
    the refused input."""
    behaviours = {b.value: b for b in evaluation.behaviours.all()}
    feedback = {f.result_id: f.feedback for f in evaluation.feedback.all()}
    version = {"version": evaluation.version}
    initial_values = {}
    for code, b in behaviours.items():
        initial_values[f"value_{code}"] = b.rating
        initial_values[f"feedback_{code}"] = b.feedback
    forms = {
        "rate": EvaluationRateForm(
            initial={
                **version,
                "rating": evaluation.results_rating or evaluation.suggested_rating,
                "reason": evaluation.override_reason,
            }
        ),
        "behaviour": EvaluationBehaviourForm(
            initial={**version, "rating": evaluation.behaviour_rating, **initial_values},
            values=values,
        ),
        "feedback": EvaluationFeedbackForm(
            initial={**version, **{f"result_{pk}": t for pk, t in feedback.items()}},
            results=results,
        ),
        "finalise": EvaluationVersionForm(initial=version),
    }
    forms.update(bound or {})
    return forms


def _detail_parts(evaluation, bound=None) -> dict:
    """The forms and the rows of the evaluation page (the results, the values, the feedback):
    read when the forms are shown or the kept read-only part is rendered anew."""
    plan = evaluation.plan
    results = _results(evaluation)
    values = berakhlak()
    forms = _forms(evaluation, results, values, bound)
    expectations = dict(plan.behaviours.values_list("value", "expectation"))
    behaviour_form, feedback_form = forms["behaviour"], forms["feedback"]
    return {
        "forms": forms,
        "value_rows": [
            (
                v,
                expectations.get(v["code"], ""),
                behaviour_form[f"value_{v['code']}"],
                behaviour_form[f"feedback_{v['code']}"],
            )
            for v in values
        ],
        "result_rows": [(r, feedback_form[f"result_{r.pk}"]) for r in results],
        "value_names": {v["code"]: v["name"] for v in values},
    }


def _detail(request, evaluation, bound=None, status=200):
    scope = request.scope
    plan = evaluation.plan
    own = scope.employee_id == plan.employee_id
    parts = SimpleLazyObject(lambda: _detail_parts(evaluation, bound))
    context = {
        "nav_active": "my_evaluation" if own else "team_evaluations",
        "evaluation": evaluation,
        "plan": plan,
        "when_label": _when_label(evaluation),
        "may_rate": skp.may_evaluate(scope, plan) and not evaluation.is_final,
        # Lazy: read only for the forms or when the kept read-only part is rendered anew.
        "forms": SimpleLazyObject(lambda: parts["forms"]),
        "rating_choices": Rating.choices,
        "value_rows": lambda: parts["value_rows"],
        "result_rows": lambda: parts["result_rows"],
        "value_names": SimpleLazyObject(lambda: parts["value_names"]),
        "is_own": own,
    }
    return render(request, "performance/evaluation_detail.html", context, status=status)


class EvaluationDetailView(LoginRequiredMixin, View):
    """One evaluation: the plan's achievement and the suggestion, the ratings, the values and
    the feedback; the evaluator's forms while it is a draft."""

    def get(self, request, pk):
        return _detail(request, _kept_evaluation(request, pk))


class EvaluationStepView(LoginRequiredMixin, View):
    """A step on an evaluation (POST with the version shown): rate the results, rate the
    behaviour, give feedback on results, finalise. Refused input is shown again with its
    message and nothing saved; a stale version shows the conflict and the current state."""

    step = ""
    DONE = {
        "rate": gettext_lazy("The results rating has been saved."),
        "behaviour": gettext_lazy("The behaviour rating has been saved."),
        "feedback": gettext_lazy("The feedback has been saved."),
        "finalise": gettext_lazy("The evaluation is final."),
    }

    def post(self, request, pk):
        scope = request.scope
        evaluation = _evaluation(request, pk)
        if not skp.may_evaluate(scope, evaluation.plan):
            raise PermissionDenied
        form = self._form(evaluation, request.POST)
        if form.is_valid():
            try:
                self._call(request, evaluation, form)
            except Conflict as exc:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("performance:evaluation_detail", evaluation.pk)
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, self.DONE[self.step])
                return redirect("performance:evaluation_detail", evaluation.pk)
        return _detail(request, evaluation, bound={self.step: form})

    def _form(self, evaluation, data):
        if self.step == "rate":
            return EvaluationRateForm(data)
        if self.step == "behaviour":
            return EvaluationBehaviourForm(data, values=berakhlak())
        if self.step == "feedback":
            return EvaluationFeedbackForm(data, results=_results(evaluation))
        return EvaluationVersionForm(data)

    def _call(self, request, evaluation, form):
        data = form.cleaned_data
        common = {
            "actor": request.user,
            "scope": request.scope,
            "evaluation": evaluation,
            "version": data["version"],
        }
        if self.step == "rate":
            svc.evaluation_rate_results(**common, rating=data["rating"], reason=data["reason"])
        elif self.step == "behaviour":
            svc.evaluation_rate_behaviour(**common, rating=data["rating"], values=form.values())
        elif self.step == "feedback":
            svc.evaluation_feedback(**common, feedback=form.feedback())
        else:
            svc.evaluation_finalise(**common)


def _attach(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# Across agencies ---------------------------------------------------------------------------


def _oversight_chosen(request) -> dict[str, str]:
    """The filters of the overrides page (403 for who does not read across agencies)."""
    if not reads_oversight(request.scope):
        raise PermissionDenied
    return {k: request.GET.get(k, "") for k in ("agency", "year", "kind", "status")}


def _oversight_agencies(scope) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.within(scope, Action.VIEW_PLANNING)
        .agencies()
        .only("pk", "name", "path")
        .order_by("sort_key", "name")
    )


def _oversight_rows(scope, agencies, chosen):
    agency = next((a for a in agencies if str(a.pk) == chosen["agency"]), None)
    year = chosen["year"]
    return overrides(
        scope,
        agency_path=agency.path if agency else None,
        year=int(year) if year.isascii() and year.isdigit() and len(year) == 4 else None,
        kind=chosen["kind"],
        status=chosen["status"],
    )


def _oversight_filters(request):
    chosen = _oversight_chosen(request)
    agencies = _oversight_agencies(request.scope)
    return _oversight_rows(request.scope, agencies, chosen), agencies, chosen


class EvaluationOverrideView(EvaluationPageMixin, TemplateView):
    """The evaluations whose results rating overrides the suggested one, with the reason,
    across the agencies within reach: by agency, year, kind and status, a page at a time."""

    template_name = "performance/evaluation_overrides.html"
    nav_active = "evaluation_overrides"

    def get_context_data(self, **kwargs):
        scope, get = self.request.scope, self.request.GET
        chosen = _oversight_chosen(self.request)
        # Read only when the kept content is rendered anew.
        agencies = SimpleLazyObject(lambda: _oversight_agencies(scope))

        def paged():
            rows = _oversight_rows(scope, agencies, chosen)
            page = CappedPaginator(rows, PER_PAGE).get_page(get.get("page"))
            for e in page.object_list:
                e.when_label = _when_label(e)
            return page

        return super().get_context_data(
            page_obj=SimpleLazyObject(paged),
            query=_query(get),
            agencies=agencies,
            chosen=chosen,
            years=_lazy_years(scope),
            kinds=EvaluationKind.choices,
            statuses=EvaluationStatus.choices,
            **kwargs,
        )


class EvaluationOverrideExportView(LoginRequiredMixin, View):
    """The overrides as the page filters them, every row."""

    def get(self, request):
        rows, _agencies, _chosen = _oversight_filters(request)
        return _download(EvaluationReport(_report_rows(rows)), "penyimpangan-saran", request)
