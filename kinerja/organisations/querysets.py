"""Reusable reads. `.within(scope)` is the one place where row scoping lives."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Count, Q

from kinerja.core.querysets import ScopedEffectiveDatedQuerySet, ScopedQuerySet
from kinerja.core.scope import Action, Scope


class RegionQuerySet(models.QuerySet):
    def within(self, scope: Scope) -> RegionQuerySet:
        """Regions are public reference data: any signed-in caller may read them."""
        return self if scope.is_authenticated else self.none()


class OrgUnitQuerySet(ScopedEffectiveDatedQuerySet):
    """Units inside the subtrees where the action is granted; an employee sees their own unit."""

    scope_path = "path"
    scope_action = Action.VIEW_ORG
    scope_own = "employees"

    def agencies(self) -> OrgUnitQuerySet:
        return self.filter(parent__isnull=True)

    def subtree_of(self, unit) -> OrgUnitQuerySet:
        return self.filter(instansi_id=unit.instansi_id, path__startswith=unit.path)


class PositionQuerySet(ScopedQuerySet):
    """Positions of the granted units; an employee sees the post they hold."""

    scope_path = "unit__path"
    scope_post = "pk"
    scope_action = Action.VIEW_ORG
    scope_own = "holders"

    def active(self) -> PositionQuerySet:
        """The posts in use (a closed post keeps its history but takes no holder)."""
        return self.filter(is_active=True)

    def active_on(self, day: dt.date) -> PositionQuerySet:
        """The posts in force on ``day``; an empty ``valid_from`` is "since before the records"."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


# A search names the posts whose title matches by id when there are at most this many.
SEARCH_MAX_POSTS = 500


class EmployeeQuerySet(ScopedQuerySet):
    """Employees of the granted units; everyone may view their own record."""

    scope_path = "unit__path"
    scope_post = "position_id"
    scope_action = Action.VIEW_PEOPLE
    scope_own = "pk"

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
        from .models import Position

        # The posts whose title matches are looked up first (an indexed search on PostgreSQL,
        # see migration 0009): the employees' condition is then their name or a short list of
        # post ids, which the database answers from indexes instead of joining every
        # employee's post to read its title.
        posts = list(
            Position.objects.filter(title__icontains=text)
            .order_by()
            .values_list("pk", flat=True)[: SEARCH_MAX_POSTS + 1]
        )
        if len(posts) > SEARCH_MAX_POSTS:
            return self.filter(Q(name__icontains=text) | Q(position__title__icontains=text))
        if not posts:
            return self.filter(name__icontains=text)
        return self.filter(Q(name__icontains=text) | Q(position_id__in=posts))


class AssignmentQuerySet(ScopedEffectiveDatedQuerySet):
    """The posts over time of the employees the caller reaches (scoped by their current unit)."""

    scope_path = "employee__unit__path"
    scope_post = "employee__position_id"
    scope_action = Action.VIEW_PEOPLE
    scope_own = "employee"


class ReportingLineQuerySet(ScopedEffectiveDatedQuerySet):
    """The dated lines of the posts the caller reaches."""

    scope_path = "position__unit__path"
    scope_post = "position_id"
    scope_action = Action.VIEW_ORG


class ActingAssignmentQuerySet(ScopedEffectiveDatedQuerySet):
    """The acting officials (Plt, Plh) of the posts the caller reaches."""

    scope_path = "position__unit__path"
    scope_post = "position_id"
    scope_action = Action.VIEW_ORG
