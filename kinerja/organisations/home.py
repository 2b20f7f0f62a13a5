"""The organisation's cards on the home page: units and staff within reach, my record."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kinerja.audit.freshness import kept
from kinerja.core import paths
from kinerja.core.scope import Action
from kinerja.core.views import share_rows

from . import selectors
from .choices import EmployeeStatus, PositionKind
from .leadership import (
    BUP_HOME_MONTHS,
    NO_POST,
    PNS_GROUPS,
    PPPK_GROUPS,
    StaffFigures,
    staff_figures,
)
from .models import Employee, OrgUnit


def units_card(request) -> dict[str, Any] | None:
    scope = request.scope
    if not scope.can_anywhere(Action.VIEW_ORG):
        return None

    def count():
        units = OrgUnit.objects.within(scope).active_on()
        # The agencies the units lie in, not only those reached whole: an evaluator of one
        # division has 1 unit "in 1 agency", not "in 0 agencies".
        agencies = units.order_by().values("agency_id").distinct().count()
        return {"unit_count": units.count(), "agency_count": agencies}

    return kept("home.units", count, scope=scope, request=request)


def staff_card(request) -> dict[str, Any] | None:
    scope = request.scope
    if not scope.can_anywhere(Action.VIEW_PEOPLE):
        return None
    counts = kept(
        "home.staff",
        lambda: Employee.objects.within(scope).active().count_by_status(),
        scope=scope,
        request=request,
    )
    return {
        "employee_count": sum(counts.values()),
        "status_rows": share_rows(counts, Employee._meta.get_field("status").choices),
    }


def me_card(request) -> dict[str, Any] | None:
    scope = request.scope
    if not scope.employee_id:
        return None
    me = (
        Employee.objects.within(scope)
        .select_related("unit", "position")
        .filter(pk=scope.employee_id)
        .first()
    )
    if me is None:
        return None
    superior = selectors.superior_of(me, timezone.localdate())
    rows = selectors.holder_rows(scope, [superior]) if superior else []
    return {"me": me, "superior": rows[0] if rows else None}


# Leaders' figures --------------------------------------------------------------------------------
# The roles that see the table of every agency (the governor's home). Instansi-wide roles not
# listed here keep the staff card above; add a role here to give it the table.
PROVINCE_TABLE_ROLES = frozenset({"leadership"})


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def _staff_url(unit=None, **params) -> str:
    return _url("organisations:employee_list", unit=unit, is_active="true", **params)


def grade_columns(figures) -> list[tuple[str, str]]:
    """The (status, group) columns: PNS golongan I to IV always, PPPK grades where held."""
    pppk = {group for f in figures for (status, group) in f.by_grade if status == "pppk"}
    return [(EmployeeStatus.PNS, g) for g in PNS_GROUPS] + [
        (EmployeeStatus.PPPK, g) for g in PPPK_GROUPS if g in pppk
    ]


def kind_columns(figures) -> list[tuple[str, str]]:
    """Every kind of post, and "no post" where some staff hold none."""
    columns = list(PositionKind.choices)
    if any(f.by_kind.get(NO_POST) for f in figures):
        columns.append((NO_POST, gettext("No post")))
    return columns


def _retirement_url(unit=None) -> str:
    return _url("organisations:retirement_list", months=BUP_HOME_MONTHS, unit=unit)


def figure_cells(figures, grades, kinds, unit=None) -> dict[str, Any]:
    """One agency's (or the whole reach's) figures, each with the link to the staff it counts."""
    status_labels = dict(EmployeeStatus.choices)
    return {
        "total": {"count": figures.total, "url": _staff_url(unit)},
        "status": [
            {
                "key": value,
                "label": label,
                "count": figures.by_status.get(value, 0),
                "url": _staff_url(unit, status=value),
            }
            for value, label in EmployeeStatus.choices
        ],
        "grades": [
            {
                "key": f"{status}-{group}",
                "label": f"{status_labels[status]} {group}",
                "count": figures.by_grade.get((status, group), 0),
                "url": _staff_url(unit, status=status, grade_group=group),
            }
            for status, group in grades
        ],
        "kinds": [
            {
                "key": value,
                "label": label,
                "count": figures.by_kind.get(value, 0),
                "url": _staff_url(unit, position_kind=value),
            }
            for value, label in kinds
        ],
        "structural": figures.structural,
        "vacant": {
            "count": figures.vacant,
            "url": _url("organisations:position_vacant", unit=unit),
        },
        "bup": {"count": figures.bup, "url": _retirement_url(unit)},
    }


def _agency_paths(scope) -> list[str]:
    """The agencies (top units) whose whole subtree the caller may view people in."""
    granted = scope.paths_for(Action.VIEW_PEOPLE)
    return [p for p in granted or () if len(p) == paths.STEP + 1]


def agency_card(request) -> dict[str, Any] | None:
    """The head of an agency's figures: vacant structural posts and the staff make-up."""
    scope = request.scope
    if not _agency_paths(scope):
        return None
    figures = kept("home.agency", lambda: staff_figures(scope)[None], scope=scope, request=request)
    grades, kinds = grade_columns([figures]), kind_columns([figures])
    return {"figures": figure_cells(figures, grades, kinds), "bup_months": BUP_HOME_MONTHS}


def agencies_card(request) -> dict[str, Any] | None:
    """The governor's table: the same figures for every agency, in the official order."""
    scope = request.scope
    if scope.paths_for(Action.VIEW_PEOPLE) is not None or not (scope.roles & PROVINCE_TABLE_ROLES):
        return None

    def compute():
        per_agency = dict(staff_figures(scope, by_agency=True))
        # In the official order of the agencies (their sort key).
        agencies = list(
            OrgUnit.objects.within(scope)
            .active_on()
            .agencies()
            .order_by("sort_key", "path")
            .only("pk", "name")
        )
        return per_agency, agencies

    per_agency, agencies = kept("home.agencies", compute, scope=scope, request=request)
    grades = grade_columns(per_agency.values())
    kinds = kind_columns(per_agency.values())
    total = StaffFigures()
    for figures in per_agency.values():
        total.merge(figures)
    return {
        "agency_rows": [
            {"agency": a, **figure_cells(per_agency.get(a.pk, StaffFigures()), grades, kinds, a.pk)}
            for a in agencies
        ],
        "province": figure_cells(total, grades, kinds),
        "grade_columns": [(f"{s}-{g}", label) for (s, g), label in _grade_labels(grades)],
        "kind_columns": kinds,
        "bup_months": BUP_HOME_MONTHS,
    }


def _grade_labels(grades):
    labels = dict(EmployeeStatus.choices)
    return [((s, g), f"{labels[s]} {g}") for s, g in grades]
