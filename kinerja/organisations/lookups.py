"""Searches for the units and posts a caller may pick in a form or a filter, a few at a time.

A province has 1,387 units and 15,245 posts: no page lists them all. The searchable selects
(`forms.LookupSelect`) render only their current value; the browser asks the lookup views for
the rest as JSON, and without JavaScript the form runs the same search on a round trip. Every
search starts from ``Model.objects.within(scope, action)``, so it offers exactly what the form
would accept, and the form's own field validation still refuses anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from kinerja.core import paths
from kinerja.core.scope import Action, Scope

from .models import Employee, OrgUnit, Position

# How many matches one search returns; the widget says when there are more and asks for a
# narrower search.
LOOKUP_LIMIT = 30
# Longest search text taken; longer input is cut (names are at most 200 characters).
QUERY_MAX_LENGTH = 100


@dataclass(frozen=True)
class Option:
    """One match: ``text`` is the label, ``hint`` a second line, ``keywords`` what else the
    search matched on (so the widget can narrow what it holds while the next answer comes)."""

    value: int
    text: str
    hint: str = ""
    keywords: str = ""

    def as_json(self) -> dict:
        return {
            "value": self.value,
            "text": self.text,
            "hint": self.hint,
            "keywords": self.keywords,
        }


def unit_label(unit: OrgUnit) -> str:
    return f"{unit.name} ({unit.code})"


def position_label(position: Position) -> str:
    return f"{position.title} · {position.unit.name}"


def clean_query(text: str | None) -> str:
    return " ".join((text or "").split())[:QUERY_MAX_LENGTH]


def unit_options(
    scope: Scope, action: str, query: str = "", *, limit: int = LOOKUP_LIMIT
) -> tuple[list[Option], bool]:
    """Return (up to ``limit`` units open today where ``action`` is granted, whether more match).

    ``query`` matches name, short name or code anywhere (case ignored). Matches come in tree
    order, so the units of one agency stay together; without a query the top units come first.
    The hint names the agency of a sub-unit.
    """
    units = OrgUnit.objects.within(scope, action).active_on()
    query = clean_query(query)
    if query:
        units = units.filter(
            Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__icontains=query)
        )
    rows = list(
        units.select_related("agency")
        .only("pk", "name", "short_name", "code", "parent_id", "agency__name")
        # Without a search the tops come first (the agencies, for a province-wide role).
        .order_by(*(("path",) if query else ("depth", "path")))[: limit + 1]
    )
    options = [
        Option(
            unit.pk,
            unit_label(unit),
            unit.agency.name if unit.parent_id else "",
            unit.short_name,
        )
        for unit in rows[:limit]
    ]
    return options, len(rows) > limit


def position_options(
    scope: Scope,
    action: str,
    query: str = "",
    *,
    unit_id: int | None = None,
    limit: int = LOOKUP_LIMIT,
) -> tuple[list[Option], bool]:
    """Return (up to ``limit`` active posts where ``action`` is granted, whether more match).

    With ``unit_id`` only that unit's posts (an employee's post must be in their unit; a unit out
    of reach gives none). ``query`` matches title or code. The head's post comes first.
    """
    positions = Position.objects.within(scope, action).active()
    if unit_id is not None:
        positions = positions.filter(unit_id=unit_id)
    return _position_rows(positions, query, limit)


def superior_options(
    scope: Scope, position: Position, query: str = "", *, limit: int = LOOKUP_LIMIT
) -> tuple[list[Option], bool]:
    """Return the posts ``position`` may report to: active posts of its own unit or of a unit
    above it (the units of its path), where the caller may change the organisation; never the
    post itself."""
    positions = (
        Position.objects.within(scope, Action.CHANGE_ORG)
        .active()
        .filter(unit_id__in=paths.ids(position.unit.path))
        .exclude(pk=position.pk)
    )
    return _position_rows(positions, query, limit)


def employee_options(
    scope: Scope, action: str, query: str = "", *, limit: int = LOOKUP_LIMIT
) -> tuple[list[Option], bool]:
    """Return (up to ``limit`` active employees where ``action`` is granted, whether more match).

    ``query`` is a name or a NIP prefix (`EmployeeQuerySet.search`); the hint is the NIP, the
    post and the unit."""
    employees = Employee.objects.within(scope, action).active().search(clean_query(query))
    rows = list(
        employees.select_related("unit", "position")
        .only("pk", "name", "front_title", "back_title", "nip", "unit__name", "position__title")
        .order_by("name", "pk")[: limit + 1]
    )
    options = [
        Option(
            employee.pk,
            employee.display_name,
            " · ".join(
                part
                for part in (
                    employee.nip or "",
                    employee.position.title if employee.position_id else "",
                    employee.unit.name,
                )
                if part
            ),
            employee.nip or "",
        )
        for employee in rows[:limit]
    ]
    return options, len(rows) > limit


def _position_rows(positions, query: str, limit: int) -> tuple[list[Option], bool]:
    query = clean_query(query)
    if query:
        positions = positions.filter(Q(title__icontains=query) | Q(code__icontains=query))
    rows = list(
        positions.select_related("unit")
        .only("pk", "title", "code", "eselon", "unit__name")
        .order_by("unit__path", "-is_head", "title", "pk")[: limit + 1]
    )
    options = [
        Option(
            position.pk,
            position_label(position),
            " · ".join(part for part in (position.code, position.eselon) if part),
            position.code,
        )
        for position in rows[:limit]
    ]
    return options, len(rows) > limit
