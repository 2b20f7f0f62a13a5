"""Reusable reads of performance planning. `.within(scope)` is the one place where row scoping
lives (`kinerja.core.querysets.ScopedQuerySet`); planning adds two ways rows stand:

- the province's own rows (the regional plan, its indicators, targets and key-indicator set)
  belong to no unit: whoever may read planning anywhere reaches them, since every agency plans
  under them;
- periods and the indicator library are the instansi's: the same.
"""

from __future__ import annotations

from typing import ClassVar

from django.db.models import Q

from kinerja.core.querysets import ScopedQuerySet
from kinerja.core.scope import Action, Scope


class InstansiWideQuerySet(ScopedQuerySet):
    """Rows of the whole instansi, reached by whoever holds the action anywhere in it."""

    scope_path = None
    scope_action = Action.VIEW_PLANNING

    def _grants_q(self, scope: Scope, action: str) -> Q | None:
        return None if scope.can_anywhere(action) else Q(pk__in=[])


class PlanningQuerySet(ScopedQuerySet):
    """Rows of a unit's subtree, plus the province's own rows (no unit) for anyone holding the
    action anywhere."""

    scope_path = "unit__path"
    scope_action = Action.VIEW_PLANNING
    scope_unit: ClassVar[str] = "unit"

    def _grants_q(self, scope: Scope, action: str) -> Q | None:
        q = super()._grants_q(scope, action)
        if q is None or not scope.can_anywhere(action):
            return q
        return q | Q(**{f"{self.scope_unit}__isnull": True})


class PeriodQuerySet(InstansiWideQuerySet):
    def for_year(self, year: int) -> PeriodQuerySet:
        return self.filter(year=year)


class SubPeriodQuerySet(InstansiWideQuerySet):
    def open(self) -> SubPeriodQuerySet:
        return self.filter(status="open")


class LateEntryWindowQuerySet(ScopedQuerySet):
    scope_path = "unit__path"
    scope_action = Action.VIEW_PLANNING

    def active_on(self, day) -> LateEntryWindowQuerySet:
        return self.filter(opens__lte=day, closes__gte=day)


class GoalQuerySet(PlanningQuerySet):
    def regional(self) -> GoalQuerySet:
        """The regional plan's goals (RPJMD): mission, objective, target."""
        return self.filter(unit__isnull=True)

    def of_agency(self, unit) -> GoalQuerySet:
        return self.filter(unit=unit)


class IndicatorTemplateQuerySet(InstansiWideQuerySet):
    pass


class IndicatorQuerySet(PlanningQuerySet):
    def within(self, scope: Scope, action: str | None = None) -> IndicatorQuerySet:
        """The goals' indicators the caller reaches. An employee plan's individual indicators
        (IKI, with a result and no goal) are read and written through their plan."""
        return super().within(scope, action).filter(result__isnull=True)

    def key(self) -> IndicatorQuerySet:
        """The key performance indicators (IKU)."""
        return self.filter(is_key=True)


class TargetQuerySet(PlanningQuerySet):
    scope_path = "indicator__unit__path"
    scope_unit = "indicator__unit"

    def for_year(self, year: int) -> TargetQuerySet:
        return self.filter(year=year)


class KeyIndicatorSetQuerySet(PlanningQuerySet):
    pass


class AgreementQuerySet(PlanningQuerySet):
    def current(self) -> AgreementQuerySet:
        return self.filter(is_current=True)
