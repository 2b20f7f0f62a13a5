"""Figures of a unit as a whole, for pages that must not pass off a viewer's share as the whole.

Scoped reads (``.within(scope)``) count only the rows a viewer may reach: an employee who opens
her own division sees one person (herself), no sub-units and no head. Shown bare, those numbers
read as the division's. The pages therefore say "within your access" beside a scoped figure
whenever the viewer's reach does not cover the whole unit, and show next to it the unit's whole
figure from here.

Whole counts are organisational facts, not personal data: how many active employees a unit has,
how many sub-units, whether its head post is filled. They are read only for a unit the viewer may
already open (the caller passes a unit it got through ``.within``) and they never list a row: no
name, no NIP, no status breakdown (small groups would point at people).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from kinerja.core import paths
from kinerja.core.scope import Action, Scope

from .models import Employee, OrgUnit, Position


def _headcounts(employees, units) -> dict[int, int]:
    """{unit pk: active employees of ``employees`` in the unit's subtree}: one grouped query."""
    units = list(units)
    if not units:
        return {}
    q = Q()
    for unit in units:
        q |= Q(unit__path__startswith=unit.path)
    per_path = (
        employees.filter(q, is_active=True)
        .values_list("unit__path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    step = paths.STEP + 1
    by_prefix: dict[str, int] = defaultdict(int)
    for path, n in per_path:
        for end in range(step, len(path) + 1, step):
            by_prefix[path[:end]] += n
    return {unit.pk: by_prefix.get(unit.path, 0) for unit in units}


def subtree_headcounts(scope: Scope, units) -> dict[int, int]:
    """Return {unit pk: active employees the caller may reach in the unit and below it}."""
    return _headcounts(Employee.objects.within(scope), units)


def whole_headcounts(units) -> dict[int, int]:
    """Return {unit pk: all active employees in the unit and below it}, reached or not.

    Only for units the caller may open; a count, never the rows (see the module's note).
    """
    units = list(units)
    if not units:
        return {}
    instansi_ids = {unit.instansi_id for unit in units}
    return _headcounts(Employee.objects.filter(instansi_id__in=instansi_ids), units)


def set_headcounts(scope: Scope, units) -> None:
    """Set on each unit ``subtree_headcount`` (within the caller's access), ``headcount_total``
    (the whole subtree's count) and ``headcount_partial`` (the caller reaches fewer than all:
    the page then says "within your access" and shows both numbers).

    Two grouped queries at most, whatever the number of units.
    """
    units = list(units)
    counts = subtree_headcounts(scope, units)
    partial = [u for u in units if not scope.can(Action.VIEW_PEOPLE, u.path)]
    totals = whole_headcounts(partial)
    for unit in units:
        unit.subtree_headcount = counts.get(unit.pk, 0)
        unit.headcount_partial = unit.pk in totals and totals[unit.pk] != unit.subtree_headcount
        unit.headcount_total = totals.get(unit.pk, unit.subtree_headcount)


@dataclass(frozen=True)
class UnitWhole:
    """What a unit holds as a whole (see the module's note)."""

    sub_units: int
    head_post: bool
    head_filled: bool


def unit_whole(unit: OrgUnit) -> UnitWhole:
    """Return the unit's whole figures: sub-units, and whether an active head post exists and
    is held. Two queries."""
    holder = Employee.objects.filter(position=OuterRef("pk"), is_active=True)
    head = (
        Position.objects.filter(unit=unit, is_head=True, is_active=True)
        .annotate(filled=Exists(holder))
        .values_list("filled", flat=True)
        .first()
    )
    return UnitWhole(
        sub_units=OrgUnit.objects.filter(parent=unit).count(),
        head_post=head is not None,
        head_filled=bool(head),
    )
