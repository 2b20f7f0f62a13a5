"""Reusable reads. `.within(scope)` is the one place where row scoping lives."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from kinerja.core.scope import Action, Scope


def _own(scope: Scope, field: str):
    """The caller's own unit or position, as a subquery (a join would repeat rows)."""
    from .models import Employee

    return Employee.objects.filter(pk=scope.employee_id).values(field)


class RegionQuerySet(models.QuerySet):
    def within(self, scope: Scope) -> RegionQuerySet:
        """Regions are public reference data: any signed-in caller may read them."""
        return self if scope.is_authenticated else self.none()


class OrgUnitQuerySet(models.QuerySet):
    def within(self, scope: Scope, action: str = Action.VIEW_ORG) -> OrgUnitQuerySet:
        """Keep the units of the caller's instansi inside the subtrees where ``action`` is granted.

        An employee with no grant sees the unit they work in.
        """
        if scope.instansi_id is None:
            return self.none()
        q = scope.unit_q(action, "path")
        posts = scope.post_ids_for(action) if scope.paths_for(action) is not None else ()
        if posts:
            from .models import Position

            q |= Q(pk__in=Position.objects.filter(pk__in=sorted(posts)).values("unit_id"))
        if q and scope.employee_id and action == Action.VIEW_ORG:  # Q() is the whole instansi
            q |= Q(pk__in=_own(scope, "unit_id"))
        return self.filter(q, instansi_id=scope.instansi_id)

    def active_on(self, day: dt.date) -> OrgUnitQuerySet:
        return self.active(day)

    def active(self, on: dt.date | None = None) -> OrgUnitQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))

    def agencies(self) -> OrgUnitQuerySet:
        return self.filter(parent__isnull=True)

    def subtree_of(self, unit) -> OrgUnitQuerySet:
        return self.filter(instansi_id=unit.instansi_id, path__startswith=unit.path)

    def with_headcount(self) -> OrgUnitQuerySet:
        return self.annotate(headcount=Count("employees", filter=Q(employees__is_active=True)))


class PositionQuerySet(models.QuerySet):
    def within(self, scope: Scope, action: str = Action.VIEW_ORG) -> PositionQuerySet:
        if scope.instansi_id is None:
            return self.none()
        q = scope.unit_q(action, "unit__path", post_field="pk")
        if q and scope.employee_id and action == Action.VIEW_ORG:  # Q() is the whole instansi
            q |= Q(pk__in=_own(scope, "position_id"))
        return self.filter(q, instansi_id=scope.instansi_id)

    def active(self) -> PositionQuerySet:
        return self.filter(is_active=True)

    def active_on(self, day: dt.date) -> PositionQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class EmployeeQuerySet(models.QuerySet):
    def within(self, scope: Scope, action: str = Action.VIEW_PEOPLE) -> EmployeeQuerySet:
        """Keep the employees the caller may reach; everyone may view their own record."""
        if scope.instansi_id is None:
            return self.none()
        q = scope.unit_q(action, "unit__path", post_field="position_id")
        if q and scope.employee_id and action == Action.VIEW_PEOPLE:  # Q() is the whole instansi
            q |= Q(pk=scope.employee_id)
        return self.filter(q, instansi_id=scope.instansi_id)

    def active(self) -> EmployeeQuerySet:
        return self.filter(is_active=True)

    def count_by_status(self) -> dict[str, int]:
        """Return the head-count per status, every status present (zero where none)."""
        from .choices import EmployeeStatus

        counts = dict.fromkeys(EmployeeStatus.values, 0)
        counts.update(self.values_list("status").annotate(n=Count("pk")).order_by())
        return counts

    def search(self, text: str) -> EmployeeQuerySet:
        text = (text or "").strip()
        if not text:
            return self
        if text.isdigit():
            return self.filter(nip__startswith=text)
        return self.filter(Q(name__icontains=text) | Q(position__title__icontains=text))


class AssignmentQuerySet(models.QuerySet):
    def within(self, scope: Scope, action: str = Action.VIEW_PEOPLE) -> AssignmentQuerySet:
        if scope.instansi_id is None:
            return self.none()
        q = scope.unit_q(action, "employee__unit__path", post_field="employee__position_id")
        if q and scope.employee_id and action == Action.VIEW_PEOPLE:  # Q() is the whole instansi
            q |= Q(employee_id=scope.employee_id)
        return self.filter(q, instansi_id=scope.instansi_id)


class _DatedQuerySet(models.QuerySet):
    def active_on(self, day: dt.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class ReportingLineQuerySet(_DatedQuerySet):
    def within(self, scope: Scope, action: str = Action.VIEW_ORG) -> ReportingLineQuerySet:
        if scope.instansi_id is None:
            return self.none()
        return self.filter(
            scope.unit_q(action, "position__unit__path", post_field="position_id"),
            instansi_id=scope.instansi_id,
        )


class ActingAssignmentQuerySet(_DatedQuerySet):
    def within(self, scope: Scope, action: str = Action.VIEW_ORG) -> ActingAssignmentQuerySet:
        if scope.instansi_id is None:
            return self.none()
        return self.filter(
            scope.unit_q(action, "position__unit__path", post_field="position_id"),
            instansi_id=scope.instansi_id,
        )
