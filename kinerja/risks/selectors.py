"""Reads of the risk register that several pages and the API share: who reads it, the
objects a risk may threaten within reach, the posts that may own it, and the heat map."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import OrgUnit, Position
from kinerja.performance.models import Goal, Target
from kinerja.regional.models import Project

from .choices import MitigationStatus, ObjectKind
from .models import Risk
from .policy import RiskPolicy

RESIDUAL = "residual"
PICK_LIMIT = 30


def may_read(scope: Scope) -> bool:
    """Whoever reads the plans through a unit or across the instansi reads their risks: the
    leadership, Bappeda, BKD, BPSDM, the inspektorat, an agency's head and administrator. An
    evaluator's post grant and an employee reach none."""
    return scope.paths_for(Action.VIEW_PLANNING) != []


def may_add(scope: Scope) -> bool:
    return scope.can_anywhere(Action.MANAGE_PLANS)


def register_rows(qs: QuerySet[Risk]) -> QuerySet[Risk]:
    """The register's rows with what a page shows of each, in a fixed number of queries."""
    return qs.select_related(
        "unit__agency",
        "target__indicator",
        "goal",
        "project",
        "owner_position",
        "owner_employee",
    ).annotate(
        active_mitigations=Count(
            "mitigations", filter=Q(mitigations__status__in=MitigationStatus.active())
        )
    )


def threatened_object(scope: Scope, kind: str, pk: int):
    """The goal, target or project ``pk`` within the caller's reach (else 404)."""
    if kind == ObjectKind.TARGET:
        qs = Target.objects.within(scope).select_related("indicator__unit")
        qs = qs.filter(indicator__goal__isnull=False)  # a plan's target, not an SKP's
    elif kind == ObjectKind.GOAL:
        qs = Goal.objects.within(scope).select_related("unit")
    elif kind == ObjectKind.PROJECT:
        qs = Project.objects.within(scope).select_related("lead_agency")
    else:
        raise Http404
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def pick(scope: Scope, q: str, year: int | None) -> dict[str, list]:
    """What a new risk may threaten, matching ``q`` (code or name), among the rows whose
    unit the caller manages: at most PICK_LIMIT of each kind."""
    paths = scope.paths_for(Action.MANAGE_PLANS)
    q = q.strip()

    def managed(qs, field):
        if paths is None:
            return qs
        if not paths:
            return qs.none()
        return qs.filter(scope.unit_q(Action.MANAGE_PLANS, f"{field}__path"))

    targets = Target.objects.within(scope).filter(indicator__goal__isnull=False)
    targets = managed(targets, "indicator__unit").select_related("indicator__unit")
    goals = managed(Goal.objects.within(scope), "unit").select_related("unit")
    projects = managed(Project.objects.within(scope), "lead_agency").select_related("lead_agency")
    if year:
        targets = targets.filter(year=year)
    if q:
        targets = targets.filter(Q(indicator__code__icontains=q) | Q(indicator__name__icontains=q))
        goals = goals.filter(Q(code__icontains=q) | Q(name__icontains=q))
        projects = projects.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return {
        "targets": list(targets.order_by("-year", "indicator__code")[:PICK_LIMIT]),
        "goals": list(goals.order_by("code")[:PICK_LIMIT]),
        "projects": list(projects.order_by("code")[:PICK_LIMIT]),
    }


def owner_posts(instansi_id: int, unit: OrgUnit | None) -> QuerySet[Position]:
    """The posts that may own a risk of ``unit``: the active head posts of the unit's agency
    and its sub-units; for the province's own risks, the heads of the agencies."""
    qs = Position.objects.filter(instansi_id=instansi_id, is_head=True, is_active=True)
    if unit is None:
        qs = qs.filter(unit__parent__isnull=True)
    else:
        agency = unit.agency or unit
        qs = qs.filter(unit__path__startswith=agency.path)
    return qs.select_related("unit").order_by("unit__sort_key", "title")


def heatmap(qs: QuerySet[Risk], policy: RiskPolicy, basis: str = "") -> dict[str, Any]:
    """The 5x5 matrix of ``qs``: the count of risks per likelihood (rows, highest first) and
    impact (columns), each cell with its level and band; one grouped query. ``basis``
    "residual" counts the residual levels (risks without one are left out and counted)."""
    lk, im = (
        ("residual_likelihood", "residual_impact")
        if basis == RESIDUAL
        else (
            "likelihood",
            "impact",
        )
    )
    counts = {
        (row[lk], row[im]): row["n"]
        for row in qs.filter(**{f"{lk}__isnull": False})
        .order_by()
        .values(lk, im)
        .annotate(n=Count("pk"))
    }
    rows = []
    for likelihood in reversed(policy.scale):
        cells = []
        for impact in policy.scale:
            level = policy.level(likelihood, impact)
            band = policy.band(level)
            cells.append(
                {
                    "likelihood": likelihood,
                    "impact": impact,
                    "level": level,
                    "band": band,
                    "count": counts.get((likelihood, impact), 0),
                }
            )
        rows.append(
            {
                "likelihood": likelihood,
                "label": policy.likelihood_label(likelihood),
                "cells": cells,
                "total": sum(c["count"] for c in cells),
            }
        )
    columns = [
        {
            "impact": impact,
            "label": policy.impact_label(impact),
            "total": sum(counts.get((lv, impact), 0) for lv in policy.scale),
        }
        for impact in policy.scale
    ]
    bands = [
        {
            "band": band,
            "count": sum(n for (lv, ip), n in counts.items() if band.low <= lv * ip <= band.high),
        }
        for band in policy.bands
    ]
    total = sum(counts.values())
    without = qs.filter(**{f"{lk}__isnull": True}).count() if basis == RESIDUAL else 0
    return {"rows": rows, "columns": columns, "bands": bands, "total": total, "without": without}


def chart_data(matrix: dict[str, Any]) -> dict[str, Any]:
    """The heat map's numbers for ECharts: [impact index, likelihood index, count, level]."""
    data = []
    for row in matrix["rows"]:
        for cell in row["cells"]:
            data.append([cell["impact"] - 1, cell["likelihood"] - 1, cell["count"], cell["level"]])
    rows = sorted(matrix["rows"], key=lambda r: r["likelihood"])
    return {
        "x": [f"{c['impact']} \u2013 {c['label']}" for c in matrix["columns"]],
        "y": [f"{r['likelihood']} \u2013 {r['label']}" for r in rows],
        "data": data,
        "bands": [
            {
                "min": b["band"].low,
                "max": b["band"].high,
                "color": b["band"].color,
                "label": str(b["band"].label),
            }
            for b in matrix["bands"]
        ],
    }
