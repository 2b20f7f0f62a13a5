"""Scoped reads of accounts: who may see which users and role grants."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kinerja.core.scope import Action, Scope


class UserQuerySet(models.QuerySet):
    def within(self, scope: Scope, action: str = Action.MANAGE_ACCESS) -> UserQuerySet:
        """Keep the users an access manager reaches: across the instansi for an instansi-wide
        grant; inside a unit's subtree, those whose employee record or a role grant is there."""
        if scope.instansi_id is None or not scope.can_anywhere(action):
            return self.none()
        paths = scope.paths_for(action)
        mine = Q(instansi_id=scope.instansi_id) | Q(
            instansi__isnull=True, role_assignments__instansi_id=scope.instansi_id
        )
        if paths is None:
            return self.filter(mine).distinct()
        in_subtree = scope.unit_q(action, "employee__unit__path") | scope.unit_q(
            action, "role_assignments__unit__path"
        )
        return self.filter(mine).filter(in_subtree).distinct()


class AccountUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class RoleAssignmentQuerySet(models.QuerySet):
    def within(self, scope: Scope, action: str = Action.MANAGE_ACCESS) -> RoleAssignmentQuerySet:
        """Keep the grants on units where ``action`` is allowed (instansi-wide grants only for
        an instansi-wide access manager)."""
        if scope.instansi_id is None:
            return self.none()
        return self.filter(scope.unit_q(action, "unit__path"), instansi_id=scope.instansi_id)

    def active(self, on: dt.date | None = None) -> RoleAssignmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))
