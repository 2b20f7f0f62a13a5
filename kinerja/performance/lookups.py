"""Searches for the planning forms' searchable selects (`organisations.lookups`' pattern): a
province's library holds hundreds of entries, so the indicator form renders only the chosen one
and the browser (or the no-JavaScript search round trip) asks for the rest."""

from __future__ import annotations

from django.db.models import Q

from kinerja.core.scope import Action, Scope
from kinerja.organisations.lookups import LOOKUP_LIMIT, Option, clean_query, unit_options

from .models import IndicatorTemplate


def template_label(template: IndicatorTemplate) -> str:
    return f"{template.name} ({template.get_position_kind_display()})"


def template_options(
    scope: Scope, query: str = "", *, limit: int = LOOKUP_LIMIT
) -> tuple[list[Option], bool]:
    """Return (up to ``limit`` library entries whose name or definition holds ``query``,
    whether more match), by kind of post and name."""
    rows = IndicatorTemplate.objects.within(scope)
    query = clean_query(query)
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(definition__icontains=query))
    found = list(rows.order_by("position_kind", "name", "pk")[: limit + 1])
    options = [Option(t.pk, template_label(t), t.get_measure_unit_display()) for t in found[:limit]]
    return options, len(found) > limit


def agreement_unit_options(
    scope: Scope, query: str = "", *, limit: int = LOOKUP_LIMIT
) -> tuple[list[Option], bool]:
    """The units an agreement may be started for: open today, within the caller's
    manage_plans reach (the service then asks for a head post)."""
    return unit_options(scope, Action.MANAGE_PLANS, query, limit=limit)
