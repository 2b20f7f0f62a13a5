"""Reads of the collaboration finder: the indicators it compares, the pairs already working
together, the candidates within reach and a candidate's evidence."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from kinerja.core.scope import Action, Scope

from .finder import Doc, FinderPolicy, highlight, score_texts
from .models import (
    Collaboration,
    CollaborationCandidate,
    CollaborationMember,
    Indicator,
    MemberStatus,
    Target,
)

TEXT_FIELDS = ("name", "definition", "purpose", "formula")


def agency_documents(*, instansi_id: int, year: int) -> tuple[list[Doc], dict[int, int]]:
    """The agency-level indicators of the instansi with a target in ``year`` (the Renstra and
    PK indicators of the agencies at the top of the tree; not the province's own, not the
    employee plans'), as documents to compare, and each indicator's agency. One query."""
    has_target = Target.objects.filter(indicator=OuterRef("pk"), year=year)
    rows = (
        Indicator.objects.filter(
            instansi_id=instansi_id,
            result__isnull=True,
            goal__isnull=False,
            unit__isnull=False,
            unit__parent__isnull=True,
        )
        .filter(Exists(has_target))
        .order_by("pk")
        .values_list("pk", "unit_id", *TEXT_FIELDS, "unit__name", "unit__short_name")
    )
    docs = []
    agency = {}
    for pk, unit_id, name, definition, purpose, formula, unit_name, short in rows:
        own = tuple(n for n in (unit_name, short) if n)
        fields = {"name": name, "definition": definition, "purpose": purpose, "formula": formula}
        docs.append(Doc(pk, unit_id, fields, own))
        agency[pk] = unit_id
    return docs, agency


def working_together(*, instansi_id: int) -> set[tuple[int, int]]:
    """(indicator, agency) pairs already in a collaboration together: the shared target's
    indicator and the members' supporting indicators with the lead and every member that has
    not declined. Two queries."""
    cores = dict(
        Collaboration.objects.filter(instansi_id=instansi_id).values_list(
            "pk", "target__indicator_id"
        )
    )
    leads = dict(
        Collaboration.objects.filter(instansi_id=instansi_id).values_list("pk", "lead_unit_id")
    )
    indicators: dict[int, set[int]] = {pk: {ind} for pk, ind in cores.items()}
    units: dict[int, set[int]] = {pk: {lead} for pk, lead in leads.items()}
    members = (
        CollaborationMember.objects.filter(collaboration__instansi_id=instansi_id)
        .exclude(status=MemberStatus.DECLINED)
        .values_list("collaboration_id", "unit_id", "supporting_target__indicator_id")
    )
    for collaboration_id, unit_id, supporting in members:
        units.setdefault(collaboration_id, set()).add(unit_id)
        if supporting:
            indicators.setdefault(collaboration_id, set()).add(supporting)
    out: set[tuple[int, int]] = set()
    for pk, inds in indicators.items():
        for ind in inds:
            for unit in units.get(pk, ()):
                out.add((ind, unit))
    return out


def together(pairs: set[tuple[int, int]], a: int, unit_a: int, b: int, unit_b: int) -> bool:
    """True when indicator ``a`` is in a collaboration with agency ``unit_b`` or the reverse."""
    return (a, unit_b) in pairs or (b, unit_a) in pairs


def candidates_within(scope: Scope):
    """The candidates the caller reads: instansi-wide planning readers all, an agency's
    readers those involving it."""
    return CollaborationCandidate.objects.within(scope, Action.VIEW_PLANNING).select_related(
        "indicator_a", "indicator_b", "unit_a", "unit_b", "collaboration"
    )


@dataclass
class Side:
    """One indicator of a candidate as the evidence shows it."""

    indicator: Indicator
    unit: object
    target: Target | None
    name: list[tuple[str, bool]]
    definition: list[tuple[str, bool]]
    purpose: list[tuple[str, bool]]
    formula: list[tuple[str, bool]]


def evidence(candidate: CollaborationCandidate, policy: FinderPolicy) -> dict:
    """The two manuals side by side with the shared stems of the run marked (of the two
    manuals compared alone when the run kept none). One query (the targets of the year)."""
    targets = {
        t.indicator_id: t
        for t in Target.objects.filter(
            indicator_id__in=[candidate.indicator_a_id, candidate.indicator_b_id],
            year=candidate.year,
        )
    }
    a, b = candidate.indicator_a, candidate.indicator_b
    terms = list(candidate.terms or score_texts(_fields(a), _fields(b), policy)[1])
    sides = []
    for indicator, unit in ((a, candidate.unit_a), (b, candidate.unit_b)):
        sides.append(
            Side(
                indicator=indicator,
                unit=unit,
                target=targets.get(indicator.pk),
                **{f: highlight(getattr(indicator, f) or "", terms, policy) for f in TEXT_FIELDS},
            )
        )
    return {
        "sides": sides,
        "terms": terms,
        "threshold": policy.threshold,
        "stems": sorted({s for t in terms for s in t.split(" ")}),
    }


def _fields(indicator: Indicator) -> dict[str, str]:
    return {f: getattr(indicator, f) or "" for f in TEXT_FIELDS}
