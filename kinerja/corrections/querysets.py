"""Reads of correction requests, scoped like the employees they are about."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from kinerja.core.scope import Action, Scope


class CorrectionRequestQuerySet(models.QuerySet):
    def within(self, scope: Scope, action: str = Action.VIEW_PEOPLE) -> CorrectionRequestQuerySet:
        """Keep the requests about employees the caller may reach; everyone sees their own."""
        if scope.instansi_id is None:
            return self.none()
        q = scope.unit_q(action, "employee__unit__path")
        if scope.employee_id and action == Action.VIEW_PEOPLE:
            q |= Q(employee_id=scope.employee_id)
        return self.filter(q, instansi_id=scope.instansi_id)

    def pending(self) -> CorrectionRequestQuerySet:
        return self.filter(status="pending")

    def to_decide(self, scope: Scope) -> CorrectionRequestQuerySet:
        """The pending requests the caller may decide: in reach to change, never their own."""
        queryset = self.within(scope, Action.CHANGE_PEOPLE).pending()
        if scope.employee_id:
            queryset = queryset.exclude(employee_id=scope.employee_id)
        return queryset
