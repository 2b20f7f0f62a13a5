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

from django.db.models import Count, Exists, OuterRef

from kinerja.audit.freshness import kept
from kinerja.core import paths
from kinerja.core.scope import Action, Scope

from .models import Employee, OrgUnit, Position


def _counts_by_path(employees) -> dict[str, int]:
    """{unit path: active employees of ``employees`` in that unit and below}: one grouped query
    over the rows, summed up the paths in Python."""
    per_path = employees.filter(is_active=True).values_list("unit__path").annotate(n=Count("pk"))
    step = paths.STEP + 1
    by_prefix: dict[str, int] = defaultdict(int)
    for path, n in per_path.order_by():
        for end in range(step, len(path) + 1, step):
            by_prefix[path[:end]] += n
    return dict(by_prefix)


def subtree_headcounts(scope: Scope, units, request=None) -> dict[int, int]:
    """Return {unit pk: active employees the caller may reach in the unit and below it}.

    The counts of the caller's whole reach are kept until the next audited write (see
    ``kinerja.audit.freshness``), so a tree or a unit page reads them without a query.
    """
    units = list(units)
    if not units:
        return {}
    counts = kept(
        "unit.headcounts",
        lambda: _counts_by_path(Employee.objects.within(scope)),
        scope=scope,
        request=request,
    )
    return {unit.pk: counts.get(unit.path, 0) for unit in units}


def whole_headcounts(units, request=None) -> dict[int, int]:
    """Return {unit pk: all active employees in the unit and below it}, reached or not.

    Only for units the caller may open; a count, never the rows (see the module's note).
    """
    units = list(units)
    out: dict[int, int] = {}
    for instansi_id in {unit.instansi_id for unit in units}:
        counts = kept(
            "unit.headcounts.whole",
            lambda i=instansi_id: _counts_by_path(Employee.objects.filter(instansi_id=i)),
            scope=Scope(instansi_id=instansi_id),  # the whole instansi: no caller's reach
            request=request,
        )
        out.update({u.pk: counts.get(u.path, 0) for u in units if u.instansi_id == instansi_id})
    return out


def set_headcounts(scope: Scope, units, request=None) -> None:
    """Set on each unit ``subtree_headcount`` (within the caller's access), ``headcount_total``
    (the whole subtree's count) and ``headcount_partial`` (the caller reaches fewer than all:
    the page then says "within your access" and shows both numbers).

    Two grouped queries at most, whatever the number of units, and none while the data has
    not changed since they were last counted.
    """
    units = list(units)
    counts = subtree_headcounts(scope, units, request)
    partial = [u for u in units if not scope.can(Action.VIEW_PEOPLE, u.path)]
    totals = whole_headcounts(partial, request)
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
