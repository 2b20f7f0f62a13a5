"""The working pages of the planning cycle: My plan (the signed-in employee's plans, results,
targets and realisations), My team (a superior's direct reports, their plans to approve, their
realisations to verify, the role-result matrix), My agency (the agreement, its action plan,
plan completion by sub-unit, realisations due) and the cascade from the regional plan down.

Each page reads a fixed number of queries whatever the number of staff (see
``selectors_workspace``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.renderers import DjangoTemplates
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.generic import TemplateView, View

from kinerja.audit.freshness import kept
from kinerja.core.excel import Report, export_response
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import Employee, OrgUnit
from kinerja.organisations.selectors import direct_reports

from ..choices import SubPeriodStatus, TargetShape
from ..forms.realisations import RealisationStepForm
from ..forms.skp import PlanStepForm
from ..models import (
    Agreement,
    Goal,
    Indicator,
    Period,
    Plan,
    PlanResult,
    PlanStatus,
    Realisation,
    SubPeriod,
    Target,
)
from ..plan_selectors import plans_for
from ..selectors_actions import agreement_progress
from ..selectors_workspace import (
    agency_plan_completion,
    agency_realisations_due,
    agency_sub_units,
    cascade_below_goal,
    chosen_period,
    collaboration_summary,
    my_plans,
    regional_goals,
    results_below,
    team_matrix,
    team_plan_status,
)
from ..services import realisations as realisation_services
from ..services import skp
from .realisations import _row

__all__ = [
    "CascadeGoalView",
    "CascadeResultView",
    "CascadeView",
    "MyAgencyView",
    "MyPlanView",
    "MyTeamView",
    "TeamMatrixExportView",
    "TeamPlanApproveView",
    "TeamRealisationStepView",
]

PER_PAGE = 50
VERIFY_PREVIEW = 10  # realisations to verify shown on My team; the queue holds the rest


def _query(get) -> str:
    query = get.copy()
    query.pop("page", None)
    return query.urlencode()


def _years(scope) -> list[int]:
    return list(
        Period.objects.filter(instansi_id=scope.instansi_id)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def _period(request) -> Period | None:
    """The period of the year asked for (``chosen_period``), kept until the next audited
    write of the caller's instansi: every working page reads it for its title."""
    year = request.GET.get("year")
    return kept(
        "performance.workspace_period",
        lambda: chosen_period(request.scope.instansi_id, year),
        scope=request.scope,
        request=request,
        parts=(year,),
    )


def _item(lazy, key: str) -> SimpleLazyObject:
    """``lazy[key]``, read when first used."""
    return SimpleLazyObject(lambda: lazy[key])


class WorkspaceMixin(LoginRequiredMixin):
    nav_active = ""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_active", self.nav_active)
        return super().get_context_data(**kwargs)


# My plan -----------------------------------------------------------------------------------


class MyPlanView(WorkspaceMixin, TemplateView):
    """The caller's plans of the year: results, IKI targets, the realisation of each
    sub-period (with the verifier's comment when returned), the entry of open sub-periods
    inline, the evaluator and the cycle's dates."""

    template_name = "performance/workspace_plan.html"
    nav_active = "my_plan"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        period = _period(self.request)
        deadlines = []
        if period is not None:
            deadlines.append((gettext("Plans set by"), period.plans_due))
            deadlines.append((gettext("Annual evaluation due"), period.annual_evaluation_due))
        # The plans are read only when the page's sheets are not kept ({% kept %} in the
        # template); the entry forms of the open sub-periods (a CSRF token each) are not kept.
        return super().get_context_data(
            period=period,
            years=SimpleLazyObject(lambda: _years(scope)),
            sheets=SimpleLazyObject(
                lambda: (
                    my_plans(scope.employee_id, period)
                    if scope.employee_id and period is not None
                    else []
                )
            ),
            entries=_my_entries(self.request, period),
            has_record=bool(scope.employee_id),
            evaluation_days=period.periodic_evaluation_days if period else None,
            deadlines=deadlines,
            today=timezone.localdate(),
            **kwargs,
        )


@dataclass
class EntryLine:
    """One of the caller's targets with its open sub-periods (each with the realisation, if
    any) and, built on each view, their entry rows."""

    indicator: Indicator
    target: Target
    qualitative: bool
    cells: list[tuple[SubPeriod, Realisation | None]] = field(default_factory=list)
    entry: list[dict] = field(default_factory=list)


def _my_entries(request, period: Period | None) -> list[EntryLine]:
    """The entry rows (forms) of the caller's own targets of ``period`` in its open
    sub-periods. What they show is kept until the next audited write (`entry_lines`); the
    forms, with their CSRF token, are built on each view."""
    scope = request.scope
    if not scope.employee_id or period is None:
        return []
    lines = kept(
        "performance.my_entries",
        lambda: entry_lines(scope.employee_id, period),
        scope=scope,
        request=request,
        parts=(period.pk,),
    )
    for line in lines:
        line.entry = [
            _row(request, line.target, scope.employee_id, sub, realisation)
            for sub, realisation in line.cells
        ]
        for row in line.entry:
            row["form"].renderer = WIDGETS
    return lines


class _WidgetMemo(DjangoTemplates):
    """The default form renderer, remembering what it wrote. A widget's HTML is a function of
    its template and its context alone (name, value, attributes: plain data; a context holding
    an object known only by its address is rendered, not remembered), and My plan
    writes the same entry widgets on every view; rendering them through the template engine
    took most of the page's time."""

    LIMIT = 4096

    def __init__(self) -> None:
        self.written: dict[tuple[str, str, str], str] = {}

    def render(self, template_name, context, request=None):
        text = repr(context)
        if " at 0x" in text:  # an object told by its address, not its value: not remembered
            return super().render(template_name, context, request=request)
        key = (template_name, get_language() or "", text)
        html = self.written.get(key)
        if html is None:
            html = super().render(template_name, context, request=request)
            if len(self.written) >= self.LIMIT:
                self.written.clear()
            self.written[key] = html
        return html


WIDGETS = _WidgetMemo()


def entry_lines(employee_id: int, period: Period) -> list[EntryLine]:
    """The employee's targets of ``period`` that take a realisation in an open sub-period
    (none entered yet, or one still editable), in the order My plan lists them. One query
    when no sub-period is open, four otherwise."""
    subs = list(
        SubPeriod.objects.filter(period=period, status=SubPeriodStatus.OPEN)
        .select_related("period")
        .order_by("number")
    )
    if not subs:
        return []
    plans = {
        p.pk: p
        for p in Plan.objects.filter(employee_id=employee_id, period=period, is_current=True)
        .select_related("unit")
        .only("pk", "starts", "ends", "unit__path")
        .order_by("starts", "pk")
    }
    if not plans:
        return []
    order = {pk: i for i, pk in enumerate(plans)}
    targets = sorted(  # by plan (stable: within a plan, by result and indicator)
        Target.objects.filter(year=period.year, indicator__result__plan_id__in=list(plans))
        .select_related("indicator__result")
        .only(
            "pk",
            "shape",
            "indicator__code",
            "indicator__name",
            "indicator__result__plan_id",
            "indicator__result__kind",
            "indicator__result__position",
        )
        .order_by(
            "indicator__result__kind",
            "indicator__result__position",
            "indicator__result_id",
            "indicator_id",
        ),
        key=lambda t: order[t.indicator.result.plan_id],
    )
    found = {
        (r.target_id, r.sub_period_id): r
        for r in Realisation.objects.filter(
            target_id__in=[t.pk for t in targets], sub_period_id__in=[s.pk for s in subs]
        )
    }
    lines = []
    for target in targets:
        indicator = target.indicator
        owner = plans[indicator.result.plan_id]
        indicator.unit = owner.unit
        line = EntryLine(indicator, target, target.shape == TargetShape.QUALITATIVE)
        for sub in subs:
            if not (sub.starts <= owner.ends and sub.ends >= owner.starts):
                continue
            realisation = found.get((target.pk, sub.pk))
            if realisation is None or realisation.is_editable:
                line.cells.append((sub, realisation))
        if line.cells:
            lines.append(line)
    return lines


# My team -----------------------------------------------------------------------------------


def _team(request):
    scope = request.scope
    if not scope.employee_id:
        return []
    return [r.employee for r in direct_reports(scope.employee_id, timezone.localdate())]


class MyTeamView(WorkspaceMixin, TemplateView):
    """A superior's team: the direct reports with their plan status, the plans waiting for
    the caller's approval, the realisations waiting for the caller's verification, and the
    role-result matrix."""

    template_name = "performance/workspace_team.html"
    nav_active = "my_team"

    def get_context_data(self, **kwargs):
        scope, get = self.request.scope, self.request.GET
        period = _period(self.request)
        # The plans to approve and the realisations to verify carry forms, rendered on each
        # view; what they show is kept until the next audited write.
        work = kept(
            "performance.team_work", lambda: team_work(scope), scope=scope, request=self.request
        )
        # The reports and the matrix are read only when they are not kept ({% kept %} in the
        # template).
        team = SimpleLazyObject(lambda: self._team(period))
        return super().get_context_data(
            period=period,
            years=SimpleLazyObject(lambda: _years(scope)),
            page_obj=SimpleLazyObject(lambda: team["page_obj"]),
            query=_query(get),
            rows=SimpleLazyObject(lambda: team["rows"]),
            to_approve=work["to_approve"],
            to_verify=work["to_verify"],
            verify_total=work["verify_total"],
            matrix=SimpleLazyObject(lambda: team["matrix"]),
            has_record=bool(scope.employee_id),
            **kwargs,
        )

    def _team(self, period) -> dict:
        scope = self.request.scope
        reports = _team(self.request)
        page = Paginator(reports, PER_PAGE).get_page(self.request.GET.get("page"))
        shown = list(page.object_list)
        status = team_plan_status([e.pk for e in shown], period)
        return {
            "page_obj": page,
            "rows": [(e, status.get(e.pk, [])) for e in shown],
            "matrix": team_matrix(scope.employee_id, shown, period) if scope.employee_id else None,
        }


def team_work(scope) -> dict:
    """The plans waiting for the caller's approval and the oldest realisations waiting for
    their verification (the verification queue pages through them all), with how many."""
    if not scope.employee_id:
        return {"to_approve": [], "to_verify": [], "verify_total": 0}
    to_approve = list(
        Plan.objects.filter(
            instansi_id=scope.instansi_id,
            evaluator_id=scope.employee_id,
            status=PlanStatus.SUBMITTED,
            is_current=True,
        )
        .select_related("employee", "period")
        .only(
            "pk",
            "version",
            "starts",
            "ends",
            "status",
            "position_title",
            "employee__name",
            "employee__front_title",
            "employee__back_title",
            "employee__nip",
            "period__year",
        )  # fmt: skip
        .order_by("starts", "pk")[:PER_PAGE]
    )
    waiting = Realisation.objects.awaiting().filter(
        instansi_id=scope.instansi_id, verifier_id=scope.employee_id
    )
    to_verify = list(
        waiting.select_related("target__indicator", "sub_period__period", "holder")
        .only(
            "pk",
            "version",
            "status",
            "value",
            "outcome",
            "target__indicator__code",
            "target__indicator__name",
            "sub_period__number",
            "sub_period__starts",
            "sub_period__period__frequency",
            "holder__name",
            "holder__front_title",
            "holder__back_title",
        )  # fmt: skip
        .order_by("submitted_at", "pk")[:VERIFY_PREVIEW]
    )
    # Counted only when there may be more than shown.
    total = waiting.count() if len(to_verify) == VERIFY_PREVIEW else len(to_verify)
    return {"to_approve": to_approve, "to_verify": to_verify, "verify_total": total}


def _answer(request, template, context):
    """An HTMX request gets the row back; any other a redirect to the team page."""
    if request.headers.get("HX-Request"):
        return render(request, template, context)
    for level, text in context.get("notes", []):
        getattr(messages, level)(request, text)
    return redirect("performance:workspace_team")


class TeamPlanApproveView(LoginRequiredMixin, View):
    """Approve a submitted plan inline (POST with the version shown); a stale version
    answers the conflict message in the row."""

    def post(self, request, pk):
        plan = get_object_or_404(
            plans_for(request.scope).select_related("employee", "unit", "period"), pk=pk
        )
        if not skp.may_evaluate(request.scope, plan):
            raise PermissionDenied
        form = PlanStepForm(request.POST)
        notes = []
        if not form.is_valid():
            notes.append(("error", gettext("Reload the page and try again.")))
        else:
            try:
                plan = skp.plan_approve(
                    actor=request.user,
                    scope=request.scope,
                    plan=plan,
                    version=form.cleaned_data["version"],
                )
                notes.append(("success", gettext("The plan has been approved.")))
            except ValidationError as exc:
                notes += [("error", m) for m in exc.messages]
                plan = Plan.objects.select_related("employee", "period").get(pk=plan.pk)
        return _answer(
            request, "performance/partials/_workspace_approve_row.html", {"p": plan, "notes": notes}
        )


class TeamRealisationStepView(LoginRequiredMixin, View):
    """Verify a realisation, or return it with a comment, inline."""

    SERVICES = {
        "verify": realisation_services.realisation_verify,
        "return": realisation_services.realisation_return,
    }

    def post(self, request, pk, step):
        if step not in self.SERVICES:
            raise Http404
        realisation = (
            Realisation.objects.within(request.scope)
            .select_related("target__indicator__unit", "sub_period__period", "holder")
            .filter(pk=pk)
            .first()
        )
        if realisation is None:
            raise Http404
        if not realisation_services.may_verify(request.scope, realisation):
            raise PermissionDenied
        form = RealisationStepForm(request.POST)
        notes = []
        if not form.is_valid():
            notes.append(("error", gettext("Reload the page and try again.")))
        else:
            extra = {"comment": form.cleaned_data["comment"]} if step == "return" else {}
            try:
                realisation = self.SERVICES[step](
                    actor=request.user,
                    scope=request.scope,
                    realisation=realisation,
                    version=form.cleaned_data["version"],
                    **extra,
                )
                notes.append(("success", gettext("The realisation has been saved.")))
            except ValidationError as exc:
                notes += [("error", m) for m in exc.messages]
            realisation = (
                Realisation.objects.select_related(
                    "target__indicator", "sub_period__period", "holder"
                )
                .filter(pk=realisation.pk)
                .first()
            )
        return _answer(
            request,
            "performance/partials/_workspace_verify_row.html",
            {"r": realisation, "notes": notes},
        )


class TeamMatrixReport(Report):
    """The role-result matrix of a team: one line per (superior's result, report, result)."""

    title = gettext_lazy("Role-result matrix")
    columns = (
        gettext_lazy("Superior's result"),
        gettext_lazy("Employee"),
        gettext_lazy("NIP"),
        gettext_lazy("Result serving it"),
        gettext_lazy("Directly"),
    )
    widths = (50, 30, 20, 50, 10)

    def __init__(self, matrix):
        self.matrix = matrix

    def rows(self):
        for row, cells in self.matrix.grid():
            for employee, results in zip(self.matrix.reports, cells, strict=True):
                for result in results:
                    yield (
                        row.text,
                        employee.display_name,
                        employee.nip or "",
                        result.text,
                        gettext("Yes") if result.serves_directly else gettext("No"),
                    )


class TeamMatrixExportView(LoginRequiredMixin, View):
    """The caller's team matrix as a workbook (every direct report, not one page)."""

    def get(self, request):
        scope = request.scope
        if not scope.employee_id:
            raise PermissionDenied
        period = chosen_period(scope.instansi_id, request.GET.get("year"))
        matrix = team_matrix(scope.employee_id, _team(request), period)
        name = f"matriks-peran-hasil-{period.year if period else ''}"
        return export_response(TeamMatrixReport(matrix), filename=name)


# My agency ---------------------------------------------------------------------------------


def agencies_for(scope):
    """The agencies whose planning the caller reads (a head or administrator: their own)."""
    if scope.instansi_id is None:
        return OrgUnit.objects.none()
    return (
        OrgUnit.objects.within(scope, Action.VIEW_PLANNING)
        .agencies()
        .only("pk", "name", "path", "instansi_id", "sort_key")
        .order_by("sort_key", "name")
    )


class MyAgencyView(WorkspaceMixin, TemplateView):
    """An agency's year: its agreement (PK), the action plan's progress by target and by
    responsible unit, plan (SKP) completion by sub-unit and realisations due or late."""

    template_name = "performance/workspace_agency.html"
    nav_active = "my_agency"
    # What ``_agency`` reads, handed to the template lazily.
    FIGURES = (
        "agreement",
        "progress",
        "target_progress",
        "unit_progress",
        "page_obj",
        "completion",
        "total",
        "due",
    )

    def get(self, request, *args, **kwargs):
        if not request.scope.can_anywhere(Action.VIEW_PLANNING):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        scope, get = self.request.scope, self.request.GET
        agencies = list(agencies_for(scope))
        agency = None
        wanted = get.get("agency", "")
        if wanted.isascii() and wanted.isdigit():
            agency = next((a for a in agencies if a.pk == int(wanted)), None)
            if agency is None:
                raise Http404
        if agency is None and scope.employee_id:
            own = Employee.objects.filter(pk=scope.employee_id).values("unit__path").first()
            if own and own["unit__path"]:
                agency = next((a for a in agencies if own["unit__path"].startswith(a.path)), None)
        if agency is None and agencies:
            agency = agencies[0]
        period = _period(self.request)
        context = {
            "agencies": agencies,
            "agency": agency,
            "period": period,
            "years": SimpleLazyObject(lambda: _years(scope)),
        }
        if agency is not None and period is not None:
            # Read only when the page is not kept ({% kept %} in the template).
            figures = SimpleLazyObject(lambda: self._agency(agency, period, get))
            context.update(
                {key: _item(figures, key) for key in self.FIGURES},
                query=_query(get),
            )
        return super().get_context_data(**context, **kwargs)

    def _agency(self, agency, period, get):
        today = timezone.localdate()
        agreement = (
            Agreement.objects.filter(unit=agency, year=period.year, is_current=True)
            .only("pk", "status", "year", "revision", "first_party_name", "unit_id")
            .first()
        )
        progress = None
        targets = []
        units = {}
        if agreement is not None:
            # Kept until the next audited write, like the counts below: four queries and a
            # model instance per action, schedule line and progress entry.
            progress = kept(
                "agency.agreement_progress",
                lambda: agreement_progress(agreement),
                scope=Scope(instansi_id=agency.instansi_id),
                request=self.request,
                parts=(agreement.pk,),
            )
            targets = list(
                agreement.targets.select_related("target__indicator")
                .only(
                    "pk",
                    "agreement_id",  # set by the related manager: deferred, a query a row
                    "indicator_name",
                    "target__indicator__code",
                    "target__indicator__name",
                )
                .order_by("position", "pk")
            )
            units = dict(
                OrgUnit.objects.filter(pk__in=list(progress.by_unit)).values_list("pk", "name")
            )
        sub_units = Paginator(agency_sub_units(agency).order_by("sort_key", "name"), PER_PAGE)
        page = sub_units.get_page(get.get("page"))
        completion, total = agency_plan_completion(
            agency, period, list(page.object_list), request=self.request
        )
        return {
            "agreement": agreement,
            "progress": progress,
            "target_progress": [
                (t, progress.by_target.get(t.pk) if progress else None) for t in targets
            ],
            "unit_progress": sorted(
                ((units.get(k, "—"), v) for k, v in (progress.by_unit.items() if progress else [])),
                key=lambda kv: str(kv[0]),
            ),
            "page_obj": page,
            "completion": completion,
            "total": total,
            "due": agency_realisations_due(agency, period, today, request=self.request),
        }


# The cascade -------------------------------------------------------------------------------


class CascadeMixin(WorkspaceMixin):
    nav_active = "cascade"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.scope.can_anywhere(Action.VIEW_PLANNING):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CascadeView(CascadeMixin, TemplateView):
    """The cascade from the regional plan (RPJMD) down: its missions, objectives and targets;
    under each, the agencies' goals load on demand, then their indicators, the agreement (PK)
    targets and the heads' SKP results, and the results below them, a level at a time."""

    template_name = "performance/workspace_cascade.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        period = _period(self.request)
        year = period.year if period else None
        # Read only when the page is not kept ({% kept %} in the template).
        return super().get_context_data(
            period=period,
            years=SimpleLazyObject(lambda: _years(scope)),
            goals=lambda: regional_goals(scope),
            collaborations=SimpleLazyObject(lambda: collaboration_summary(scope, year)),
            **kwargs,
        )


class CascadeGoalView(CascadeMixin, TemplateView):
    """One level of the cascade below a goal (HTMX partial)."""

    template_name = "performance/partials/_cascade_goals.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        goal = get_object_or_404(Goal.objects.within(scope), pk=self.kwargs["pk"])
        period = chosen_period(scope.instansi_id, self.request.GET.get("year"))
        year = period.year if period else None
        return super().get_context_data(
            nodes=cascade_below_goal(scope, goal, year), year=year, **kwargs
        )


class CascadeResultView(CascadeMixin, TemplateView):
    """The results serving one SKP result, within reach (HTMX partial)."""

    template_name = "performance/partials/_cascade_results.html"

    def get_context_data(self, **kwargs):
        plans = plans_for(self.request.scope)
        result = get_object_or_404(
            PlanResult.objects.filter(plan__in=plans).only("pk"), pk=self.kwargs["pk"]
        )
        return super().get_context_data(results=results_below(plans, result), **kwargs)
