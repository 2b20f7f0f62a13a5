"""Pages of the Perpres 80/2019 project office (``/regional/``): the areas, an area's dashboard
(projects by status with its chart, table and workbook; late milestones; the agencies
involved; member regions), the project list with filters and its workbook (the importer's
layout), the project page with its milestone and progress forms, and an agency's duties beside
its projects and indicators.

Reading needs `view_planning` somewhere (every role with a grant): areas and projects are
public regional facts of the instansi. Writing: see `services.may_manage`, `may_report`.

The pages are kept (`{% kept %}`) until the next audited write of the instansi: the views find
the object shown (404) and hand every other read to the template lazily, so a kept view runs no
query of its own. The project page's forms carry a CSRF token: they stay outside the kept
parts and are rendered each time."""

from __future__ import annotations

import functools
import mimetypes
from collections.abc import Callable
from typing import Any, TypeVar

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

from kinerja.audit.freshness import kept
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

T = TypeVar("T")


def _once(compute: Callable[[], T]) -> Callable[[], T]:
    """``compute`` as a context value: read (called by the template) at most once, and not at
    all when the page's `{% kept %}` block is answered from the cache."""
    return functools.cache(compute)


def _require_read(request) -> None:
    if not request.scope.can_anywhere(Action.VIEW_PLANNING):
        raise PermissionDenied


def _found(request, name: str, key: Any, find: Callable[[], T | None]) -> T:
    """The object a page shows, or 404. Found within the caller's scope and kept like the
    page's HTML (until the next audited write of the instansi, filed under the caller's reach),
    so a page answered from its kept blocks runs no query of its own."""
    found = kept(f"regional.{name}", find, scope=request.scope, request=request, parts=(key,))
    if found is None:
        raise Http404
    return found


def _area(request, code: str) -> DevelopmentArea:
    _require_read(request)
    return _found(
        request,
        "area",
        code,
        lambda: (
            DevelopmentArea.objects.within(request.scope)
            .select_related("supports")
            .filter(code=code)
            .first()
        ),
    )


def _project(request, pk: int, *, to_show: bool = False) -> Project:
    """The project ``pk`` within the caller's reach, found again for a write, kept to show."""
    _require_read(request)

    def find() -> Project | None:
        return (
            Project.objects.within(request.scope)
            .select_related("area", "lead_agency")
            .filter(pk=pk)
            .first()
        )

    if to_show:
        return _found(request, "project", pk, find)
    project = find()
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
        scope = request.scope

        @_once
        def data() -> dict[str, Any]:
            summaries = selectors.area_summaries(instansi_id=scope.instansi_id)
            members = {}
            for area in DevelopmentArea.objects.within(scope).prefetch_related(
                "memberships__region"
            ):
                members[area.pk] = [m.region for m in area.memberships.all()]
            for row in summaries:
                row["members"] = members.get(row["area"].pk, [])
                row["status_list"] = [
                    (value, label, row["by_status"][value])
                    for value, label in ProjectStatus.choices
                ]
            totals = selectors.province_project_totals(instansi_id=scope.instansi_id)
            totals["status_list"] = [
                (label, totals["by_status"][value]) for value, label in ProjectStatus.choices
            ]
            totals["funding_list"] = [
                (label, totals["by_funding"][value]) for value, label in Funding.choices
            ]
            totals["phase_list"] = [
                (label, totals["by_phase"][value]) for value, label in Phase.choices
            ]
            return {"areas": summaries, "totals": totals}

        return render(
            request,
            "regional/area_list.html",
            {
                "areas": lambda: data()["areas"],
                "totals": lambda: data()["totals"],
                "statuses": ProjectStatus.choices,
                "nav_active": NAV,
                "may_manage": services.may_manage(scope),
            },
        )


class AreaDetailView(LoginRequiredMixin, View):
    """The Bappeda area dashboard."""

    def get(self, request, code: str):
        area = _area(request, code)
        rows = _once(lambda: selectors.status_rows(area))

        def chart() -> list[dict[str, Any]]:
            return [
                {
                    "id": "area-status-chart",
                    "categories": [str(r["label"]) for r in rows()],
                    "series": [{"name": gettext("Projects"), "data": [r["count"] for r in rows()]}],
                }
            ]

        return render(
            request,
            "regional/area_detail.html",
            {
                "area": area,
                "status_rows": rows,
                "recorded": _once(lambda: sum(r["count"] for r in rows())),
                "investment_rp": _once(lambda: sum(r["investment_rp"] for r in rows())),
                "late": _once(lambda: selectors.late_milestones(area)),
                "agencies": _once(lambda: selectors.agencies_involved(area)),
                "regions": _once(lambda: selectors.member_regions(area)),
                "supported_by": _once(lambda: list(area.supported_by.all())),
                "chart": _once(chart),
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
        get = request.GET

        @_once
        def listed() -> tuple[ProjectFilter, Any]:
            filterset, rows = _projects(request)
            rows = rows.select_related("area", "lead_agency").order_by("area__order", "code")
            page = CappedPaginator(rows, PER_PAGE, cap=cap_for(get)).get_page(get.get("page"))
            return filterset, page

        query = get.copy()
        query.pop("page", None)
        may_manage = services.may_manage(request.scope)
        return render(
            request,
            "regional/project_list.html",
            {
                "filter": lambda: listed()[0],
                "page_obj": lambda: listed()[1],
                "query": query.urlencode(),
                "areas": _once(lambda: DevelopmentArea.objects.within(request.scope).ordered()),
                "agencies": _once(
                    lambda: (
                        OrgUnit.objects.filter(
                            instansi_id=request.scope.instansi_id,
                            parent__isnull=True,
                            led_projects__isnull=False,
                        )
                        .distinct()
                        .order_by("sort_key")
                        .only("pk", "name")
                    )
                ),
                "statuses": ProjectStatus.choices,
                "phases": Phase.choices,
                "fundings": Funding.choices,
                "may_manage": may_manage,
                "may_import": may_manage and request.scope.can_anywhere(Action.IMPORT),
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
        project = _project(request, pk, to_show=True)
        return self.show(request, project)

    def show(self, request, project, *, milestone_form=None, progress_form=None, status=200):
        scope = request.scope
        today = timezone.localdate()

        @_once
        def milestones() -> list[Milestone]:
            rows = list(project.milestones.all())
            for m in rows:
                m.late = m.is_late(today)
            return rows

        may_manage = services.may_manage(scope)
        may_report = services.may_report(scope, project)
        progress_initial = {"date": today, "status": project.status}
        return render(
            request,
            "regional/project_detail.html",
            {
                "project": project,
                "milestones": milestones,
                "late_count": _once(lambda: sum(1 for m in milestones() if m.late)),
                "updates": _once(
                    lambda: list(project.progress_updates.select_related("author")[:50])
                ),
                "collaborations": _once(
                    lambda: list(
                        ProjectAgency.objects.filter(project=project).select_related("agency")
                    )
                ),
                "regions": _once(
                    lambda: list(
                        ProjectRegion.objects.filter(project=project).select_related("region")
                    )
                ),
                "goals": _once(lambda: list(project.goals.all())),
                "indicators": _once(lambda: list(project.indicators.select_related("goal"))),
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
        agency = _found(request, "agency", pk, lambda: _agencies(request).filter(pk=pk).first())
        year = timezone.localdate().year
        data = _once(lambda: selectors.agency_duties(agency=agency, scope=request.scope, year=year))
        return render(
            request,
            "regional/agency_duties.html",
            {
                "agency": agency,
                "year": year,
                "led": lambda: data()["led"],
                "joined": lambda: data()["joined"],
                "indicators": lambda: data()["indicators"],
                "investment_led_rp": lambda: data()["investment_led_rp"],
                "nav_active": "regional_duties",
                "duties_lines": _once(lambda: _lines(agency.duties)),
            },
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
