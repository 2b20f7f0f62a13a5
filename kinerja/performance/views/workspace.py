"""The working pages of the planning cycle: My plan (the signed-in employee's plans, results,
targets and realisations), My team (a superior's direct reports, their plans to approve, their
realisations to verify, the role-result matrix), My agency (the agreement, its action plan,
plan completion by sub-unit, realisations due) and the cascade from the regional plan down.

Each page reads a fixed number of queries whatever the number of staff (see
``selectors_workspace``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView, View

from kinerja.audit.freshness import kept
from kinerja.core.excel import Report, export_response
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import Employee, OrgUnit
from kinerja.organisations.selectors import direct_reports

from ..choices import TargetShape
from ..forms.realisations import RealisationStepForm
from ..forms.skp import PlanStepForm
from ..models import Agreement, Goal, Period, Plan, PlanResult, PlanStatus, Realisation
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
        period = chosen_period(scope.instansi_id, self.request.GET.get("year"))
        sheets = []
        if scope.employee_id and period is not None:
            sheets = my_plans(scope.employee_id, period)
        today = timezone.localdate()
        for sheet in sheets:
            for result in sheet.results:
                for line in result.indicators:
                    line.entry = []
                    line.qualitative = bool(
                        line.target and line.target.shape == TargetShape.QUALITATIVE
                    )
                    if line.target is None or sheet.plan.employee_id != scope.employee_id:
                        continue
                    line.target.indicator = line.indicator
                    line.indicator.unit = sheet.plan.unit
                    for sub, realisation in line.cells:
                        # Only open sub-periods: no query per cell (a late-entry window is
                        # used from the target's own entry page).
                        if sub.is_open and (realisation is None or realisation.is_editable):
                            line.entry.append(
                                _row(
                                    self.request,
                                    line.target,
                                    scope.employee_id,
                                    sub,
                                    realisation,
                                )
                            )
        deadlines = []
        if period is not None:
            deadlines.append((gettext("Plans set by"), period.plans_due))
            deadlines.append((gettext("Annual evaluation due"), period.annual_evaluation_due))
        return super().get_context_data(
            period=period,
            years=_years(scope),
            sheets=sheets,
            has_record=bool(scope.employee_id),
            evaluation_days=period.periodic_evaluation_days if period else None,
            deadlines=deadlines,
            today=today,
            **kwargs,
        )


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
        period = chosen_period(scope.instansi_id, get.get("year"))
        reports = _team(self.request)
        page = Paginator(reports, PER_PAGE).get_page(get.get("page"))
        shown = list(page.object_list)
        status = team_plan_status([e.pk for e in shown], period)
        rows = [(e, status.get(e.pk, [])) for e in shown]
        to_approve = Plan.objects.none()
        to_verify = Realisation.objects.none()
        verify_total = 0
        if scope.employee_id:
            to_approve = (
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
            # The oldest few, verified inline; the verification queue pages through them all.
            to_verify = waiting.select_related(
                "target__indicator", "sub_period__period", "holder"
            ).order_by("submitted_at", "pk")[:VERIFY_PREVIEW]
            verify_total = waiting.count()
        matrix = team_matrix(scope.employee_id, shown, period) if scope.employee_id else None
        return super().get_context_data(
            period=period,
            years=_years(scope),
            page_obj=page,
            query=_query(get),
            rows=rows,
            to_approve=list(to_approve),
            to_verify=list(to_verify),
            verify_total=verify_total,
            matrix=matrix,
            has_record=bool(scope.employee_id),
            **kwargs,
        )


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
        period = chosen_period(scope.instansi_id, get.get("year"))
        context = {"agencies": agencies, "agency": agency, "period": period, "years": _years(scope)}
        if agency is not None and period is not None:
            context.update(self._agency(agency, period, get))
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
            "query": _query(get),
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
        period = chosen_period(scope.instansi_id, self.request.GET.get("year"))
        year = period.year if period else None
        return super().get_context_data(
            period=period,
            years=_years(scope),
            goals=regional_goals(scope),
            collaborations=collaboration_summary(scope, year),
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
