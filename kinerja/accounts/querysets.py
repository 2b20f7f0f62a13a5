"""Scoped reads of accounts: who may see which users and role grants."""

from __future__ import annotations

from django.contrib.auth.models import UserManager
from django.db.models import Q

from kinerja.core.querysets import ScopedEffectiveDatedQuerySet, ScopedQuerySet
from kinerja.core.scope import Action, Scope


class UserQuerySet(ScopedQuerySet):
    """The users an access manager reaches: across the instansi for an instansi-wide grant;
    inside a unit's subtree, those whose employee record or a role grant is there."""

    scope_path = ("employee__unit__path", "role_assignments__unit__path")
    scope_action = Action.MANAGE_ACCESS
    scope_distinct = True

    def instansi_q(self, scope: Scope) -> Q:
        """Users of the instansi, and users of none (system staff) granted a role in it."""
        return Q(instansi_id=scope.instansi_id) | Q(
            instansi__isnull=True, role_assignments__instansi_id=scope.instansi_id
        )


class AccountUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class RoleAssignmentQuerySet(ScopedEffectiveDatedQuerySet):
    """The grants on units where the action is allowed (instansi-wide grants only for an
    instansi-wide access manager)."""

    scope_path = "unit__path"
    scope_action = Action.MANAGE_ACCESS
