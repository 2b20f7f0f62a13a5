"""Every write of the regional app: atomic, audited, keyword-only with ``actor`` first.

Who writes (see `may_manage`, `may_report`): the Perpres 80/2019 project office at Bappeda
(`manage_goals` across the instansi) keeps the areas' projects, their collaborators, regions,
milestones and links to the plan; the lead agency's administrator (`manage_plans` on the lead
agency) reports the progress of its projects and sets the actual dates of their milestones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import diff, record
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import OrgUnit, Region

from .choices import RegionRole
from .models import (
    AreaMember,
    DevelopmentArea,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectAgency,
    ProjectRegion,
)

PROJECT_FIELDS = (
    "code",
    "name",
    "area",
    "category",
    "description",
    "funding",
    "investment_rp",
    "lead_agency",
    "phase",
    "land_status",
    "readiness_met",
    "priority_criteria",
    "status",
    "start_date",
    "synthetic",
)
MILESTONE_FIELDS = ("name", "planned_date", "actual_date", "order")


# Who may ------------------------------------------------------------------------------------


def may_manage(scope: Scope) -> bool:
    """The project office: `manage_goals` across the instansi (Bappeda, system administrator)."""
    return scope.instansi_id is not None and scope.paths_for(Action.MANAGE_GOALS) is None


def may_report(scope: Scope, project: Project) -> bool:
    """The project office, or whoever keeps the lead agency's plans (its administrator)."""
    if may_manage(scope):
        return True
    path = project.lead_agency.path if project.lead_agency_id else None
    return path is not None and scope.can(Action.MANAGE_PLANS, path)


def may_report_anywhere(scope: Scope) -> bool:
    return may_manage(scope) or scope.can_anywhere(Action.MANAGE_PLANS)


def _require_manage(scope: Scope) -> None:
    if not may_manage(scope):
        raise PermissionDenied(_("Only the Perpres 80/2019 project office (Bappeda) may do this."))


def _require_report(scope: Scope, project: Project) -> None:
    if not may_report(scope, project):
        raise PermissionDenied(
            _("Only the project office or the lead agency's administrator may do this.")
        )


# Lookups shared by the forms, the API and the import ----------------------------------------


def regions_by_code(codes: Iterable[str]) -> dict[str, Region]:
    """Return the regions of ``codes`` that exist, by code."""
    return {r.code: r for r in Region.objects.filter(code__in=set(codes))}


def unknown_region_error(code: str) -> str:
    return _("Unknown region code %(code)s.") % {"code": code}


def unknown_agency_error(code: str) -> str:
    return _("No agency with the code %(code)s.") % {"code": code}


def agencies_for(instansi_id: int):
    """The agencies (top units, open today or not) of an instansi."""
    return OrgUnit.objects.filter(instansi_id=instansi_id, parent__isnull=True)


def _check_agency(unit: OrgUnit | None, instansi_id: int, field: str) -> None:
    if unit is None:
        raise ValidationError({field: _("Choose an agency.")})
    if unit.instansi_id != instansi_id or unit.parent_id is not None:
        raise ValidationError({field: _("%(unit)s is not an agency.") % {"unit": unit}})


def _resolve_regions(value: Mapping[str, str] | None) -> list[tuple[Region, str]] | None:
    """``{code: role}`` to regions; an unknown code or role is refused on ``regions``."""
    if value is None:
        return None
    found = regions_by_code(value)
    errors = [unknown_region_error(code) for code in value if code not in found]
    errors += [
        _("Unknown region role %(role)s.") % {"role": role}
        for role in value.values()
        if role not in RegionRole.values
    ]
    if errors:
        raise ValidationError({"regions": errors})
    return [(found[code], role) for code, role in value.items()]


def _snapshot(project: Project) -> dict[str, Any]:
    out = {
        name: getattr(project, f"{name}_id" if name in ("area", "lead_agency") else name)
        for name in PROJECT_FIELDS
    }
    if project.pk:
        out["regions"] = sorted(
            f"{code}:{role}"
            for code, role in project.project_regions.values_list("region__code", "role")
        )
        out["collaborators"] = sorted(project.collaborations.values_list("agency_id", flat=True))
        out["goals"] = sorted(project.goals.values_list("pk", flat=True))
        out["indicators"] = sorted(project.indicators.values_list("pk", flat=True))
    return out


def _check_links(instansi_id: int, goals, indicators) -> None:
    if goals is not None and any(g.instansi_id != instansi_id for g in goals):
        raise ValidationError({"goals": _("A goal of another instansi.")})
    if indicators is not None and any(i.instansi_id != instansi_id for i in indicators):
        raise ValidationError({"indicators": _("An indicator of another instansi.")})


def _check_start_against_milestones(project: Project) -> None:
    if project.pk is None or project.start_date is None:
        return
    early = (
        project.milestones.filter(actual_date__lt=project.start_date)
        .order_by("actual_date")
        .first()
    )
    if early is not None:
        raise ValidationError(
            {
                "start_date": _(
                    "The milestone %(name)s was reached on %(date)s, before this start date."
                )
                % {"name": early.name, "date": early.actual_date.isoformat()}
            }
        )


def _apply_relations(
    project: Project,
    regions: list[tuple[Region, str]] | None,
    collaborators: list[tuple[OrgUnit, str]] | None,
    goals,
    indicators,
) -> None:
    if regions is not None:
        project.project_regions.all().delete()
        ProjectRegion.objects.bulk_create(
            ProjectRegion(project=project, region=region, role=role) for region, role in regions
        )
    if collaborators is not None:
        _write_collaborators(project, collaborators)
    if goals is not None:
        project.goals.set(goals)
    if indicators is not None:
        project.indicators.set(indicators)


def _normalise_collaborators(
    project: Project, collaborators: Iterable[OrgUnit | tuple[OrgUnit, str]] | None
) -> list[tuple[OrgUnit, str]] | None:
    if collaborators is None:
        return None
    out: dict[int, tuple[OrgUnit, str]] = {}
    for item in collaborators:
        unit, contribution = item if isinstance(item, tuple) else (item, "")
        _check_agency(unit, project.instansi_id, "collaborators")
        if unit.pk == project.lead_agency_id:
            continue  # the lead agency is not its own collaborator
        out[unit.pk] = (unit, contribution or "")
    return list(out.values())


def _write_collaborators(project: Project, collaborators: list[tuple[OrgUnit, str]]) -> None:
    project.collaborations.all().delete()
    ProjectAgency.objects.bulk_create(
        ProjectAgency(project=project, agency=unit, contribution=contribution[:200])
        for unit, contribution in collaborators
    )


# Areas --------------------------------------------------------------------------------------

AREA_FIELDS = (
    "code",
    "abbreviation",
    "name",
    "role",
    "supports",
    "description",
    "published_projects",
    "published_investment_rp",
    "order",
)


@transaction.atomic
def area_create(
    *, actor: Any, scope: Scope, data: dict[str, Any], members: Mapping[str, bool]
) -> DevelopmentArea:
    """Create a development area with its member regions (``{code: confirmed}``)."""
    _require_manage(scope)
    area = DevelopmentArea(instansi_id=scope.instansi_id)
    for key in AREA_FIELDS:
        if key in data:
            setattr(area, key, data[key])
    if area.supports_id is not None and area.supports.instansi_id != scope.instansi_id:
        raise ValidationError({"supports": _("Unknown development area.")})
    found = regions_by_code(members)
    unknown = [unknown_region_error(code) for code in members if code not in found]
    if unknown:
        raise ValidationError({"members": unknown})
    area.full_clean()
    area.save()
    AreaMember.objects.bulk_create(
        AreaMember(area=area, region=found[code], confirmed=confirmed)
        for code, confirmed in members.items()
    )
    snapshot = {k: getattr(area, "supports_id" if k == "supports" else k) for k in AREA_FIELDS}
    snapshot["members"] = sorted(members)
    record(
        actor=actor,
        action="regional.area.create",
        target=area,
        changes=diff({}, snapshot),
    )
    return area


def _checked(project, instansi_id, lead, regions, goals, indicators):
    """Run every check of a project's write and raise their refusals together (each on its
    field); return the resolved regions."""
    errors: dict[str, list[str]] = {}
    resolved = None

    def collect(check, *args):
        try:
            return check(*args)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            return None

    collect(_check_agency, lead, instansi_id, "lead_agency")
    resolved = collect(_resolve_regions, regions)
    collect(_check_links, instansi_id, goals, indicators)
    collect(project.full_clean)
    if errors:
        raise ValidationError(errors)
    return resolved


# Projects -----------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor: Any,
    scope: Scope,
    data: dict[str, Any],
    regions: Mapping[str, str] | None = None,
    collaborators: Iterable[OrgUnit | tuple[OrgUnit, str]] | None = None,
    goals: Iterable | None = None,
    indicators: Iterable | None = None,
) -> Project:
    """Create a project of an area with its regions ({code: role}), collaborating agencies,
    and the goals and indicators it serves."""
    _require_manage(scope)
    project = Project(instansi_id=scope.instansi_id)
    for key in PROJECT_FIELDS:
        if key in data:
            setattr(project, key, data[key])
    if project.area_id is not None and project.area.instansi_id != scope.instansi_id:
        raise ValidationError({"area": _("Unknown development area.")})
    goals = list(goals) if goals is not None else None
    indicators = list(indicators) if indicators is not None else None
    resolved = _checked(
        project,
        scope.instansi_id,
        getattr(project, "lead_agency", None),
        regions,
        goals,
        indicators,
    )
    partners = _normalise_collaborators(project, collaborators)
    project.save()
    _apply_relations(project, resolved, partners, goals, indicators)
    record(
        actor=actor,
        action="regional.project.create",
        target=project,
        changes=diff({}, _snapshot(project)),
        unit=project.lead_agency,
    )
    return project


@transaction.atomic
def project_update(
    *,
    actor: Any,
    scope: Scope,
    project: Project,
    data: dict[str, Any],
    regions: Mapping[str, str] | None = None,
    collaborators: Iterable[OrgUnit | tuple[OrgUnit, str]] | None = None,
    goals: Iterable | None = None,
    indicators: Iterable | None = None,
    reason: str = "",
) -> Project:
    """Change a project; what is left out (None, or a key absent from ``data``) stays."""
    _require_manage(scope)
    before = _snapshot(project)
    for key in PROJECT_FIELDS:
        if key in data:
            setattr(project, key, data[key])
    if project.area.instansi_id != project.instansi_id:
        raise ValidationError({"area": _("Unknown development area.")})
    goals = list(goals) if goals is not None else None
    indicators = list(indicators) if indicators is not None else None
    resolved = _checked(
        project, project.instansi_id, project.lead_agency, regions, goals, indicators
    )
    _check_start_against_milestones(project)
    partners = _normalise_collaborators(project, collaborators)
    project.save()
    if "lead_agency" in data and partners is None:
        project.collaborations.filter(agency_id=project.lead_agency_id).delete()
    _apply_relations(project, resolved, partners, goals, indicators)
    changes = diff(before, _snapshot(project))
    if changes:
        record(
            actor=actor,
            action="regional.project.update",
            target=project,
            changes=changes,
            reason=reason,
            unit=project.lead_agency,
        )
    return project


@transaction.atomic
def project_set_collaborators(
    *,
    actor: Any,
    scope: Scope,
    project: Project,
    collaborators: Iterable[OrgUnit | tuple[OrgUnit, str]],
) -> Project:
    """Replace the collaborating agencies (each with what it contributes)."""
    _require_manage(scope)
    before = _snapshot(project)
    partners = _normalise_collaborators(project, collaborators) or []
    _write_collaborators(project, partners)
    changes = diff(before, _snapshot(project))
    if changes:
        record(
            actor=actor,
            action="regional.project.collaborators",
            target=project,
            changes=changes,
            unit=project.lead_agency,
        )
    return project


# Milestones ---------------------------------------------------------------------------------


def _milestone_snapshot(milestone: Milestone) -> dict[str, Any]:
    return {name: getattr(milestone, name) for name in MILESTONE_FIELDS}


@transaction.atomic
def milestone_add(
    *,
    actor: Any,
    scope: Scope,
    project: Project,
    name: str,
    planned_date: dt.date,
    actual_date: dt.date | None = None,
    order: int | None = None,
) -> Milestone:
    """Add a milestone to a project (the project office)."""
    _require_manage(scope)
    if order is None:
        last = project.milestones.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    milestone = Milestone(
        project=project,
        name=name,
        planned_date=planned_date,
        actual_date=actual_date,
        order=order,
    )
    milestone.full_clean()
    milestone.save()
    record(
        actor=actor,
        action="regional.milestone.add",
        target=milestone,
        changes=diff({}, _milestone_snapshot(milestone)),
        instansi_id=project.instansi_id,
        unit=project.lead_agency,
    )
    return milestone


@transaction.atomic
def milestone_update(
    *, actor: Any, scope: Scope, milestone: Milestone, data: dict[str, Any]
) -> Milestone:
    """Change a milestone. The project office changes any field; the lead agency's
    administrator only sets (or clears) the actual date."""
    project = milestone.project
    if set(data) - {"actual_date"}:
        _require_manage(scope)
    else:
        _require_report(scope, project)
    before = _milestone_snapshot(milestone)
    for key in MILESTONE_FIELDS:
        if key in data:
            setattr(milestone, key, data[key])
    milestone.full_clean()
    milestone.save()
    changes = diff(before, _milestone_snapshot(milestone))
    if changes:
        record(
            actor=actor,
            action="regional.milestone.update",
            target=milestone,
            changes=changes,
            instansi_id=project.instansi_id,
            unit=project.lead_agency,
        )
    return milestone


# Progress -----------------------------------------------------------------------------------


@transaction.atomic
def progress_add(
    *,
    actor: Any,
    scope: Scope,
    project: Project,
    date: dt.date,
    percent: Decimal | int | str,
    status: str,
    note: str = "",
    evidence_url: str = "",
    evidence_file: Any = None,
) -> ProgressUpdate:
    """Report a project's physical progress and its status on ``date``; the newest update sets
    the project's status."""
    _require_report(scope, project)
    update = ProgressUpdate(
        project=project,
        date=date,
        percent=Decimal(str(percent)),
        status=status,
        note=note,
        evidence_url=evidence_url,
        author=actor if getattr(actor, "pk", None) else None,
    )
    if evidence_file:
        update.evidence_file = evidence_file
    update.full_clean()
    latest = project.progress_updates.order_by("-date").values_list("date", flat=True).first()
    changes = diff(
        {},
        {
            "date": update.date,
            "percent": str(update.percent),
            "status": update.status,
            "note": note,
            "evidence_url": evidence_url,
            "evidence_file": bool(evidence_file),
        },
    )
    if (latest is None or date >= latest) and project.status != status:
        old = project.status
        project.status = status
        project.full_clean()  # a status on the ground needs the project's start date
        project.save(update_fields=["status", "updated_at"])
        changes["project_status"] = [old, status]
    update.save()
    record(
        actor=actor,
        action="regional.progress.add",
        target=update,
        changes=changes,
        instansi_id=project.instansi_id,
        unit=project.lead_agency,
    )
    return update
