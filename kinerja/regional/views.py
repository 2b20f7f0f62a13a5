"""Pages of the Perpres 80/2019 project office (``/regional/``): the areas, an area's dashboard
(projects by status with its chart, table and workbook; late milestones; the agencies
involved; member regions), the project list with filters and its workbook (the importer's
layout), the project page with its milestone and progress forms, and an agency's duties beside
its projects and indicators.

Reading needs `view_planning` somewhere (every role with a grant): areas and projects are
public regional facts of the instansi. Writing: see `services.may_manage`, `may_report`."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from kinerja.core.excel import Report, export_response
from kinerja.core.pagination import CappedPaginator, cap_for
from kinerja.core.scope import Action
from kinerja.organisations.models import OrgUnit

from . import selectors, services
from .choices import Funding, Phase, ProjectStatus
from .filters import ProjectFilter
from .forms import MilestoneActualForm, MilestoneForm, ProgressForm, ProjectForm
from .importers.projects import ProjectReport
from .models import (
    DevelopmentArea,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectAgency,
    ProjectRegion,
)

PER_PAGE = 50
NAV = "regional"


def _require_read(request) -> None:
    if not request.scope.can_anywhere(Action.VIEW_PLANNING):
        raise PermissionDenied


def _area(request, code: str) -> DevelopmentArea:
    _require_read(request)
    area = DevelopmentArea.objects.within(request.scope).filter(code=code).first()
    if area is None:
        raise Http404
    return area


def _project(request, pk: int) -> Project:
    _require_read(request)
    project = (
        Project.objects.within(request.scope)
        .select_related("area", "lead_agency")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    return project


def _apply_errors(form, exc: ValidationError, default: str | None = None) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else default
            if field == "regions":
                target = "location_regions" if "location_regions" in form.fields else default
            form.add_error(target, errors)
    else:
        form.add_error(default, exc.messages)


# Areas --------------------------------------------------------------------------------------


class AreaListView(LoginRequiredMixin, View):
    """The five areas: role, the area supported, members, published and recorded project
    counts, investment and the status mix; the province's totals below."""

    def get(self, request):
        _require_read(request)
        instansi_id = request.scope.instansi_id
        summaries = selectors.area_summaries(instansi_id=instansi_id)
        members = {}
        for area in DevelopmentArea.objects.within(request.scope).prefetch_related(
            "memberships__region"
        ):
            members[area.pk] = [m.region for m in area.memberships.all()]
        for row in summaries:
            row["members"] = members.get(row["area"].pk, [])
            row["status_list"] = [
                (value, label, row["by_status"][value]) for value, label in ProjectStatus.choices
            ]
        totals = selectors.province_project_totals(instansi_id=instansi_id)
        totals["status_list"] = [
            (label, totals["by_status"][value]) for value, label in ProjectStatus.choices
        ]
        totals["funding_list"] = [
            (label, totals["by_funding"][value]) for value, label in Funding.choices
        ]
        totals["phase_list"] = [
            (label, totals["by_phase"][value]) for value, label in Phase.choices
        ]
        return render(
            request,
            "regional/area_list.html",
            {
                "areas": summaries,
                "totals": totals,
                "statuses": ProjectStatus.choices,
                "nav_active": NAV,
                "may_manage": services.may_manage(request.scope),
            },
        )


class AreaDetailView(LoginRequiredMixin, View):
    """The Bappeda area dashboard."""

    def get(self, request, code: str):
        area = _area(request, code)
        rows = selectors.status_rows(area)
        chart = {
            "id": "area-status-chart",
            "categories": [str(r["label"]) for r in rows],
            "series": [{"name": gettext("Projects"), "data": [r["count"] for r in rows]}],
        }
        recorded = sum(r["count"] for r in rows)
        return render(
            request,
            "regional/area_detail.html",
            {
                "area": area,
                "status_rows": rows,
                "recorded": recorded,
                "investment_rp": sum(r["investment_rp"] for r in rows),
                "late": selectors.late_milestones(area),
                "agencies": selectors.agencies_involved(area),
                "regions": selectors.member_regions(area),
                "supported_by": list(area.supported_by.all()),
                "chart": [chart],
                "nav_active": NAV,
            },
        )


class AreaStatusReport(Report):
    """The area dashboard's table of projects by status (the chart's numbers)."""

    columns = (_("Status"), _("Projects"), _("Investment (Rp)"))
    widths = (24, 12, 24)

    def __init__(self, area: DevelopmentArea, rows: list[dict[str, Any]]):
        self.title = area.abbreviation
        self.data = rows

    def rows(self):
        for row in self.data:
            yield (str(row["label"]), row["count"], row["investment_rp"])
        yield (
            gettext("Total"),
            sum(r["count"] for r in self.data),
            sum(r["investment_rp"] for r in self.data),
        )


class AreaStatusExportView(LoginRequiredMixin, View):
    def get(self, request, code: str):
        area = _area(request, code)
        report = AreaStatusReport(area, selectors.status_rows(area))
        name = f"kawasan-{area.code}-status-{timezone.localdate():%Y%m%d}"
        return export_response(report, filename=name)


# Projects -----------------------------------------------------------------------------------


def _projects(request):
    rows = Project.objects.within(request.scope)
    filterset = ProjectFilter(request.GET, queryset=rows)
    return filterset, (filterset.qs if filterset.is_valid() else rows.none())


class ProjectListView(LoginRequiredMixin, View):
    def get(self, request):
        _require_read(request)
        filterset, rows = _projects(request)
        rows = rows.select_related("area", "lead_agency").order_by("area__order", "code")
        get = request.GET
        page = CappedPaginator(rows, PER_PAGE, cap=cap_for(get)).get_page(get.get("page"))
        query = get.copy()
        query.pop("page", None)
        return render(
            request,
            "regional/project_list.html",
            {
                "filter": filterset,
                "page_obj": page,
                "query": query.urlencode(),
                "areas": DevelopmentArea.objects.within(request.scope).ordered(),
                "agencies": OrgUnit.objects.filter(
                    instansi_id=request.scope.instansi_id,
                    parent__isnull=True,
                    led_projects__isnull=False,
                )
                .distinct()
                .order_by("sort_key")
                .only("pk", "name"),
                "statuses": ProjectStatus.choices,
                "phases": Phase.choices,
                "fundings": Funding.choices,
                "may_manage": services.may_manage(request.scope),
                "may_import": services.may_manage(request.scope)
                and request.scope.can_anywhere(Action.IMPORT),
                "nav_active": NAV,
            },
        )


class ProjectExportView(LoginRequiredMixin, View):
    """The filtered projects in the importer's layout (imports again unchanged)."""

    def get(self, request):
        _require_read(request)
        _filterset, rows = _projects(request)
        name = f"proyek-perpres-80-{timezone.localtime():%Y%m%d-%H%M}"
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        return export_response(ProjectReport(rows), filename=name, fmt=fmt)


def _project_initial(project: Project) -> dict[str, Any]:
    regions = list(project.project_regions.select_related("region"))
    return {
        **{f: getattr(project, f) for f in services.PROJECT_FIELDS},
        "collaborators": [c.agency_id for c in project.collaborations.all()],
        "location_regions": "; ".join(r.region.code for r in regions if r.role == "location"),
        "supporting_regions": "; ".join(r.region.code for r in regions if r.role == "supporting"),
        "goals": list(project.goals.values_list("pk", flat=True)),
        "indicators": list(project.indicators.values_list("pk", flat=True)),
    }


class _ProjectFormView(LoginRequiredMixin, View):
    def _render(self, request, form, project=None, status=200):
        context = {
            "form": form,
            "heading": gettext("Change project") if project else gettext("New project"),
            "pretitle": "Perpres 80/2019",
            "cancel_url": project.get_absolute_url()
            if project
            else reverse("regional:project_list"),
            "submit_label": gettext("Save"),
            "nav_active": NAV,
        }
        return render(request, "performance/object_form.html", context, status=status)

    def _save(self, request, form, project=None):
        if not form.is_valid():
            return self._render(request, form, project, status=400)
        data = dict(form.cleaned_data)
        extra = {
            "regions": form.regions(),
            "collaborators": list(data.pop("collaborators")),
            "goals": list(data.pop("goals")),
            "indicators": list(data.pop("indicators")),
        }
        for key in ("location_regions", "supporting_regions"):
            data.pop(key)
        call = {"actor": request.user, "scope": request.scope, "data": data, **extra}
        try:
            if project is None:
                project = services.project_create(**call)
                messages.success(
                    request, gettext("Project %(code)s created.") % {"code": project.code}
                )
            else:
                services.project_update(**call, project=project)
                messages.success(
                    request, gettext("Project %(code)s saved.") % {"code": project.code}
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self._render(request, form, project, status=400)
        return redirect(project)


class ProjectCreateView(_ProjectFormView):
    def get(self, request):
        services._require_manage(request.scope)
        initial = {"status": ProjectStatus.PLANNING, "phase": Phase.P2, "land_status": "unknown"}
        if request.GET.get("area"):
            initial["area"] = (
                DevelopmentArea.objects.within(request.scope)
                .filter(code=request.GET["area"])
                .first()
            )
        return self._render(request, ProjectForm(initial=initial, scope=request.scope))

    def post(self, request):
        services._require_manage(request.scope)
        return self._save(request, ProjectForm(request.POST, scope=request.scope))


class ProjectUpdateView(_ProjectFormView):
    def get(self, request, pk: int):
        project = _project(request, pk)
        services._require_manage(request.scope)
        form = ProjectForm(initial=_project_initial(project), scope=request.scope)
        return self._render(request, form, project)

    def post(self, request, pk: int):
        project = _project(request, pk)
        services._require_manage(request.scope)
        return self._save(request, ProjectForm(request.POST, scope=request.scope), project)


class ProjectDetailView(LoginRequiredMixin, View):
    """A project: its facts, milestones (late ones marked), progress updates with the forms
    for the allowed roles, collaborators, regions, and the goals and indicators it serves."""

    def get(self, request, pk: int):
        project = _project(request, pk)
        return self.show(request, project)

    def show(self, request, project, *, milestone_form=None, progress_form=None, status=200):
        scope = request.scope
        today = timezone.localdate()
        milestones = list(project.milestones.all())
        for m in milestones:
            m.late = m.is_late(today)
        may_manage = services.may_manage(scope)
        may_report = services.may_report(scope, project)
        progress_initial = {"date": today, "status": project.status}
        return render(
            request,
            "regional/project_detail.html",
            {
                "project": project,
                "milestones": milestones,
                "late_count": sum(1 for m in milestones if m.late),
                "updates": list(project.progress_updates.select_related("author")[:50]),
                "collaborations": list(
                    ProjectAgency.objects.filter(project=project).select_related("agency")
                ),
                "regions": list(
                    ProjectRegion.objects.filter(project=project).select_related("region")
                ),
                "goals": list(project.goals.all()),
                "indicators": list(project.indicators.select_related("goal")),
                "may_manage": may_manage,
                "may_report": may_report,
                "milestone_form": milestone_form or (MilestoneForm() if may_manage else None),
                "progress_form": progress_form
                or (ProgressForm(initial=progress_initial) if may_report else None),
                "nav_active": NAV,
            },
            status=status,
        )


class MilestoneAddView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        project = _project(request, pk)
        services._require_manage(request.scope)
        form = MilestoneForm(request.POST)
        if form.is_valid():
            try:
                services.milestone_add(
                    actor=request.user, scope=request.scope, project=project, **form.cleaned_data
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, gettext("Milestone added."))
                return redirect(f"{project.get_absolute_url()}#milestones")
        return ProjectDetailView().show(request, project, milestone_form=form, status=400)


def _milestone(request, pk: int) -> Milestone:
    _require_read(request)
    milestone = (
        Milestone.objects.within(request.scope)
        .select_related("project__lead_agency", "project__area")
        .filter(pk=pk)
        .first()
    )
    if milestone is None:
        raise Http404
    return milestone


class MilestoneUpdateView(LoginRequiredMixin, View):
    """The project office changes a milestone; the lead agency's administrator sets its actual
    date."""

    def _form(self, request, milestone, data=None):
        if services.may_manage(request.scope):
            initial = {f: getattr(milestone, f) for f in services.MILESTONE_FIELDS}
            return MilestoneForm(data, initial=initial)
        if services.may_report(request.scope, milestone.project):
            return MilestoneActualForm(data, initial={"actual_date": milestone.actual_date})
        raise PermissionDenied

    def _render(self, request, milestone, form, status=200):
        context = {
            "form": form,
            "heading": milestone.name,
            "pretitle": str(milestone.project),
            "cancel_url": milestone.project.get_absolute_url(),
            "submit_label": gettext("Save"),
            "nav_active": NAV,
        }
        return render(request, "performance/object_form.html", context, status=status)

    def get(self, request, pk: int):
        milestone = _milestone(request, pk)
        return self._render(request, milestone, self._form(request, milestone))

    def post(self, request, pk: int):
        milestone = _milestone(request, pk)
        form = self._form(request, milestone, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if data.get("order") is None:
                data.pop("order", None)
            try:
                services.milestone_update(
                    actor=request.user, scope=request.scope, milestone=milestone, data=data
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, gettext("Milestone saved."))
                return redirect(f"{milestone.project.get_absolute_url()}#milestones")
        return self._render(request, milestone, form, status=400)


class ProgressAddView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        project = _project(request, pk)
        if not services.may_report(request.scope, project):
            raise PermissionDenied
        form = ProgressForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.progress_add(
                    actor=request.user, scope=request.scope, project=project, **form.cleaned_data
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, gettext("Progress update recorded."))
                return redirect(f"{project.get_absolute_url()}#progress")
        project.refresh_from_db()
        return ProjectDetailView().show(request, project, progress_form=form, status=400)


class ProgressEvidenceView(LoginRequiredMixin, View):
    """The evidence file of a progress update, to whoever reads the project."""

    def get(self, request, pk: int):
        _require_read(request)
        update = ProgressUpdate.objects.within(request.scope).filter(pk=pk).first()
        if update is None or not update.evidence_file:
            raise Http404
        name = update.evidence_file.name.rsplit("/", 1)[-1]
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = FileResponse(
            update.evidence_file.open("rb"), as_attachment=True, filename=name, content_type=kind
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


# Agencies' duties ---------------------------------------------------------------------------


def _agencies(request):
    return OrgUnit.objects.within(request.scope, Action.VIEW_PLANNING).filter(parent__isnull=True)


class AgencyDutiesIndexView(LoginRequiredMixin, View):
    """A head of agency (or its administrator) goes straight to their agency's page; a role
    across the instansi chooses among the agencies, those involved in projects first."""

    def get(self, request):
        _require_read(request)
        agencies = list(_agencies(request).order_by("sort_key").only("pk", "name", "sort_key"))
        if len(agencies) == 1 and request.scope.paths_for(Action.VIEW_PLANNING) is not None:
            return redirect("regional:agency_duties", pk=agencies[0].pk)
        counts = selectors.agency_project_counts(request.scope.instansi_id)
        rows = [{"agency": a, **counts.get(a.pk, {"leads": 0, "joins": 0})} for a in agencies]
        rows.sort(key=lambda r: (-(r["leads"] + r["joins"]), r["agency"].sort_key))
        return render(
            request,
            "regional/agency_duties_index.html",
            {"rows": rows, "nav_active": "regional_duties"},
        )


class AgencyDutiesView(LoginRequiredMixin, View):
    """An agency's duties (tupoksi) beside the Perpres 80/2019 projects it leads or joins and
    the indicators it owns with this year's targets."""

    def get(self, request, pk: int):
        _require_read(request)
        agency = _agencies(request).filter(pk=pk).first()
        if agency is None:
            raise Http404
        year = timezone.localdate().year
        data = selectors.agency_duties(agency=agency, scope=request.scope, year=year)
        return render(
            request,
            "regional/agency_duties.html",
            {**data, "nav_active": "regional_duties", "duties_lines": _lines(agency.duties)},
        )


def _lines(text: str) -> list[str]:
    return [line.strip().lstrip("-•").strip() for line in (text or "").splitlines() if line.strip()]


__all__ = [
    "AgencyDutiesIndexView",
    "AgencyDutiesView",
    "AreaDetailView",
    "AreaListView",
    "AreaStatusExportView",
    "MilestoneAddView",
    "MilestoneUpdateView",
    "ProgressAddView",
    "ProgressEvidenceView",
    "ProjectCreateView",
    "ProjectDetailView",
    "ProjectExportView",
    "ProjectListView",
    "ProjectUpdateView",
]
