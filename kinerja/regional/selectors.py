"""Reads of the regional app that answer a question of the domain, each in a fixed number of
queries whatever the number of projects: the summaries per area and for the province (the
province dashboard reads them), an area's dashboard, and an agency's duties beside its
projects and indicators."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from kinerja.organisations.models import OrgUnit, Region

from .choices import Funding, Phase, ProjectStatus, RegionRole
from .models import (
    AreaMember,
    DevelopmentArea,
    Milestone,
    Project,
    ProjectAgency,
    ProjectRegion,
)

LATE_LIST_LIMIT = 200


def _zero_statuses() -> dict[str, int]:
    return dict.fromkeys(ProjectStatus.values, 0)


def area_summaries(*, instansi_id: int, on: dt.date | None = None) -> list[dict[str, Any]]:
    """One dict per area of the instansi, in the regulation's order: the area, its code, name
    and role, the recorded and published project counts, the recorded investment, the count per
    status (every status present) and the late milestones (planned before ``on``, today, and
    not reached). Three queries."""
    on = on or timezone.localdate()
    areas = list(
        DevelopmentArea.objects.filter(instansi_id=instansi_id)
        .select_related("supports")
        .order_by("order", "pk")
    )
    grouped = (
        Project.objects.filter(instansi_id=instansi_id)
        .values("area_id", "status")
        .annotate(n=Count("pk"), rp=Sum("investment_rp"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(_zero_statuses)
    money: dict[int, Decimal] = defaultdict(Decimal)
    for row in grouped:
        counts[row["area_id"]][row["status"]] += row["n"]
        money[row["area_id"]] += Decimal(row["rp"] or 0)
    late = dict(
        Milestone.objects.filter(project__instansi_id=instansi_id)
        .late(on)
        .values("project__area_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("project__area_id", "n")
    )
    out = []
    for area in areas:
        by_status = dict(counts[area.pk])
        out.append(
            {
                "area": area,
                "code": area.code,
                "name": area.name,
                "role": area.role,
                "projects": sum(by_status.values()),
                "published_projects": area.published_projects,
                "investment_rp": money[area.pk],
                "by_status": by_status,
                "late_milestones": late.get(area.pk, 0),
            }
        )
    return out


def province_project_totals(*, instansi_id: int) -> dict[str, Any]:
    """The instansi's projects in all: count, investment, and counts by status, funding scheme
    and phase (every value present). Three queries."""
    projects = Project.objects.filter(instansi_id=instansi_id)
    by_status = _zero_statuses()
    total_rp = Decimal(0)
    for row in (
        projects.values("status").annotate(n=Count("pk"), rp=Sum("investment_rp")).order_by()
    ):
        by_status[row["status"]] = row["n"]
        total_rp += Decimal(row["rp"] or 0)
    by_funding = dict.fromkeys(Funding.values, 0)
    for row in projects.values("funding").annotate(n=Count("pk")).order_by():
        by_funding[row["funding"]] = row["n"]
    by_phase = dict.fromkeys(Phase.values, 0)
    for row in projects.values("phase").annotate(n=Count("pk")).order_by():
        by_phase[row["phase"]] = row["n"]
    return {
        "projects": sum(by_status.values()),
        "investment_rp": total_rp,
        "by_status": by_status,
        "by_funding": by_funding,
        "by_phase": by_phase,
    }


def status_rows(area: DevelopmentArea) -> list[dict[str, Any]]:
    """The area's projects by status, every status in order: label, count and investment."""
    grouped = {
        row["status"]: row
        for row in Project.objects.filter(area=area)
        .values("status")
        .annotate(n=Count("pk"), rp=Sum("investment_rp"))
        .order_by()
    }
    return [
        {
            "status": value,
            "label": label,
            "count": grouped.get(value, {}).get("n", 0),
            "investment_rp": int(grouped.get(value, {}).get("rp") or 0),
        }
        for value, label in ProjectStatus.choices
    ]


def late_milestones(area: DevelopmentArea, *, on: dt.date | None = None) -> dict[str, Any]:
    """The area's milestones planned before ``on`` (today) and not reached, the longest late
    first (at most `LATE_LIST_LIMIT` listed), with how many there are in all."""
    on = on or timezone.localdate()
    rows = Milestone.objects.filter(project__area=area).late(on)
    listed = list(
        rows.select_related("project__lead_agency").order_by("planned_date", "project__code")[
            :LATE_LIST_LIMIT
        ]
    )
    for milestone in listed:
        milestone.days_late = (on - milestone.planned_date).days
    return {"rows": listed, "total": rows.count(), "on": on}


def agencies_involved(area: DevelopmentArea) -> list[dict[str, Any]]:
    """The agencies that lead or join the area's projects, with how many of each, the most
    involved first. Three queries."""
    leads = dict(
        Project.objects.filter(area=area)
        .values("lead_agency_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("lead_agency_id", "n")
    )
    joins = dict(
        ProjectAgency.objects.filter(project__area=area)
        .values("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("agency_id", "n")
    )
    units = OrgUnit.objects.filter(pk__in=set(leads) | set(joins)).only("pk", "name", "sort_key")
    rows = [
        {"agency": unit, "leads": leads.get(unit.pk, 0), "joins": joins.get(unit.pk, 0)}
        for unit in units
    ]
    rows.sort(key=lambda r: (-(r["leads"] + r["joins"]), r["agency"].sort_key))
    return rows


def member_regions(area: DevelopmentArea) -> list[dict[str, Any]]:
    """The area's member regions and the other regions its projects name, with the count of
    projects each is the location of and supports. Three queries."""
    members = {
        m.region_id: m for m in AreaMember.objects.filter(area=area).select_related("region")
    }
    roles: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(RegionRole.values, 0))
    for row in (
        ProjectRegion.objects.filter(project__area=area)
        .values("region_id", "role")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        roles[row["region_id"]][row["role"]] = row["n"]
    others = Region.objects.filter(pk__in=set(roles) - set(members))
    rows = [
        {"region": m.region, "member": True, "confirmed": m.confirmed, **roles[m.region_id]}
        for m in members.values()
    ]
    rows += [{"region": r, "member": False, "confirmed": False, **roles[r.pk]} for r in others]
    rows.sort(key=lambda r: (not r["member"], r["region"].code))
    return rows


def agency_duties(*, agency: OrgUnit, scope, year: int) -> dict[str, Any]:
    """An agency's duties (tupoksi) beside the projects it leads, those it joins (with its
    contribution) and the indicators it owns with their target of ``year``. Four queries."""
    from kinerja.performance.models import Indicator, Target

    led = list(
        Project.objects.filter(lead_agency=agency)
        .select_related("area")
        .order_by("area__order", "code")
    )
    joined = list(
        ProjectAgency.objects.filter(agency=agency)
        .select_related("project__area", "project__lead_agency")
        .order_by("project__area__order", "project__code")
    )
    indicators = list(
        Indicator.objects.within(scope)
        .filter(unit=agency)
        .select_related("goal")
        .order_by("-is_key", "code")
    )
    targets = {
        t.indicator_id: t
        for t in Target.objects.filter(indicator__in=[i.pk for i in indicators], year=year)
    }
    for indicator in indicators:
        indicator.year_target = targets.get(indicator.pk)
    return {
        "agency": agency,
        "led": led,
        "joined": joined,
        "indicators": indicators,
        "year": year,
        "investment_led_rp": sum((p.investment_rp or 0) for p in led),
    }


def agency_project_counts(instansi_id: int) -> dict[int, dict[str, int]]:
    """For each agency, how many projects it leads and joins. Two queries."""
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"leads": 0, "joins": 0})
    for agency_id, n in (
        Project.objects.filter(instansi_id=instansi_id)
        .values("lead_agency_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("lead_agency_id", "n")
    ):
        out[agency_id]["leads"] = n
    for agency_id, n in (
        ProjectAgency.objects.filter(project__instansi_id=instansi_id)
        .values("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("agency_id", "n")
    ):
        out[agency_id]["joins"] = n
    return out


def involved_q(agency_id: int) -> Q:
    return Q(lead_agency_id=agency_id) | Q(collaborations__agency_id=agency_id)
