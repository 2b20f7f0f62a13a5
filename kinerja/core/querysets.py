"""Querysets every app builds on: scoped reads and effective dating.

`ScopedQuerySet.within(scope, action)` is the one place where row scoping lives. A model's
queryset only states where its rows stand:

- ``scope_path``: the field holding the row's unit path (``"path"`` on a unit, ``"unit__path"``
  on a row of a unit), or a tuple of such fields where any one in the grants suffices; ``None``
  when the rows have no unit: an instansi-wide grant then reaches all of them, a grant limited
  to some units none (but the caller's own, below).
- ``scope_post``: the field holding the row's post id (``"position_id"``, ``"pk"`` on a post),
  which a post grant (an evaluator's reports down the reporting lines) reaches; None: rows no
  post grant reaches.
- ``scope_action``: the action a bare ``within(scope)`` checks.
- ``scope_own``: how the caller reaches their own rows without a grant, for ``scope_action``
  only. A relation from the row to the caller's employee record: ``"pk"`` (the record itself),
  a foreign key to the employee (``"employee"``), or a relation the employee model points along
  (``"employees"`` on units: the unit the caller works in), read as a subquery so that no join
  repeats rows.
- ``scope_owner``: a foreign key to the user who made the row; a caller holding the action
  anywhere reaches the rows they made (their own import jobs).
- ``scope_instansi``: the instansi key every read narrows by.
- ``scope_legacy_paths``: also match paths stored in the former six-digit format (rows sealed
  before the paths widened, see `kinerja.core.paths`).
- ``scope_distinct``: drop the duplicates that a path across a to-many relation makes.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Self

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .scope import Action, Scope

_NOTHING = Q(pk__in=[])  # no row (an empty Q would mean every row)


class ScopedQuerySet(models.QuerySet):
    scope_path: ClassVar[str | tuple[str, ...] | None] = "unit__path"
    scope_post: ClassVar[str | None] = None
    scope_action: ClassVar[str] = Action.VIEW_ORG
    scope_own: ClassVar[str | None] = None
    scope_owner: ClassVar[str | None] = None
    scope_instansi: ClassVar[str] = "instansi_id"
    scope_legacy_paths: ClassVar[bool] = False
    scope_distinct: ClassVar[bool] = False

    def within(self, scope: Scope, action: str | None = None) -> Self:
        """Keep the rows of the caller's instansi where ``action`` is granted, and their own."""
        action = action or self.scope_action
        if scope.instansi_id is None:
            return self.none()
        qs = self.filter(self.instansi_q(scope))
        q = self._grants_q(scope, action)
        if q is not None:  # None: the whole instansi, own rows included
            for own in (self._own_q(scope, action), self._owner_q(scope, action)):
                if own is not None:
                    q = own if q is _NOTHING else q | own
            qs = qs.filter(q)
        return qs.distinct() if self.scope_distinct else qs

    def instansi_q(self, scope: Scope) -> Q:
        """The caller's instansi; a queryset whose rows reach it otherwise widens this."""
        return Q(**{self.scope_instansi: scope.instansi_id})

    def _grants_q(self, scope: Scope, action: str) -> Q | None:
        """The rows the grants reach: None for the whole instansi, `_NOTHING` for none."""
        if scope.paths_for(action) is None:
            return None
        fields = self.scope_path or ()
        if isinstance(fields, str):
            fields = (fields,)
        q = _NOTHING
        for field in fields:
            part = scope.unit_q(action, field, legacy=self.scope_legacy_paths)
            q = part if q is _NOTHING else q | part
        posts = scope.post_ids_for(action) if self.scope_post else ()
        if posts:
            part = Q(**{f"{self.scope_post}__in": sorted(posts)})
            q = part if q is _NOTHING else q | part
        return q

    def _owner_q(self, scope: Scope, action: str) -> Q | None:
        if self.scope_owner and scope.user_id is not None and scope.can_anywhere(action):
            return Q(**{f"{self.scope_owner}_id": scope.user_id})
        return None

    def _own_q(self, scope: Scope, action: str) -> Q | None:
        own = self.scope_own
        if not own or not scope.employee_id or action != self.scope_action:
            return None
        if own == "pk":
            return Q(pk=scope.employee_id)
        field = self.model._meta.get_field(own)
        if field.auto_created and not field.concrete:  # the employee model points at us
            employees = field.related_model._default_manager.filter(pk=scope.employee_id)
            return Q(pk__in=employees.values(field.field.attname))
        return Q(**{field.attname: scope.employee_id})


class EffectiveDatedQuerySet(models.QuerySet):
    """Rows valid over ``valid_from`` to ``valid_to`` (both inclusive; an open end is NULL)."""

    def active_on(self, day: dt.date | None = None) -> Self:
        """Keep the rows in force on ``day`` (today when left out)."""
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class ScopedEffectiveDatedQuerySet(ScopedQuerySet, EffectiveDatedQuerySet):
    pass
