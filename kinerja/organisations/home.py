"""The organisation's cards on the home page: units and staff within reach, my record."""

from __future__ import annotations

from typing import Any

from kinerja.core.scope import Action
from kinerja.core.views import share_rows

from .models import Employee, OrgUnit


def units_card(request) -> dict[str, Any] | None:
    scope = request.scope
    if not scope.can_anywhere(Action.VIEW_ORG):
        return None
    units = OrgUnit.objects.within(scope).active_on()
    # The agencies the units lie in, not only those reached whole: an evaluator of one division
    # has 1 unit "in 1 agency", not "in 0 agencies".
    agencies = units.order_by().values("agency_id").distinct().count()
    return {"unit_count": units.count(), "agency_count": agencies}


def staff_card(request) -> dict[str, Any] | None:
    scope = request.scope
    if not scope.can_anywhere(Action.VIEW_PEOPLE):
        return None
    counts = Employee.objects.within(scope).active().count_by_status()
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
    return {"me": me} if me else None
