"""Reads of the risk register. A risk stands where its owning unit stands: an agency's risks
are reached through the agency's subtree (its head and administrator), the province's own (a
goal or target of the regional plan, no unit) by an instansi-wide grant only (Bappeda,
leadership, inspektorat). Reading needs ``view_planning``, as reading the plans the risks
threaten; an evaluator's post grant reaches no risk and an employee none."""

from __future__ import annotations

from django.db.models import Q

from kinerja.core.querysets import ScopedQuerySet
from kinerja.core.scope import Action

from .choices import MitigationStatus, RiskStatus


class RiskQuerySet(ScopedQuerySet):
    scope_path = "unit__path"
    scope_action = Action.VIEW_PLANNING

    def live(self) -> RiskQuerySet:
        """Risks still being managed (open or being mitigated)."""
        return self.filter(status__in=RiskStatus.live())

    def of_level(self, low: int, high: int) -> RiskQuerySet:
        return self.filter(level__gte=low, level__lte=high)

    def by_level(self) -> RiskQuerySet:
        """Highest level first, then the newest."""
        return self.order_by("-level", "-identified_on", "-pk")


class MitigationQuerySet(ScopedQuerySet):
    scope_path = "risk__unit__path"
    scope_action = Action.VIEW_PLANNING
    scope_instansi = "risk__instansi_id"

    def active(self) -> MitigationQuerySet:
        return self.filter(status__in=MitigationStatus.active())

    def overdue(self, day) -> MitigationQuerySet:
        return self.active().filter(Q(due_on__lt=day))
